// Which gateway buys a market's labels, how its settings are read, and what the Karrio adapter
// makes of a Karrio that does not answer (retried) — without a Karrio server; the adapter
// against a real one is test/fulfillment/karrio-gateway.test.ts.
import { createServer } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createCarrierGateways } from '../../activities/adapters/carriers/index.ts';
import { createKarrioGateway } from '../../activities/adapters/carriers/karrio.ts';
import { toMinorUnits } from '../../domain/money.ts';
import { loadCarrierGatewayConfig } from '../../config/carriers.ts';
import { distanceBands, refreshRateCards, tierWeights } from '../../domain/shipping/rate-card-refresh.ts';

const KARRIO = { KARRIO_URL: 'http://127.0.0.1:5002', KARRIO_API_KEY: 'key_test' };
const US = { name: 'Warehouse', address: { line1: '1 N State St', city: 'Chicago', region: 'IL', postalCode: '60602', country: 'US' } };

describe('carrier gateway settings', () => {
  it('default to the built-in gateway, and take Karrio for every market or market by market', () => {
    expect(loadCarrierGatewayConfig({})).toEqual({ defaultGateway: 'builtin', byMarket: {} });
    const some = loadCarrierGatewayConfig({ FULCRUM_CARRIER_GATEWAY_BY_MARKET: 'de=karrio, us=builtin', ...KARRIO });
    expect(some).toMatchObject({ defaultGateway: 'builtin', byMarket: { de: 'karrio', us: 'builtin' }, karrio: { url: KARRIO.KARRIO_URL } });
    const gateways = createCarrierGateways(some);
    expect([gateways.forMarket('de').name, gateways.forMarket('us').name, gateways.forMarket('fr').name, gateways.forMarket(undefined).name]).toEqual(['karrio', 'builtin', 'builtin', 'builtin']);
    expect(createCarrierGateways(loadCarrierGatewayConfig({ FULCRUM_CARRIER_GATEWAY: 'karrio', ...KARRIO })).forMarket(undefined).name).toBe('karrio');
  });

  it('refuse what cannot work, naming the variable', () => {
    expect(() => loadCarrierGatewayConfig({ FULCRUM_CARRIER_GATEWAY: 'ups' })).toThrow(/FULCRUM_CARRIER_GATEWAY must be one of builtin, karrio/);
    expect(() => loadCarrierGatewayConfig({ FULCRUM_CARRIER_GATEWAY: 'karrio' })).toThrow(/KARRIO_URL and KARRIO_API_KEY/);
    expect(() => loadCarrierGatewayConfig({ FULCRUM_CARRIER_GATEWAY_BY_MARKET: 'de:karrio' })).toThrow(/FULCRUM_CARRIER_GATEWAY_BY_MARKET/);
    expect(() => loadCarrierGatewayConfig({ FULCRUM_CARRIER_GATEWAY: 'karrio', KARRIO_URL: 'ftp://karrio', KARRIO_API_KEY: 'k' })).toThrow(/KARRIO_URL/);
    expect(() => loadCarrierGatewayConfig({ FULCRUM_KARRIO_WEBHOOK_SECRET: 'short' })).toThrow(/FULCRUM_KARRIO_WEBHOOK_SECRET/);
    for (const bad of ['0', '2.5', 'soon', '600000']) expect(() => loadCarrierGatewayConfig({ FULCRUM_KARRIO_TIMEOUT_MS: bad })).toThrow(/FULCRUM_KARRIO_TIMEOUT_MS/);
    expect(loadCarrierGatewayConfig({ FULCRUM_CARRIER_GATEWAY: 'karrio', ...KARRIO }).karrio).toEqual({ ...{ url: KARRIO.KARRIO_URL, apiKey: KARRIO.KARRIO_API_KEY }, timeoutMs: 8000 });
    // A label bought through Karrio is voided through it: a deployment without Karrio says so.
    expect(() => createCarrierGateways(loadCarrierGatewayConfig({})).named('karrio')).toThrow(/not configured/);
  });
});

describe('the Karrio adapter', () => {
  it('counts minor units by the currency', () => {
    expect([toMinorUnits(12.34, 'USD'), toMinorUnits(1200, 'JPY'), toMinorUnits(1.234, 'BHD'), toMinorUnits(0.1 + 0.2, 'EUR')]).toEqual([1234, 1200, 1234, 30]);
  });

  it('throws an outage to be retried when Karrio does not answer, and refuses a sender without an address for good', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const gateway = createKarrioGateway({ url: `http://127.0.0.1:${closed}`, apiKey: 'key_test', timeoutMs: 2000 });
    const request = { from: US, to: US, packages: [{ weightGrams: 500, lengthCm: 10, widthCm: 10, heightCm: 10 }] };
    const outage = await gateway.rates(request).catch((err: unknown) => err);
    expect(outage).toBeInstanceOf(Error);
    expect(outage).not.toBeInstanceOf(ApplicationFailure);
    expect((outage as Error).message).toMatch(/did not answer POST \/v1\/proxy\/rates/);
    const noAddress = await gateway.rates({ ...request, from: { name: 'Pop-up store' } }).catch((err: unknown) => err);
    expect(noAddress).toBeInstanceOf(ApplicationFailure);
    expect(noAddress).toMatchObject({ type: 'NoCarrierService', nonRetryable: true });
  });
});

describe('rate cards refreshed from the gateway', () => {
  const card = {
    carrier: 'ParcelCo',
    service: 'ground',
    level: 'standard' as const,
    currency: 'USD',
    cutoffHour: 17,
    zones: [
      { maxKm: 50, transitDays: 1, rates: [{ maxGrams: 1000, amount: 500 }, { maxGrams: 5000, amount: 800 }] },
      { maxKm: 300, transitDays: 2, rates: [{ maxGrams: 1000, amount: 700 }, { maxGrams: 5000, amount: 1000 }] },
    ],
  };
  it('take the median of the lanes in each zone at each tier, and keep cells no lane reached', () => {
    const sample = (km: number, grams: number, amount: number) => ({ carrier: 'ParcelCo', service: 'ground', km, grams, amount });
    const { cards, changes } = refreshRateCards([card], [sample(120, 1000, 650), sample(200, 1000, 690), sample(280, 1000, 900), sample(20, 5000, 800), { ...sample(120, 5000, 1), carrier: 'Other' }]);
    expect(cards[0]!.zones.map((z) => z.rates.map((r) => r.amount))).toEqual([[500, 800], [690, 1000]]);
    expect(changes).toEqual([{ carrier: 'ParcelCo', service: 'ground', maxKm: 300, maxGrams: 1000, from: 700, to: 690, lanes: 3 }]);
    expect(distanceBands([card])).toEqual([50, 300]);
    expect(tierWeights([card])).toEqual([1000, 5000]);
  });
});
