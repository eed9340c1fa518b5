// The sourcing engine: decides where an order is fulfilled. Pure and deterministic — the
// same order, network, stock, clock and profile give the same plan — and explainable:
// every candidate location comes back with the reason it was excluded or the stock it
// offered, and every plan considered with its cost and per-criterion values.
//
// Search: every single location that holds the whole order; then, when the profile allows
// splits, greedy covers started from each of the most promising locations (adding the
// location with the lowest marginal cost per unit it covers), each improved by dropping
// locations whose units the others can take. Plans that fill more units win; among those,
// the profile's weighted criteria (normalised across the plans) decide.
import { distanceKm, type GeoPoint } from '../geo.ts';
import type { Capabilities, LocationType } from '../network/schemas.ts';
import type { FulfillmentMethod, ServiceLevel } from '../orders/schemas.ts';
import { meetsLevel, PROMISE_DAYS, rateShop, type CarrierService, type Quote, type RateTier } from '../shipping/carrier-services.ts';
import { addLocalDays, daysUntilOpen, estimatedDelivery, localDate, localHour, nextOpenAt, type Hours } from '../shipping/local-time.ts';
import { CRITERIA, type Criterion, type RoutingProfile } from './profile.ts';

export interface EngineLine {
  lineId: string;
  sku: string;
  quantity: number;
  /** Weight of one unit. */
  weightGrams: number;
}

export interface EngineOrder {
  method: FulfillmentMethod;
  serviceLevel: ServiceLevel;
  destination?: GeoPoint;
  pickupLocationId?: string;
  lines: EngineLine[];
}

export interface EngineLocation {
  id: string;
  type: LocationType;
  active: boolean;
  geo: GeoPoint;
  timezone: string;
  capabilities: Capabilities;
  dailyOrderCapacity: number | null;
  /** Fulfillments already assigned to it today. */
  todayLoad: number;
  /** Minor units per fulfillment. */
  handlingCost: number;
  priority: number;
  /** False when the order's channel may not sell from it (channel allocation). */
  allowedForChannel: boolean;
  /** Local opening hours; absent means always open. */
  openingHours?: Hours;
}

export interface EngineInput {
  order: EngineOrder;
  locations: readonly EngineLocation[];
  /** available[locationId][sku], already narrowed to the channel's share. */
  stock: ReadonlyMap<string, ReadonlyMap<string, number>>;
  now: Date;
  profile: RoutingProfile;
  carrierServices: readonly CarrierService[];
  /** Locations an exception action or a lost reservation race ruled out for this order. */
  excludedLocationIds: readonly string[];
}

export interface PlannedLine {
  lineId: string;
  sku: string;
  quantity: number;
}

export interface PlannedFulfillment {
  locationId: string;
  method: FulfillmentMethod;
  lines: PlannedLine[];
  weightGrams: number;
  distanceKm: number | null;
  carrier?: string;
  service?: string;
  shippingCost: number;
  handlingCost: number;
  /** Local date at the origin the customer gets it (delivery, or ready for pickup). */
  estimatedDelivery: string;
  /** Pickup by transfer: the units come from this location to the pickup store. */
  transferFromLocationId?: string;
  /**
   * Pickup by transfer: when the units are planned at the pickup store — the profile's lead
   * time from now, moved to the store's next opening. The ready date is its local date.
   */
  transferExpectedAt?: string;
}

export type CandidateExplanation =
  | { locationId: string; excluded: string }
  | { locationId: string; distanceKm: number | null; offers: Record<string, number> };

export interface PlanExplanation {
  locations: string[];
  unitsFilled: number;
  cost: number;
  criteria: Record<Criterion, number>;
  score: number;
}

export interface SourcingPlan {
  fulfillments: PlannedFulfillment[];
  backordered: PlannedLine[];
  /** Handling + shipping + split penalties, minor units. */
  totalCost: number;
  explanation: {
    profileId: string;
    profileVersion: number;
    evaluatedAt: string;
    candidates: CandidateExplanation[];
    plansConsidered: PlanExplanation[];
    chosen: string;
  };
}

const capabilityFor: Record<FulfillmentMethod, keyof Capabilities> = {
  ship: 'ship',
  same_day: 'sameDay',
  pickup: 'pickup',
  curbside: 'curbside',
};

