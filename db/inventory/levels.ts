// Reads of stock (levels, availability, the ledger) and the absolute writes: cycle counts
// and ERP/POS feeds. Relative changes go through movements.ts.
import type { Db } from '../knex.ts';
import { availableQuantity } from '../../domain/inventory/available.ts';
import type { Availability, InventoryLevel, LedgerEntry } from '../../domain/inventory/schemas.ts';
import { toLedgerEntry, toLevel, type DbLedgerRow, type DbLevelRow } from './rows.ts';
import { ensureLevel } from './movements.ts';

export interface FeedItem {
  locationId: string;
  sku: string;
  onHand: number;
}

export interface FeedResult {
  applied: number;
  skipped: number;
  /** Items older than what was already applied for their (location, SKU). */
  skippedItems: { index: number; locationId: string; sku: string; lastAppliedAsOf: string }[];
}

/** Per location: units in transit to it, with the earliest expected arrival. */
export type IncomingStock = Map<string, Map<string, { quantity: number; expectedAt: string }>>;

export function createLevels(db: Db) {
  return {
    /** A cycle count: sets on-hand (and safety stock when given) absolutely. */
    async setCount(args: {
      locationId: string;
      sku: string;
      onHand: number;
      safetyStock?: number;
      idempotencyKey: string;
      actor: string | null;
      reason?: 'cycle_count' | 'feed';
    }): Promise<InventoryLevel> {
      return db.transaction(async (trx) => {
        await ensureLevel(trx, args.locationId, args.sku);
        // The row lock serialises counts of one (location, SKU); after it, a repeat sees the first's ledger entry.
        const before = await trx<DbLevelRow>('inventory_levels')
          .where({ location_id: args.locationId, sku: args.sku })
          .forUpdate()
          .first();
        if (!before) throw new Error('inventory level vanished inside its transaction');
        const applied = await trx('inventory_ledger').where({ idempotency_key: args.idempotencyKey }).first('id');
        if (applied) return toLevel(before);
        const [after] = await trx<DbLevelRow>('inventory_levels')
          .where({ location_id: args.locationId, sku: args.sku })
          .update({
            on_hand: args.onHand,
            safety_stock: args.safetyStock ?? before.safety_stock,
            updated_at: trx.fn.now() as unknown as Date,
          })
          .returning('*');
        if (!after) throw new Error('inventory level vanished inside its transaction');
        await trx('inventory_ledger').insert({
          location_id: args.locationId,
          sku: args.sku,
          reason: args.reason ?? 'cycle_count',
          on_hand_delta: after.on_hand - before.on_hand,
          safety_stock_delta: after.safety_stock - before.safety_stock,
          on_hand_after: after.on_hand,
          reserved_after: after.reserved,
          safety_stock_after: after.safety_stock,
          quarantined_after: after.quarantined,
          idempotency_key: args.idempotencyKey,
          actor: args.actor,
        });
        return toLevel(after);
      });
    },

    /**
     * Applies an ERP/POS snapshot in one transaction: each item sets on-hand absolutely unless
     * a snapshot at least as new was already applied to its (location, SKU), in which case
     * it is skipped and counted. Set-based, so 10,000 items take a handful of statements.
     */
    async applyFeed(args: { source: string; asOf: Date; items: readonly FeedItem[]; actor: string | null }): Promise<FeedResult> {
      const { items } = args;
      const locationIds = items.map((i) => i.locationId);
      const skus = items.map((i) => i.sku);
      const counts = items.map((i) => i.onHand);
      return db.transaction(async (trx) => {
        await trx.raw(
          `INSERT INTO inventory_levels (location_id, sku)
           SELECT * FROM unnest(?::text[], ?::text[]) ON CONFLICT DO NOTHING`,
          [locationIds, skus],
        );
        // Lock in a stable order, and read the values the ledger deltas are computed from.
        const locked = await trx.raw<{ rows: DbLevelRow[] }>(
          `SELECT l.* FROM inventory_levels l
             JOIN unnest(?::text[], ?::text[]) AS i(location_id, sku) USING (location_id, sku)
            ORDER BY l.location_id, l.sku
              FOR UPDATE OF l`,
          [locationIds, skus],
        );
        const before = new Map(locked.rows.map((r) => [`${r.location_id}\u0000${r.sku}`, r]));
        const skippedItems: FeedResult['skippedItems'] = [];
        const apply: number[] = [];
        items.forEach((item, index) => {
          const row = before.get(`${item.locationId}\u0000${item.sku}`)!;
          if (row.feed_as_of && row.feed_as_of >= args.asOf) {
            skippedItems.push({ index, locationId: item.locationId, sku: item.sku, lastAppliedAsOf: row.feed_as_of.toISOString() });
          } else {
            apply.push(index);
          }
        });
        if (apply.length > 0) {
          const updated = await trx.raw<{ rows: DbLevelRow[] }>(
            `UPDATE inventory_levels l
                SET on_hand = i.on_hand, feed_as_of = ?, updated_at = now()
               FROM unnest(?::text[], ?::text[], ?::int[]) AS i(location_id, sku, on_hand)
              WHERE l.location_id = i.location_id AND l.sku = i.sku
              RETURNING l.*`,
            [args.asOf, apply.map((i) => locationIds[i]!), apply.map((i) => skus[i]!), apply.map((i) => counts[i]!)],
          );
          const asOf = args.asOf.toISOString();
          await trx.raw(
            `INSERT INTO inventory_ledger (location_id, sku, reason, reference, on_hand_delta, on_hand_after, reserved_after,
                                           safety_stock_after, quarantined_after, idempotency_key, actor)
             SELECT location_id, sku, 'feed', ?, delta, on_hand, reserved, safety_stock, quarantined,
                    'feed:' || ? || ':' || ? || ':' || location_id || ':' || sku, ?
               FROM unnest(?::text[], ?::text[], ?::int[], ?::int[], ?::int[], ?::int[], ?::int[])
                    AS u(location_id, sku, delta, on_hand, reserved, safety_stock, quarantined)`,
            [
              `${args.source}@${asOf}`,
              args.source,
              asOf,
              args.actor,
              updated.rows.map((r) => r.location_id),
              updated.rows.map((r) => r.sku),
              updated.rows.map((r) => r.on_hand - before.get(`${r.location_id}\u0000${r.sku}`)!.on_hand),
              updated.rows.map((r) => r.on_hand),
              updated.rows.map((r) => r.reserved),
              updated.rows.map((r) => r.safety_stock),
              updated.rows.map((r) => r.quarantined),
            ],
          );
        }
        return { applied: apply.length, skipped: skippedItems.length, skippedItems };
      });
    },

    async getLevel(locationId: string, sku: string): Promise<InventoryLevel | undefined> {
      const row = await db<DbLevelRow>('inventory_levels').where({ location_id: locationId, sku }).first();
      return row ? toLevel(row) : undefined;
    },

    /** Units in transit per destination location and SKU (shipped, not yet received). */
    async incoming(skus: readonly string[], locationId?: string): Promise<IncomingStock> {
      const query = db('transfer_lines as tl')
        .join('transfers as t', 't.id', 'tl.transfer_id')
        .whereIn('tl.sku', [...skus])
        .where('tl.in_transit', '>', 0)
        .groupBy('t.to_location_id', 'tl.sku')
        .select('t.to_location_id as location_id', 'tl.sku')
        .sum({ quantity: 'tl.in_transit' })
        .min({ expected_at: 't.expected_at' });
      if (locationId) query.where('t.to_location_id', locationId);
      const incoming: IncomingStock = new Map();
      for (const row of (await query) as { location_id: string; sku: string; quantity: number; expected_at: Date }[]) {
        const perSku = incoming.get(row.location_id) ?? new Map();
        perSku.set(row.sku, { quantity: Number(row.quantity), expectedAt: row.expected_at.toISOString() });
        incoming.set(row.location_id, perSku);
      }
      return incoming;
    },

    /**
     * Availability per SKU, in total and per location. `allocation` narrows it to what one
     * channel may sell (its locations, its share of each location's available stock).
     */
    async availability(
      skus: readonly string[],
      options: { locationId?: string; allocation?: { locationIds: string[] | null; sharePercent: number } } = {},
    ): Promise<Availability> {
      const query = db<DbLevelRow>('inventory_levels').whereIn('sku', [...skus]).orderBy(['sku', 'location_id']);
      if (options.locationId) query.where({ location_id: options.locationId });
      if (options.allocation?.locationIds) query.whereIn('location_id', options.allocation.locationIds);
      const [rows, incoming] = await Promise.all([query, this.incoming(skus, options.locationId)]);
      const share = options.allocation?.sharePercent ?? 100;
      return {
        items: skus.map((sku) => {
          const locations = rows
            .filter((row) => row.sku === sku)
            .map((row) => {
              const available = availableQuantity(row.on_hand, row.reserved, row.safety_stock);
              const inbound = incoming.get(row.location_id)?.get(sku);
              return {
                locationId: row.location_id,
                onHand: row.on_hand,
                reserved: row.reserved,
                safetyStock: row.safety_stock,
                available: Math.floor((available * share) / 100),
                incoming: inbound?.quantity ?? 0,
                ...(inbound ? { incomingExpectedAt: inbound.expectedAt } : {}),
              };
            });
          const total = locations.reduce(
            (sum, l) => ({
              onHand: sum.onHand + l.onHand,
              reserved: sum.reserved + l.reserved,
              safetyStock: sum.safetyStock + l.safetyStock,
              available: sum.available + l.available,
              incoming: sum.incoming + l.incoming,
            }),
            { onHand: 0, reserved: 0, safetyStock: 0, available: 0, incoming: 0 },
          );
          return { sku, total, locations };
        }),
      };
    },

    /**
     * available[locationId][sku] for the given SKUs, at the given share of each location's
     * stock; locations with none available are left out. Only the columns it needs, counted in
     * SQL: routing and promises read it on every decision, over every location holding the SKU.
     */
    async availableBySkus(skus: readonly string[], sharePercent = 100): Promise<Map<string, Map<string, number>>> {
      const rows = await db('inventory_levels')
        .select<{ location_id: string; sku: string; available: number }[]>('location_id', 'sku', db.raw('on_hand - reserved - safety_stock AS available'))
        .whereIn('sku', [...new Set(skus)])
        .whereRaw('on_hand - reserved - safety_stock > 0');
      const stock = new Map<string, Map<string, number>>();
      for (const row of rows) {
        const perSku = stock.get(row.location_id) ?? new Map<string, number>();
        perSku.set(row.sku, Math.floor((row.available * sharePercent) / 100));
        stock.set(row.location_id, perSku);
      }
      return stock;
    },

    async ledger(locationId: string, sku: string, limit: number, beforeId?: number): Promise<LedgerEntry[]> {
      const query = db<DbLedgerRow>('inventory_ledger')
        .where({ location_id: locationId, sku })
        .orderBy('id', 'desc')
        .limit(limit);
      if (beforeId !== undefined) query.where('id', '<', beforeId);
      return (await query).map(toLedgerEntry);
    },
  };
}
