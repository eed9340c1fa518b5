// The shipping model: carriers' services with distance zones × weight tiers, transit days
// and daily cut-offs, as data. Sourcing prices shipments with it, and packing will buy
// labels with it, so a plan's cost and the label's cost come from one place.
import type { ServiceLevel } from '../orders/schemas.ts';

export interface RateTier {
  /** Up to and including this weight. */
  maxGrams: number;
  /** Minor units (cents). */
  amount: number;
}

export interface Zone {
  /** Up to and including this distance from origin to destination. */
  maxKm: number;
  transitDays: number;
  rates: RateTier[];
}

export interface CarrierService {
  carrier: string;
  service: string;
  /** The promise this service keeps: standard ⊂ express ⊂ same_day. */
  level: ServiceLevel;
  currency: string;
  /** Local hour at the origin after which a shipment leaves the next day. */
  cutoffHour: number;
  zones: Zone[];
}

/** Days the customer was promised for each service level. */
export const PROMISE_DAYS: Record<ServiceLevel, number> = { standard: 5, express: 2, same_day: 0 };

const SPEED: Record<ServiceLevel, number> = { standard: 0, express: 1, same_day: 2 };

/** Whether a service is fast enough for the level ordered. */
export function meetsLevel(service: Pick<CarrierService, 'level'>, level: ServiceLevel): boolean {
  return SPEED[service.level] >= SPEED[level];
}

function tiers(base: number, perKg: number, maxKg = 30): RateTier[] {
  const out: RateTier[] = [];
  for (const kg of [0.5, 1, 2, 5, 10, 20, maxKg]) out.push({ maxGrams: kg * 1000, amount: Math.round(base + perKg * kg) });
  return out;
}

/** Built-in demo carriers; deployments replace this list with their contracted rates. */
export const DEFAULT_CARRIER_SERVICES: CarrierService[] = [
  {
    carrier: 'ParcelCo',
    service: 'ground',
    level: 'standard',
    currency: 'USD',
    cutoffHour: 17,
    zones: [
      { maxKm: 50, transitDays: 1, rates: tiers(595, 45) },
      { maxKm: 300, transitDays: 2, rates: tiers(745, 70) },
      { maxKm: 1000, transitDays: 3, rates: tiers(945, 110) },
      { maxKm: 2500, transitDays: 4, rates: tiers(1195, 160) },
      { maxKm: 6000, transitDays: 5, rates: tiers(1495, 220) },
    ],
  },
  {
    carrier: 'ParcelCo',
    service: 'express',
    level: 'express',
    currency: 'USD',
    cutoffHour: 16,
    zones: [
      { maxKm: 300, transitDays: 1, rates: tiers(1495, 120) },
      { maxKm: 1500, transitDays: 2, rates: tiers(1995, 210) },
      { maxKm: 6000, transitDays: 2, rates: tiers(2695, 320) },
    ],
  },
  {
    carrier: 'PostalService',
    service: 'priority',
    level: 'standard',
    currency: 'USD',
    cutoffHour: 15,
    zones: [
      { maxKm: 300, transitDays: 2, rates: tiers(695, 40, 20) },
      { maxKm: 1500, transitDays: 3, rates: tiers(845, 95, 20) },
      { maxKm: 6000, transitDays: 4, rates: tiers(1045, 150, 20) },
    ],
  },
  {
    carrier: 'CityCourier',
    service: 'same_day',
    level: 'same_day',
    currency: 'USD',
    cutoffHour: 14,
    zones: [
      { maxKm: 15, transitDays: 0, rates: tiers(995, 60, 20) },
      { maxKm: 40, transitDays: 0, rates: tiers(1495, 90, 20) },
    ],
  },
];

/**
 * Built-in demo carriers for a euro market (a national parcel post, its express and a city
 * courier, in EUR). Used only by markets in EUR that bring no services of their own: a
 * deployment without markets ships with DEFAULT_CARRIER_SERVICES alone.
 */
export const EUR_DEMO_CARRIER_SERVICES: CarrierService[] = [
  {
    carrier: 'PaketPost',
    service: 'paket',
    level: 'standard',
    currency: 'EUR',
    cutoffHour: 18,
    zones: [
      { maxKm: 100, transitDays: 1, rates: tiers(449, 30) },
      { maxKm: 900, transitDays: 2, rates: tiers(549, 45) },
      { maxKm: 2500, transitDays: 4, rates: tiers(1399, 120) },
    ],
  },
  {
    carrier: 'PaketPost',
    service: 'express',
    level: 'express',
    currency: 'EUR',
    cutoffHour: 16,
    zones: [
      { maxKm: 900, transitDays: 1, rates: tiers(1290, 90) },
      { maxKm: 2500, transitDays: 2, rates: tiers(2490, 180) },
    ],
  },
  {
    carrier: 'StadtKurier',
    service: 'same_day',
    level: 'same_day',
    currency: 'EUR',
    cutoffHour: 14,
    zones: [{ maxKm: 25, transitDays: 0, rates: tiers(890, 50, 20) }],
  },
];

export interface Quote {
  carrier: string;
  service: string;
  level: ServiceLevel;
  amount: number;
  currency: string;
  transitDays: number;
  cutoffHour: number;
}

/** The price and transit of one shipment, or undefined when the service does not go that far or that heavy. */
export function quote(service: CarrierService, distanceKm: number, weightGrams: number): Quote | undefined {
  const zone = service.zones.find((z) => distanceKm <= z.maxKm);
  const tier = zone?.rates.find((t) => weightGrams <= t.maxGrams);
  if (!zone || !tier) return undefined;
  return {
    carrier: service.carrier,
    service: service.service,
    level: service.level,
    amount: tier.amount,
    currency: service.currency,
    transitDays: zone.transitDays,
    cutoffHour: service.cutoffHour,
  };
}

/** The cheapest service fast enough for the level (ties: fewer transit days, then name). */
export function rateShop(
  services: readonly CarrierService[],
  level: ServiceLevel,
  distanceKm: number,
  weightGrams: number,
): Quote | undefined {
  return cheapestQuote(
    services.flatMap((service) => quote(service, distanceKm, weightGrams) ?? []),
    level,
  );
}

/** Of quotes from any gateway, the cheapest fast enough for the level (ties: fewer transit days, then name). */
export function cheapestQuote<Q extends Omit<Quote, 'cutoffHour'>>(quotes: readonly Q[], level: ServiceLevel): Q | undefined {
  let best: Q | undefined;
  for (const q of quotes) {
    if (!meetsLevel(q, level)) continue;
    if (
      !best ||
      q.amount < best.amount ||
      (q.amount === best.amount && (q.transitDays < best.transitDays || (q.transitDays === best.transitDays && `${q.carrier}/${q.service}` < `${best.carrier}/${best.service}`)))
    ) {
      best = q;
    }
  }
  return best;
}
