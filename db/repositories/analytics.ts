// Fulfillment KPIs over time, in SQL: per bucket (hour, day or week in the business time zone)
// of the orders created in it — the same definitions as GET /v1/analytics/summary
// (domain/analytics/summary.ts), so one bucket over a whole period gives the summary's values.
import type { FulfillmentResource } from '../../domain/fulfillments/schemas.ts';
import type { Order } from '../../domain/orders/schemas.ts';
import type { Db } from '../knex.ts';

/** What GET /v1/analytics/summary computes from (domain/analytics/summary.ts). */
export interface SummaryInputs {
  orders: Order[];
  fulfillments: FulfillmentResource[];
  labelCosts: { amount: number; currency: string }[];
  returnedUnits: number;
}

export const METRICS = ['orders', 'cycle_time_p50', 'cycle_time_p90', 'fill_rate', 'split_rate', 'on_time_rate', 'pickup_expiry_rate', 'cost_per_order'] as const;
export type Metric = (typeof METRICS)[number];
export type Bucket = 'hour' | 'day' | 'week';

/** Each metric as an aggregate over one bucket's rows of PER_ORDER (`b`). */
const METRIC_SQL: Record<Metric, string> = {
  orders: 'count(*)::float8',
  cycle_time_p50: 'percentile_disc(0.5) WITHIN GROUP (ORDER BY b.cycle_hours)',
  cycle_time_p90: 'percentile_disc(0.9) WITHIN GROUP (ORDER BY b.cycle_hours)',
  fill_rate: 'round((sum(b.fulfilled_units)::numeric / NULLIF(sum(b.ordered_units), 0)), 4)::float8',
  split_rate: 'round((count(*) FILTER (WHERE b.active_locations > 1)::numeric / NULLIF(count(*) FILTER (WHERE b.planned > 0), 0)), 4)::float8',
  on_time_rate: 'round((sum(b.on_time)::numeric / NULLIF(sum(b.dated), 0)), 4)::float8',
  pickup_expiry_rate: 'round((sum(b.expired)::numeric / NULLIF(sum(b.made_ready), 0)), 4)::float8',
  cost_per_order: 'round(sum(b.label_cost)::numeric / NULLIF(count(*), 0))::float8',
};

/** One row per order of the period with what the metrics need (the order's snapshot, its fulfillments' snapshots, its labels). */
const PER_ORDER = `
  SELECT o.created_at,
         (SELECT extract(epoch FROM (e->>'at')::timestamptz - o.created_at) / 3600
            FROM jsonb_array_elements(o.snapshot->'events') e WHERE e->>'type' = 'order.completed' LIMIT 1) AS cycle_hours,
         (SELECT coalesce(sum((l->>'quantity')::int), 0) FROM jsonb_array_elements(o.snapshot->'lines') l) AS ordered_units,
         (SELECT coalesce(sum((fl->>'quantity')::int), 0)
            FROM jsonb_array_elements(o.snapshot->'fulfillments') of, jsonb_array_elements(of->'lines') fl
           WHERE of->>'status' IN ('delivered', 'picked_up')) AS fulfilled_units,
         jsonb_array_length(o.snapshot->'fulfillments') AS planned,
         (SELECT count(DISTINCT of->>'locationId') FROM jsonb_array_elements(o.snapshot->'fulfillments') of
           WHERE of->>'status' NOT IN ('rejected', 'cancelled', 'expired')) AS active_locations,
         f.dated, f.on_time, f.made_ready, f.expired,
         (SELECT coalesce(sum(s.rate_amount), 0) FROM fulfillments fx JOIN shipping_labels s ON s.fulfillment_id = fx.id WHERE fx.order_id = o.id) AS label_cost
    FROM orders o
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE done.at IS NOT NULL AND est.value IS NOT NULL) AS dated,
             count(*) FILTER (WHERE done.at IS NOT NULL AND est.value IS NOT NULL AND left(done.at, 10) <= est.value) AS on_time,
             count(*) FILTER (WHERE ready.yes) AS made_ready,
             count(*) FILTER (WHERE ready.yes AND fx.status = 'expired') AS expired
        FROM fulfillments fx
        LEFT JOIN LATERAL (SELECT e->>'at' AS at FROM jsonb_array_elements(fx.snapshot->'events') WITH ORDINALITY AS ev(e, n)
                            WHERE e->>'type' IN ('fulfillment.delivered', 'fulfillment.picked_up') ORDER BY n DESC LIMIT 1) done ON true
        LEFT JOIN LATERAL (SELECT of->>'estimatedDelivery' AS value FROM jsonb_array_elements(o.snapshot->'fulfillments') of
                            WHERE of->>'id' = fx.id LIMIT 1) est ON true
        LEFT JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM jsonb_array_elements(fx.snapshot->'events') e WHERE e->>'type' = 'fulfillment.ready_for_pickup') AS yes) ready ON true
       WHERE fx.order_id = o.id
    ) f ON true
   WHERE o.snapshot IS NOT NULL AND o.created_at >= ? AND o.created_at < ?`;

