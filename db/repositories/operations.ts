// What the worker's gauges report about the whole network, read from the read models in a
// handful of aggregate queries: orders by status, the ops board's tiles, pick-SLA breaches,
// and the webhook backlog.
import { BOARD_TILE_IDS } from '../../domain/console/board-tiles.ts';
import type { Db } from '../knex.ts';
import { createBoardRepository } from './board.ts';

const CLOSED_STATUSES = ['completed', 'cancelled'];

export interface OperationsSnapshot {
  /** Open orders (not completed or cancelled) by status. */
  ordersByStatus: Record<string, number>;
  /** Orders per ops-board tile (needs attention, SLA at risk, backordered, …). */
  boardTiles: Record<string, number>;
  /** Fulfillments not yet picked whose pick SLA has passed. */
  pickSlaBreaches: number;
  webhookDeliveriesPending: number;
  webhookDeliveriesFailed: number;
  /** How long the oldest delivery that is due has waited, in seconds (0 when none waits). */
  webhookLagSeconds: number;
}

export async function readOperationsSnapshot(db: Db, timezone: string): Promise<OperationsSnapshot> {
  const [statuses, boardTiles, breaches, webhooks] = await Promise.all([
    // Open orders only: the closed ones only grow (their rate is fulcrum_business_events_total).
    db('orders').whereNotIn('status', CLOSED_STATUSES).select('status').count({ n: '*' }).groupBy('status') as Promise<{ status: string; n: string | number }[]>,
    createBoardRepository(db).counts(BOARD_TILE_IDS, timezone),
    db('fulfillments')
      .where({ status: 'pending' })
      .whereRaw(`(snapshot->>'onHold')::boolean IS NOT TRUE AND (snapshot->>'pickDueAt')::timestamptz < now()`)
      .count({ n: '*' })
      .first() as Promise<{ n: string | number } | undefined>,
    db.raw<{ rows: { pending: string; failed: string; lag: number | null }[] }>(
      `SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
              count(*) FILTER (WHERE status = 'failed') AS failed,
              extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending' AND next_attempt_at <= now())) AS lag
         FROM webhook_deliveries`,
    ),
  ]);
  const hook = webhooks.rows[0];
  return {
    ordersByStatus: Object.fromEntries(statuses.map((r) => [r.status, Number(r.n)])),
    boardTiles,
    pickSlaBreaches: Number(breaches?.n ?? 0),
    webhookDeliveriesPending: Number(hook?.pending ?? 0),
    webhookDeliveriesFailed: Number(hook?.failed ?? 0),
    webhookLagSeconds: Math.max(0, Number(hook?.lag ?? 0)),
  };
}
