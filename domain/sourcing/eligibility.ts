// Which locations may serve the order at all, and what each offers: excluded with a reason
// (inactive, not the channel's, no capability, capacity, distance, same-day cut-off, the pickup
// rules) or eligible with the stock it may give (a store keeps its protected units).
import { distanceKm } from '../distance.ts';
import { rateShop } from '../shipping/carrier-services.ts';
import { daysUntilOpen, localHour } from '../shipping/local-time.ts';
import type { Capabilities } from '../network/schemas.ts';
import type { FulfillmentMethod } from '../orders/schemas.ts';
import type { RoutingProfile } from './profile.ts';
import type { CandidateExplanation, EngineInput, EngineLocation, Offers } from './types.ts';
import { round1 } from './explain.ts';

const capabilityFor: Record<FulfillmentMethod, keyof Capabilities> = {
  ship: 'ship',
  same_day: 'sameDay',
  pickup: 'pickup',
  curbside: 'curbside',
};

function exclusionReason(
  location: EngineLocation,
  input: EngineInput,
  distance: number | null,
  pickupStore: EngineLocation | undefined,
): string | undefined {
  const { order, profile } = input;
  if (input.excludedLocationIds.includes(location.id)) return 'excluded for this order';
  if (!location.active) return 'location inactive';
  if (!location.allowedForChannel) return 'not allocated to this channel';
  if (location.outsideMarket) return location.outsideMarket;
  if (order.method === 'pickup' || order.method === 'curbside') {
    if (location.id === order.pickupLocationId) {
      const capability = capabilityFor[order.method];
      return location.capabilities[capability] ? capacityReason(location, profile) : `no ${capability} capability`;
    }
    if (!profile.pickupTransfer.enabled) return 'not the pickup location';
    if (!pickupStore) return 'pickup location unknown';
    const km = distanceKm(location.geo, pickupStore.geo);
    if (km > profile.pickupTransfer.maxDistanceKm) return `too far from the pickup store for a transfer (${round1(km)} km)`;
    return capacityReason(location, profile);
  }
  const capability = capabilityFor[order.method];
  if (!location.capabilities[capability]) return `no ${capability} capability`;
  const capacity = capacityReason(location, profile);
  if (capacity) return capacity;
  if (profile.exclusions.maxDistanceKm !== undefined && distance !== null && distance > profile.exclusions.maxDistanceKm) {
    return `beyond the profile's ${profile.exclusions.maxDistanceKm} km limit (${round1(distance)} km)`;
  }
  if (order.method === 'same_day') {
    const courier = rateShop(input.carrierServices, 'same_day', distance ?? Infinity, 0);
    if (!courier) return 'outside every same-day courier radius';
    if (localHour(input.now, location.timezone) >= courier.cutoffHour) return `same-day cut-off passed (${courier.cutoffHour}:00 local)`;
    if (daysUntilOpen(input.now, location.timezone, location.openingHours, courier.cutoffHour * 60) > 0) {
      return `closed until after the same-day cut-off (${courier.cutoffHour}:00 local)`;
    }
  }
  return undefined;
}

function capacityReason(location: EngineLocation, profile: RoutingProfile): string | undefined {
  if (profile.exclusions.respectCapacity && location.dailyOrderCapacity !== null && location.todayLoad >= location.dailyOrderCapacity) {
    return `daily capacity reached (${location.todayLoad} of ${location.dailyOrderCapacity})`;
  }
  return undefined;
}

export interface Screening {
  candidates: CandidateExplanation[];
  offers: Offers;
  eligible: EngineLocation[];
}

/** Each location excluded with its reason, or eligible with what it offers (a store keeps its protected units). */
export function screenLocations(input: EngineInput, distances: Map<string, number | null>): Screening {
  const { order, profile } = input;
  const isPickup = order.method === 'pickup' || order.method === 'curbside';
  const pickupStore = isPickup ? input.locations.find((l) => l.id === order.pickupLocationId) : undefined;
  const screening: Screening = { candidates: [], offers: new Map(), eligible: [] };
  // Each SKU once, in line order (lines may share a SKU).
  const skus = [...new Set(order.lines.map((l) => l.sku))];
  const noStock = (protectedUnits: number) => (protectedUnits > 0 ? `no stock above the store's protected ${protectedUnits} units` : 'no stock for any line');
  for (const location of input.locations) {
    const distance = distances.get(location.id) ?? null;
    const reason = exclusionReason(location, input, distance, pickupStore);
    if (reason) {
      screening.candidates.push({ locationId: location.id, excluded: reason });
      continue;
    }
    const protectedUnits = location.type === 'store' ? profile.exclusions.storeProtectionUnits : 0;
    const stock = input.stock.get(location.id);
    let offer: Map<string, number> | undefined;
    let shown: Record<string, number> | undefined;
    for (const sku of stock ? skus : []) {
      const units = (stock!.get(sku) ?? 0) - protectedUnits;
      if (units <= 0) continue;
      (offer ??= new Map()).set(sku, units);
      (shown ??= {})[sku] = units;
    }
    if (!offer) {
      screening.candidates.push({ locationId: location.id, excluded: noStock(protectedUnits) });
      continue;
    }
    screening.candidates.push({ locationId: location.id, distanceKm: round1(distance), offers: shown!, ...(location.learned ? { reliability: Math.round(location.learned.reliability * 1000) / 1000 } : {}) });
    screening.offers.set(location.id, offer);
    screening.eligible.push(location);
  }
  return screening;
}

/** Distances from each location to the customer (none for a pickup without an address). */
export function distancesTo(input: EngineInput): Map<string, number | null> {
  const destination = input.order.destination;
  return new Map(input.locations.map((l) => [l.id, destination ? distanceKm(l.geo, destination) : null]));
}
