// The state of one fulfillment as its workflow holds it, and the view of it the order keeps.
import type { Fulfillment } from '../orders/schemas.ts';
import type { FulfillmentResource, FulfillmentWorkflowInput } from './schemas.ts';
import type { FulfillmentSetup } from './setup.ts';

export const ENDED_STATUSES: ReadonlySet<FulfillmentResource['status']> = new Set(['delivered', 'picked_up', 'expired', 'rejected', 'cancelled']);
/** Statuses that ended without the units reaching the customer (their stock went back or elsewhere). */
export const ENDED_UNFULFILLED: ReadonlySet<FulfillmentResource['status']> = new Set(['rejected', 'cancelled', 'expired']);
/** Statuses whose units have left the building (handed to a carrier or to the customer). */
export const LEFT_BUILDING: ReadonlySet<FulfillmentResource['status']> = new Set(['shipped', 'in_transit', 'delivered', 'picked_up']);

export function initialFulfillment(input: FulfillmentWorkflowInput): FulfillmentResource {
  return {
    id: input.fulfillmentId,
    orderId: input.orderId,
    locationId: input.locationId,
    method: input.method,
    serviceLevel: input.serviceLevel,
    status: 'pending',
    lines: input.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, picked: 0, short: 0 })),
    escalated: false,
    onHold: input.onHold,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    events: [{ at: input.createdAt, type: 'fulfillment.created', detail: { locationId: input.locationId } }],
  };
}

/** Each line learns its SKU's barcode (scans are checked against it). */
export function applyBarcodes(f: FulfillmentResource, setup: FulfillmentSetup): void {
  for (const line of f.lines) {
    const gtin = setup.barcodes.find((b) => b.sku === line.sku)?.gtin;
    if (gtin) line.gtin = gtin;
  }
}

/**
 * The state a fulfillment starts in when routing gave its setup and pick due time: the order
 * writes it as the fulfillment's first revision, and the fulfillment's workflow starts from
 * the same state.
 */
export function plannedFulfillment(input: FulfillmentWorkflowInput & { setup: FulfillmentSetup; pickDueAt: string }): FulfillmentResource {
  const f = initialFulfillment(input);
  applyBarcodes(f, input.setup);
  f.pickDueAt = input.pickDueAt;
  return f;
}

/** Units this fulfillment still delivers per line (short-picked units have left it). */
export function fulfilledUnits(line: FulfillmentResource['lines'][number]): number {
  return line.quantity - line.short;
}

/** The order's view of a fulfillment (the order resource's `fulfillments[]`). */
export function orderView(f: FulfillmentResource, extra: { pickupCode?: string; estimatedDelivery?: string; co2eGrams?: number; transferFromLocationId?: string }): Fulfillment {
  return {
    id: f.id,
    locationId: f.locationId,
    method: f.method,
    status: f.status,
    lines: f.lines.map((l) => ({ lineId: l.lineId, quantity: fulfilledUnits(l) })),
    ...(f.carrier ? { carrier: f.carrier } : {}),
    ...(f.service ? { service: f.service } : {}),
    ...(f.trackingNumber ? { trackingNumber: f.trackingNumber } : {}),
    ...(extra.pickupCode && f.status === 'ready_for_pickup' ? { pickupCode: extra.pickupCode } : {}),
    ...(f.pickupExpiresAt ? { pickupExpiresAt: f.pickupExpiresAt } : {}),
    ...(extra.estimatedDelivery ? { estimatedDelivery: extra.estimatedDelivery } : {}),
    ...(extra.co2eGrams !== undefined ? { co2eGrams: extra.co2eGrams } : {}),
    ...(extra.transferFromLocationId ? { transferFromLocationId: extra.transferFromLocationId } : {}),
    ...(f.transfer ? { transfer: f.transfer } : {}),
  };
}
