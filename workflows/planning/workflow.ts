// The nightly plan, started by the `nightly-planning` Schedule (and on demand): every
// forecast recomputed page by page. A run that grows long continues as new from its cursor.
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import type { ForecastCursor } from '../../domain/forecasting/forecast.ts';
import type { PlanningInput, PlanningResult } from './definitions.ts';

const { recomputeForecastPage } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 5 },
});

const PAGE = 100;

export async function planningWorkflow(input: PlanningInput = {}): Promise<PlanningResult> {
  const today = input.today ?? new Date().toISOString().slice(0, 10);
  let cursor: ForecastCursor | null = input.forecastCursor === undefined ? { phase: 'locations', after: null } : input.forecastCursor;
  let forecastsComputed = input.forecastsComputed ?? 0;
  while (cursor) {
    const page = await recomputeForecastPage({ cursor, limit: PAGE, today });
    forecastsComputed += page.computed;
    cursor = page.next;
    if (cursor && workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof planningWorkflow>({ today, forecastCursor: cursor, forecastsComputed });
    }
  }
  return { today, forecastsComputed };
}
