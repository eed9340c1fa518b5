// The state of one order as its workflow holds it, and the transitions the workflow
// applies to it. Pure: the workflow, the API (for the first response) and tests share it.
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

export function recordEvent(order: Order, at: string, type: string, detail: OrderEvent['detail']): void {
  order.events.push({ at, type, detail });
  order.updatedAt = at;
}

export function setStatus(order: Order, status: OrderStatus, at: string): void {
  order.status = status;
  order.updatedAt = at;
}

/** Applies a fulfillment the router planned: lines become allocated to it. */
export function addFulfillment(order: Order, fulfillment: Fulfillment): void {
  order.fulfillments.push(fulfillment);
  for (const planned of fulfillment.lines) {
    const line = order.lines.find((l) => l.lineId === planned.lineId);
    if (line) line.allocated += planned.quantity;
  }
}

export function fulfillmentLocations(order: Order): string[] {
  return [...new Set(order.fulfillments.map((f) => f.locationId))].sort();
}
