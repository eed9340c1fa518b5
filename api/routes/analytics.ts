// GET /v1/analytics/summary: fulfillment KPIs over the orders created in a period, from the
// read models (orders, fulfillments, labels, returns).
import { z } from 'zod';
import { summarize } from '../../domain/analytics/summary.ts';
import { validationProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';
import { problemResponses } from './common.ts';
import { METRICS } from '../../db/repositories/analytics.ts';

const Rate = z.number().nullable();
const Summary = z.object({
  from: z.string(),
  to: z.string(),
  orders: z.int(),
  cycleTimeHours: z.object({ p50: z.number().nullable(), p90: z.number().nullable() }),
  splitRate: Rate,
  fillRate: Rate,
  onTimeRate: Rate,
  pickupExpiryRate: Rate,
  returnRate: Rate,
  costPerOrder: z.object({ amount: z.int(), currency: z.string() }).nullable(),
  co2e: z
    .object({ perOrder: z.int().nullable(), perUnit: z.int().nullable(), orders: z.int().describe('Orders whose fulfillments carry an estimate') })
    .describe('Grams CO₂e the sourcing plans estimated (cancelled and rejected fulfillments left out)'),
});

/** The most orders one summary reads; narrow the period beyond that. */
const MAX_ORDERS = 20_000;

const BUCKET_SECONDS = { hour: 3600, day: 86_400, week: 604_800 } as const;
/** The most buckets one series returns; widen the bucket or narrow the period beyond that. */
const MAX_BUCKETS = 1000;

export const analyticsRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/analytics/timeseries',
    operationId: 'analyticsTimeseries',
    summary: 'One KPI over time: per hour, day or week, over the orders created in each',
    description: `The summary's definitions per bucket (the business time zone's hours, days, weeks starting Monday), computed in SQL. Default: the last 30 days by day. At most ${MAX_BUCKETS} buckets (422 beyond). Empty buckets are included; a rate is null where there is nothing to measure.`,
    tag: 'Analytics',
    roles: ['ops'],
    query: z.object({
      metric: z.enum(METRICS),
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      bucket: z.enum(['hour', 'day', 'week']).default('day'),
    }),
    responses: {
      200: {
        description: 'The series',
        schema: z.object({ metric: z.enum(METRICS), bucket: z.string(), from: z.string(), to: z.string(), points: z.array(z.object({ start: z.string(), value: z.number().nullable() })) }),
      },
      ...problemResponses(401, 403, 422),
    },
    async handler({ query, deps }) {
      const to = query.to ? new Date(query.to) : new Date();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * 24 * 3600_000);
      if (from >= to) throw validationProblem([{ path: 'query.from', message: 'must be before to' }]);
      if ((to.getTime() - from.getTime()) / 1000 / BUCKET_SECONDS[query.bucket] > MAX_BUCKETS) {
        throw validationProblem([{ path: 'query.bucket', message: `more than ${MAX_BUCKETS} ${query.bucket}s between from and to; use a wider bucket or a shorter period` }]);
      }
      const points = await deps.analytics.timeseries({ metric: query.metric, from, to, bucket: query.bucket, timezone: deps.businessTimezone });
      return { status: 200, body: { metric: query.metric, bucket: query.bucket, from: from.toISOString(), to: to.toISOString(), points } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/analytics/summary',
    operationId: 'analyticsSummary',
    summary: 'Order count, cycle time p50/p90, split, fill, on-time, pickup expiry and return rates, cost per order',
    description: `Over the orders created in [from, to) (default: the last 30 days; at most ${MAX_ORDERS} orders, 422 beyond). Rates are 0–1, null when there is nothing to measure.`,
    tag: 'Analytics',
    roles: ['ops'],
    query: z.object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() }),
    responses: { 200: { description: 'The summary', schema: Summary }, ...problemResponses(401, 403, 422) },
    async handler({ query, deps }) {
      const to = query.to ? new Date(query.to) : new Date();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * 24 * 3600_000);
      if (from >= to) throw validationProblem([{ path: 'query.from', message: 'must be before to' }]);
      const inputs = await deps.analytics.summaryInputs({ from, to, maxOrders: MAX_ORDERS });
      if (inputs === 'too_many') throw validationProblem([{ path: 'query.from', message: `the period holds more than ${MAX_ORDERS} orders; narrow it` }]);
      const summary = summarize(inputs);
      return { status: 200, body: { from: from.toISOString(), to: to.toISOString(), ...summary } };
    },
  }),
];
