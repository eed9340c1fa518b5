// CO₂e in routing (domain/shipping/emissions.ts and the engine): each planned fulfillment's
// estimate, the `co2` criterion, and the cost–date–CO₂e frontier in every explanation.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CARRIER_SERVICES } from '../../domain/shipping/carrier-services.ts';
import { CUSTOMER_CAR_GRAMS_PER_KM, DETOUR_FACTOR, LAST_MILE, LINE_HAUL, pickupCo2e, shipmentCo2e } from '../../domain/shipping/emissions.ts';
import { planSourcing, type EngineInput, type EngineLocation } from '../../domain/sourcing/index.ts';
import { DEFAULT_PROFILE, RoutingProfileInput, type RoutingProfileBody } from '../../domain/sourcing/profile.ts';

describe('the emissions model', () => {
  it('counts line haul as tonne-km × intensity over the road distance, plus the last mile per parcel', () => {
    expect(shipmentCo2e('ParcelCo', 'ground', 1000, 100)).toBe(Math.round(0.001 * 100 * DETOUR_FACTOR * LINE_HAUL.parcel_road + LAST_MILE.diesel_van));
    expect(shipmentCo2e('PostalService', 'priority', 1000, 100)).toBe(Math.round(0.001 * 100 * DETOUR_FACTOR * LINE_HAUL.parcel_road + LAST_MILE.electric_van));
    expect(shipmentCo2e('CityCourier', 'same_day', 1000, 10)).toBe(Math.round(0.001 * 10 * DETOUR_FACTOR * LINE_HAUL.courier_van + LAST_MILE.cargo_bike));
  });

  it('flies express beyond its air distance', () => {
    expect(shipmentCo2e('ParcelCo', 'express', 2000, 400)).toBe(Math.round(0.002 * 400 * DETOUR_FACTOR * LINE_HAUL.parcel_road + LAST_MILE.diesel_van));
    expect(shipmentCo2e('ParcelCo', 'express', 2000, 1200)).toBe(Math.round(0.002 * 1200 * DETOUR_FACTOR * LINE_HAUL.air + LAST_MILE.diesel_van));
  });

  it('counts a pickup customer’s round trip only when asked, and a transfer’s truck leg', () => {
    expect(pickupCo2e({ weightGrams: 1000, customerKm: 5, countCustomerTrip: false })).toBe(0);
    expect(pickupCo2e({ weightGrams: 1000, customerKm: 5, countCustomerTrip: true })).toBe(Math.round(2 * 5 * DETOUR_FACTOR * CUSTOMER_CAR_GRAMS_PER_KM));
    expect(pickupCo2e({ weightGrams: 10_000, transferKm: 30, countCustomerTrip: false })).toBe(Math.round(0.01 * 30 * DETOUR_FACTOR * LINE_HAUL.transfer_truck));
  });
});

describe('CO₂e in routing', () => {
  const dest = { lat: 41.8789, lon: -87.6359 };
  const caps = { ship: true, pickup: true, curbside: true, sameDay: true, returns: true };
  const loc = (id: string, geo: { lat: number; lon: number }, handlingCost: number): EngineLocation => ({ id, type: 'warehouse', active: true, geo, timezone: 'America/Chicago', capabilities: caps, dailyOrderCapacity: null, todayLoad: 0, handlingCost, priority: 0, allowedForChannel: true });
  // Near the customer, shipped by ParcelCo ground with a diesel van; 660 km away (Kansas City),
  // where the cheapest service is PostalService's with an electric last mile.
  const near = loc('NEAR', { lat: 41.9, lon: -87.65 }, 500);
  const far = loc('FAR', { lat: 39.1, lon: -94.58 }, 300);
  const input = (weights: RoutingProfileBody['weights'], locations = [near, far]): EngineInput => ({
    order: { method: 'ship', serviceLevel: 'standard', destination: dest, lines: [{ lineId: '1', sku: 'X', quantity: 1, weightGrams: 1000 }] },
    locations,
    stock: new Map(locations.map((l) => [l.id, new Map([['X', 5]])])),
    now: new Date('2026-11-27T16:00:00Z'),
    profile: { ...DEFAULT_PROFILE, ...RoutingProfileInput.parse({ name: 't', weights }) },
    carrierServices: DEFAULT_CARRIER_SERVICES,
    excludedLocationIds: [],
  });

  it('estimates each planned fulfillment, and a profile weighing co2 takes the cleaner plan', () => {
    const cheapest = planSourcing(input({ cost: 1 }));
    const [f] = cheapest.fulfillments;
    expect(f).toMatchObject({ locationId: 'NEAR', carrier: 'ParcelCo', service: 'ground' });
    expect(f!.co2eGrams).toBe(shipmentCo2e('ParcelCo', 'ground', 1000, f!.distanceKm!));
    // The electric last mile outweighs 660 km more of truck.
    const cleaner = planSourcing(input({ cost: 1, co2: 2 })).fulfillments[0]!;
    expect(cleaner).toMatchObject({ locationId: 'FAR', carrier: 'PostalService' });
    expect(cleaner.co2eGrams).toBe(shipmentCo2e('PostalService', 'priority', 1000, cleaner.distanceKm!));
    expect(cleaner.co2eGrams).toBeLessThan(f!.co2eGrams);
    expect(planSourcing(input({ cost: 1, co2: 2 })).explanation.plansConsidered.map((p) => p.criteria.co2).sort((a, b) => a - b)).toEqual([cleaner.co2eGrams, f!.co2eGrams]);
  });

  it('shows the cost–date–CO₂e frontier with the chosen plan marked, and what it gives up', () => {
    const plan = planSourcing(input({ cost: 1, co2: 2 }));
    const { tradeoffs, chosen } = plan.explanation;
    expect(tradeoffs.map((t) => [t.locations, t.chosen])).toEqual([[['NEAR'], false], [['FAR'], true]]);
    const [cheapFast, clean] = tradeoffs;
    expect(cheapFast!.cost).toBeLessThan(clean!.cost);
    expect(cheapFast!.deliveryBy < clean!.deliveryBy).toBe(true);
    expect(clean!.co2eGrams).toBeLessThan(cheapFast!.co2eGrams);
    expect(chosen).toContain(`the cheapest costs ${cheapFast!.cost}`);
    expect(chosen).toContain(`the fastest arrives ${cheapFast!.deliveryBy}`);
    expect(chosen).toContain(`${(clean!.co2eGrams / 1000).toFixed(2)} kg CO₂e, by ${clean!.deliveryBy}`);
  });

  it('leaves dominated plans off the frontier', () => {
    // A third location as dear as NEAR and as far as FAR: worse on everything.
    const worse = loc('WORSE', { lat: 39.1, lon: -94.6 }, 900);
    const plan = planSourcing(input({ cost: 1, distance: 1 }, [near, far, worse]));
    expect(plan.explanation.tradeoffs.flatMap((t) => t.locations)).not.toContain('WORSE');
  });
});
