// The nightly plan, started by the `nightly-planning` Schedule (and on demand): every
// forecast recomputed page by page, then the replenishment proposals made from them, and
// those whose policy approves itself approved; then what routing learns of each location,
// from its fulfillments of the last 90 days. A run that grows long continues as new from
// its cursor.
import { continueAsNew, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import type { ForecastCursor } from '../../domain/forecasting/forecast.ts';
import type { PlanningInput, PlanningResult } from './definitions.ts';

const { recomputeForecastPage, planReplenishment, approveProposals, refreshLocationPerformance } = proxyActivities<Activities>({
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
  if (!patched('replenishment-plan')) return { today, forecastsComputed };

  const plan = await planReplenishment({ today });
  let approved = 0;
  for (let i = 0; i < plan.autoApprove.length; i += PAGE) {
    approved += (await approveProposals({ ids: plan.autoApprove.slice(i, i + PAGE) })).approved;
  }
  const replenishment = { proposed: plan.proposed, transfers: plan.transfers, purchases: plan.purchases, autoApproved: approved };
  if (!patched('location-performance')) return { today, forecastsComputed, replenishment };

  const learned = await refreshLocationPerformance();
  return { today, forecastsComputed, replenishment, performance: learned };
}
