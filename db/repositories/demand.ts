// Daily demand per SKU and location: days imported from an ERP, and the demand of Fulcrum's
// own orders - each order line counts on the day it was ordered (the location's day), at the
// location that fulfils it and for the channel it came from; cancelled units and fulfillments
// that gave their units back (cancelled, rejected) do not count. An imported day replaces what
// the orders show for that day and channel. A day the location had nothing to sell is marked
// as a stock-out (imported as such, or its availability at or below zero by the ledger).
import { daysBetween, type DemandDay, type DemandHistoryImport, type DemandHistoryQuery } from '../../domain/forecasting/schemas.ts';
import type { Db } from '../knex.ts';

const IMPORT_CHUNK = 1_000;

interface ChannelDay {
  channel: string;
  day: string;
  quantity: number;
  stockout: boolean;
}

export function createDemandRepository(db: Db) {
  async function imported(q: DemandHistoryQuery): Promise<ChannelDay[]> {
    const rows = (await db('demand_history')
      .where({ sku: q.sku, location_id: q.locationId })
      .whereBetween('day', [q.from, q.to])
      .modify((query) => (q.channel ? query.where({ channel: q.channel }) : query))
      .select('channel', db.raw(`to_char(day, 'YYYY-MM-DD') AS day`), 'quantity', 'stockout')) as ChannelDay[];
    return rows.map((r) => ({ ...r, quantity: Number(r.quantity) }));
  }

  async function ordered(q: DemandHistoryQuery): Promise<ChannelDay[]> {
    const result = await db.raw<{ rows: { channel: string; day: string; quantity: string }[] }>(
      `SELECT o.channel, to_char(o.created_at AT TIME ZONE loc.timezone, 'YYYY-MM-DD') AS day, sum((line->>'quantity')::int) AS quantity
         FROM fulfillments f
         JOIN orders o ON o.id = f.order_id
         JOIN locations loc ON loc.id = f.location_id
         CROSS JOIN LATERAL jsonb_array_elements(f.snapshot->'lines') AS line
        WHERE f.location_id = ? AND f.status NOT IN ('cancelled', 'rejected') AND line->>'sku' = ?
          AND (o.created_at AT TIME ZONE loc.timezone)::date BETWEEN ?::date AND ?::date
          ${q.channel ? 'AND o.channel = ?' : ''}
        GROUP BY 1, 2`,
      [q.locationId, q.sku, q.from, q.to, ...(q.channel ? [q.channel] : [])],
    );
    return result.rows.map((r) => ({ channel: r.channel, day: r.day, quantity: Number(r.quantity), stockout: false }));
  }

  /** Days whose last ledger entry (or the last before them) left nothing available to sell. */
  async function stockoutDays(q: DemandHistoryQuery): Promise<Set<string>> {
    const result = await db.raw<{ rows: { day: string; available: number }[] }>(
      `WITH entries AS (
         SELECT (l.created_at AT TIME ZONE loc.timezone)::date AS day, l.on_hand_after - l.reserved_after - l.safety_stock_after AS available, l.id
           FROM inventory_ledger l JOIN locations loc ON loc.id = l.location_id
          WHERE l.location_id = ? AND l.sku = ? AND (l.created_at AT TIME ZONE loc.timezone)::date <= ?::date
       )
       SELECT DISTINCT ON (day) to_char(day, 'YYYY-MM-DD') AS day, available FROM entries ORDER BY day, id DESC`,
      [q.locationId, q.sku, q.to],
    );
    const endOf = new Map(result.rows.map((r) => [r.day, Number(r.available)]));
    const before = result.rows.filter((r) => r.day < q.from).at(-1);
    let available = before ? Number(before.available) : undefined;
    const out = new Set<string>();
    for (const day of daysBetween(q.from, q.to)) {
      if (endOf.has(day)) available = endOf.get(day);
      if (available !== undefined && available <= 0) out.add(day);
    }
    return out;
  }

  return {
    /** Writes each item's day (replacing one imported before); all or nothing. */
    async importHistory(items: DemandHistoryImport['items']): Promise<number> {
      await db.transaction(async (trx) => {
        for (let i = 0; i < items.length; i += IMPORT_CHUNK) {
          const rows = items.slice(i, i + IMPORT_CHUNK).map((item) => ({
            sku: item.sku,
            location_id: item.locationId,
            channel: item.channel ?? '',
            day: item.date,
            quantity: item.quantity,
            stockout: item.stockout ?? false,
            imported_at: trx.fn.now(),
          }));
          await trx('demand_history').insert(rows).onConflict(['sku', 'location_id', 'channel', 'day']).merge(['quantity', 'stockout', 'imported_at']);
        }
      });
      return items.length;
    },

    /** Locations with any demand for `sku` (imported or ordered) from `from` to `to`. */
    async locationsWithDemand(sku: string, from: string, to: string): Promise<string[]> {
      const result = await db.raw<{ rows: { location_id: string }[] }>(
        `SELECT location_id FROM demand_history WHERE sku = ? AND day BETWEEN ?::date AND ?::date
         UNION
         SELECT f.location_id FROM fulfillments f JOIN orders o ON o.id = f.order_id
          WHERE f.status NOT IN ('cancelled', 'rejected') AND o.created_at >= ?::date - 1 AND f.snapshot->'lines' @> jsonb_build_array(jsonb_build_object('sku', ?::text))
         ORDER BY 1`,
        [sku, from, to, from, sku],
      );
      return result.rows.map((r) => r.location_id);
    },

    /** SKU and location pairs with any demand since `from`, in (sku, location) order after `after`: the series the night forecasts. */
    async pairsWithDemand(from: string, after: { sku: string; locationId: string } | null, limit: number): Promise<{ sku: string; locationId: string }[]> {
      const result = await db.raw<{ rows: { sku: string; location_id: string }[] }>(
        `SELECT sku, location_id FROM (
           SELECT sku, location_id FROM demand_history WHERE day >= ?::date
           UNION
           SELECT line->>'sku' AS sku, f.location_id FROM fulfillments f JOIN orders o ON o.id = f.order_id
             CROSS JOIN LATERAL jsonb_array_elements(f.snapshot->'lines') AS line
            WHERE f.status NOT IN ('cancelled', 'rejected') AND o.created_at >= ?::date - 1
         ) pairs
         WHERE (sku, location_id) > (?, ?)
         ORDER BY sku, location_id LIMIT ?`,
        [from, from, after?.sku ?? '', after?.locationId ?? '', limit],
      );
      return result.rows.map((r) => ({ sku: r.sku, locationId: r.location_id }));
    },

    /** One entry per day from `from` to `to`. */
    async series(q: DemandHistoryQuery): Promise<DemandDay[]> {
      const [fromImport, fromOrders, stockouts] = await Promise.all([imported(q), ordered(q), stockoutDays(q)]);
      const days = new Map<string, DemandDay>(daysBetween(q.from, q.to).map((date) => [date, { date, quantity: 0, stockout: stockouts.has(date), source: 'orders' }]));
      const add = (d: ChannelDay, source: DemandDay['source']) => {
        const day = days.get(d.day)!;
        days.set(d.day, { date: d.day, quantity: day.quantity + d.quantity, stockout: day.stockout || d.stockout, source: source === 'import' ? 'import' : day.source });
      };
      // An imported day replaces the orders' for its channel.
      const importedKeys = new Set(fromImport.map((d) => `${d.channel}|${d.day}`));
      for (const d of fromImport) add(d, 'import');
      for (const d of fromOrders) if (!importedKeys.has(`${d.channel}|${d.day}`)) add(d, 'orders');
      return [...days.values()];
    },
  };
}

export type DemandRepository = ReturnType<typeof createDemandRepository>;
