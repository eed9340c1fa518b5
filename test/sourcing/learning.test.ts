// Routing that learns (domain/sourcing/learning.ts and the engine's `reliability` criterion):
// outcomes read from fulfillments, smoothed towards the network so few orders say little, and
// the engine preferring the location likely to go well and promising on learned transit days.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CARRIER_SERVICES } from '../../domain/shipping/carrier-services.ts';
import { planSourcing, type EngineInput, type EngineLocation } from '../../domain/sourcing/index.ts';
import { learnedOf, networkPriors, outcomeOf, smoothRate, summarizeLocation, summarizeNetwork, zoneOf, type FulfillmentOutcome, type FulfillmentRecord } from '../../domain/sourcing/learning.ts';
import { DEFAULT_PROFILE, RoutingProfileInput, type RoutingProfileBody } from '../../domain/sourcing/profile.ts';

const NOW = new Date('2026-11-27T16:00:00Z');
const record = (over: Partial<FulfillmentRecord> = {}): FulfillmentRecord => ({
  locationId: 'A',
  status: 'delivered',
  events: [
    { at: '2026-11-20T15:00:00Z', type: 'fulfillment.shipped' },
    { at: '2026-11-23T15:00:00Z', type: 'fulfillment.delivered', detail: { carrierTime: '2026-11-23T14:00:00Z' } },
  ],
  lines: [{ short: 0 }],
  carrier: 'ParcelCo',
  timezone: 'America/Chicago',
  promised: '2026-11-24',
  distanceKm: 120,
  tableTransitDays: 2,
  ...over,
});
const outcome = (over: Partial<FulfillmentOutcome> = {}): FulfillmentOutcome => ({ locationId: 'A', carrier: 'ParcelCo', zone: 'regional', onTime: true, complete: true, shortPicked: false, rejected: false, missedPickSla: false, transitDays: 2, tableTransitDays: 2, ...over });

describe('outcomes', () => {
  it('reads on time, transit days and the zone from a delivered fulfillment', () => {
    expect(outcomeOf(record(), NOW)).toEqual(outcome({ transitDays: 3 }));
    expect(outcomeOf(record({ promised: '2026-11-22' }), NOW).onTime).toBe(false);
    expect(zoneOf(10)).toBe('local');
    expect(zoneOf(2000)).toBe('far');
  });

  it('knows a fulfillment is late once its promised day has passed undelivered, and not before', () => {
    const inTransit = record({ status: 'in_transit', events: [{ at: '2026-11-20T15:00:00Z', type: 'fulfillment.shipped' }] });
    expect(outcomeOf(inTransit, NOW).onTime).toBe(false);
    expect(outcomeOf({ ...inTransit, promised: '2026-11-30' }, NOW).onTime).toBeNull();
  });

  it('counts short picks, rejections and missed pick SLAs; a cancellation says nothing of time', () => {
    expect(outcomeOf(record({ lines: [{ short: 1 }] }), NOW)).toMatchObject({ shortPicked: true, complete: false });
    expect(outcomeOf(record({ status: 'rejected', events: [] }), NOW)).toMatchObject({ rejected: true, complete: false, onTime: null });
    // Not picked yet: neither complete nor not.
    expect(outcomeOf(record({ status: 'pending', events: [], promised: '2026-11-30' }), NOW)).toMatchObject({ complete: null, onTime: null });
    expect(outcomeOf(record({ events: [...record().events, { at: '2026-11-20T20:00:00Z', type: 'fulfillment.sla_escalated' }] }), NOW).missedPickSla).toBe(true);
    expect(outcomeOf(record({ status: 'cancelled', events: [] }), NOW).onTime).toBeNull();
  });
});

