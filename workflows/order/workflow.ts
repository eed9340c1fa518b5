// The order workflow: one long-running execution per order, read top to bottom as its story —
// screen against the hold rules, wait while held, route and reserve, follow the fulfillments
// it starts (one child per shipment or pickup), capture what shipped, close once every line
// is settled. Re-routes what comes back, waits for backordered stock up to the promise date,
// and answers the exception actions (handlers.ts). Search attributes, memo and the read
// model (with the outbox) follow every change (run.ts).
import { allHandlersFinished, CancellationScope, condition, isCancellation, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { unplacedLines, type OrderWorkflowInput } from '../../domain/orders/order-state.ts';
import { closingStatus, nextDeadline, readyToClose, readyToRoute, startRoutingRound, type Deadline } from '../../domain/orders/progress.ts';
import type { Order } from '../../domain/orders/schemas.ts';
import { afterDays } from '../../domain/shipping/local-time.ts';
import { orAttention } from '../needs-attention.ts';
import { Compensations } from '../compensations.ts';
import { cancelUnits, registerOrderHandlers, releaseHolds } from './handlers.ts';
import { captureWhatShipped } from './payments.ts';
import { intake } from './intake.ts';
import { routeAndReserve } from './routing.ts';
import { OrderRun } from './run.ts';

const { releaseOrderReservations } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function orderWorkflow(input: OrderWorkflowInput): Promise<Order> {
  const run = new OrderRun(input);
  registerOrderHandlers(run);
  const { progress } = run;
  // Whatever ends the order early (cancellation, a failure) undoes, last first: its stock goes
  // back (routing may have reserved), then the payment is settled on a cancellation.
  const undo = new Compensations();
  undo.add((err) => closeCancelled(run, err));
  undo.add((err) => releaseReservations(run, err));
  try {
    await intake(run);
    while (progress.closed === undefined) {
      // Wait for a change (a signal, an action, units to route, the end) or the next timer.
      const deadline = nextDeadline(progress, run.order, run.policy, () => promiseAt(run));
      const woke = () => progress.changed || readyToRoute(progress, run.order) || settled(run);
      const signalled = deadline ? await condition(woke, Math.max(1, deadline.at - Date.now())) : (await condition(woke), true);
      if (!signalled && deadline) {
        const applying = onDeadline(run, deadline);
        if (applying) await applying;
        progress.changed = true;
      }
      if (readyToRoute(progress, run.order)) {
        const kind = startRoutingRound(progress);
        try {
          await routeAndReserve(run, kind, kind === 'reroute' ? { detail: { excluded: [...progress.excluded] } } : {});
        } finally {
          progress.routingBusy = false;
        }
        progress.changed = true;
      }
      if (progress.changed || settled(run)) {
        followFulfillments(run);
        await captureWhatShipped(run, false);
        if (settled(run)) await closeWhenSettled(run);
        await run.publish();
      }
    }
    await condition(allHandlersFinished);
  } catch (err) {
    await CancellationScope.nonCancellable(() => undo.unwind(err));
    throw err;
  }
  return run.order;
}

const settled = (run: OrderRun) => readyToClose(run.order) && !run.progress.routingBusy;

/** The backorder promise: calendar days where the order is counted (a day across a daylight-saving change is 23 or 25 hours). */
function promiseAt(run: OrderRun): number {
  const policy = run.policy!;
  const zone = policy.timezone && patched('promise-in-local-days') ? policy.timezone : undefined;
  return afterDays(new Date(run.order.createdAt), policy.backorderPromiseDays, zone).getTime();
}

/**
 * A timer fired: a hold is escalated, then auto-cancelled; backordered units are re-checked,
 * then expire at the promise. Returns the cancellation to wait for, if the timer started one.
 */
function onDeadline(run: OrderRun, deadline: Deadline): Promise<void> | undefined {
  const { order, progress } = run;
  const policy = run.policy!;
  if (deadline.what === 'escalate') {
    progress.holdEscalated = true;
    run.event('order.hold_escalated', { heldSince: new Date(progress.heldSince!).toISOString(), reasons: order.holds.map((h) => h.reason) });
  } else if (deadline.what === 'auto_cancel') {
    const reason = `on hold for ${policy.holdAutoCancelAfterHours} hours without release`;
    releaseHolds(run, reason, 'system');
    return cancelUnits(run, reason, 'system');
  } else if (deadline.what === 'recheck') {
    progress.retryRequested = true;
  } else {
    const expired = unplacedLines(order);
    for (const l of expired) order.lines.find((line) => line.lineId === l.lineId)!.cancelled += l.quantity;
    run.event('order.backorder_expired', { lines: expired.map(({ lineId, quantity }) => ({ lineId, quantity })), promiseDays: policy.backorderPromiseDays });
  }
  return undefined;
}

/** After a change: line counts and status follow the fulfillments (payment and closing come next). */
function followFulfillments(run: OrderRun): void {
  run.progress.changed = false;
  run.refresh();
}

/** Every line delivered, collected or cancelled: completed (or cancelled), the rest of the authorization voided. */
async function closeWhenSettled(run: OrderRun): Promise<void> {
  run.progress.closed = closingStatus(run.order);
  await captureWhatShipped(run, true);
  run.event(run.progress.closed === 'completed' ? 'order.completed' : 'order.cancelled', {});
}

/** Undo: the order's held reservations go back to available stock. */
async function releaseReservations(run: OrderRun, err: unknown): Promise<void> {
  await orAttention(() => releaseOrderReservations({ orderId: run.order.id, reason: isCancellation(err) ? 'cancelled' : 'failed' }), (f) => run.needsAttention(f), undefined);
}

/** Undo on cancellation: the order ends cancelled, refunding and voiding what it took. */
async function closeCancelled(run: OrderRun, err: unknown): Promise<void> {
  if (!isCancellation(err)) return;
  run.progress.closed = 'cancelled';
  run.event('order.cancelled', { reason: 'workflow cancelled' });
  await captureWhatShipped(run, true);
  await run.publish();
}
