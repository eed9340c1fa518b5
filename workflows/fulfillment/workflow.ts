// The fulfillment workflow: one shipment or pickup of an order at one location, a child of
// the order workflow. Its story: learn the location (barcodes, SLA); for a pickup by
// transfer, wait while the transfer brings the units (transfer.ts); wait for picking under
// the location's SLA (timers.ts); then follow the associates' actions (actions.ts) and the
// carrier's and the order's signals (signals.ts) until it is delivered, collected, expired,
// rejected or cancelled. Every change is published to the read model (the location's work
// queue) and signalled to the order (run.ts).
import { allHandlersFinished, CancellationScope, condition, isCancellation, setHandler } from '@temporalio/workflow';
import type { FulfillmentResource, FulfillmentWorkflowInput } from '../../domain/fulfillments/schemas.ts';
import type { FulfillmentSetup } from '../../domain/fulfillments/setup.ts';
import { applyBarcodes, LEFT_BUILDING } from '../../domain/fulfillments/state.ts';
import { registerActions } from './actions.ts';
import { prepareFulfillment } from './activities.ts';
import { getFulfillmentQuery } from './definitions.ts';
import { FulfillmentRun } from './run.ts';
import { drainSignals, registerSignals } from './signals.ts';
import { pickupWindow, watchPickSla } from './timers.ts';
import { awaitingTransfer, followTransfer, registerTransferProgress, startTransfer, withdrawFromTransfer } from './transfer.ts';

export async function fulfillmentWorkflow(input: FulfillmentWorkflowInput): Promise<FulfillmentResource> {
  const run = new FulfillmentRun(input);
  const { f } = run;
  setHandler(getFulfillmentQuery, () => f);
  registerTransferProgress(run);
  registerActions(run);
  registerSignals(run);

  // Routing may have given the setup and the order written the first state already.
  if (input.setup) applySetup(run, input.setup);
  else await learnTheLocation(run);
  if (run.viaTransfer) awaitingTransfer(run);
  else f.pickDueAt = input.pickDueAt ?? new Date(Date.now() + run.slaMs).toISOString();

  try {
    if (run.viaTransfer) await startTransfer(run);
    if (input.firstStateSaved && !run.viaTransfer) run.firstStateSaved();
    else await run.publish();
    if (run.viaTransfer) await awaitTransfer(run);
    await watchPickSla(run);
    while (!run.ended()) {
      if (f.status === 'ready_for_pickup') {
        await pickupWindow(run);
        continue;
      }
      await condition(() => run.ended() || run.dirty || run.cancellations.length > 0 || f.status === 'ready_for_pickup');
      await drainSignals(run);
    }
    await condition(allHandlersFinished);
    await drainSignals(run);
    return f;
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // The order was cancelled or terminated: whatever has not left the building goes back.
    await CancellationScope.nonCancellable(() => giveBack(run));
    throw err;
  }
}

/** The SKUs' barcodes (scans are checked against them) and the location's SLA and pickup policy. */
async function learnTheLocation(run: FulfillmentRun): Promise<void> {
  const { f } = run;
  applySetup(run, await prepareFulfillment({ locationId: f.locationId, skus: f.lines.map((l) => l.sku) }));
}

function applySetup(run: FulfillmentRun, setup: FulfillmentSetup): void {
  run.setup = setup;
  applyBarcodes(run.f, setup);
  run.slaMs = setup.pickSlaMinutes * 60_000;
}

/** Until the store has the units: follows the transfer, answers cancellations and holds. */
async function awaitTransfer(run: FulfillmentRun): Promise<void> {
  while (run.f.status === 'awaiting_transfer') {
    await condition(() => run.transferChanged || run.dirty || run.cancellations.length > 0);
    if (run.transferChanged) {
      run.transferChanged = false;
      await run.exclusive(() => followTransfer(run));
    }
    await drainSignals(run);
  }
}

/** Compensation: the units still here go back to stock (a transfer on its way is withdrawn first). */
async function giveBack(run: FulfillmentRun): Promise<void> {
  const { f } = run;
  if (run.ended() || LEFT_BUILDING.has(f.status)) return;
  if (f.status === 'awaiting_transfer') await withdrawFromTransfer(run);
  await run.releaseAll('cancelled');
  run.setStatus('cancelled', 'fulfillment.cancelled', { reason: 'workflow cancelled' });
  await run.publish();
}