/** How many greedy covers to start, from the locations covering the most. */
const GREEDY_STARTS = 8;
/** Pairs are searched among this many of the most covering locations. */
const PAIR_POOL = 40;
/** Triples are searched among this many of the most covering, cheapest locations. */
const TRIPLE_POOL = 16;
/** Multi-location plans costing more than this multiple of the best found are not kept. */
const KEEP_WITHIN = 1.25;
/** How many of the cheapest candidate plans get the line-moving polish. */
const POLISH = 6;
/** How many candidate plans are evaluated in full (dates, criteria) and ranked. */
const FINALISTS = 24;

type Assignment = Map<string, Map<string, number>>; // locationId → lineId → quantity

interface Evaluated {
  assignment: Assignment;
  fulfillments: PlannedFulfillment[];
  backordered: PlannedLine[];
  unitsFilled: number;
  cost: number;
  criteria: Record<Criterion, number>;
  score: number;
}

export function planSourcing(input: EngineInput): SourcingPlan {
  const { order, profile } = input;
  const isPickup = order.method === 'pickup' || order.method === 'curbside';
  const distances = new Map<string, number | null>();
  for (const location of input.locations) {
    distances.set(location.id, order.destination ? distanceKm(location.geo, order.destination) : null);
  }

  // 1. Exclusions and what each remaining location offers.
  const candidates: CandidateExplanation[] = [];
  const offers = new Map<string, Map<string, number>>(); // locationId → sku → units it may give
  const eligible: EngineLocation[] = [];
  const pickupStore = isPickup ? input.locations.find((l) => l.id === order.pickupLocationId) : undefined;
  for (const location of input.locations) {
    const reason = exclusionReason(location, input, distances.get(location.id) ?? null, pickupStore);
    if (reason) {
      candidates.push({ locationId: location.id, excluded: reason });
      continue;
    }
    const offer = new Map<string, number>();
    const protectedUnits = location.type === 'store' ? profile.exclusions.storeProtectionUnits : 0;
    for (const line of order.lines) {
      if (offer.has(line.sku)) continue;
      const units = Math.max(0, (input.stock.get(location.id)?.get(line.sku) ?? 0) - protectedUnits);
      if (units > 0) offer.set(line.sku, units);
    }
    if (offer.size === 0) {
      candidates.push({
        locationId: location.id,
        excluded: protectedUnits > 0 ? `no stock above the store's protected ${protectedUnits} units` : 'no stock for any line',
      });
      continue;
    }
    candidates.push({ locationId: location.id, distanceKm: round1(distances.get(location.id) ?? null), offers: Object.fromEntries(offer) });
    offers.set(location.id, offer);
    eligible.push(location);
  }

  const byId = new Map(input.locations.map((l) => [l.id, l]));
  const totalUnits = order.lines.reduce((s, l) => s + l.quantity, 0);
  const maxFulfillments = isPickup && !profile.pickupTransfer.enabled ? 1 : profile.maxSplits + 1;

  // 2. Candidate assignments, searched with a fast cost (handling + cheapest shipping + split penalty).
  const sites = new Map<string, Site>();
  for (const location of eligible) sites.set(location.id, site(location, input, distances.get(location.id) ?? null));
  const weightOf = new Map(order.lines.map((l) => [l.lineId, l.weightGrams]));
  const fastCost = (a: Assignment) => assignmentFastCost(a, sites, weightOf, profile.splitPenalty);
  const ids = eligible.map((l) => l.id);
  // Candidates carry their cost and units, computed once; only the cheapest are kept.
  const pool = new CandidatePool(fastCost);
  const singles: Assignment[] = [];
  for (const id of ids) {
    const single = fillFrom([id], order.lines, offers);
    if (unitsOf(single) === totalUnits) {
      singles.push(single);
      pool.add(single);
    }
  }
  const covered = new Map(ids.map((id) => [id, coverage(id, order.lines, offers)]));
  const byCoverage = [...eligible].sort((a, b) => covered.get(b.id)! - covered.get(a.id)! || a.id.localeCompare(b.id));
  if (maxFulfillments > 1) {
    const need = demandBySku(order.lines);
    // An incumbent from one greedy cover makes the bounds below bite from the start.
    if (pool.size === 0 && byCoverage[0]) {
      const contenders = byCoverage.slice(0, PAIR_POOL);
      pool.add(dropRedundant(greedyCover(byCoverage[0].id, contenders, order, offers, maxFulfillments, fastCost), order.lines, offers, fastCost));
    }
    let bestCost = pool.bestCostFilling(totalUnits);
    // Bit per SKU a location has any of: a group whose bits do not add up to all SKUs cannot cover.
    const skuBits = new Map([...need.keys()].map((sku, i) => [sku, i < 31 ? 1 << i : 0]));
    const allBits = [...skuBits.values()].reduce((a, b) => a | b, 0);
    const bitsOf = new Map(ids.map((id) => [id, [...(offers.get(id)?.keys() ?? [])].reduce((m, sku) => m | (skuBits.get(sku) ?? 0), 0)]));
    const skuList = [...need.keys()];
    const skuIndex = new Map(skuList.map((sku, i) => [sku, i]));
    const lineSku = order.lines.map((l) => skuIndex.get(l.sku)!);
    const offerVectors = new Map(ids.map((id) => [id, Int32Array.from(skuList, (sku) => offers.get(id)?.get(sku) ?? 0)]));
    /** The cost of filling the order from `ordering` (first location first), or Infinity when it cannot fill it. */
    const quickCost = (ordering: string[]): number => {
      const used = new Int32Array(ordering.length * skuList.length);
      const grams = new Float64Array(ordering.length);
      for (let li = 0; li < order.lines.length; li++) {
        const line = order.lines[li]!;
        const si = lineSku[li]!;
        let needed = line.quantity;
        for (let g = 0; g < ordering.length && needed > 0; g++) {
          const have = offerVectors.get(ordering[g]!)![si]! - used[g * skuList.length + si]!;
          if (have <= 0) continue;
          const take = Math.min(needed, have);
          used[g * skuList.length + si]! += take;
          grams[g]! += take * line.weightGrams;
          needed -= take;
        }
        if (needed > 0) return Infinity;
      }
      let cost = 0;
      let shipments = 0;
      for (let g = 0; g < ordering.length; g++) {
        if (grams[g] === 0) continue;
        const s = sites.get(ordering[g]!)!;
        cost += s.handlingCost + shippingFor(s.steps, grams[g]!);
        shipments += 1;
      }
      return cost + profile.splitPenalty * Math.max(0, shipments - 1);
    };
    const consider = (group: string[], allOrders = true) => {
      let bits = 0;
      for (const id of group) bits |= bitsOf.get(id)!;
      if ((bits & allBits) !== allBits || !covers(group, need, offers)) return;
      for (const ordering of allOrders ? rotations(group) : [group]) {
        // Priced without building the assignment; only plans near the best are kept.
        const cost = quickCost(ordering);
        if (cost > bestCost * KEEP_WITHIN) continue;
        pool.add(fillFrom(ordering, order.lines, offers));
        if (cost < bestCost) bestCost = cost;
      }
    };
    // Branch and bound over pairs, then triples, cheapest lower bounds first: once a group's
    // bound reaches the best plan found, every later group in that loop costs more too.
    const bound = (id: string) => sites.get(id)!.minCost;
    // Weight-aware tightening: some member of a group of k ships at least 1/k of the order's
    // weight, so the group costs at least the bounds plus the cheapest such member's extra.
    const orderGrams = order.lines.reduce((sum, l) => sum + l.quantity * l.weightGrams, 0);
    const extraCache = new Map<string, number>();
    const extra = (id: string, k: number) => {
      const key = `${id}|${k}`;
      let value = extraCache.get(key);
      if (value === undefined) {
        const s = sites.get(id)!;
        value = shippingFor(s.steps, orderGrams / k) - (s.steps?.[0]?.[1] ?? 0);
        extraCache.set(key, value);
      }
      return value;
    };
    const heavier = (group: string[]) => Math.min(...group.map((id) => extra(id, group.length)));
    // Pairs among the locations that cover the most of the order (they must cover it between them).
    const byBound = [...ids]
      .sort((a, b) => covered.get(b)! - covered.get(a)! || bound(a) - bound(b) || a.localeCompare(b))
      .slice(0, PAIR_POOL)
      .sort((a, b) => bound(a) - bound(b) || a.localeCompare(b));
    const penalty = profile.splitPenalty;
    const pairBounds = byBound.map(bound);
    for (let i = 0; i < byBound.length; i++) {
      if (pairBounds[i]! * 2 + penalty >= bestCost) break;
      for (let j = i + 1; j < byBound.length; j++) {
        if (pairBounds[i]! + pairBounds[j]! + penalty >= bestCost) break;
        if (pairBounds[i]! + pairBounds[j]! + penalty + heavier([byBound[i]!, byBound[j]!]) >= bestCost) continue;
        consider([byBound[i]!, byBound[j]!]);
      }
    }
    if (maxFulfillments > 2) {
      const trio = [...ids]
        .sort((a, b) => covered.get(b)! - covered.get(a)! || bound(a) - bound(b) || a.localeCompare(b))
        .slice(0, TRIPLE_POOL)
        .sort((a, b) => bound(a) - bound(b) || a.localeCompare(b));
      const trioBounds = trio.map(bound);
      for (let i = 0; i < trio.length; i++) {
        if (trioBounds[i]! * 3 + 2 * penalty >= bestCost) break;
        for (let j = i + 1; j < trio.length; j++) {
          if (trioBounds[i]! + trioBounds[j]! * 2 + 2 * penalty >= bestCost) break;
          for (let k = j + 1; k < trio.length; k++) {
            if (trioBounds[i]! + trioBounds[j]! + trioBounds[k]! + 2 * penalty >= bestCost) break;
            if (trioBounds[i]! + trioBounds[j]! + trioBounds[k]! + 2 * penalty + heavier([trio[i]!, trio[j]!, trio[k]!]) >= bestCost) continue;
            // One filling order (cheapest first); the polish below rebalances the best ones.
            consider([trio[i]!, trio[j]!, trio[k]!], false);
          }
        }
      }
    }
  }
  if (pool.size === 0 || maxFulfillments > 3) {
    // Nothing fills the order within two or three locations (or more are allowed): greedy covers.
    for (const start of byCoverage.slice(0, GREEDY_STARTS)) {
      const greedy = greedyCover(start.id, eligible, order, offers, maxFulfillments, fastCost);
      pool.add(dropRedundant(greedy, order.lines, offers, fastCost));
    }
  }
  // Polish the cheapest few: move a line's units to another chosen location when that is cheaper.
  const ranked = pool.best(FINALISTS);
  const polished = ranked.slice(0, POLISH).map((a) => moveLines(a, order.lines, offers, sites, profile.splitPenalty));
  const onlyCost = CRITERIA.every((c) => c === 'cost' || !profile.weights[c]);
  const finalists = uniqueAssignments([
    ...polished,
    ...ranked.slice(0, FINALISTS),
    // Unless cost alone decides, every single location stays in the running for the other criteria.
    ...(onlyCost ? [] : singles),
  ]);

  // 3. Evaluate, rank, explain.
  const evaluated: Evaluated[] = [];
  for (const assignment of finalists) {
    const result = evaluate(assignment, input, byId, distances);
    if (result) evaluated.push(result);
  }
  scorePlans(evaluated, profile);
  evaluated.sort(
    (a, b) =>
      b.unitsFilled - a.unitsFilled ||
      a.score - b.score ||
      a.cost - b.cost ||
      assignmentKey(a.assignment).localeCompare(assignmentKey(b.assignment)),
  );

  const best = evaluated[0];
  const explanation = {
    profileId: profile.id,
    profileVersion: profile.version,
    evaluatedAt: input.now.toISOString(),
    candidates,
    plansConsidered: evaluated.slice(0, 20).map((e) => ({
      locations: e.fulfillments.map((f) => f.transferFromLocationId ?? f.locationId),
      unitsFilled: e.unitsFilled,
      cost: e.cost,
      criteria: e.criteria,
      score: round3(e.score),
    })),
    chosen: best ? whyChosen(best, evaluated, totalUnits) : 'no location can fill any line: the order is backordered',
  };
  const everything = order.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));
  if (!best) return { fulfillments: [], backordered: everything, totalCost: 0, explanation };
  if (best.unitsFilled < totalUnits && !profile.allowPartialFill) {
    explanation.chosen = `no plan fills the whole order (best: ${explanation.chosen}); the profile does not ship partial orders, so the order is backordered`;
    return { fulfillments: [], backordered: everything, totalCost: 0, explanation };
  }
  return { fulfillments: best.fulfillments, backordered: best.backordered, totalCost: best.cost, explanation };
}

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

