// What the order and the carrier tell a fulfillment: tracking events, cancellations (whole or
// some units), holds and address changes. Cancellations queue and are applied one at a time
// between the associates' actions.
import { patched, setHandler, uuid4 } from '@temporalio/workflow';
import { ENDED_UNFULFILLED, fulfilledUnits, LEFT_BUILDING } from '../../domain/fulfillments/state.ts';
import { releaseReservedUnits, voidShippingLabel } from './activities.ts';
import { addressChangedSignal, cancelFulfillmentSignal, orderHoldSignal, trackingEventSignal, type CancelFulfillmentRequest } from './definitions.ts';
import type { FulfillmentRun } from './run.ts';
import { tellTransferNeeds, withdrawFromTransfer } from './transfer.ts';

export function registerSignals(run: FulfillmentRun): void {
  const { f } = run;
  setHandler(trackingEventSignal, (event) => {
    if (!LEFT_BUILDING.has(f.status) || f.status === 'picked_up') return;
    const key = `${event.status}@${event.at}`;
    if (run.seenTracking.has(key) || f.status === 'delivered') return;
    run.seenTracking.add(key);
    f.trackingStatus = event.status;
    const detail = { trackingStatus: event.status, carrierTime: event.at, ...(event.detail ? { carrierDetail: event.detail } : {}) };
    if (event.status === 'delivered') run.setStatus('delivered', 'fulfillment.delivered', detail);
    else if (event.status === 'exception') {
      run.record('fulfillment.exception', detail);
      run.pendingChange.notice = { type: 'order.delivery_exception', detail: { fulfillmentId: f.id, trackingNumber: f.trackingNumber, ...detail } };
    } else if (f.status === 'shipped') run.setStatus('in_transit', 'fulfillment.in_transit', detail);
    else run.record(`fulfillment.${event.status}`, detail);
    run.dirty = true;
  });
  setHandler(cancelFulfillmentSignal, (request) => {
    run.cancellations.push(request);
  });
  setHandler(orderHoldSignal, ({ onHold }) => {
    if (f.onHold === onHold) return;
    f.onHold = onHold;
    run.record(onHold ? 'fulfillment.held' : 'fulfillment.released', {});
    run.dirty = true;
  });
  setHandler(addressChangedSignal, ({ shipTo: next }) => {
    if (f.trackingNumber) return;
    run.shipTo = next;
    run.record('fulfillment.address_changed', {});
    run.dirty = true;
  });
}

/** Applies the queued cancellations, then publishes what other signals changed. */
export async function drainSignals(run: FulfillmentRun): Promise<void> {
  while (run.cancellations.length > 0) {
    const request = run.cancellations.shift()!;
    await run.exclusive(() => applyCancellation(run, request));
  }
  if (run.dirty) {
    run.dirty = false;
    await run.publish();
  }
}

/** Applies one of the order's cancellations: whole, or some units (those not yet gone). */
async function applyCancellation(run: FulfillmentRun, request: CancelFulfillmentRequest): Promise<void> {
  const { f } = run;
  if (run.ended() || LEFT_BUILDING.has(f.status)) {
    if (!run.ended() || !ENDED_UNFULFILLED.has(f.status)) {
      const lines = request.lines ?? f.lines.map((l) => ({ lineId: l.lineId, quantity: fulfilledUnits(l) }));
      run.pendingChange.cancelRefused = { lines, reason: `fulfillment already ${f.status}` };
      await run.publish();
    }
    return;
  }
  // Whole when no unit of any line would be left.
  const asked = (lineId: string) => request.lines!.filter((c) => c.lineId === lineId).reduce((sum, c) => sum + c.quantity, 0);
  const whole = !request.lines || f.lines.every((l) => fulfilledUnits(l) <= asked(l.lineId));
  if (whole) await cancelWhole(run, request);
  else await cancelUnits(run, request);
  await run.publish();
}

async function cancelWhole(run: FulfillmentRun, request: CancelFulfillmentRequest): Promise<void> {
  const { f } = run;
  if (f.status === 'awaiting_transfer') await withdrawFromTransfer(run);
  await run.releaseAll(request.rerouted ? 'rerouted' : 'cancelled');
  if (f.trackingNumber && patched('void-label-on-cancel')) {
    await voidShippingLabel({ fulfillmentId: f.id });
    run.record('fulfillment.label_voided', { trackingNumber: f.trackingNumber });
  }
  run.setStatus('cancelled', request.rerouted ? 'fulfillment.rerouted' : 'fulfillment.cancelled', { reason: request.reason, by: request.by });
}

async function cancelUnits(run: FulfillmentRun, request: CancelFulfillmentRequest): Promise<void> {
  const { f } = run;
  for (const c of request.lines!) {
    const line = f.lines.find((l) => l.lineId === c.lineId);
    if (!line) continue;
    const quantity = Math.min(c.quantity, fulfilledUnits(line));
    if (quantity <= 0) continue;
    await releaseReservedUnits({ reservationKey: run.reservationKeys.get(line.lineId)!, quantity, idempotencyKey: `cancel:${f.id}:${line.lineId}:${uuid4()}`, actor: request.by });
    line.quantity -= quantity;
    line.picked = Math.min(line.picked, fulfilledUnits(line));
  }
  run.record('fulfillment.lines_cancelled', { lines: request.lines, reason: request.reason, by: request.by });
  if (f.status === 'awaiting_transfer') await tellTransferNeeds(run);
}
