// Validators of the order's exception actions (the same checks as the HTTP routes, so the
// Temporal CLI is validated too) and the plan a cancellation follows. Pure functions of the
// order's state: they run in the workflow, before an Update is accepted into history.
import { requestSchemas } from '../request-schemas.ts';
import type { FieldError } from '../../domain/errors.ts';
import { LEFT_BUILDING } from '../../domain/fulfillments/state.ts';
import { isActive, unitsIn } from '../../domain/orders/order-state.ts';
import type { Fulfillment, Order } from '../../domain/orders/schemas.ts';
import { INVALID_STATE, refuse, refuseFields } from '../update-refusals.ts';
import { checkBody } from '../validate-body.ts';

/** Fulfillments whose units can still be cancelled (a ready pickup is refunded). */
const CANCELLABLE: ReadonlySet<Fulfillment['status']> = new Set(['awaiting_transfer', 'pending', 'picking', 'packed', 'ready_for_pickup']);
/** Fulfillments ops may send elsewhere: nothing has been packed or set aside at the counter yet. */
export const REROUTABLE: ReadonlySet<Fulfillment['status']> = new Set(['awaiting_transfer', 'pending', 'picking']);

function requireOpen(order: Order, closed: boolean, action: string): void {
  if (closed || order.status === 'completed' || order.status === 'cancelled') refuse(INVALID_STATE, `A ${order.status} order cannot be ${action}.`);
}

export function validateHold(order: Order, body: unknown): void {
  checkBody(requestSchemas.orderActions().HoldRequest, body);
  requireOpen(order, false, 'put on hold');
}

export function validateRelease(order: Order, body: unknown): void {
  checkBody(requestSchemas.orderActions().ReleaseRequest, body);
  if (order.holds.length === 0) refuse(INVALID_STATE, 'The order is not on hold.');
}

function unitsGone(order: Order, lineId: string): number {
  return unitsIn(order, lineId, (f) => LEFT_BUILDING.has(f.status));
}

export interface CancellationPlan {
  byLine: Map<string, number>;
  byFulfillment: Map<string, { whole: boolean; lines: { lineId: string; quantity: number }[] }>;
}

/**
 * Which units a cancellation takes: per line, unplaced (backordered) units first, then units
 * of the newest fulfillments that have not left the building. Without `lines`, every unit
 * that can still be cancelled.
 */
export function planCancellation(order: Order, lines?: { lineId: string; quantity: number }[]): CancellationPlan {
  const wanted = new Map<string, number>();
  for (const line of order.lines) {
    const cancellable = line.quantity - line.cancelled - unitsGone(order, line.lineId);
    const asked = lines ? lines.filter((l) => l.lineId === line.lineId).reduce((s, l) => s + l.quantity, 0) : cancellable;
    const take = Math.min(asked, cancellable);
    if (take > 0) wanted.set(line.lineId, take);
  }
  const plan: CancellationPlan = { byLine: new Map(wanted), byFulfillment: new Map() };
  const open = order.fulfillments.filter((f) => CANCELLABLE.has(f.status)).reverse();
  for (const [lineId, quantity] of wanted) {
    const line = order.lines.find((l) => l.lineId === lineId)!;
    const placed = unitsIn(order, lineId, isActive);
    let rest = quantity - Math.max(0, line.quantity - line.cancelled - placed);
    for (const f of open) {
      if (rest <= 0) break;
      const units = f.lines.find((l) => l.lineId === lineId)?.quantity ?? 0;
      const take = Math.min(units, rest);
      if (take <= 0) continue;
      const entry = plan.byFulfillment.get(f.id) ?? { whole: false, lines: [] };
      entry.lines.push({ lineId, quantity: take });
      plan.byFulfillment.set(f.id, entry);
      rest -= take;
    }
  }
  for (const [fulfillmentId, entry] of plan.byFulfillment) {
    const f = order.fulfillments.find((x) => x.id === fulfillmentId)!;
    entry.whole = f.lines.every((l) => l.quantity <= (entry.lines.find((c) => c.lineId === l.lineId)?.quantity ?? 0));
  }
  return plan;
}

