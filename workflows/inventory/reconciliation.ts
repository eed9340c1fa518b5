// One reconciliation run; the `inventory-reconciliation` Temporal Schedule starts it.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import type { ReconciliationReport } from '../../activities/inventory/reconcile-reservations.ts';

const { reconcileReservations } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

export async function reservationReconciliationWorkflow(input: { minAgeSeconds?: number } = {}): Promise<ReconciliationReport> {
  return reconcileReservations({ minAgeSeconds: input.minAgeSeconds ?? 300 });
}
