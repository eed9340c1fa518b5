// The transfer's stock steps — ship (what the source still holds leaves it), receive (what
// was counted goes on hand at the destination) — its overdue timer, and the whole course of a
// transfer run for a pickup order.
import { condition } from '@temporalio/workflow';
import { receiptReservationKey } from '../../domain/inventory/reservation-keys.ts';
import type { Transfer } from '../../domain/transfers/schemas.ts';
import { quantitiesBySku, shareBySku, TRANSFER_ENDED, type TransferForOrder } from '../../domain/transfers/state.ts';
import { activities, type TransferRun } from './run.ts';

type ReserveFor = { orderId: string; lines: { lineId: string; sku: string; quantity: number; reservationKey: string }[] };

/** The units left the source: what the reservations held now is what shipped. */
export async function ship(run: TransferRun, options: { ownerId?: string; reservationKeys?: string[] }): Promise<void> {
  const { transfer, shipRequest, shippedBy } = run;
  const shipped = await activities.shipTransfer({ transferId: transfer.id, toLocationId: transfer.toLocationId, ...options });
  // Histories from before shipping reported what shipped: every unit did.
  const perSku = Array.isArray(shipped) ? quantitiesBySku(shipped) : undefined;
  for (const line of transfer.lines) line.shipped = perSku ? (perSku.get(line.sku) ?? 0) : line.quantity;
  if (shipRequest.carrier) {
    transfer.carrier = shipRequest.carrier;
    transfer.trackingNumber = shipRequest.trackingNumber!;
  }
  transfer.status = 'in_transit';
  run.record('transfer.shipped', {
    ...(shipRequest.carrier ? { carrier: shipRequest.carrier, trackingNumber: shipRequest.trackingNumber } : shippedBy ? { by: 'store run' } : {}),
    ...(shippedBy ? { shippedBy } : {}),
  });
  await run.publish();
}

/** Units counted at the destination (all that shipped unless the receipt said fewer). */
function receivedPerSku(run: TransferRun): Map<string, number> {
  return new Map(run.transfer.lines.map((l) => [l.sku, Math.min(run.receiveRequest.lines?.find((c) => c.sku === l.sku)?.quantity ?? l.shipped, l.shipped)]));
}

export async function receive(run: TransferRun, reserveFor?: ReserveFor): Promise<void> {
  const { transfer } = run;
  const counted = receivedPerSku(run);
  await activities.receiveTransfer({
    transferId: transfer.id,
    toLocationId: transfer.toLocationId,
    ...(run.receiveRequest.lines ? { received: [...counted].map(([sku, quantity]) => ({ sku, quantity })) } : {}),
    ...(reserveFor ? { reserveFor } : {}),
  });
  for (const line of transfer.lines) line.received = counted.get(line.sku) ?? line.shipped;
  const missing = transfer.lines.filter((l) => l.received < l.shipped).map((l) => ({ sku: l.sku, quantity: l.shipped - l.received }));
  transfer.status = 'received';
  run.record('transfer.received', {
    ...(missing.length ? { missing } : {}),
    ...(reserveFor ? { reservedFor: reserveFor.orderId, reserved: reserveFor.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })) } : {}),
    ...(run.forOrder && !reserveFor ? { asStoreStock: true } : {}),
    ...(run.receivedBy ? { by: run.receivedBy } : {}),
  });
  await run.publish();
}

/** The overdue timer of a pickup by transfer: counts from the start, since the store waits either way. */
async function watchOverdue(run: TransferRun): Promise<void> {
  const { transfer } = run;
  const until = Date.parse(transfer.expectedAt) - Date.now();
  if (await condition(() => TRANSFER_ENDED.has(transfer.status), Math.max(1, until))) return;
  transfer.overdue = true;
  run.record('transfer.overdue', { expectedAt: transfer.expectedAt, status: transfer.status });
  await run.publish();
}

async function cancelled(run: TransferRun, reason: string): Promise<Transfer> {
  run.transfer.status = 'cancelled';
  run.record('transfer.cancelled', { reason });
  await run.publish();
  return run.transfer;
}

/** A pickup by transfer: the order's reservation is adopted, shipped, and reserved again for the order on receipt. */
export async function orderTransfer(run: TransferRun, order: TransferForOrder): Promise<Transfer> {
  const { transfer } = run;
  const keys = order.lines.map((l) => l.reservationKey);
  transfer.status = 'reserved';
  run.record('transfer.reserved', { orderId: order.orderId, fulfillmentId: order.fulfillmentId, note: 'the order’s reservation at the source' });
  await run.publish();
  void watchOverdue(run);
  await run.waitUntil(() => run.action === 'ship' || run.withdrawn());
  if (run.action !== 'ship') {
    await activities.releaseTransferStock({ transferId: transfer.id, ownerId: order.orderId, reservationKeys: keys });
    return cancelled(run, 'the order no longer needs the units');
  }
  await ship(run, { ownerId: order.orderId, reservationKeys: keys });
  // The source found none of the units: nothing is on its way, the order routes them elsewhere.
  if (transfer.lines.every((l) => l.shipped === 0)) return cancelled(run, `${transfer.fromLocationId} found none of the units`);
  await run.waitUntil(() => run.action === 'receive');
  if (run.withdrawn()) {
    await receive(run);
    return transfer;
  }
  // What arrived goes to the order's lines, each up to what it still wants; the rest is store stock.
  const shares = shareBySku(order.lines.map((l) => ({ ...l, quantity: run.needs.get(l.lineId) ?? 0 })), receivedPerSku(run));
  await receive(run, {
    orderId: order.orderId,
    lines: order.lines
      .map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: shares.get(l.lineId) ?? 0, reservationKey: receiptReservationKey(order.orderId, l.lineId, transfer.toLocationId, transfer.id) }))
      .filter((l) => l.quantity > 0),
  });
  return transfer;
}
