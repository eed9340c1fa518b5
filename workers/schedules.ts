// Temporal Schedules Fulcrum relies on, created (once) when a worker starts.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';

export const RECONCILIATION_SCHEDULE_ID = 'inventory-reconciliation';
export const ALERTS_SCHEDULE_ID = 'operations-alerts';

export async function ensureSchedules(client: Client, taskQueue: string): Promise<void> {
  const schedules: { scheduleId: string; every: Duration; workflowType: string; args: unknown[] }[] = [
    { scheduleId: RECONCILIATION_SCHEDULE_ID, every: '10 minutes', workflowType: 'reservationReconciliationWorkflow', args: [{ minAgeSeconds: 300 }] },
    { scheduleId: ALERTS_SCHEDULE_ID, every: '5 minutes', workflowType: 'operationsAlertsWorkflow', args: [] },
  ];
  for (const { scheduleId, every, workflowType, args } of schedules) {
    try {
      await client.schedule.create({
        scheduleId,
        spec: { intervals: [{ every }] },
        action: { type: 'startWorkflow', workflowType, taskQueue, args },
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
      });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
  }
}
