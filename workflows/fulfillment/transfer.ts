// Pickup by transfer, the fulfillment's side: it starts the transfer as its child, waits in
// awaiting_transfer while the source works it, re-routes what the source could not find or
// what was lost on the way, tells the customer when it is late, and takes over the units the
// store received (reserved there for this order). Withdrawing before shipping cancels the
// transfer; in transit it leaves the units to the store.
import { ChildWorkflowCancellationType, condition, getExternalWorkflowHandle, log, ParentClosePolicy, setHandler, startChild } from '@temporalio/workflow';
import { fulfilledUnits } from '../../domain/fulfillments/state.ts';
import { receiptReservationKey } from '../../domain/inventory/reservation-keys.ts';
import type { Transfer } from '../../domain/transfers/schemas.ts';
import { quantitiesBySku, shareBySku, TRANSFER_ENDED } from '../../domain/transfers/state.ts';
import { orderNeedsSignal, transferProgressSignal, transferWorkflowId } from '../transfer/definitions.ts';
import { transferWorkflow } from '../transfer/workflow.ts';
import { releaseReservedUnits } from './activities.ts';
import { HOUR, nowIso, type FulfillmentRun } from './run.ts';

export function registerTransferProgress(run: FulfillmentRun): void {
  setHandler(transferProgressSignal, (next) => {
    // Signals come in order; a shorter story is an older one.
    if (run.transfer && next.events.length < run.transfer.events.length) return;
    run.transfer = next;
    run.transferChanged = true;
  });
}

/** The units are at the source: the store waits for them; its SLA counts from the receipt. */
export function awaitingTransfer(run: FulfillmentRun): void {
  const { f, input } = run;
  const expectedAt = input.transferExpectedAt ?? new Date(Date.now() + 24 * HOUR).toISOString();
  f.status = 'awaiting_transfer';
  // Reserved already: the transfer adopts the order's reservation at the source.
  f.transfer = { id: run.transferId, fromLocationId: input.transferFromLocationId!, status: 'reserved', expectedAt, overdue: false };
  run.record('fulfillment.awaiting_transfer', { status: f.status, transferId: run.transferId, fromLocationId: input.transferFromLocationId, expectedAt });
}

export async function startTransfer(run: FulfillmentRun): Promise<void> {
  const { f, input } = run;
  await startChild(transferWorkflow, {
    workflowId: transferWorkflowId(run.transferId),
    args: [
      {
        transferId: run.transferId,
        createdAt: nowIso(),
        request: {
          fromLocationId: input.transferFromLocationId!,
          toLocationId: f.locationId,
          lines: [...quantitiesBySku(input.lines)].map(([sku, quantity]) => ({ sku, quantity })),
          expectedAt: f.transfer!.expectedAt,
        },
        forOrder: { orderId: f.orderId, fulfillmentId: f.id, lines: input.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, reservationKey: l.reservationKey })) },
      },
    ],
    // The transfer outlives this fulfillment when the order withdraws in transit: the units still arrive.
    parentClosePolicy: ParentClosePolicy.ABANDON,
    cancellationType: ChildWorkflowCancellationType.ABANDON,
  });
}

/** Tells the transfer how many units of each line the order still wants from it. */
export async function tellTransferNeeds(run: FulfillmentRun): Promise<void> {
  try {
    await getExternalWorkflowHandle(transferWorkflowId(run.transferId)).signal(orderNeedsSignal, { lines: run.f.lines.map((l) => ({ lineId: l.lineId, quantity: fulfilledUnits(l) })) });
  } catch (err) {
    // The transfer has ended (received): its progress says what it reserved, and releaseAll covers it.
    log.warn('could not tell the transfer', { transferId: run.transferId, error: String(err) });
  }
}

/**
 * The order no longer wants the units: before shipping the transfer is cancelled (the
 * source's reservation released), in transit they arrive as the store's ordinary stock.
 * Waits until the transfer has taken it in (or had already received them, reserved for
 * this order: releaseAll then gives those back).
 */
export async function withdrawFromTransfer(run: FulfillmentRun): Promise<void> {
  try {
    await getExternalWorkflowHandle(transferWorkflowId(run.transferId)).signal(orderNeedsSignal, { lines: run.f.lines.map((l) => ({ lineId: l.lineId, quantity: 0 })) });
  } catch (err) {
    log.warn('could not tell the transfer', { transferId: run.transferId, error: String(err) });
  }
  await condition(() => run.transfer !== undefined && (run.transfer.withdrawn === true || TRANSFER_ENDED.has(run.transfer.status)));
  followTransferView(run);
}

function followTransferView(run: FulfillmentRun): void {
  const { transfer } = run;
  if (!transfer) return;
  run.f.transfer = {
    id: transfer.id,
    fromLocationId: transfer.fromLocationId,
    status: transfer.status,
    expectedAt: transfer.expectedAt,
    overdue: transfer.overdue,
    ...(transfer.carrier ? { carrier: transfer.carrier, trackingNumber: transfer.trackingNumber! } : {}),
  };
}

