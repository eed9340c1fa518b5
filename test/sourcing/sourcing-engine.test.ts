import { describe, expect, it } from 'vitest';
import { DEFAULT_CARRIER_SERVICES, quote, rateShop } from '../../domain/shipping/carrier-services.ts';
import { daysUntilOpen, estimatedDelivery } from '../../domain/shipping/local-time.ts';
import { planSourcing, type EngineInput, type EngineLocation } from '../../domain/sourcing/index.ts';
import { chooseProfileFor, type RoutingRule } from '../../domain/sourcing/profile-rules.ts';
import { chooseProfile, DEFAULT_PROFILE, RoutingProfileInput, type RoutingProfile, type RoutingProfileBody } from '../../domain/sourcing/profile.ts';

const loop = { lat: 41.8789, lon: -87.6359 };
const allCaps = { ship: true, pickup: true, curbside: true, sameDay: true, returns: true };
// 10:00 in Chicago (16:00 UTC in November).
const MORNING = new Date('2026-11-27T16:00:00Z');

function loc(id: string, lat: number, lon: number, extra: Partial<EngineLocation> = {}): EngineLocation {
  return {
    id, type: 'warehouse', active: true, geo: { lat, lon }, timezone: 'America/Chicago', capabilities: allCaps,
    dailyOrderCapacity: null, todayLoad: 0, handlingCost: 200, priority: 0, allowedForChannel: true, ...extra,
  };
}

function profile(overrides: Partial<RoutingProfileBody> = {}): RoutingProfile {
  return { ...DEFAULT_PROFILE, ...RoutingProfileInput.parse({ name: 'test', ...overrides }) };
}

function stock(entries: Record<string, Record<string, number>>) {
  return new Map(Object.entries(entries).map(([id, skus]) => [id, new Map(Object.entries(skus))]));
}

function input(overrides: Partial<EngineInput> & Pick<EngineInput, 'locations' | 'stock'>): EngineInput {
  return {
    order: { method: 'ship', serviceLevel: 'standard', destination: loop, lines: [{ lineId: '1', sku: 'A', quantity: 1, weightGrams: 500 }] },
    now: MORNING,
    profile: profile(),
    carrierServices: DEFAULT_CARRIER_SERVICES,
    excludedLocationIds: [],
    ...overrides,
  };
}

const near = loc('NEAR', 41.88, -87.64);
const far = loc('FAR', 40.7, -74.0); // New York: a long way from Chicago

function excludedReason(plan: ReturnType<typeof planSourcing>, id: string) {
  const c = plan.explanation.candidates.find((x) => x.locationId === id);
  return c && 'excluded' in c ? c.excluded : undefined;
}

describe('shipping model', () => {
  it('prices by distance zone and weight tier, and rate-shops the cheapest service fast enough', () => {
    const ground = DEFAULT_CARRIER_SERVICES[0]!;
    expect(quote(ground, 10, 400)).toMatchObject({ amount: 618, transitDays: 1 });
    expect(quote(ground, 10, 600)).toMatchObject({ amount: 640 });
    expect(quote(ground, 400, 400)).toMatchObject({ transitDays: 3 });
    expect(quote(ground, 10, 40_000)).toBeUndefined();
    expect(rateShop(DEFAULT_CARRIER_SERVICES, 'standard', 10, 400)).toMatchObject({ carrier: 'ParcelCo', service: 'ground' });
    // A faster service keeps a slower promise: across town the courier is cheaper than express.
    expect(rateShop(DEFAULT_CARRIER_SERVICES, 'express', 10, 400)).toMatchObject({ service: 'same_day', amount: 1025 });
    expect(rateShop(DEFAULT_CARRIER_SERVICES, 'express', 100, 400)).toMatchObject({ service: 'express', amount: 1555 });
    expect(rateShop(DEFAULT_CARRIER_SERVICES, 'same_day', 100, 400)).toBeUndefined();
  });

  it('ships today before the cut-off and tomorrow after it', () => {
    expect(estimatedDelivery(MORNING, 'America/Chicago', 17, 2)).toBe('2026-11-29');
    expect(estimatedDelivery(new Date('2026-11-27T23:30:00Z'), 'America/Chicago', 17, 2)).toBe('2026-11-30');
  });
});