/** Units of the order's lines a location can cover on its own. */
function coverage(locationId: string, lines: readonly EngineLine[], offers: Map<string, Map<string, number>>): number {
  const offer = offers.get(locationId);
  let units = 0;
  for (const [sku, need] of demandBySku(lines)) units += Math.min(need, offer?.get(sku) ?? 0);
  return units;
}

/** Takes each line's units from the locations in order, as far as their offers go. */
function fillFrom(locationIds: readonly string[], lines: readonly EngineLine[], offers: Map<string, Map<string, number>>): Assignment {
  const assignment: Assignment = new Map();
  // Units already taken per SKU, per location (aligned with locationIds): lines may share a SKU.
  const takenBySku = new Map<string, number[]>();
  for (const line of lines) {
    let need = line.quantity;
    let taken = takenBySku.get(line.sku);
    for (let k = 0; k < locationIds.length && need > 0; k++) {
      const id = locationIds[k]!;
      const have = (offers.get(id)?.get(line.sku) ?? 0) - (taken?.[k] ?? 0);
      if (have <= 0) continue;
      const take = Math.min(need, have);
      if (!taken) {
        taken = new Array<number>(locationIds.length).fill(0);
        takenBySku.set(line.sku, taken);
      }
      taken[k]! += take;
      let atLocation = assignment.get(id);
      if (!atLocation) {
        atLocation = new Map();
        assignment.set(id, atLocation);
      }
      atLocation.set(line.lineId, (atLocation.get(line.lineId) ?? 0) + take);
      need -= take;
    }
  }
  return assignment;
}

