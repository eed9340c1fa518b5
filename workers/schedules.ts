// Temporal Schedules Fulcrum relies on, created (once) when a worker starts.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

export const RECONCILIATION_SCHEDULE_ID = 'inventory-reconciliation';

export async function ensureSchedules(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: RECONCILIATION_SCHEDULE_ID,
      spec: { intervals: [{ every: '10 minutes' }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'reservationReconciliationWorkflow',
        taskQueue,
        args: [{ minAgeSeconds: 300 }],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