describe('exclusion rules', () => {
  it('names the reason each location was excluded', () => {
    const plan = planSourcing(
      input({
        locations: [
          loc('OFF', 41.9, -87.6, { active: false }),
          loc('OTHER-CHANNEL', 41.9, -87.6, { allowedForChannel: false }),
          loc('NO-SHIP', 41.9, -87.6, { capabilities: { ...allCaps, ship: false } }),
          loc('FULL', 41.9, -87.6, { dailyOrderCapacity: 50, todayLoad: 50 }),
          loc('RULED-OUT', 41.9, -87.6),
          loc('EMPTY', 41.9, -87.6),
          near,
        ],
        stock: stock({ OFF: { A: 5 }, 'OTHER-CHANNEL': { A: 5 }, 'NO-SHIP': { A: 5 }, FULL: { A: 5 }, 'RULED-OUT': { A: 5 }, NEAR: { A: 5 } }),
        excludedLocationIds: ['RULED-OUT'],
      }),
    );
    expect(excludedReason(plan, 'OFF')).toBe('location inactive');
    expect(excludedReason(plan, 'OTHER-CHANNEL')).toBe('not allocated to this channel');
    expect(excludedReason(plan, 'NO-SHIP')).toBe('no ship capability');
    expect(excludedReason(plan, 'FULL')).toBe('daily capacity reached (50 of 50)');
    expect(excludedReason(plan, 'RULED-OUT')).toBe('excluded for this order');
    expect(excludedReason(plan, 'EMPTY')).toBe('no stock for any line');
    expect(plan.fulfillments.map((f) => f.locationId)).toEqual(['NEAR']);
  });

  it('stops using a location once it reaches its capacity mid-day', () => {
    const locations = [loc('STORE', 41.88, -87.64, { dailyOrderCapacity: 10, todayLoad: 9 }), far];
    const s = stock({ STORE: { A: 5 }, FAR: { A: 5 } });
    expect(planSourcing(input({ locations, stock: s })).fulfillments[0]!.locationId).toBe('STORE');
    const later = planSourcing(input({ locations: [{ ...locations[0]!, todayLoad: 10 }, far], stock: s }));
    expect(later.fulfillments[0]!.locationId).toBe('FAR');
  });

  it('keeps a distance limit', () => {
    const plan = planSourcing(input({ locations: [far], stock: stock({ FAR: { A: 5 } }), profile: profile({ exclusions: { maxDistanceKm: 500 } }) }));
    expect(excludedReason(plan, 'FAR')).toMatch(/^beyond the profile's 500 km limit/);
    expect(plan.backordered).toEqual([{ lineId: '1', sku: 'A', quantity: 1 }]);
  });

  it('sells only store stock above the protection threshold', () => {
    const store = loc('STORE', 41.88, -87.64, { type: 'store' });
    const p = profile({ exclusions: { storeProtectionUnits: 2 } });
    const two = planSourcing(input({ locations: [store], stock: stock({ STORE: { A: 2 } }), profile: p }));
    expect(excludedReason(two, 'STORE')).toBe("no stock above the store's protected 2 units");
    const three = planSourcing(input({ locations: [store], stock: stock({ STORE: { A: 3 } }), profile: p }));
    expect(three.fulfillments).toHaveLength(1);
  });

  it('offers same day only within a courier radius and before the cut-off', () => {
    const order = { method: 'same_day' as const, serviceLevel: 'same_day' as const, destination: loop, lines: [{ lineId: '1', sku: 'A', quantity: 1, weightGrams: 500 }] };
    const s = stock({ NEAR: { A: 1 }, FAR: { A: 1 } });
    const morning = planSourcing(input({ order, locations: [near, far], stock: s }));
    expect(morning.fulfillments[0]).toMatchObject({ locationId: 'NEAR', carrier: 'CityCourier', estimatedDelivery: '2026-11-27' });
    expect(excludedReason(morning, 'FAR')).toBe('outside every same-day courier radius');
    const afternoon = planSourcing(input({ order, locations: [near], stock: s, now: new Date('2026-11-27T21:00:00Z') }));
    expect(excludedReason(afternoon, 'NEAR')).toBe('same-day cut-off passed (14:00 local)');
    expect(afternoon.fulfillments).toEqual([]);
  });
});

describe('criteria', () => {
  const s = stock({ NEAR: { A: 5 }, MID: { A: 5 } });
  const mid = loc('MID', 42.3, -88.0, { handlingCost: 50, priority: 9, dailyOrderCapacity: 100, todayLoad: 0 });
  const busyNear = { ...near, dailyOrderCapacity: 100, todayLoad: 90 };

  it('picks the cheapest plan under the cost criterion', () => {
    // NEAR (~1 km): ground 595 + 45 × 0.5 kg = 618, plus handling 200 = 818.
    // MID (~55 km): postal priority 695 + 40 × 0.5 = 715, plus handling 50 = 765.
    const plan = planSourcing(input({ locations: [busyNear, mid], stock: s }));
    expect(plan.fulfillments[0]!.locationId).toBe('MID');
    expect(plan.totalCost).toBe(765);
    expect(plan.explanation.plansConsidered.map((p) => p.cost)).toEqual([765, 818]);
  });

  it('picks the nearest under the distance criterion', () => {
    const plan = planSourcing(input({ locations: [busyNear, mid], stock: s, profile: profile({ weights: { distance: 1 } }) }));
    expect(plan.fulfillments[0]!.locationId).toBe('NEAR');
  });

  it('picks the highest priority, the least busy, and the deepest stock when told to', () => {
    const pri = planSourcing(input({ locations: [busyNear, mid], stock: s, profile: profile({ weights: { priority: 1 } }) }));
    expect(pri.fulfillments[0]!.locationId).toBe('MID');
    const work = planSourcing(input({ locations: [busyNear, mid], stock: s, profile: profile({ weights: { workload: 1 } }) }));
    expect(work.fulfillments[0]!.locationId).toBe('MID');
    const depth = planSourcing(input({ locations: [busyNear, mid], stock: stock({ NEAR: { A: 50 }, MID: { A: 2 } }), profile: profile({ weights: { stockDepth: 1 } }) }));
    expect(depth.fulfillments[0]!.locationId).toBe('NEAR');
  });

  it('prefers a plan that keeps the delivery promise under the promise criterion', () => {
    const order = { method: 'ship' as const, serviceLevel: 'express' as const, destination: loop, lines: [{ lineId: '1', sku: 'A', quantity: 1, weightGrams: 500 }] };
    const plan = planSourcing(input({ order, locations: [far, near], stock: stock({ FAR: { A: 1 }, NEAR: { A: 1 } }), profile: profile({ weights: { promise: 1 } }) }));
    expect(plan.fulfillments[0]!.locationId).toBe('NEAR');
    expect(plan.explanation.plansConsidered.find((p) => p.locations[0] === 'NEAR')!.criteria.promise).toBe(0);
  });

  it('breaks exact ties by location id', () => {
    const a = loc('A-SIDE', 41.88, -87.64);
    const b = loc('B-SIDE', 41.88, -87.64);
    const plan = planSourcing(input({ locations: [b, a], stock: stock({ 'A-SIDE': { A: 1 }, 'B-SIDE': { A: 1 } }) }));
    expect(plan.fulfillments[0]!.locationId).toBe('A-SIDE');
  });
});

describe('splits', () => {
  const order = {
    method: 'ship' as const,
    serviceLevel: 'standard' as const,
    destination: loop,
    lines: [
      { lineId: '1', sku: 'A', quantity: 2, weightGrams: 500 },
      { lineId: '2', sku: 'B', quantity: 1, weightGrams: 500 },
    ],
  };
  const s = stock({ NEAR: { A: 2 }, MID: { B: 1 }, FARAWAY: { A: 2, B: 1 } });
  const mid = loc('MID', 41.9, -87.7);
  // One shipment of 1.5 kg from New York: postal 845 + 95 × 2 = 1035, handling 1500: 2535.
  // Split: NEAR 1 kg ground 640 + 200, MID 0.5 kg ground 618 + 200 = 1658, plus the penalty.
  const faraway = loc('FARAWAY', 40.7, -74.0, { handlingCost: 1500 });

  it('splits when that is cheaper than one distant location, and says why', () => {
    const plan = planSourcing(input({ order, locations: [near, mid, faraway], stock: s, profile: profile({ splitPenalty: 100 }) }));
    expect(plan.totalCost).toBe(1758);
    expect(plan.fulfillments.map((f) => f.locationId)).toEqual(['MID', 'NEAR']);
    expect(plan.explanation.chosen).toMatch(/^MID \+ NEAR fills the whole order/);
    expect(plan.backordered).toEqual([]);
  });

  it('keeps one shipment when the split penalty outweighs the saving', () => {
    const plan = planSourcing(input({ order, locations: [near, mid, faraway], stock: s, profile: profile({ splitPenalty: 5000 }) }));
    expect(plan.fulfillments.map((f) => f.locationId)).toEqual(['FARAWAY']);
    expect(plan.totalCost).toBe(2535);
  });

  it('never splits beyond maxSplits, backordering what no allowed plan fills', () => {
    const s2 = stock({ NEAR: { A: 2 }, MID: { B: 1 } });
    const partial = planSourcing(input({ order, locations: [near, mid], stock: s2, profile: profile({ maxSplits: 0, allowPartialFill: true }) }));
    expect(partial.fulfillments).toHaveLength(1);
    expect(partial.fulfillments[0]!.locationId).toBe('NEAR');
    expect(partial.backordered).toEqual([{ lineId: '2', sku: 'B', quantity: 1 }]);
    const whole = planSourcing(input({ order, locations: [near, mid], stock: s2, profile: profile({ maxSplits: 0 }) }));
    expect(whole.fulfillments).toEqual([]);
    expect(whole.backordered).toHaveLength(2);
    expect(whole.explanation.chosen).toMatch(/does not ship partial orders/);
  });

  it('splits one line across locations when no single location has enough', () => {
    const one = { ...order, lines: [{ lineId: '1', sku: 'A', quantity: 4, weightGrams: 500 }] };
    const plan = planSourcing(input({ order: one, locations: [near, mid], stock: stock({ NEAR: { A: 2 }, MID: { A: 3 } }) }));
    const units = plan.fulfillments.flatMap((f) => f.lines).reduce((sum, l) => sum + l.quantity, 0);
    expect(units).toBe(4);
    expect(plan.fulfillments).toHaveLength(2);
  });
});

describe('pickup', () => {
  const store = loc('STORE', 41.88, -87.63, { type: 'store' });
  const order = { method: 'pickup' as const, serviceLevel: 'standard' as const, pickupLocationId: 'STORE', lines: [{ lineId: '1', sku: 'A', quantity: 1, weightGrams: 500 }] };

  it('routes to the pickup store, ready today', () => {
    const plan = planSourcing(input({ order, locations: [store, near], stock: stock({ STORE: { A: 1 }, NEAR: { A: 5 } }) }));
    expect(plan.fulfillments).toEqual([expect.objectContaining({ locationId: 'STORE', method: 'pickup', estimatedDelivery: '2026-11-27' })]);
    expect(excludedReason(plan, 'NEAR')).toBe('not the pickup location');
  });

  it('brings the stock from a nearby location by transfer when the profile allows, ready later', () => {
    const p = profile({ pickupTransfer: { enabled: true, maxDistanceKm: 20, leadDays: 2 } });
    const plan = planSourcing(input({ order, locations: [store, near, far], stock: stock({ NEAR: { A: 5 }, FAR: { A: 5 } }), profile: p }));
    expect(plan.fulfillments).toEqual([
      expect.objectContaining({ locationId: 'STORE', transferFromLocationId: 'NEAR', estimatedDelivery: '2026-11-29' }),
    ]);
    expect(excludedReason(plan, 'FAR')).toMatch(/^too far from the pickup store/);
  });

  it('plans the transfer to arrive when the store is open: lead time, then its next opening', () => {
    // Friday 10:00 in Chicago, one day's lead time, a store closed on Saturdays and open 09:00–18:00 otherwise.
    const hours = [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '18:00' }];
    const closedSaturday = loc('STORE', 41.88, -87.63, { type: 'store', openingHours: hours });
    const p = profile({ pickupTransfer: { enabled: true, maxDistanceKm: 20, leadDays: 1 } });
    const plan = planSourcing(input({ order, locations: [closedSaturday, near], stock: stock({ NEAR: { A: 5 } }), profile: p, now: new Date('2026-11-27T16:00:00Z') }));
    expect(plan.fulfillments[0]).toMatchObject({ transferFromLocationId: 'NEAR', transferExpectedAt: '2026-11-29T15:00:00.000Z', estimatedDelivery: '2026-11-29' });
  });
});