function unitsOf(assignment: Assignment): number {
  let units = 0;
  for (const lines of assignment.values()) for (const q of lines.values()) units += q;
  return units;
}

function assignmentKey(assignment: Assignment): string {
  return [...assignment.entries()]
    .map(([id, lines]) => `${id}:${[...lines.entries()].sort().map(([l, q]) => `${l}=${q}`).join(',')}`)
    .sort()
    .join('|');
}

/** Adds locations one by one, each time the one with the lowest marginal cost per newly covered unit. */
function greedyCover(
  startId: string,
  eligible: readonly EngineLocation[],
  order: EngineOrder,
  offers: Map<string, Map<string, number>>,
  maxFulfillments: number,
  costOf: (a: Assignment) => number | undefined,
): Assignment {
  const chosen = [startId];
  let current = fillFrom(chosen, order.lines, offers);
  const total = order.lines.reduce((s, l) => s + l.quantity, 0);
  while (unitsOf(current) < total && chosen.length < maxFulfillments) {
    const baseUnits = unitsOf(current);
    const baseCost = costOf(current) ?? 0;
    let best: { id: string; assignment: Assignment; ratio: number } | undefined;
    for (const location of eligible) {
      if (chosen.includes(location.id)) continue;
      const next = fillFrom([...chosen, location.id], order.lines, offers);
      const gained = unitsOf(next) - baseUnits;
      if (gained <= 0) continue;
      const cost = costOf(next);
      if (cost === undefined) continue;
      const ratio = (cost - baseCost) / gained;
      if (!best || ratio < best.ratio || (ratio === best.ratio && location.id < best.id)) best = { id: location.id, assignment: next, ratio };
    }
    if (!best) break;
    chosen.push(best.id);
    current = best.assignment;
  }
  return current;
}

