// Labels bought through a real Karrio server (issue 30), started here from the bootstrap's
// install (node scripts/bootstrap.mjs --karrio) with its offline generic carrier priced like
// Fulcrum's rate cards: live rates, a label whose barcodes carry Karrio's tracking numbers
// (PDF and ZPL, read back with zbarimg), tracking to delivered by Karrio's webhooks, voiding on
// cancel, a retried purchase that buys once, and a return label.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ZplRenderer from 'zpl-renderer-js';
import { createCarrierGateways } from '../../activities/adapters/carriers/index.ts';
import { createLabelActivities } from '../../activities/fulfillment/label.ts';
import { loadCarrierGatewayConfig } from '../../config/carriers.ts';
import { createLabelsRepository } from '../../db/repositories/labels.ts';
import { createMarketsRepository } from '../../db/repositories/markets.ts';
import { createNetworkRepository } from '../../db/repositories/network.ts';
import { createRoutingRepository } from '../../db/repositories/routing.ts';
import { DEFAULT_CARRIER_SERVICES } from '../../domain/shipping/carrier-services.ts';
import { createBusinessMetrics } from '../../services/telemetry/business-metrics.ts';
import { startKarrio, type RunningKarrio } from '../../scripts/lib/karrio.ts';
import { addWebhook, connectCarriers, injectTrackingEvent, setRate, trackShipment } from '../../scripts/lib/karrio-carriers.ts';
import { eventually } from '../support/eventually.ts';
import { recordHistories } from '../support/record-history.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

const SECRET = `whsec_${'k'.repeat(24)}`;
const PARCEL = { weightGrams: 1200, lengthCm: 30, widthCm: 20, heightCm: 10 };
const ADDRESS = { name: 'Fulcrum Chicago DC', line1: '1 N State St', city: 'Chicago', region: 'IL', postalCode: '60602', country: 'US' };

let karrio: RunningKarrio;
let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let dir: string;

interface KarrioShipment { id: string; status: string; tracking_number: string; parcels: { reference_number: string }[] }

async function shipmentsOf(reference: string): Promise<KarrioShipment[]> {
  const found = await karrio.rest<{ results: (KarrioShipment & { reference: string })[] }>('GET', `/v1/shipments?reference=${reference}`);
  return found.results.filter((s) => s.reference === reference);
}

