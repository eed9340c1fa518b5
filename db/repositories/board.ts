// The ops board in SQL: one condition per tile on the orders read model, used both to count
// the tile and to list its orders (GET /v1/orders?tile=…), so a tile's count is the number of
// orders its link opens. Thresholds live in console_settings.
import type { Knex } from 'knex';
import type { BoardThresholds, BoardTileId } from '../../domain/console/board.ts';
import type { Db } from '../knex.ts';

/** Narrows a query over `orders` to one tile's orders. */
export function whereTile(query: Knex.QueryBuilder, tile: BoardTileId, timezone: string): Knex.QueryBuilder {
  const withFulfillment = (condition: string, bindings: Knex.RawBinding[] = []) =>
    query.whereExists((sub) => sub.select(sub.client.raw('1')).from('fulfillments as f').whereRaw(`f.order_id = orders.id AND ${condition}`, bindings));
  switch (tile) {
    case 'on_hold':
    case 'backordered':
    case 'ready_for_pickup':
      return query.where('orders.status', tile);
    case 'needs_attention':
      return query.whereNotNull('orders.needs_attention_since');
    case 'sla_at_risk':
      return withFulfillment(`f.status = 'pending' AND (f.snapshot->>'onHold')::boolean IS NOT TRUE AND (f.snapshot->>'pickDueAt')::timestamptz < now() + interval '1 hour'`);
    case 'pickups_expiring_today':
      return withFulfillment(
        `f.status = 'ready_for_pickup' AND (f.snapshot->>'pickupExpiresAt')::timestamptz < ((date_trunc('day', now() AT TIME ZONE ?) + interval '1 day') AT TIME ZONE ?)`,
        [timezone, timezone],
      );
    case 'delivery_exceptions':
      return withFulfillment(`f.snapshot->>'trackingStatus' = 'exception' AND f.status IN ('shipped', 'in_transit')`);
    case 'webhook_failures':
      return query.whereExists((sub) => sub.select(sub.client.raw('1')).from('webhook_deliveries as d').whereRaw(`d.order_id = orders.id AND d.status = 'failed'`));
  }
}

const THRESHOLDS_KEY = 'board.thresholds';

export function createBoardRepository(db: Db) {
  return {
    /** Each tile's count of orders. */
    async counts(tiles: readonly BoardTileId[], timezone: string): Promise<Record<BoardTileId, number>> {
      const counted = await Promise.all(
        tiles.map(async (tile) => {
          const row = (await whereTile(db('orders'), tile, timezone).count({ n: '*' }).first()) as { n: string | number } | undefined;
          return [tile, Number(row?.n ?? 0)] as const;
        }),
      );
      return Object.fromEntries(counted) as Record<BoardTileId, number>;
    },

    async thresholds(): Promise<BoardThresholds> {
      const row = (await db('console_settings').where({ key: THRESHOLDS_KEY }).first('value')) as { value: BoardThresholds } | undefined;
      return row?.value ?? {};
    },

    async setThresholds(thresholds: BoardThresholds, by: string): Promise<BoardThresholds> {
      const merged = { ...(await this.thresholds()), ...thresholds };
      await db('console_settings')
        .insert({ key: THRESHOLDS_KEY, value: JSON.stringify(merged), updated_by: by, updated_at: db.fn.now() })
        .onConflict('key')
        .merge();
      return merged;
    },
  };
}