/** Drops a location when the others can take all its units at a lower total cost. */
function dropRedundant(
  assignment: Assignment,
  lines: readonly EngineLine[],
  offers: Map<string, Map<string, number>>,
  costOf: (a: Assignment) => number | undefined,
): Assignment {
  let current = assignment;
  let improved = true;
  while (improved && current.size > 1) {
    improved = false;
    const units = unitsOf(current);
    const cost = costOf(current) ?? Infinity;
    for (const id of [...current.keys()]) {
      const others = [...current.keys()].filter((k) => k !== id);
      const candidate = fillFrom(others, lines, offers);
      const candidateCost = costOf(candidate);
      if (unitsOf(candidate) === units && candidateCost !== undefined && candidateCost <= cost) {
        current = candidate;
        improved = true;
        break;
      }
    }
  }
  return current;
}

/** Local dates depend only on the clock, the time zone and a few numbers: compute each once per decision. */
const dateMemos = new WeakMap<EngineInput, Map<string, string>>();

function evaluate(
  assignment: Assignment,
  input: EngineInput,
  byId: Map<string, EngineLocation>,
  distances: Map<string, number | null>,
): Evaluated | undefined {
  const { order, profile } = input;
  const lineById = new Map(order.lines.map((l) => [l.lineId, l]));
  const isPickup = order.method === 'pickup' || order.method === 'curbside';
  let dates = dateMemos.get(input);
  if (!dates) {
    dates = new Map();
    dateMemos.set(input, dates);
  }
  const cache = dates;
  const memo = (key: string, compute: () => string): string => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute();
      cache.set(key, value);
    }
    return value;
  };
  const promiseDate = (tz: string) => memo(`promise|${tz}`, () => localDate(input.now, tz, PROMISE_DAYS[order.serviceLevel]));
  const fulfillments: PlannedFulfillment[] = [];
  let cost = 0;
  let maxDistance = 0;
  let prioritySum = 0;
  let maxWorkload = 0;
  let lateDays = 0;
  let minDepth = Infinity;

  for (const [locationId, lines] of [...assignment.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const location = byId.get(locationId)!;
    const planned: PlannedLine[] = [...lines.entries()].map(([lineId, quantity]) => ({ lineId, sku: lineById.get(lineId)!.sku, quantity }));
    const weight = planned.reduce((s, l) => s + l.quantity * lineById.get(l.lineId)!.weightGrams, 0);
    const distance = distances.get(locationId) ?? null;
    let fulfillment: PlannedFulfillment;
    if (isPickup) {
      const store = byId.get(order.pickupLocationId ?? '');
      const viaTransfer = locationId !== order.pickupLocationId;
      const zone = store?.timezone ?? location.timezone;
      const arrival = viaTransfer ? nextOpenAt(addLocalDays(input.now, zone, profile.pickupTransfer.leadDays), zone, store?.openingHours) : undefined;
      fulfillment = {
        locationId: order.pickupLocationId ?? locationId,
        method: order.method,
        lines: planned,
        weightGrams: weight,
        distanceKm: 0,
        shippingCost: 0,
        handlingCost: location.handlingCost,
        // Ready when the store is next open; by transfer, when the store is open once the units are there.
        estimatedDelivery: arrival ? localDate(arrival, zone) : localDate(input.now, zone, daysUntilOpen(input.now, zone, store?.openingHours)),
        ...(viaTransfer ? { transferFromLocationId: locationId, transferExpectedAt: arrival!.toISOString() } : {}),
      };
    } else {
      const quote: Quote | undefined = rateShop(input.carrierServices, order.serviceLevel, distance ?? 0, weight);
      if (!quote) return undefined;
      fulfillment = {
        locationId,
        method: order.method,
        lines: planned,
        weightGrams: weight,
        distanceKm: round1(distance),
        carrier: quote.carrier,
        service: quote.service,
        shippingCost: quote.amount,
        handlingCost: location.handlingCost,
        estimatedDelivery: memo(`eta|${location.id}|${quote.cutoffHour}|${quote.transitDays}`, () =>
          estimatedDelivery(input.now, location.timezone, quote.cutoffHour, quote.transitDays, location.openingHours),
        ),
      };
    }
    fulfillments.push(fulfillment);
    cost += fulfillment.shippingCost + fulfillment.handlingCost;
    maxDistance = Math.max(maxDistance, distance ?? 0);
    prioritySum += location.priority;
    if (location.dailyOrderCapacity) maxWorkload = Math.max(maxWorkload, (location.todayLoad + 1) / location.dailyOrderCapacity);
    const promised = promiseDate(location.timezone);
    if (fulfillment.estimatedDelivery > promised) lateDays = Math.max(lateDays, daysBetween(promised, fulfillment.estimatedDelivery));
    for (const line of planned) {
      const available = input.stock.get(locationId)?.get(line.sku) ?? 0;
      if (available > 0) minDepth = Math.min(minDepth, (available - line.quantity) / available);
    }
  }

  cost += profile.splitPenalty * Math.max(0, fulfillments.length - 1);
  const unitsFilled = unitsOf(assignment);
  const filled = new Map<string, number>();
  for (const lines of assignment.values()) for (const [lineId, q] of lines) filled.set(lineId, (filled.get(lineId) ?? 0) + q);
  const backordered = order.lines
    .filter((l) => (filled.get(l.lineId) ?? 0) < l.quantity)
    .map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity - (filled.get(l.lineId) ?? 0) }));

  return {
    assignment,
    fulfillments,
    backordered,
    unitsFilled,
    cost,
    criteria: {
      cost,
      distance: round1(maxDistance) ?? 0,
      // Lower is better for every criterion: high priority and deep stock count negative.
      priority: -(prioritySum / Math.max(1, fulfillments.length)),
      workload: round3(maxWorkload),
      promise: lateDays,
      stockDepth: round3(-(minDepth === Infinity ? 1 : minDepth)),
    },
    score: 0,
  };
}

