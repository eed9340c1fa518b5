// Temporal Schedules Fulcrum relies on, created (once) when a worker starts.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleSpec } from '@temporalio/client';
import { PLANNING_SCHEDULE_ID, PLANNING_WORKFLOW_TYPE } from '../workflows/planning/definitions.ts';
import { RATE_CARDS_SCHEDULE_ID, RATE_CARDS_WORKFLOW_TYPE } from '../workflows/shipping/definitions.ts';

export const RECONCILIATION_SCHEDULE_ID = 'inventory-reconciliation';
export const ALERTS_SCHEDULE_ID = 'operations-alerts';
export { PLANNING_SCHEDULE_ID };

export interface ScheduleDefinition {
  scheduleId: string;
  spec: ScheduleSpec;
  workflowType: string;
  args: unknown[];
}

/** The Schedules a worker keeps; ensureSchedules has each start its workflow on the worker's task queue. */
export function scheduleDefinitions(options: { planningTimezone?: string } = {}): ScheduleDefinition[] {
  return [
    { scheduleId: RECONCILIATION_SCHEDULE_ID, spec: { intervals: [{ every: '10 minutes' }] }, workflowType: 'reservationReconciliationWorkflow', args: [{ minAgeSeconds: 300 }] },
    { scheduleId: ALERTS_SCHEDULE_ID, spec: { intervals: [{ every: '5 minutes' }] }, workflowType: 'operationsAlertsWorkflow', args: [] },
    // Each night at 02:30 of the business time zone, after the day's orders are in.
    { scheduleId: PLANNING_SCHEDULE_ID, spec: { calendars: [{ hour: 2, minute: 30 }], timezone: options.planningTimezone ?? 'UTC' }, workflowType: PLANNING_WORKFLOW_TYPE, args: [{}] },
    // At 03:30, the rate cards of markets that buy through a carrier gateway, from its rates (docs/carriers.md).
    { scheduleId: RATE_CARDS_SCHEDULE_ID, spec: { calendars: [{ hour: 3, minute: 30 }], timezone: options.planningTimezone ?? 'UTC' }, workflowType: RATE_CARDS_WORKFLOW_TYPE, args: [{}] },
  ];
}

export async function ensureSchedules(client: Client, taskQueue: string, options: { planningTimezone?: string } = {}): Promise<void> {
  for (const { scheduleId, spec, workflowType, args } of scheduleDefinitions(options)) {
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