/** Acts on what the transfer reported: shipped (what the source could not find is re-routed), late, received. */
export async function followTransfer(run: FulfillmentRun): Promise<void> {
  const { f, transfer: t } = run;
  if (!t || f.status !== 'awaiting_transfer') return;
  followTransferView(run);
  if ((t.status === 'in_transit' || t.status === 'received') && !run.transferSeen.shipped) {
    run.transferSeen.shipped = true;
    if (shipped(run, t)) {
      await run.publish();
      return;
    }
  }
  if (t.overdue && !run.transferSeen.overdue && t.status !== 'received') {
    run.transferSeen.overdue = true;
    run.record('fulfillment.transfer_overdue', { transferId: t.id, expectedAt: t.expectedAt, transferStatus: t.status });
    run.pendingChange.notice = {
      type: 'order.delayed',
      detail: { reason: 'the transfer bringing the units to the pickup store is late', fulfillmentId: f.id, transferId: t.id, expectedAt: t.expectedAt },
    };
  }
  if (t.status === 'received' && !run.transferSeen.received) {
    run.transferSeen.received = true;
    await receiveFromTransfer(run, t);
    return;
  }
  if ((t.status === 'cancelled' || t.status === 'rejected') && !run.ended()) {
    // Not by this fulfillment (it waits for its own withdrawal): the units are not coming.
    await run.releaseAll('transfer_cancelled');
    run.pendingChange.reroute = { reason: `the transfer from ${t.fromLocationId} was ${t.status}`, excludeLocationId: t.fromLocationId };
    run.setStatus('cancelled', 'fulfillment.cancelled', { reason: `transfer ${t.status}` });
  }
  await run.publish();
}

/**
 * The source shipped: what it could not find leaves this fulfillment and is re-routed away
 * from it. True when nothing at all is on its way (the fulfillment ends).
 */
function shipped(run: FulfillmentRun, t: Transfer): boolean {
  const { f } = run;
  // Shared out per line as the transfer shares it: line order, each up to what it still wants.
  const got = shareBySku(f.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: fulfilledUnits(l) })), new Map(t.lines.map((l) => [l.sku, l.shipped])));
  const short: { lineId: string; quantity: number }[] = [];
  for (const line of f.lines) {
    const missing = fulfilledUnits(line) - (got.get(line.lineId) ?? 0);
    if (missing > 0) {
      short.push({ lineId: line.lineId, quantity: missing });
      line.short += missing;
    }
  }
  if (short.length > 0) run.pendingChange.reroute = { reason: `the transfer from ${t.fromLocationId} shipped fewer units`, excludeLocationId: t.fromLocationId };
  run.record('fulfillment.transfer_shipped', { transferId: t.id, ...(t.carrier ? { carrier: t.carrier, trackingNumber: t.trackingNumber } : {}), ...(short.length ? { short } : {}) });
  if (!f.lines.every((l) => fulfilledUnits(l) === 0)) return false;
  run.setStatus('cancelled', 'fulfillment.cancelled', { reason: `nothing shipped from ${t.fromLocationId}` });
  return true;
}

/**
 * The store has the units, reserved for this order under the receipt keys: what is missing
 * is re-routed (lost in transit says nothing against any location), what is no longer
 * wanted goes back to the store's stock, and the store starts picking (its SLA from now).
 */
async function receiveFromTransfer(run: FulfillmentRun, t: Transfer): Promise<void> {
  const { f } = run;
  const reservedEvent = [...t.events].reverse().find((e) => e.type === 'transfer.received');
  const reserved = new Map(((reservedEvent?.detail.reserved as { lineId: string; quantity: number }[] | undefined) ?? []).map((r) => [r.lineId, r.quantity]));
  const missing: { lineId: string; quantity: number }[] = [];
  for (const line of f.lines) {
    const key = receiptReservationKey(f.orderId, line.lineId, f.locationId, t.id);
    const got = reserved.get(line.lineId) ?? 0;
    if (got > fulfilledUnits(line)) {
      await releaseReservedUnits({ reservationKey: key, quantity: got - fulfilledUnits(line), idempotencyKey: `transfer_surplus:${f.id}:${line.lineId}`, actor: `fulfillment:${f.id}` });
    } else if (got < fulfilledUnits(line)) {
      missing.push({ lineId: line.lineId, quantity: fulfilledUnits(line) - got });
      line.short += fulfilledUnits(line) - got;
    }
    run.reservationKeys.set(line.lineId, key);
  }
  if (missing.length > 0) run.pendingChange.reroute = { reason: `units missing from the transfer from ${t.fromLocationId}`, excludeLocationId: null };
  const units = f.lines.reduce((sum, l) => sum + fulfilledUnits(l), 0);
  if (units === 0) {
    run.setStatus('cancelled', 'fulfillment.cancelled', { reason: 'no unit of the transfer arrived', missing });
  } else {
    f.pickDueAt = new Date(Date.now() + run.slaMs).toISOString();
    run.setStatus('pending', 'fulfillment.transfer_received', { transferId: t.id, units, ...(missing.length ? { missing } : {}) });
  }
  await run.publish();
}