/** Weighted sum of each criterion normalised to [0, 1] across the plans (0 = best). */
function scorePlans(plans: Evaluated[], profile: RoutingProfile): void {
  for (const criterion of CRITERIA) {
    const weight = profile.weights[criterion] ?? 0;
    if (weight === 0) continue;
    const values = plans.map((p) => p.criteria[criterion]);
    const min = Math.min(...values);
    const span = Math.max(...values) - min;
    for (const plan of plans) plan.score += span === 0 ? 0 : (weight * (plan.criteria[criterion] - min)) / span;
  }
}

function whyChosen(best: Evaluated, all: Evaluated[], totalUnits: number): string {
  const where = best.fulfillments.map((f) => f.transferFromLocationId ? `${f.locationId} (from ${f.transferFromLocationId})` : f.locationId).join(' + ');
  const fill = best.unitsFilled === totalUnits ? 'fills the whole order' : `fills ${best.unitsFilled} of ${totalUnits} units (the rest is backordered)`;
  const runnerUp = all.find((p) => p !== best);
  const versus = runnerUp ? `; next best ${runnerUp.fulfillments.map((f) => f.locationId).join(' + ')} costs ${runnerUp.cost}` : '';
  return `${where} ${fill} at cost ${best.cost} (score ${round3(best.score)})${versus}`;
}

