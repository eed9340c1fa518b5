// The options of a promise, planned in-process: ship options are planned over the stocked
// locations nearest the customer, yet a SKU held only far away still gets its option.
import { describe, expect, it } from 'vitest';
import { promiseOptions, SHIP_CANDIDATES } from '../../domain/promises/options.ts';
import { DEFAULT_CARRIER_SERVICES } from '../../domain/shipping/carrier-services.ts';
import { SourcingEngine, type EngineLocation } from '../../domain/sourcing/index.ts';

const location = (id: string, lat: number, lon: number): EngineLocation => ({
  id,
  type: 'warehouse',
  active: true,
  geo: { lat, lon },
  timezone: 'America/Chicago',
  capabilities: { ship: true, pickup: false, curbside: false, sameDay: false, returns: true },
  dailyOrderCapacity: null,
  todayLoad: 0,
  handlingCost: 150,
  priority: 0,
  allowedForChannel: true,
});

describe('promise options', () => {
  it('offer a SKU stocked only beyond the nearest candidates, from where it is', () => {
    const near = Array.from({ length: SHIP_CANDIDATES + 20 }, (_, i) => location(`NEAR-${i}`, 41.8 + i * 0.001, -87.6));
    const far = location('FAR', 34.05, -118.24);
    const stock = new Map<string, Map<string, number>>([...near.map((l) => [l.id, new Map([['COMMON', 5]])] as const), ['FAR', new Map([['RARE', 1], ['COMMON', 1]])]]);
    const { options } = promiseOptions(new SourcingEngine(), {
      request: { channel: 'web', destination: { line1: '1 Main St', city: 'Chicago', region: 'IL', postalCode: '60606', country: 'US', geo: { lat: 41.88, lon: -87.63 } }, lines: [{ sku: 'RARE', quantity: 1 }, { sku: 'COMMON', quantity: 1 }], serviceLevels: ['standard'] },
      locations: [...near, far],
      stock,
      weights: new Map([['RARE', 500], ['COMMON', 500]]),
      profiles: [],
      rules: [],
      carrierServices: DEFAULT_CARRIER_SERVICES,
      pickMinutes: () => 120,
      now: new Date('2026-12-04T15:00:00Z'),
      currency: 'USD',
    });
    expect(options.map((o) => o.option.id)).toEqual(['ship:standard']);
    expect(options[0]!.option.locationIds).toContain('FAR');
  });
});