function barcodes(png: string): string[] {
  return execFileSync('zbarimg', ['--quiet', '--raw', png], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').sort();
}

/** An order routed and picked through the API; returns its id and its fulfillment's. */
async function pickedOrder(id: string) {
  const order = await web.post('/v1/orders?wait=routed', shipOrder(id, [{ sku: 'TENT', quantity: 1 }]));
  expect(order.status, order.text).toBe(201);
  const fulfillmentId: string = order.body.fulfillments[0].id;
  const picked = await ops.post(`/v1/fulfillments/${fulfillmentId}/pick`, { scans: [{ barcode: 'TENT', quantity: 1 }] });
  expect(picked.status, picked.text).toBe(200);
  return { order, fulfillmentId };
}

/** An order routed, picked and packed through the API; returns the packed fulfillment. */
async function packedOrder(id: string, packages: object[], labelFormat?: 'pdf' | 'zpl') {
  const { order, fulfillmentId } = await pickedOrder(id);
  const packed = await ops.post(`/v1/fulfillments/${fulfillmentId}/pack`, { packages, ...(labelFormat ? { labelFormat } : {}) });
  expect(packed.status, packed.text).toBe(200);
  return { orderId: order.body.id as string, fulfillment: packed.body };
}

beforeAll(async () => {
  karrio = await startKarrio();
  await connectCarriers(karrio, DEFAULT_CARRIER_SERVICES, ['US']);
  // Calls to Karrio time out after 3 s, so a hung Karrio is told within the test's request.
  Object.assign(process.env, { FULCRUM_CARRIER_GATEWAY: 'karrio', KARRIO_URL: karrio.url, KARRIO_API_KEY: karrio.apiKey, FULCRUM_KARRIO_WEBHOOK_SECRET: SECRET, FULCRUM_KARRIO_TIMEOUT_MS: '3000' });
  stack = await startTestStack();
  await addWebhook(karrio, `${stack.url}/v1/carrier-gateways/karrio/events`, SECRET);
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  await seedNetwork(ops, { locations: { 'WH-K': { ...locationBody(41.88, -87.63), address: ADDRESS } }, skus: ['TENT'], stock: [['WH-K', 'TENT', 50]] });
  dir = mkdtempSync(join(tmpdir(), 'fulcrum-karrio-test-'));
}, 300_000);
afterAll(async () => {
  await stack?.close();
  await karrio?.stop();
});

describe('the Karrio carrier gateway', () => {
  it('buys the cheapest service through Karrio, prints its tracking numbers on the PDF, and tracks the parcel to delivered by webhook', async () => {
    const { fulfillment } = await packedOrder('K-PDF', [PARCEL, { ...PARCEL, weightGrams: 2500 }]);
    const [shipment, ...others] = await shipmentsOf(fulfillment.id);
    expect(others).toEqual([]);
    // The cheapest of Karrio's live rates for these parcels (every demo service keeps a standard promise).
    const address = { person_name: 'X', address_line1: ADDRESS.line1, city: ADDRESS.city, state_code: 'IL', postal_code: ADDRESS.postalCode, country_code: 'US' };
    const parcels = [PARCEL, { ...PARCEL, weightGrams: 2500 }].map((p) => ({ weight: p.weightGrams / 1000, weight_unit: 'KG', length: 30, width: 20, height: 10, dimension_unit: 'CM' }));
    const quoted = await karrio.rest<{ rates: { carrier_id: string; service: string; total_charge: number }[] }>('POST', '/v1/proxy/rates', { shipper: address, recipient: address, parcels });
    const cheapest = quoted.rates.reduce((a, b) => (b.total_charge < a.total_charge ? b : a));
    expect(fulfillment).toMatchObject({ carrier: cheapest.carrier_id, service: cheapest.service, trackingNumber: shipment!.tracking_number, shippingCost: { amount: Math.round(cheapest.total_charge * 100), currency: 'USD' } });
    const numbers = shipment!.parcels.map((p) => p.reference_number);
    expect(fulfillment.labels).toEqual(numbers.map((trackingNumber, i) => expect.objectContaining({ package: i + 1, gateway: 'karrio', carrier: cheapest.carrier_id, service: cheapest.service, trackingNumber })));
    expect(fulfillment.labels.reduce((sum: number, l: { cost: { amount: number } }) => sum + l.cost.amount, 0)).toBe(fulfillment.shippingCost.amount);
    // The routing explanation sets the plan's price (the rate cards) against the label bought.
    const routing = (await ops.get(`/v1/orders/${fulfillment.orderId}/routing`)).body.items.at(-1);
    expect(routing.explanation.labels).toEqual([
      { fulfillmentId: fulfillment.id, locationId: 'WH-K', planned: expect.objectContaining({ cost: expect.any(Number) }), bought: { gateway: 'karrio', carrier: cheapest.carrier_id, service: cheapest.service, cost: fulfillment.shippingCost } },
    ]);

    const pdf = await fetch(`${stack.url}/v1/fulfillments/${fulfillment.id}/label`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    writeFileSync(join(dir, 'k.pdf'), Buffer.from(await pdf.arrayBuffer()));
    execFileSync('pdftoppm', ['-r', '200', '-png', join(dir, 'k.pdf'), join(dir, 'k')]);
    const pages = readdirSync(dir).filter((f) => /^k-\d+\.png$/.test(f)).sort();
    expect(pages.flatMap((p) => barcodes(join(dir, p))).sort()).toEqual([...numbers].sort());
    expect((await ops.get(`/v1/fulfillments/${fulfillment.id}/label?format=zpl`)).status).toBe(404);

    expect((await ops.post(`/v1/fulfillments/${fulfillment.id}/handoff`, {})).status).toBe(200);
    const tracker = await trackShipment(karrio, shipment!.id);
    const today = new Date().toISOString().slice(0, 10);
    await injectTrackingEvent(karrio, tracker, 'in_transit', { date: today, time: '08:00', description: 'Departed facility', location: 'Chicago IL' });
    await eventually(async () => (await ops.get(`/v1/fulfillments/${fulfillment.id}`)).body.status, (s) => s === 'in_transit', 'in transit by webhook', 60_000);
    await injectTrackingEvent(karrio, tracker, 'delivered', { date: today, time: '15:30', description: 'Delivered, front door', location: 'Chicago IL' });
    await eventually(async () => (await ops.get(`/v1/fulfillments/${fulfillment.id}`)).body.status, (s) => s === 'delivered', 'delivered by webhook', 60_000);

    // Karrio's retry of the same event is a repeat; a wrong secret changes nothing.
    const event = { event: 'tracker_updated', data: { tracking_number: shipment!.tracking_number, status: 'delivered', events: [{ date: today, time: '15:30', description: 'Delivered, front door', location: 'Chicago IL' }] } };
    const again = await fetch(`${stack.url}/v1/carrier-gateways/karrio/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-event-id': SECRET }, body: JSON.stringify(event) });
    expect(await again.json()).toMatchObject({ duplicate: true, status: 'delivered' });
    const forged = await fetch(`${stack.url}/v1/carrier-gateways/karrio/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-event-id': 'whsec_guess' }, body: JSON.stringify(event) });
    expect(forged.status).toBe(401);

    // The customer sends it back: the prepaid return label is Karrio's too.
    const opened = await web.post('/v1/returns', { orderId: fulfillment.orderId, method: 'mail', lines: [{ lineId: '1', quantity: 1, reason: 'too small' }] });
    expect(opened.status, opened.text).toBe(201);
    const returned = await eventually(async () => (await web.get(`/v1/returns/${opened.body.id}`)).body, (r) => r.label !== undefined, 'the return label', 60_000);
    const [returnShipment, ...moreReturns] = await shipmentsOf(opened.body.id);
    expect(moreReturns).toEqual([]);
    expect(returned.label).toMatchObject({ trackingNumber: returnShipment!.tracking_number });
  }, 240_000);

  it('buys a ZPL label when the associate packs for a thermal printer, and its barcodes scan', async () => {
    const { fulfillment } = await packedOrder('K-ZPL', [PARCEL], 'zpl');
    const [shipment] = await shipmentsOf(fulfillment.id);
    const zpl = await ops.get(`/v1/fulfillments/${fulfillment.id}/label?format=zpl`);
    expect(zpl.status).toBe(200);
    const { api } = await (createRequire(import.meta.url)('zpl-renderer-js') as typeof ZplRenderer).ready;
    const [image] = await api.zplToBase64MultipleAsync(zpl.text, 101.6, 152.4, 8);
    writeFileSync(join(dir, 'z.png'), Buffer.from(image!, 'base64'));
    expect(barcodes(join(dir, 'z.png'))).toEqual([shipment!.tracking_number]);
    const pdf = await ops.get(`/v1/fulfillments/${fulfillment.id}/label`);
    expect(pdf.status).toBe(404);
    expect(pdf.body.detail).toContain('ZPL');
  }, 180_000);

  it('voids the label in Karrio when a packed order is cancelled', async () => {
    const { orderId, fulfillment } = await packedOrder('K-VOID', [PARCEL]);
    expect((await shipmentsOf(fulfillment.id)).map((s) => s.status === 'cancelled')).toEqual([false]);
    const exceptions = client(stack, await stack.key('exceptions'));
    const cancelled = await exceptions.post(`/v1/orders/${orderId}/cancel`, { reason: 'customer changed their mind' });
    expect(cancelled.status, cancelled.text).toBe(200);
    const statuses = await eventually(
      async () => (await karrio.rest<{ results: { reference: string; status: string }[] }>('GET', `/v1/shipments?reference=${fulfillment.id}`)).results.map((s) => s.status),
      (s) => s.length === 1 && s[0] === 'cancelled',
      'the shipment cancelled in Karrio',
      60_000,
    );
    expect(statuses).toEqual(['cancelled']);
    await eventually(async () => (await ops.get(`/v1/fulfillments/${fulfillment.id}`)).body.labels?.[0]?.voided, (v) => v === true, 'the label voided', 60_000);
  }, 180_000);

  it('buys once when the worker died between Karrio\'s answer and Fulcrum\'s record of it: the retry finds the shipment by its reference', async () => {
    const labels = createLabelsRepository(stack.db);
    let crashes = 1;
    const crashingLabels = { ...labels, save: async (...args: Parameters<typeof labels.save>) => (crashes-- > 0 ? Promise.reject(new Error('worker killed')) : labels.save(...args)) };
    const { buyShippingLabel } = createLabelActivities({
      labels: crashingLabels,
      network: createNetworkRepository(stack.db),
      routing: createRoutingRepository(stack.db),
      markets: createMarketsRepository(stack.db),
      metrics: createBusinessMetrics(),
      gateways: createCarrierGateways(loadCarrierGatewayConfig(process.env)),
    });
    const input = {
      orderId: 'ord_k_retry',
      fulfillmentId: 'ful_k_retry',
      locationId: 'WH-K',
      serviceLevel: 'standard' as const,
      shipTo: { line1: '233 S Wacker Dr', city: 'Chicago', region: 'IL', postalCode: '60606', country: 'US' },
      recipient: 'Ada',
      packages: [PARCEL],
    };
    await expect(buyShippingLabel(input)).rejects.toThrow('worker killed');
    const bought = await shipmentsOf('ful_k_retry');
    expect(bought).toHaveLength(1);
    const retried = await buyShippingLabel(input);
    expect(retried).toMatchObject({ gateway: 'karrio', trackingNumber: bought[0]!.tracking_number, shipmentId: bought[0]!.id });
    expect(await shipmentsOf('ful_k_retry')).toHaveLength(1);
  }, 120_000);

  it('tells the associate why when Karrio hangs, flags the order for ops, and packs once Karrio answers again', async () => {
    const { order, fulfillmentId } = await pickedOrder('K-DOWN');
    karrio.pause();
    try {
      const refused = await ops.post(`/v1/fulfillments/${fulfillmentId}/pack`, { packages: [PARCEL] });
      expect(refused.status, refused.text).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('60');
      expect(refused.body.detail).toMatch(/carrier gateway did not answer after three tries: Karrio at 127\.0\.0\.1:\d+ did not answer POST \/v1\/proxy\/rates/);
    } finally {
      karrio.resume();
    }
    const flagged = await eventually(async () => (await ops.get(`/v1/orders/${order.body.id}`)).body, (o) => o.needsAttention !== undefined, 'the order flagged', 60_000);
    expect(flagged.needsAttention).toMatchObject({ activity: 'buyShippingLabel' });
    const fulfillment = (await ops.get(`/v1/fulfillments/${fulfillmentId}`)).body;
    expect(fulfillment.status).toBe('picking');
    expect(fulfillment.events.map((e: { type: string }) => e.type)).toContain('fulfillment.needs_attention');
    const packed = await ops.post(`/v1/fulfillments/${fulfillmentId}/pack`, { packages: [PARCEL] });
    expect(packed.status, packed.text).toBe(200);
    expect(packed.body.labels[0]).toMatchObject({ gateway: 'karrio' });
    await recordHistories(stack, { 'fulfillment-label-gateway-down': `fulfillment-${fulfillmentId}` });
  }, 180_000);

  it('refreshes a market\'s rate cards from Karrio\'s live rates, lane by lane, as a new market version', async () => {
    expect((await ops.put('/v1/markets/midwest', { name: 'Midwest', countries: ['US'], currency: 'USD', timezone: 'America/Chicago' })).status).toBe(200);
    const milwaukee = { name: 'Fulcrum Milwaukee', line1: '700 N Water St', city: 'Milwaukee', region: 'WI', postalCode: '53202', country: 'US' };
    for (const [id, body] of [['MW-CHI', { ...locationBody(41.88, -87.63, { marketId: 'midwest' }), address: ADDRESS }], ['MW-MKE', { ...locationBody(43.04, -87.91, { marketId: 'midwest' }), address: milwaukee }]] as const) {
      expect((await ops.put(`/v1/locations/${id}`, body)).status).toBeLessThan(300);
    }
    // ParcelCo raised its ground price: Karrio now charges $9.99 a parcel.
    await setRate(karrio, 'ParcelCo', 'ground', 9.99);
    const refreshed = await ops.post('/v1/markets/midwest/rate-cards/refresh', {});
    expect(refreshed.status, refreshed.text).toBe(200);
    // Chicago–Milwaukee is about 130 km: the 50–300 km zone of every card, at every tier's weight.
    expect(refreshed.body).toMatchObject({ marketId: 'midwest', version: 2, lanes: 2 });
    expect(refreshed.body.changes).toContainEqual(expect.objectContaining({ carrier: 'ParcelCo', service: 'ground', maxKm: 300, maxGrams: 500, to: 999 }));
    const market = (await ops.get('/v1/markets/midwest')).body;
    const ground = market.carrierServices.find((c: { carrier: string; service: string }) => c.carrier === 'ParcelCo' && c.service === 'ground');
    // Karrio's generic carrier takes parcels under its 30 kg limit: the 30 kg tier got no rate and keeps the card's.
    const zone = ground.zones.find((z: { maxKm: number }) => z.maxKm === 300).rates.map((r: { amount: number }) => r.amount);
    expect(zone.slice(0, 6)).toEqual([999, 999, 999, 999, 999, 999]);
    expect(zone[6]).not.toBe(999);
    // The zone no lane reached keeps the card's price.
    expect(ground.zones.find((z: { maxKm: number }) => z.maxKm === 50).rates[0].amount).not.toBe(999);
  }, 180_000);
});
