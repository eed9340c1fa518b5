// Temporal Schedules Fulcrum relies on, created (once) when a worker starts.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleSpec } from '@temporalio/client';
import { PLANNING_SCHEDULE_ID, PLANNING_WORKFLOW_TYPE } from '../workflows/planning/definitions.ts';

export const RECONCILIATION_SCHEDULE_ID = 'inventory-reconciliation';
export const ALERTS_SCHEDULE_ID = 'operations-alerts';
export { PLANNING_SCHEDULE_ID };

export async function ensureSchedules(client: Client, taskQueue: string, options: { planningTimezone?: string } = {}): Promise<void> {
  const schedules: { scheduleId: string; spec: ScheduleSpec; workflowType: string; args: unknown[] }[] = [
    { scheduleId: RECONCILIATION_SCHEDULE_ID, spec: { intervals: [{ every: '10 minutes' }] }, workflowType: 'reservationReconciliationWorkflow', args: [{ minAgeSeconds: 300 }] },
    { scheduleId: ALERTS_SCHEDULE_ID, spec: { intervals: [{ every: '5 minutes' }] }, workflowType: 'operationsAlertsWorkflow', args: [] },
    // Each night at 02:30 of the business time zone, after the day's orders are in.
    { scheduleId: PLANNING_SCHEDULE_ID, spec: { calendars: [{ hour: 2, minute: 30 }], timezone: options.planningTimezone ?? 'UTC' }, workflowType: PLANNING_WORKFLOW_TYPE, args: [{}] },
  ];
  for (const { scheduleId, spec, workflowType, args } of schedules) {
    try {
      await client.schedule.create({
        scheduleId,
        spec,
        action: { type: 'startWorkflow', workflowType, taskQueue, args },
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
      });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
  }
}
