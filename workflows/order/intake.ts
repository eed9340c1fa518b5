// Intake: the order is screened against the hold rules and, unless held, routed and
// reserved; then published once. Orders since `patched('fast-intake')` do it all in the
// worker within the order's first workflow tasks: screening and routing are local
// activities, routing hands each fulfillment its setup, the fulfillments start with their
// first state, and the one publish writes the routed order with those states. The exception
// actions wait until intake is over (handlers.ts), so every command of this stretch comes
// from here, in the same order live and on replay. Orders started before keep the
// step-by-step path: a snapshot first, then screening and routing as activity tasks.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { holdPlaced, readyToRoute, startRoutingRound } from '../../domain/orders/progress.ts';
import { orAttention } from '../needs-attention.ts';
import { routeAndReserve } from './routing.ts';
import { nowIso, type OrderRun } from './run.ts';

const retry = { initialInterval: '1 second', maximumInterval: '30 seconds' } as const;
const screening = {
  task: proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry }),
  local: proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry }),
};

export async function intake(run: OrderRun): Promise<void> {
  if (!run.fast) {
    await run.publish();
    await screen(run);
    return;
  }
  // run.intake is set from the run's start (actions may come before this body runs).
  try {
    await screen(run);
    const { progress, order } = run;
    if (readyToRoute(progress, order)) {
      const kind = startRoutingRound(progress);
      try {
        await routeAndReserve(run, kind, { local: true });
      } finally {
        progress.routingBusy = false;
      }
    }
    await run.publish({ local: true });
  } finally {
    run.intake = false;
  }
}

/** The hold rules and the order's timing policy, read once (a running order keeps the rules it started with). */
async function screen(run: OrderRun): Promise<void> {
  const { order } = run;
  const { screenOrder } = run.fast ? screening.local : screening.task;
  const result = await orAttention(
    () => screenOrder({ customerId: order.customer.id, orderValue: order.payment.amount, ...(order.pickupLocationId ? { pickupLocationId: order.pickupLocationId } : {}) }),
    (failure) => run.needsAttention(failure),
    undefined,
  );
  run.policy = result?.policy;
  for (const reason of result?.holdReasons ?? []) {
    order.holds.push({ reason, placedAt: nowIso() });
    holdPlaced(run.progress, Date.now());
    run.event('order.held', { reason, by: 'hold-rule' });
  }
  if ((result?.holdReasons.length ?? 0) > 0 && !run.fast) await run.publish();
}
