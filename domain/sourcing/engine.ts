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
import { PROMISE_DAYS, rateShop, type CarrierService, type Quote } from '../shipping/carrier-services.ts';
import { estimatedDelivery, localDate, localHour } from '../shipping/local-time.ts';
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

  // 2. Candidate assignments.
  const assignments: Assignment[] = [];
  for (const location of eligible) {
    const single = fillFrom([location.id], order.lines, offers);
    if (unitsOf(single) === totalUnits) assignments.push(single);
  }
  if (maxFulfillments > 1 || assignments.length === 0) {
    const starts = [...eligible]
      .sort((a, b) => coverage(b.id, order.lines, offers) - coverage(a.id, order.lines, offers) || a.id.localeCompare(b.id))
      .slice(0, GREEDY_STARTS);
    for (const start of starts) {
      const greedy = greedyCover(start.id, eligible, order, offers, maxFulfillments, (a) => assignmentCost(a, input, byId, distances));
      assignments.push(dropRedundant(greedy, order.lines, offers, (a) => assignmentCost(a, input, byId, distances)));
    }
  }

  // 3. Evaluate, rank, explain.
  const seen = new Set<string>();
  const evaluated: Evaluated[] = [];
  for (const assignment of assignments) {
    const key = assignmentKey(assignment);
    if (seen.has(key) || assignment.size === 0) continue;
    seen.add(key);
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
  if (!best) {
    return { fulfillments: [], backordered: order.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })), totalCost: 0, explanation };
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
  return unitsOf(fillFrom([locationId], lines, offers));
}

/** Takes each line's units from the locations in order, as far as their offers go. */
function fillFrom(locationIds: readonly string[], lines: readonly EngineLine[], offers: Map<string, Map<string, number>>): Assignment {
  const left = new Map<string, Map<string, number>>();
  for (const id of locationIds) left.set(id, new Map(offers.get(id)));
  const assignment: Assignment = new Map();
  for (const line of lines) {
    let need = line.quantity;
    for (const id of locationIds) {
      if (need === 0) break;
      const stock = left.get(id)!;
      const take = Math.min(need, stock.get(line.sku) ?? 0);
      if (take === 0) continue;
      stock.set(line.sku, (stock.get(line.sku) ?? 0) - take);
      const lines = assignment.get(id) ?? new Map<string, number>();
      lines.set(line.lineId, (lines.get(line.lineId) ?? 0) + take);
      assignment.set(id, lines);
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

function assignmentCost(
  assignment: Assignment,
  input: EngineInput,
  byId: Map<string, EngineLocation>,
  distances: Map<string, number | null>,
): number | undefined {
  return evaluate(assignment, input, byId, distances)?.cost;
}

function evaluate(
  assignment: Assignment,
  input: EngineInput,
  byId: Map<string, EngineLocation>,
  distances: Map<string, number | null>,
): Evaluated | undefined {
  const { order, profile } = input;
  const lineById = new Map(order.lines.map((l) => [l.lineId, l]));
  const isPickup = order.method === 'pickup' || order.method === 'curbside';
  const promiseDate = (tz: string) => localDate(input.now, tz, PROMISE_DAYS[order.serviceLevel]);
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
      fulfillment = {
        locationId: order.pickupLocationId ?? locationId,
        method: order.method,
        lines: planned,
        weightGrams: weight,
        distanceKm: 0,
        shippingCost: 0,
        handlingCost: location.handlingCost,
        estimatedDelivery: localDate(input.now, store?.timezone ?? location.timezone, viaTransfer ? profile.pickupTransfer.leadDays : 0),
        ...(viaTransfer ? { transferFromLocationId: locationId } : {}),
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
        estimatedDelivery: estimatedDelivery(input.now, location.timezone, quote.cutoffHour, quote.transitDays),
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

function daysBetween(fromDate: string, toDate: string): number {
  return Math.round((Date.parse(toDate) - Date.parse(fromDate)) / 86_400_000);
}

function round1(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
