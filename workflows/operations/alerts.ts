// One sweep for ops alerts; the `operations-alerts` Temporal Schedule starts it every few minutes.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';

const { raiseOperationsAlerts } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3 },
});

export async function operationsAlertsWorkflow(): Promise<{ raised: Record<string, number> }> {
  return raiseOperationsAlerts();
}