describe('profiles', () => {
  it('choose the most specific profile for a channel and service level', () => {
    const make = (id: string, appliesTo: RoutingProfileBody['appliesTo']) => ({ ...profile({ appliesTo }), id });
    const all = [make('any', {}), make('web', { channels: ['web'] }), make('web-express', { channels: ['web'], serviceLevels: ['express'] }), make('express', { serviceLevels: ['express'] })];
    expect(chooseProfile(all, 'web', 'express').id).toBe('web-express');
    expect(chooseProfile(all, 'web', 'standard').id).toBe('web');
    expect(chooseProfile(all, 'pos', 'express').id).toBe('express');
    expect(chooseProfile(all, 'pos', 'standard').id).toBe('any');
    expect(chooseProfile([], 'pos', 'standard').id).toBe('default');
  });

  it('let rules on segment, order value, channel and level choose first, each condition having to hold', () => {
    const make = (id: string, appliesTo: RoutingProfileBody['appliesTo'] = {}) => ({ ...profile({ appliesTo }), id });
    const all = [make('web', { channels: ['web'] }), make('fast', { channels: ['rules-only'] }), make('green', { channels: ['rules-only'] })];
    const rules: RoutingRule[] = [
      { when: { segment: 'vip', serviceLevels: ['express'] }, profileId: 'fast' },
      { when: { orderValueAtLeast: { amount: 10_000, currency: 'EUR' }, channels: ['app'] }, profileId: 'green' },
      { when: { segment: 'staff' }, profileId: 'gone' },
    ];
    const usd = (amount: number) => ({ amount, currency: 'USD' });
    const eur = (amount: number) => ({ amount, currency: 'EUR' });
    expect(chooseProfileFor(all, rules, { channel: 'web', serviceLevel: 'express', segment: 'vip' }).profile.id).toBe('fast');
    expect(chooseProfileFor(all, rules, { channel: 'web', serviceLevel: 'standard', segment: 'vip' })).toMatchObject({ profile: { id: 'web' }, chosenBy: 'appliesTo (channel and service level)' });
    expect(chooseProfileFor(all, rules, { channel: 'app', serviceLevel: 'standard', orderValue: eur(10_000) })).toMatchObject({ profile: { id: 'green' }, chosenBy: 'rule 2 (order value at least 10000 EUR, channel app)' });
    expect(chooseProfileFor(all, rules, { channel: 'app', serviceLevel: 'standard', orderValue: eur(9_999) }).profile.id).toBe('default');
    expect(chooseProfileFor(all, rules, { channel: 'app', serviceLevel: 'standard', orderValue: usd(50_000) }).profile.id).toBe('default');
    // A rule whose profile is gone is passed over.
    expect(chooseProfileFor(all, rules, { channel: 'web', serviceLevel: 'standard', segment: 'staff' }).profile.id).toBe('web');
    expect(chooseProfileFor([], [], { channel: 'pos', serviceLevel: 'standard' }).chosenBy).toBe('built-in default');
  });
});

