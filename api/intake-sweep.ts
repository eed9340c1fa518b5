// The API process's share of the intake sweep: every few seconds it starts orders that were
// registered but never started (their process died with the order queued for a routing wait,
// or between registering and starting). Claims are row locks with SKIP LOCKED, so several
// API processes sweep side by side without starting an order twice (and a second start of
// the same workflow id changes nothing anyway).
import { startUnstartedOrders } from '../services/orders/intake.ts';
import type { ApiDeps } from './deps.ts';

/** An order not started this long after registration has lost the request that was starting it. */
function graceSeconds(deps: ApiDeps): number {
  return Math.ceil(deps.requestTimeoutMs / 1000) + 30;
}

export function startIntakeSweep(deps: ApiDeps, everySeconds: number): { sweep(): Promise<number>; stop(): Promise<void> } {
  let running: Promise<number> | undefined;
  const sweep = (): Promise<number> => {
    running ??= startUnstartedOrders(deps, { olderThanSeconds: graceSeconds(deps), retrySeconds: 600 })
      .then((started) => {
        if (started > 0) deps.logger.warn({ orders: started }, 'intake sweep started orders that were registered but never started');
        return started;
      })
      .catch((err: unknown) => {
        deps.logger.error({ err }, 'intake sweep failed; the next sweep tries again');
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void sweep(), everySeconds * 1000);
  timer.unref();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
