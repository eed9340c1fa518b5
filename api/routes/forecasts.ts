// Demand forecasts: stored per SKU, location and channel, recomputed each night by the
// planning schedule; served from the store, computed on first ask, recomputed on demand.
import { z } from 'zod';
import { Forecast, ForecastQuery, STORED_HORIZON } from '../../domain/forecasting/forecast.ts';
import { ChannelName, ExternalId } from '../../domain/identifiers.ts';
import { PLANNING_WORKFLOW_TYPE, planningWorkflowId } from '../../workflows/planning/definitions.ts';
import { unknownPlaceErrors } from '../known-places.ts';
import { validationProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';
import { problemResponses } from './common.ts';

const today = () => new Date().toISOString().slice(0, 10);

const RecomputeRequest = z
  .object({
    sku: ExternalId,
    locationId: ExternalId.optional().describe('Leave out for the whole network'),
    channel: ChannelName.optional().describe('Leave out for every channel together'),
  })
  .strict();

export const forecastRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/forecasts',
    operationId: 'getForecast',
    summary: 'Daily demand forecast of a SKU at a location (or the network), with its backtest',
    description: `The stored forecast (recomputed each night from the last 365 days up to yesterday), or one computed now when none is stored yet. \`horizon\` days from the day after \`historyThrough\` (at most ${STORED_HORIZON}). The method is the one with the lowest RMSSE over the last three 28-day windows of the history (rolling origins); p10 and p90 come from its errors there. Leave out \`locationId\` for the network's total and \`channel\` for every channel.`,
    tag: 'Forecasting',
    roles: ['ops'],
    query: ForecastQuery,
    responses: {
      200: { description: 'The forecast', schema: Forecast },
      ...problemResponses(401, 403, 422),
    },
    async handler({ query, deps }) {
      const errors = await unknownPlaceErrors(deps, [query], () => 'query.');
      if (errors.length > 0) throw validationProblem(errors);
      const forecast = await deps.forecasts.getOrCompute(query, today());
      return { status: 200, body: { ...forecast, daily: forecast.daily.slice(0, query.horizon) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/forecasts/recompute',
    operationId: 'recomputeForecast',
    summary: 'Recompute one forecast now (after an import, say)',
    description: 'Fits the forecast again on the history up to yesterday, stores it and returns it (every stored day). The nightly planning run recomputes them all: `POST /v1/planning/runs` starts one now.',
    tag: 'Forecasting',
    roles: ['ops'],
    body: RecomputeRequest,
    responses: {
      200: { description: 'The forecast', schema: Forecast },
      ...problemResponses(401, 403, 422),
    },
    async handler({ body, deps }) {
      const errors = await unknownPlaceErrors(deps, [body], () => '');
      if (errors.length > 0) throw validationProblem(errors);
      return { status: 200, body: await deps.forecasts.compute(body, today()) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/planning/runs',
    operationId: 'startPlanningRun',
    summary: 'Run the nightly planning now: every forecast, the replenishment proposals, what routing learns',
    description:
      "Starts the workflow the `nightly-planning` Temporal Schedule starts each night. One run at a time: while one runs, this answers with that run's id.",
    tag: 'Forecasting',
    roles: ['ops'],
    body: z.object({}).strict(),
    responses: {
      202: { description: 'Started (or already running)', schema: z.object({ workflowId: z.string(), runId: z.string() }) },
      ...problemResponses(401, 403, 422),
    },
    async handler({ deps }) {
      const workflowId = planningWorkflowId(deps.taskQueue, today());
      const handle = await deps.temporal.workflow.start(PLANNING_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [{}],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        staticSummary: 'planning run (on demand)',
      });
      return { status: 202, body: { workflowId, runId: handle.firstExecutionRunId } };
    },
  }),
];
