// The fulfillment's clocks: the location's pick SLA (escalated, then re-routed) and the
// pickup window (reminders, then expiry). Signals are handled while they run.
import { condition, patched } from '@temporalio/workflow';
import { drainSignals } from './signals.ts';
import { HOUR, type FulfillmentRun } from './run.ts';

/**
 * The location SLA: escalated when picking has not started in time; re-routed after as long
 * again. Signals (partial cancels, holds) are handled while it runs.
 */
export async function watchPickSla(run: FulfillmentRun): Promise<void> {
  const { f } = run;
  if (!patched('sla-watch-through-signals')) return watchPickSlaUntilFirstSignal(run);
  // Due when the order's first view said (routing gave it), else from this workflow's start.
  const escalateAt = run.input.pickDueAt ? Date.parse(run.input.pickDueAt) : Date.now() + run.slaMs;
  while (f.status === 'pending') {
    const deadline = f.escalated ? escalateAt + run.slaMs : escalateAt;
    if (await condition(() => f.status !== 'pending' || run.cancellations.length > 0 || run.dirty, Math.max(1, deadline - Date.now()))) {
      await drainSignals(run);
      continue;
    }
    if (!f.escalated) {
      await escalateSla(run);
      continue;
    }
    await breachSla(run);
  }
}

/** Before the patch above: the watch ended at the first cancellation (kept for workflows started then). */
async function watchPickSlaUntilFirstSignal(run: FulfillmentRun): Promise<void> {
  const started = () => run.f.status !== 'pending' || run.cancellations.length > 0;
  if (await condition(started, run.slaMs)) return;
  await escalateSla(run);
  if (await condition(started, run.slaMs)) return;
  await breachSla(run);
}

async function escalateSla(run: FulfillmentRun): Promise<void> {
  run.f.escalated = true;
  run.record('fulfillment.sla_escalated', { pickDueAt: run.f.pickDueAt });
  await run.publish();
}

async function breachSla(run: FulfillmentRun): Promise<void> {
  const { f } = run;
  await run.exclusive(async () => {
    if (f.status !== 'pending') return;
    await run.releaseAll('sla_breached');
    run.pendingChange.reroute = { reason: `not picked within the SLA at ${f.locationId}` };
    run.setStatus('cancelled', 'fulfillment.sla_breached', { reason: 'not picked within the SLA; re-routed' });
    await run.publish();
  });
}

/** Reminders while the order waits at the counter; expiry puts the units back on the shelf. */
export async function pickupWindow(run: FulfillmentRun): Promise<void> {
  const { f } = run;
  const policy = run.requireStarted();
  const readyAt = run.readyAtMs ?? Date.parse(f.pickupExpiresAt!) - policy.pickupWindowHours * HOUR;
  const waiting = () => f.status !== 'ready_for_pickup' || run.dirty || run.cancellations.length > 0;
  const remindersSent = f.events.filter((e) => e.type === 'fulfillment.pickup_reminder').length;
  const nextReminder = policy.pickupReminderHours.filter((h) => h < policy.pickupWindowHours)[remindersSent];
  const deadline = nextReminder !== undefined ? readyAt + nextReminder * HOUR : Date.parse(f.pickupExpiresAt!);
  if (await condition(waiting, Math.max(1, deadline - Date.now()))) {
    await drainSignals(run);
    return;
  }
  if (nextReminder !== undefined) {
    run.record('fulfillment.pickup_reminder', { hoursWaiting: nextReminder, pickupExpiresAt: f.pickupExpiresAt }, { pickupCode: run.pickupCode });
    await run.publish();
    return;
  }
  await run.exclusive(async () => {
    if (f.status !== 'ready_for_pickup') return;
    await run.releaseAll('pickup_expired');
    run.setStatus('expired', 'fulfillment.expired', { reason: 'not collected within the pickup window; units restocked' });
    await run.publish();
  });
}
