// A candidate evaluated in full: each location's fulfillment (carrier and service by rate
// shopping, or the pickup and its ready date), the plan's cost, and the criteria the profile
// weighs (cost, distance, priority, workload, promise, stock depth, reliability).
import { PROMISE_DAYS, rateShop } from '../shipping/carrier-services.ts';
import { addLocalDays, calendarDaysBetween, daysUntilOpen, estimatedDelivery, localDate, nextOpenAt } from '../shipping/local-time.ts';
import { unitsOf } from './candidates.ts';
import { zoneOf } from './learning.ts';
import { pickupCo2e, shipmentCo2e } from '../shipping/emissions.ts';
import { distanceKm } from '../geo.ts';
import { round1, round3 } from './explain.ts';
import type { Assignment, EngineInput, EngineLine, EngineLocation, Evaluated, PlannedFulfillment, PlannedLine } from './types.ts';

/** What evaluating one decision's candidates shares: its locations, distances, and local dates computed once. */
export interface EvaluationContext {
  input: EngineInput;
  byId: Map<string, EngineLocation>;
  distances: Map<string, number | null>;
  lineById: Map<string, EngineLine>;
  /** Local dates depend only on the clock, the time zone and a few numbers: each is computed once per decision. */
  dates: Map<string, string>;
}

export function evaluationContext(input: EngineInput, byId: Map<string, EngineLocation>, distances: Map<string, number | null>): EvaluationContext {
  return { input, byId, distances, lineById: new Map(input.order.lines.map((l) => [l.lineId, l])), dates: new Map() };
}

function memo(ctx: EvaluationContext, key: string, compute: () => string): string {
  let value = ctx.dates.get(key);
  if (value === undefined) {
    value = compute();
    ctx.dates.set(key, value);
  }
  return value;
}

/** A pickup at the customer's store: ready when the store is next open; by transfer, when it is open once the units are there. */
function pickupAt(ctx: EvaluationContext, location: EngineLocation, planned: PlannedLine[], weight: number): PlannedFulfillment {
  const { order, profile, now } = ctx.input;
  const store = ctx.byId.get(order.pickupLocationId ?? '');
  const viaTransfer = location.id !== order.pickupLocationId;
  const zone = store?.timezone ?? location.timezone;
  const arrival = viaTransfer ? nextOpenAt(addLocalDays(now, zone, profile.pickupTransfer.leadDays), zone, store?.openingHours) : undefined;
  const co2eGrams = pickupCo2e({
    weightGrams: weight,
    ...(viaTransfer && store ? { transferKm: distanceKm(location.geo, store.geo) } : {}),
    ...(store && ctx.distances.get(store.id) != null ? { customerKm: ctx.distances.get(store.id)! } : {}),
    countCustomerTrip: profile.emissions.countCustomerTrip,
  });
  return {
    locationId: order.pickupLocationId ?? location.id,
    method: order.method,
    lines: planned,
    weightGrams: weight,
    distanceKm: 0,
    shippingCost: 0,
    co2eGrams,
    handlingCost: location.handlingCost,
    estimatedDelivery: arrival ? localDate(arrival, zone) : localDate(now, zone, daysUntilOpen(now, zone, store?.openingHours)),
    ...(viaTransfer ? { transferFromLocationId: location.id, transferExpectedAt: arrival!.toISOString() } : {}),
  };
}

/** A shipment from this location: the cheapest service that keeps the promise; undefined when none can carry it. */
function shipmentFrom(ctx: EvaluationContext, location: EngineLocation, planned: PlannedLine[], weight: number): PlannedFulfillment | undefined {
  const { order, carrierServices, now } = ctx.input;
  const distance = ctx.distances.get(location.id) ?? null;
  const quote = rateShop(carrierServices, order.serviceLevel, distance ?? 0, weight);
  if (!quote) return undefined;
  // Learned transit days for this carrier and zone replace the table's in the promise.
  const learned = location.learned?.transitDays[`${quote.carrier}|${zoneOf(distance)}`];
  const transitDays = learned === undefined ? quote.transitDays : Math.max(0, Math.round(learned));
  return {
    locationId: location.id,
    method: order.method,
    lines: planned,
    weightGrams: weight,
    distanceKm: round1(distance),
    carrier: quote.carrier,
    service: quote.service,
    shippingCost: quote.amount,
    co2eGrams: shipmentCo2e(quote.carrier, quote.service, weight, distance ?? 0),
    handlingCost: location.handlingCost,
    estimatedDelivery: memo(ctx, `eta|${location.id}|${quote.cutoffHour}|${transitDays}`, () =>
      estimatedDelivery(now, location.timezone, quote.cutoffHour, transitDays, location.openingHours),
    ),
  };
}

