// The planning workflow's contract: its type, ids and what a run reports.
import type { ForecastCursor } from '../../domain/forecasting/forecast.ts';
export const PLANNING_WORKFLOW_TYPE = 'planningWorkflow';
export const PLANNING_SCHEDULE_ID = 'nightly-planning';

/** On-demand runs share one id per task queue and day, so two requests do not run two plans at once. */
export const planningWorkflowId = (taskQueue: string, day: string) => `planning-${taskQueue}-${day}`;


export interface PlanningInput {
  /** The day planned for (the history runs to the day before); the workflow's own date when left out. */
  today?: string;
  /** Where a run continued as new stands. */
  forecastCursor?: ForecastCursor | null;
  forecastsComputed?: number;
}

export interface PlanningResult {
  today: string;
  forecastsComputed: number;
  /** Absent from runs before replenishment was planned. */
  replenishment?: { proposed: number; transfers: number; purchases: number; autoApproved: number };
  /** Absent from runs before routing learned: the fulfillments read and the locations summed. */
  performance?: { fulfillments: number; locations: number };
}