export function createAnalyticsRepository(db: Db) {
  return {
    /** The orders created in [from, to) with their fulfillments, label costs and returned units; `too_many` past `maxOrders`. */
    async summaryInputs(args: { from: Date; to: Date; maxOrders: number }): Promise<SummaryInputs | 'too_many'> {
      const rows = (await db('orders').where('created_at', '>=', args.from).where('created_at', '<', args.to).whereNotNull('snapshot').limit(args.maxOrders + 1).select('id', 'snapshot')) as { id: string; snapshot: Order }[];
      if (rows.length > args.maxOrders) return 'too_many';
      const ids = rows.map((r) => r.id);
      const fulfillments = ids.length ? ((await db('fulfillments').whereIn('order_id', ids).select('snapshot')) as { snapshot: FulfillmentResource }[]).map((r) => r.snapshot) : [];
      const labels = fulfillments.length
        ? ((await db('shipping_labels').whereIn('fulfillment_id', fulfillments.map((f) => f.id)).select('rate_amount', 'rate_currency')) as { rate_amount: string; rate_currency: string }[])
        : [];
      const returned = ids.length ? await db('return_lines').whereIn('order_id', ids).sum({ n: 'received' }).first() : undefined;
      return {
        orders: rows.map((r) => r.snapshot),
        fulfillments,
        labelCosts: labels.map((l) => ({ amount: Number(l.rate_amount), currency: l.rate_currency })),
        returnedUnits: Number((returned as { n?: string } | undefined)?.n ?? 0),
      };
    },
    /** The metric per bucket from `from` to `to`, empty buckets included (null where there is nothing to measure). */
    async timeseries(args: { metric: Metric; from: Date; to: Date; bucket: Bucket; timezone: string }): Promise<{ start: string; value: number | null }[]> {
      const empty = args.metric === 'orders' ? '0' : 'NULL';
      const { rows } = await db.raw<{ rows: { start: Date; value: number | null }[] }>(
        `WITH b AS (SELECT date_trunc(?, created_at AT TIME ZONE ?) AS bucket, * FROM (${PER_ORDER}) per_order),
              agg AS (SELECT b.bucket, ${METRIC_SQL[args.metric]} AS value FROM b GROUP BY b.bucket),
              buckets AS (SELECT generate_series(date_trunc(?, ?::timestamptz AT TIME ZONE ?), ?::timestamptz AT TIME ZONE ?, ('1 ' || ?)::interval) AS bucket)
         SELECT (buckets.bucket AT TIME ZONE ?) AS start, coalesce(agg.value, ${empty}) AS value
           FROM buckets LEFT JOIN agg USING (bucket)
          WHERE buckets.bucket < (?::timestamptz AT TIME ZONE ?)
          ORDER BY buckets.bucket`,
        [
          args.bucket, args.timezone, args.from, args.to,
          args.bucket, args.from, args.timezone, args.to, args.timezone, args.bucket,
          args.timezone,
          args.to, args.timezone,
        ],
      );
      return rows.map((r) => ({ start: r.start.toISOString(), value: r.value === null ? null : Number(r.value) }));
    },
  };
}
