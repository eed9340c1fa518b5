// What an assignment costs: each location's handling plus the cheapest shipping that keeps the
// promise (a step function of weight per zone), plus the split penalty.
import { meetsLevel, type CarrierService, type RateTier } from '../shipping/carrier-services.ts';
import type { Assignment, EngineInput, EngineLocation } from './types.ts';

/** What the search needs to know of one eligible location. */
export interface Site {
  handlingCost: number;
  /** Cheapest shipping by weight from here to the destination: [max grams, amount]; null for pickup. */
  steps: [number, number][] | null;
  /** A lower bound of what using this location costs at all. */
  minCost: number;
}

/** Shipping step functions per carrier list, keyed by service level and the zone of each service (owned by the engine). */
export type StepCache = WeakMap<readonly CarrierService[], Map<string, [number, number][]>>;

/** Builds each eligible location's Site for one decision (the services fast enough for the order are found once). */
export function siteBuilder(input: EngineInput, stepCache: StepCache): (location: EngineLocation, distance: number | null) => Site {
  const isPickup = input.order.method === 'pickup' || input.order.method === 'curbside';
  const services = input.carrierServices.filter((service) => meetsLevel(service, input.order.serviceLevel));
  let cache = stepCache.get(input.carrierServices);
  if (!cache) {
    cache = new Map();
    stepCache.set(input.carrierServices, cache);
  }
  const steps = cache;
  return (location, distance) => {
    if (isPickup) return { handlingCost: location.handlingCost, steps: null, minCost: location.handlingCost };
    // The same answer rateShop gives for every weight, as a step function: the services fast
    // enough, each at its zone for this distance; at each tier boundary the cheapest of them.
    // It depends only on which zone each service is in, so it is built once per combination.
    const zones = services.map((service) => service.zones.findIndex((zone) => (distance ?? 0) <= zone.maxKm));
    const key = `${input.order.serviceLevel}|${zones.join(',')}`;
    let found = steps.get(key);
    if (!found) {
      found = stepFunction(zones.map((z, i) => (z >= 0 ? services[i]!.zones[z]!.rates : undefined)).filter((rates): rates is RateTier[] => rates !== undefined));
      steps.set(key, found);
    }
    return { handlingCost: location.handlingCost, steps: found, minCost: location.handlingCost + (found[0]?.[1] ?? Infinity) };
  };
}

/** The cheapest of the tiers at each of their weight boundaries. */
function stepFunction(tiers: RateTier[][]): [number, number][] {
  const breakpoints = [...new Set(tiers.flatMap((rates) => rates.map((r) => r.maxGrams)))].sort((a, b) => a - b);
  const steps: [number, number][] = [];
  for (const grams of breakpoints) {
    let cheapest = Infinity;
    for (const rates of tiers) {
      const tier = rates.find((r) => grams <= r.maxGrams);
      if (tier && tier.amount < cheapest) cheapest = tier.amount;
    }
    if (cheapest < Infinity) steps.push([grams, cheapest]);
  }
  return steps;
}

export function shippingFor(steps: [number, number][] | null, grams: number): number {
  if (!steps) return 0;
  for (const [max, amount] of steps) if (grams <= max) return amount;
  return Infinity;
}

export function assignmentFastCost(assignment: Assignment, sites: Map<string, Site>, weightOf: Map<string, number>, splitPenalty: number): number {
  let cost = splitPenalty * Math.max(0, assignment.size - 1);
  for (const [id, taken] of assignment) {
    const s = sites.get(id)!;
    let grams = 0;
    for (const [lineId, q] of taken) grams += q * (weightOf.get(lineId) ?? 0);
    cost += s.handlingCost + shippingFor(s.steps, grams);
  }
  return cost;
}