describe('smoothing', () => {
  it('is a Beta posterior: two bad orders move a new store a little, two hundred a lot', () => {
    expect(smoothRate(0, 2, 0.9).smoothed).toBeCloseTo(9 / 12, 9);
    expect(smoothRate(0, 200, 0.9).smoothed).toBeCloseTo(9 / 210, 9);
    expect(smoothRate(0, 0, 0.9)).toEqual({ trials: 0, count: 0, observed: null, smoothed: 0.9 });
  });

  it('sums per location and per carrier × zone, transit days pulled towards the table', () => {
    const outcomes = [
      ...Array.from({ length: 6 }, () => outcome({ transitDays: 4 })),
      outcome({ shortPicked: true, complete: false, onTime: true }),
      outcome({ locationId: 'B' }),
      outcome({ locationId: 'B', onTime: null, complete: null }),
    ];
    const { priors, locations } = summarizeNetwork(['A', 'B', 'NEW'], outcomes);
    // 7 of 8 picked complete, pulled towards 0.95 with the weight of 20.
    expect(priors.complete).toBeCloseTo((7 + 0.95 * 20) / 28, 9);
    const [a, b, fresh] = locations;
    expect(a!.complete).toMatchObject({ trials: 7, count: 6 });
    expect(a!.shortPicks).toMatchObject({ trials: 7, count: 1 });
    expect(a!.reliability).toBeCloseTo(a!.complete.smoothed * (1 - a!.missedPickSla.smoothed) * a!.onTime.smoothed, 12);
    expect(a!.byCarrierZone).toEqual([expect.objectContaining({ carrier: 'ParcelCo', zone: 'regional', shipments: 7 })]);
    // Six shipments took 4 days and one 2; the table's 2 counts as three more.
    expect(a!.byCarrierZone[0]!.transitDays.smoothed).toBeCloseTo((6 * 4 + 2 + 3 * 2) / 10, 9);
    expect(b!.complete.trials).toBe(1);
    expect(fresh).toMatchObject({ fulfillments: 0, complete: { trials: 0, smoothed: priors.complete } });
    expect(learnedOf(a!).transitDays['ParcelCo|regional']).toBeCloseTo(3.2, 9);
    expect(summarizeLocation('A', [], networkPriors([])).complete.smoothed).toBe(0.95);
  });

  it('does not let a few early failures of a young network set everyone’s prior', () => {
    const rejected = Array.from({ length: 4 }, () => outcome({ rejected: true, complete: false, onTime: null }));
    const { priors, locations } = summarizeNetwork(['A', 'B'], rejected);
    expect(priors.complete).toBeCloseTo((0.95 * 20) / 24, 9);
    expect(locations[0]!.reliability).toBeLessThan(locations[1]!.reliability);
    expect(locations[1]!.reliability).toBeGreaterThan(0.6);
  });
});

describe('the engine', () => {
  const dest = { lat: 41.8789, lon: -87.6359 };
  const caps = { ship: true, pickup: true, curbside: true, sameDay: true, returns: true };
  const loc = (id: string, extra: Partial<EngineLocation>): EngineLocation => ({ id, type: 'store', active: true, geo: { lat: 41.9, lon: -87.65 }, timezone: 'America/Chicago', capabilities: caps, dailyOrderCapacity: null, todayLoad: 0, handlingCost: 200, priority: 0, allowedForChannel: true, ...extra });
  const input = (locations: EngineLocation[], weights: RoutingProfileBody['weights']): EngineInput => ({
    order: { method: 'ship', serviceLevel: 'standard', destination: dest, lines: [{ lineId: '1', sku: 'X', quantity: 1, weightGrams: 500 }] },
    locations,
    stock: new Map(locations.map((l) => [l.id, new Map([['X', 5]])])),
    now: NOW,
    profile: { ...DEFAULT_PROFILE, ...RoutingProfileInput.parse({ name: 't', weights }) },
    carrierServices: DEFAULT_CARRIER_SERVICES,
    excludedLocationIds: [],
  });
  const cheapButShaky = loc('CHEAP', { handlingCost: 150, learned: { reliability: 0.55, transitDays: {} } });
  const dependable = loc('GOOD', { handlingCost: 180, geo: { lat: 41.91, lon: -87.66 }, learned: { reliability: 0.97, transitDays: {} } });

  it('weighs reliability when the profile does, and says so', () => {
    expect(planSourcing(input([cheapButShaky, dependable], { cost: 1 })).fulfillments[0]!.locationId).toBe('CHEAP');
    const learning = planSourcing(input([cheapButShaky, dependable], { cost: 1, reliability: 2 }));
    expect(learning.fulfillments[0]!.locationId).toBe('GOOD');
    expect(learning.explanation.chosen).toContain('97% likely on time and complete');
    expect(learning.explanation.chosen).toContain('next best 55%');
    expect(learning.explanation.plansConsidered[0]!.criteria.reliability).toBeCloseTo(0.03, 9);
    expect(learning.explanation.candidates).toContainEqual(expect.objectContaining({ locationId: 'CHEAP', reliability: 0.55 }));
  });

  it('promises on learned transit days instead of the table’s', () => {
    const table = planSourcing(input([loc('S', {})], { cost: 1 })).fulfillments[0]!;
    const slow = planSourcing(input([loc('S', { learned: { reliability: 0.9, transitDays: { [`${table.carrier}|local`]: 3.4 } } })], { cost: 1, reliability: 1 })).fulfillments[0]!;
    expect(Date.parse(slow.estimatedDelivery) - Date.parse(table.estimatedDelivery)).toBeGreaterThanOrEqual(2 * 86_400_000);
  });
});