/** The lines' units no location in the assignment takes. */
function backorderedOf(assignment: Assignment, lines: readonly EngineLine[]): PlannedLine[] {
  const filled = new Map<string, number>();
  for (const taken of assignment.values()) for (const [lineId, q] of taken) filled.set(lineId, (filled.get(lineId) ?? 0) + q);
  return lines.filter((l) => (filled.get(l.lineId) ?? 0) < l.quantity).map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity - (filled.get(l.lineId) ?? 0) }));
}

export function evaluate(assignment: Assignment, ctx: EvaluationContext): Evaluated | undefined {
  const { input, lineById } = ctx;
  const { order, profile } = input;
  const isPickup = order.method === 'pickup' || order.method === 'curbside';
  const promiseDate = (tz: string) => memo(ctx, `promise|${tz}`, () => localDate(input.now, tz, PROMISE_DAYS[order.serviceLevel]));
  const fulfillments: PlannedFulfillment[] = [];
  let cost = 0;
  let maxDistance = 0;
  let prioritySum = 0;
  let maxWorkload = 0;
  let lateDays = 0;
  let minDepth = Infinity;
  let wellChance = 1;
  let co2 = 0;

  for (const [locationId, lines] of [...assignment.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const location = ctx.byId.get(locationId)!;
    const planned: PlannedLine[] = [...lines.entries()].map(([lineId, quantity]) => ({ lineId, sku: lineById.get(lineId)!.sku, quantity }));
    const weight = planned.reduce((s, l) => s + l.quantity * lineById.get(l.lineId)!.weightGrams, 0);
    const fulfillment = isPickup ? pickupAt(ctx, location, planned, weight) : shipmentFrom(ctx, location, planned, weight);
    if (!fulfillment) return undefined;
    fulfillments.push(fulfillment);
    cost += fulfillment.shippingCost + fulfillment.handlingCost;
    co2 += fulfillment.co2eGrams;
    maxDistance = Math.max(maxDistance, ctx.distances.get(locationId) ?? 0);
    prioritySum += location.priority;
    wellChance *= location.learned?.reliability ?? 1;
    if (location.dailyOrderCapacity) maxWorkload = Math.max(maxWorkload, (location.todayLoad + 1) / location.dailyOrderCapacity);
    const promised = promiseDate(location.timezone);
    if (fulfillment.estimatedDelivery > promised) lateDays = Math.max(lateDays, calendarDaysBetween(promised, fulfillment.estimatedDelivery));
    for (const line of planned) {
      const available = input.stock.get(locationId)?.get(line.sku) ?? 0;
      if (available > 0) minDepth = Math.min(minDepth, (available - line.quantity) / available);
    }
  }
  cost += profile.splitPenalty * Math.max(0, fulfillments.length - 1);
  return {
    assignment,
    fulfillments,
    backordered: backorderedOf(assignment, order.lines),
    unitsFilled: unitsOf(assignment),
    cost,
    criteria: {
      cost,
      distance: round1(maxDistance) ?? 0,
      // Lower is better for every criterion: high priority and deep stock count negative.
      priority: -(prioritySum / Math.max(1, fulfillments.length)),
      workload: round3(maxWorkload),
      promise: lateDays,
      stockDepth: round3(-(minDepth === Infinity ? 1 : minDepth)),
      // The chance something goes wrong: late, short or rejected somewhere in the plan.
      reliability: round3(1 - wellChance),
      co2,
    },
    score: 0,
  };
}