/** Candidate assignments with their cost and units computed once; keeps only the best few. */
class CandidatePool {
  private items: { assignment: Assignment; units: number; cost: number; key?: string }[] = [];

  constructor(private readonly costOf: (a: Assignment) => number) {}

  get size(): number {
    return this.items.length;
  }

  /** Adds a candidate and returns its cost (Infinity when it cannot ship). */
  add(assignment: Assignment): number {
    if (assignment.size === 0) return Infinity;
    const cost = this.costOf(assignment);
    if (cost === Infinity) return cost;
    this.items.push({ assignment, units: unitsOf(assignment), cost });
    // Trimming skips de-duplication (it costs more than the sort); best() de-duplicates once.
    if (this.items.length > 16 * FINALISTS) this.items = this.sorted().slice(0, 4 * FINALISTS);
    return cost;
  }

  bestCostFilling(units: number): number {
    let best = Infinity;
    for (const item of this.items) if (item.units === units && item.cost < best) best = item.cost;
    return best;
  }

  /** The best `n` distinct candidates: most units filled, then lowest cost. */
  best(n: number): Assignment[] {
    return this.rank(n).map((i) => i.assignment);
  }

  private sorted() {
    return [...this.items].sort((a, b) => b.units - a.units || a.cost - b.cost);
  }

  private rank(limit: number) {
    const seen = new Set<string>();
    const unique = [];
    for (const item of this.sorted()) {
      if (unique.length === limit) break;
      item.key ??= assignmentKey(item.assignment);
      if (seen.has(item.key)) continue;
      seen.add(item.key);
      unique.push(item);
    }
    return unique;
  }
}

/** What the search needs to know of one eligible location. */
interface Site {
  handlingCost: number;
  /** Cheapest shipping by weight from here to the destination: [max grams, amount]; null for pickup. */
  steps: [number, number][] | null;
  /** A lower bound of what using this location costs at all. */
  minCost: number;
}

/** Shipping step functions per carrier list, keyed by service level and the zone of each service. */
const stepCache = new WeakMap<readonly CarrierService[], Map<string, [number, number][]>>();

function site(location: EngineLocation, input: EngineInput, distance: number | null): Site {
  const isPickup = input.order.method === 'pickup' || input.order.method === 'curbside';
  if (isPickup) return { handlingCost: location.handlingCost, steps: null, minCost: location.handlingCost };
  // The same answer rateShop gives for every weight, as a step function: the services fast
  // enough, each at its zone for this distance; at each tier boundary the cheapest of them.
  // It depends only on which zone each service is in, so it is built once per combination.
  const services = input.carrierServices.filter((service) => meetsLevel(service, input.order.serviceLevel));
  const zones = services.map((service) => service.zones.find((zone) => (distance ?? 0) <= zone.maxKm));
  let cache = stepCache.get(input.carrierServices);
  if (!cache) {
    cache = new Map();
    stepCache.set(input.carrierServices, cache);
  }
  const key = `${input.order.serviceLevel}|${zones.map((z, i) => (z ? services[i]!.zones.indexOf(z) : -1)).join(',')}`;
  const cached = cache.get(key);
  if (cached) return { handlingCost: location.handlingCost, steps: cached, minCost: location.handlingCost + (cached[0]?.[1] ?? Infinity) };
  const tiers = zones.map((zone) => zone?.rates).filter((rates): rates is RateTier[] => rates !== undefined);
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
  cache.set(key, steps);
  return { handlingCost: location.handlingCost, steps, minCost: location.handlingCost + (steps[0]?.[1] ?? Infinity) };
}

function shippingFor(steps: [number, number][] | null, grams: number): number {
  if (!steps) return 0;
  for (const [max, amount] of steps) if (grams <= max) return amount;
  return Infinity;
}

