// Business keys of reservations: a repeat of the same step finds the reservation it made.
// Pure, so workflows (which must not load the database layer) can name them too.

/** An order's (or a transfer's) routing reservation: order, line, location, attempt. */
export function reservationKey(orderId: string, lineId: string, locationId: string, attempt: number): string {
  return `${orderId}:${lineId}:${locationId}:${attempt}`;
}

/** A standalone transfer reserves each SKU once, at its source, as attempt 1. */
export function transferReservationKey(transferId: string, sku: string, fromLocationId: string): string {
  return reservationKey(transferId, sku, fromLocationId, 1);
}

/** Pickup by transfer: the units an order's transfer brought, reserved at the store for the order line. */
export function receiptReservationKey(orderId: string, lineId: string, storeId: string, transferId: string): string {
  return `${orderId}:${lineId}:${storeId}:${transferId}`;
}
