// The state of one order as its workflow holds it, and the transitions the workflow
// applies to it. Pure: the workflow, the API (for the first response) and tests share it.
import { ENDED_UNFULFILLED, LEFT_BUILDING } from '../fulfillments/state.ts';
import type { CreateOrderRequest, Fulfillment, Order, OrderEvent, OrderStatus } from './schemas.ts';

export interface OrderWorkflowInput {
  orderId: string;
  createdAt: string;
  request: CreateOrderRequest;
}

export function initialOrder(input: OrderWorkflowInput): Order {
  const { request } = input;
  return {
    id: input.orderId,
    channel: request.channel,
    channelOrderId: request.channelOrderId,
    status: 'received',
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    customer: request.customer,
    fulfillmentMethod: request.fulfillment.method,
    serviceLevel: request.serviceLevel,
    ...(request.fulfillment.shipTo ? { shipTo: request.fulfillment.shipTo } : {}),
    ...(request.fulfillment.pickupLocationId ? { pickupLocationId: request.fulfillment.pickupLocationId } : {}),
    ...(request.promiseId ? { promiseId: request.promiseId } : {}),
    payment: request.payment,
    lines: request.lines.map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      allocated: 0,
      cancelled: 0,
      shipped: 0,
      returned: 0,
    })),
    fulfillments: [],
    holds: [],
    events: [{ at: input.createdAt, type: 'order.received', detail: { channel: request.channel } }],
  };
}

/** The order's merchandise value (unit price × quantity, in the payment currency): what profile rules compare. */
export function orderValue(order: { lines: readonly { quantity: number; unitPrice: { amount: number } }[]; payment: { amount: { currency: string } } }): { amount: number; currency: string } {
  return { amount: order.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice.amount, 0), currency: order.payment.amount.currency };
}

export function recordEvent(order: Order, at: string, type: string, detail: OrderEvent['detail']): void {
  order.events.push({ at, type, detail });
  order.updatedAt = at;
}

export function setStatus(order: Order, status: OrderStatus, at: string): void {
  order.status = status;
  order.updatedAt = at;
}

/** Where the order is worked: each fulfillment's location, and a transfer's source until it has shipped. */
export function fulfillmentLocations(order: Order): string[] {
  const sources = order.fulfillments.filter((f) => f.status === 'awaiting_transfer' && f.transfer && (f.transfer.status === 'requested' || f.transfer.status === 'reserved'));
  return [...new Set([...order.fulfillments.map((f) => f.locationId), ...sources.map((f) => f.transfer!.fromLocationId)])].sort();
}

const DONE: ReadonlySet<Fulfillment['status']> = new Set(['delivered', 'picked_up']);
/** Statuses whose units the customer pays for now: gone, or set aside at the counter. */
const PAYABLE: ReadonlySet<Fulfillment['status']> = new Set([...LEFT_BUILDING, 'ready_for_pickup']);

export function isActive(f: Fulfillment): boolean {
  return !ENDED_UNFULFILLED.has(f.status);
}

/** Units of a line in the order's fulfillments that pass `statuses`. */
export function unitsIn(order: Order, lineId: string, statuses: (f: Fulfillment) => boolean): number {
  let sum = 0;
  for (const f of order.fulfillments) {
    if (!statuses(f)) continue;
    for (const l of f.lines) if (l.lineId === lineId) sum += l.quantity;
  }
  return sum;
}

/** Units of each line that no fulfillment holds and nobody cancelled: what routing still has to place. */
export function unplacedLines(order: Order): { lineId: string; sku: string; quantity: number }[] {
  return order.lines
    .map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity - line.cancelled - unitsIn(order, line.lineId, isActive) }))
    .filter((l) => l.quantity > 0);
}

/** Refreshes each line's allocated and shipped counts from the fulfillments. */
export function refreshLineCounts(order: Order): void {
  for (const line of order.lines) {
    line.allocated = unitsIn(order, line.lineId, isActive);
    line.shipped = unitsIn(order, line.lineId, (f) => LEFT_BUILDING.has(f.status));
  }
}

/** Every line delivered, collected or cancelled. */
export function allLinesSettled(order: Order): boolean {
  return order.lines.every((line) => line.cancelled + unitsIn(order, line.lineId, (f) => DONE.has(f.status)) >= line.quantity);
}

/** The order's status as its lines and fulfillments make it (holds and the end states are the workflow's). */
export function derivedStatus(order: Order, routed: boolean): OrderStatus {
  if (!routed) return 'received';
  const active = order.fulfillments.filter(isActive);
  if (active.some((f) => f.status === 'ready_for_pickup')) return 'ready_for_pickup';
  const open = order.lines.reduce((s, l) => s + l.quantity - l.cancelled, 0);
  const gone = order.lines.reduce((s, l) => s + unitsIn(order, l.lineId, (f) => LEFT_BUILDING.has(f.status)), 0);
  if (open > 0 && gone >= open) return 'shipped';
  if (gone > 0) return 'partially_shipped';
  if (active.some((f) => f.status === 'picking' || f.status === 'packed')) return 'in_fulfillment';
  if (active.length > 0) return 'routed';
  return 'backordered';
}

/**
 * What the customer should have been charged by now: the authorization in proportion to
 * the value of the units gone or waiting at the counter (so shipping and tax are charged pro
 * rata, and the last shipment settles to the authorized amount exactly).
 */
export function captureTarget(order: Order): number {
  const price = new Map(order.lines.map((l) => [l.lineId, l.unitPrice.amount]));
  const total = order.lines.reduce((s, l) => s + l.quantity * l.unitPrice.amount, 0);
  if (total === 0) return 0;
  let payable = 0;
  for (const f of order.fulfillments) {
    if (!PAYABLE.has(f.status)) continue;
    for (const l of f.lines) payable += l.quantity * (price.get(l.lineId) ?? 0);
  }
  return Math.floor((order.payment.amount.amount * payable) / total);
}