function assignmentFastCost(assignment: Assignment, sites: Map<string, Site>, weightOf: Map<string, number>, splitPenalty: number): number {
  let cost = splitPenalty * Math.max(0, assignment.size - 1);
  for (const [id, taken] of assignment) {
    const s = sites.get(id)!;
    let grams = 0;
    for (const [lineId, q] of taken) grams += q * (weightOf.get(lineId) ?? 0);
    cost += s.handlingCost + shippingFor(s.steps, grams);
  }
  return cost;
}

function demandBySku(lines: readonly EngineLine[]): Map<string, number> {
  const need = new Map<string, number>();
  for (const line of lines) need.set(line.sku, (need.get(line.sku) ?? 0) + line.quantity);
  return need;
}

function covers(group: readonly string[], need: Map<string, number>, offers: Map<string, Map<string, number>>): boolean {
  for (const [sku, units] of need) {
    let have = 0;
    for (const id of group) have += offers.get(id)?.get(sku) ?? 0;
    if (have < units) return false;
  }
  return true;
}

/** Each location first once: who fills first decides where shared lines go. */
function rotations(group: readonly string[]): string[][] {
  return group.map((_, i) => [...group.slice(i), ...group.slice(0, i)]);
}

function uniqueAssignments(assignments: readonly Assignment[]): Assignment[] {
  const seen = new Set<string>();
  const out: Assignment[] = [];
  for (const a of assignments) {
    if (a.size === 0) continue;
    const key = assignmentKey(a);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

/**
 * Moves all units of one line to another chosen location while that lowers the cost.
 * Works on per-location weights, so each tried move costs a few lookups, not a copy.
 */
function moveLines(
  assignment: Assignment,
  lines: readonly EngineLine[],
  offers: Map<string, Map<string, number>>,
  sites: Map<string, Site>,
  splitPenalty: number,
): Assignment {
  const current: Assignment = new Map([...assignment].map(([id, taken]) => [id, new Map(taken)]));
  const lineById = new Map(lines.map((l) => [l.lineId, l]));
  const weight = new Map<string, number>();
  for (const [id, taken] of current) {
    let grams = 0;
    for (const [lineId, q] of taken) grams += q * lineById.get(lineId)!.weightGrams;
    weight.set(id, grams);
  }
  const costAt = (id: string, grams: number) => sites.get(id)!.handlingCost + shippingFor(sites.get(id)!.steps, grams);
  const skuUnitsAt = (id: string, sku: string) => {
    let units = 0;
    for (const [lineId, q] of current.get(id) ?? []) if (lineById.get(lineId)!.sku === sku) units += q;
    return units;
  };
  let improved = true;
  while (improved) {
    improved = false;
    for (const line of lines) {
      const holders = [...current].filter(([, taken]) => taken.has(line.lineId)).map(([id]) => id);
      for (const target of current.keys()) {
        const moving = holders.filter((id) => id !== target).reduce((sum, id) => sum + current.get(id)!.get(line.lineId)!, 0);
        if (moving === 0) continue;
        if (skuUnitsAt(target, line.sku) + moving > (offers.get(target)?.get(line.sku) ?? 0)) continue;
        let delta = costAt(target, weight.get(target)! + moving * line.weightGrams) - costAt(target, weight.get(target)!);
        for (const id of holders) {
          if (id === target) continue;
          const q = current.get(id)!.get(line.lineId)!;
          const emptied = current.get(id)!.size === 1;
          delta += (emptied ? -splitPenalty : costAt(id, weight.get(id)! - q * line.weightGrams)) - costAt(id, weight.get(id)!);
        }
        if (delta >= 0) continue;
        for (const id of holders) {
          if (id === target) continue;
          const taken = current.get(id)!;
          weight.set(id, weight.get(id)! - taken.get(line.lineId)! * line.weightGrams);
          taken.delete(line.lineId);
          if (taken.size === 0) {
            current.delete(id);
            weight.delete(id);
          }
        }
        const targetLines = current.get(target)!;
        targetLines.set(line.lineId, (targetLines.get(line.lineId) ?? 0) + moving);
        weight.set(target, weight.get(target)! + moving * line.weightGrams);
        improved = true;
        break;
      }
      if (improved) break;
    }
  }
  return current;
}

function daysBetween(fromDate: string, toDate: string): number {
  return Math.round((Date.parse(toDate) - Date.parse(fromDate)) / 86_400_000);
}

function round1(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