describe('opening hours', () => {
  // Friday 27 Nov 2026; stores open Mon–Sat 10:00–20:00, closed Sunday.
  const hours = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], open: '10:00', close: '20:00' }];
  const store = loc('STORE', 41.88, -87.63, { type: 'store', openingHours: hours });
  const pickup = { method: 'pickup' as const, serviceLevel: 'standard' as const, pickupLocationId: 'STORE', lines: [{ lineId: '1', sku: 'A', quantity: 1, weightGrams: 500 }] };
  const saturdayNight = new Date('2026-11-29T03:00:00Z'); // Sat 21:00 in Chicago

  it('knows how many days until a location is open', () => {
    expect(daysUntilOpen(MORNING, 'America/Chicago', hours)).toBe(0);
    expect(daysUntilOpen(saturdayNight, 'America/Chicago', hours)).toBe(2); // Sunday closed → Monday
    expect(daysUntilOpen(saturdayNight, 'America/Chicago', undefined)).toBe(0);
  });

  it('makes a pickup ready when the store next opens', () => {
    const plan = planSourcing(input({ order: pickup, locations: [store], stock: stock({ STORE: { A: 1 } }), now: saturdayNight }));
    expect(plan.fulfillments[0]!.estimatedDelivery).toBe('2026-11-30');
  });

  it('ships from a store only while it is open before the carrier cut-off', () => {
    const early = new Date('2026-11-27T14:00:00Z'); // Fri 08:00, opens at 10:00, ground cut-off 17:00
    const plan = planSourcing(input({ locations: [store], stock: stock({ STORE: { A: 1 } }), now: early }));
    expect(plan.fulfillments[0]).toMatchObject({ service: 'ground', estimatedDelivery: '2026-11-28' });
    const late = planSourcing(input({ locations: [store], stock: stock({ STORE: { A: 1 } }), now: saturdayNight }));
    expect(late.fulfillments[0]!.estimatedDelivery).toBe('2026-12-01'); // leaves Monday, 1 day transit
  });

  it('excludes a store from same day when it opens only after the courier cut-off', () => {
    const order = { method: 'same_day' as const, serviceLevel: 'same_day' as const, destination: loop, lines: [{ lineId: '1', sku: 'A', quantity: 1, weightGrams: 500 }] };
    const lateOpener = loc('LATE', 41.88, -87.64, { openingHours: [{ days: ['fri'], open: '15:00', close: '22:00' }] });
    const plan = planSourcing(input({ order, locations: [lateOpener], stock: stock({ LATE: { A: 1 } }) }));
    expect(excludedReason(plan, 'LATE')).toBe('closed until after the same-day cut-off (14:00 local)');
  });
});
