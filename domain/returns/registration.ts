// Opening a return, the pure part: where a mail return goes, what the return workflow is
// given, and the return resource as it starts (the API registers it, the workflow holds it).
import { distanceKm } from '../distance.ts';
import type { Location } from '../network/schemas.ts';
import type { Order } from '../orders/schemas.ts';
import { receiptDeadline } from './rules.ts';
import type { CreateReturnRequest, ReturnPolicy, ReturnResource, ReturnWorkflowInput } from './schemas.ts';

/** The location a mail return goes to: the nearest active one that takes returns (the pickup store, else any, without an address). */
export function nearestReturnsLocation(locations: readonly Location[], from: Order['shipTo'] | undefined, fallback: string | undefined): Location | undefined {
  const candidates = locations.filter((l) => l.active && l.capabilities.returns);
  if (from?.geo) return [...candidates].sort((a, b) => distanceKm(a.geo, from.geo!) - distanceKm(b.geo, from.geo!))[0];
  return candidates.find((l) => l.id === fallback) ?? candidates[0];
}

/** What the return workflow needs of the return and its order (the order as it stood when the return was opened). */
export function returnWorkflowInput(args: { returnId: string; rma: string; createdAt: string; request: CreateReturnRequest; location: Location; policy: ReturnPolicy; order: Order }): ReturnWorkflowInput {
  const { order } = args;
  return {
    returnId: args.returnId,
    rma: args.rma,
    createdAt: args.createdAt,
    request: args.request,
    locationId: args.location.id,
    locationTimezone: args.location.timezone,
    policy: args.policy,
    order: {
      id: order.id,
      channel: order.channel,
      channelOrderId: order.channelOrderId,
      customer: { id: order.customer.id, name: order.customer.name },
      ...(order.shipTo ? { shipTo: order.shipTo } : {}),
      fulfillment: {
        method: order.fulfillmentMethod,
        ...(order.shipTo ? { shipTo: order.shipTo } : {}),
        ...(order.pickupLocationId ? { pickupLocationId: order.pickupLocationId } : {}),
      },
      serviceLevel: order.serviceLevel,
      payment: { authorizationId: order.payment.authorizationId, amount: order.payment.amount },
      lines: order.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice })),
    },
  };
}

/** The return as it opens; `deadlineZone` is where its receipt days are counted (calendar days there, else 24-hour steps). */
export function initialReturn(input: ReturnWorkflowInput, deadlineZone: string | undefined): ReturnResource {
  const { request, order } = input;
  return {
    id: input.returnId,
    orderId: order.id,
    channel: order.channel,
    status: 'open',
    rma: input.rma,
    method: request.method,
    locationId: input.locationId,
    lines: request.lines.map((l) => ({ lineId: l.lineId, sku: order.lines.find((ol) => ol.lineId === l.lineId)?.sku ?? '', quantity: l.quantity, reason: l.reason, received: 0, receipts: [] })),
    ...(request.replacementLines ? { replacementLines: request.replacementLines } : {}),
    expiresAt: receiptDeadline(input.createdAt, input.policy.receiptDays, deadlineZone),
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    events: [{ at: input.createdAt, type: 'return.opened', detail: { rma: input.rma, method: request.method, locationId: input.locationId } }],
  };
}