export function validateCancel(order: Order, body: unknown, closed: boolean): void {
  const request = checkBody(requestSchemas.orderActions().CancelRequest, body);
  requireOpen(order, closed, 'cancelled');
  if (!request.lines) {
    if (order.lines.some((l) => unitsGone(order, l.lineId) > 0)) {
      refuse(INVALID_STATE, 'Units of this order have already shipped or been collected; cancel the remaining units by naming their lines.');
    }
    return;
  }
  const errors: FieldError[] = [];
  const asked = new Map<string, number>();
  request.lines.forEach((c, i) => {
    const line = order.lines.find((l) => l.lineId === c.lineId);
    if (!line) {
      errors.push({ path: `lines[${i}].lineId`, message: `the order has no line ${c.lineId}` });
      return;
    }
    asked.set(c.lineId, (asked.get(c.lineId) ?? 0) + c.quantity);
    if (asked.get(c.lineId)! > line.quantity - line.cancelled) {
      errors.push({ path: `lines[${i}].quantity`, message: `line ${c.lineId} has only ${line.quantity - line.cancelled} uncancelled unit(s)` });
    }
  });
  if (errors.length > 0) refuseFields(errors);
  for (const [lineId, quantity] of asked) {
    const line = order.lines.find((l) => l.lineId === lineId)!;
    if (quantity > line.quantity - line.cancelled - unitsGone(order, lineId)) {
      refuse(INVALID_STATE, `Units of line ${lineId} have already shipped or been collected; at most ${line.quantity - line.cancelled - unitsGone(order, lineId)} can be cancelled.`);
    }
  }
}

export function validateReroute(order: Order, body: unknown, closed: boolean): void {
  const request = checkBody(requestSchemas.orderActions().RerouteRequest, body);
  requireOpen(order, closed, 're-routed');
  const fulfillment = order.fulfillments.find((f) => f.id === request.fulfillmentId);
  if (!fulfillment) refuseFields([{ path: 'fulfillmentId', message: `the order has no fulfillment ${request.fulfillmentId}` }]);
  if (request.toLocationId !== undefined) {
    if (request.toLocationId === fulfillment.locationId) refuseFields([{ path: 'toLocationId', message: 'is the location the fulfillment is already at' }]);
    if (request.excludeLocationIds?.includes(request.toLocationId)) refuseFields([{ path: 'toLocationId', message: 'is also in excludeLocationIds' }]);
  }
  if (!REROUTABLE.has(fulfillment.status)) {
    refuse(INVALID_STATE, `A ${fulfillment.status} fulfillment cannot be re-routed.`);
  }
}

export function validateAddress(order: Order, body: unknown, closed: boolean): void {
  checkBody(requestSchemas.orderActions().AddressRequest, body);
  requireOpen(order, closed, 'given a new address');
  if (order.fulfillmentMethod !== 'ship' && order.fulfillmentMethod !== 'same_day') {
    refuse(INVALID_STATE, `A ${order.fulfillmentMethod} order has no shipping address.`);
  }
  const labelled = order.fulfillments.find((f) => f.trackingNumber !== undefined && isActive(f));
  if (labelled) refuse(INVALID_STATE, `A label already exists (${labelled.trackingNumber}); the address can no longer change.`);
}

/** Fulfillments whose plan may still change: picking has not started. */
export const BEFORE_PICKING: ReadonlySet<Fulfillment['status']> = new Set(['awaiting_transfer', 'pending']);

export function validateFulfillmentMethod(order: Order, body: unknown, closed: boolean): void {
  const request = checkBody(requestSchemas.orderActions().FulfillmentMethodRequest, body);
  requireOpen(order, closed, 'given another fulfillment method');
  const ship = request.method === 'ship' || request.method === 'same_day';
  if (ship && !request.shipTo && !order.shipTo) refuseFields([{ path: 'shipTo', message: `is required for method "${request.method}": the order has no shipping address` }]);
  const same =
    request.method === order.fulfillmentMethod &&
    (ship ? !request.shipTo : request.pickupLocationId === order.pickupLocationId) &&
    (request.serviceLevel === undefined || request.serviceLevel === order.serviceLevel);
  if (same) refuseFields([{ path: 'method', message: `is already the order's method${ship ? '' : ` at ${order.pickupLocationId}`}` }]);
  const started = order.fulfillments.find((f) => isActive(f) && !BEFORE_PICKING.has(f.status));
  if (started) refuse(INVALID_STATE, `Fulfillment ${started.id} is already ${started.status}; the method can change only before picking starts.`);
  if (order.lines.some((l) => unitsGone(order, l.lineId) > 0)) refuse(INVALID_STATE, 'Units of this order have already shipped or been collected.');
}
