// Stock per (location, SKU), reservations and the ledger. Every change is one short
// transaction that settles concurrency in Postgres (conditional UPDATEs, row locks)
// and writes a ledger entry whose unique idempotency key makes a retry a no-op.
import type { Knex } from 'knex';
import type { Db } from '../knex.ts';
import { availableQuantity } from '../../domain/inventory/available.ts';
import type { Availability, InventoryLevel, LedgerEntry } from '../../domain/inventory/schemas.ts';

interface DbLevelRow {
  location_id: string;
  sku: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  updated_at: Date;
}

interface DbLedgerRow {
  id: number;
  location_id: string;
  sku: string;
  reason: string;
  reference: string | null;
  on_hand_delta: number;
  reserved_delta: number;
  safety_stock_delta: number;
  on_hand_after: number;
  reserved_after: number;
  safety_stock_after: number;
  actor: string | null;
  created_at: Date;
}

function toLevel(row: DbLevelRow): InventoryLevel {
  return {
    locationId: row.location_id,
    sku: row.sku,
    onHand: row.on_hand,
    reserved: row.reserved,
    safetyStock: row.safety_stock,
    available: availableQuantity(row.on_hand, row.reserved, row.safety_stock),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toLedgerEntry(row: DbLedgerRow): LedgerEntry {
  return {
    id: row.id,
    locationId: row.location_id,
    sku: row.sku,
    reason: row.reason,
    reference: row.reference,
    onHandDelta: row.on_hand_delta,
    reservedDelta: row.reserved_delta,
    safetyStockDelta: row.safety_stock_delta,
    onHandAfter: row.on_hand_after,
    reservedAfter: row.reserved_after,
    safetyStockAfter: row.safety_stock_after,
    actor: row.actor,
    at: row.created_at.toISOString(),
  };
}

interface LedgerWrite {
  locationId: string;
  sku: string;
  reason: string;
  reference: string | null;
  onHandDelta: number;
  reservedDelta: number;
  safetyStockDelta: number;
  after: DbLevelRow;
  idempotencyKey: string;
  actor: string | null;
}

async function writeLedger(trx: Knex.Transaction, entry: LedgerWrite): Promise<void> {
  await trx('inventory_ledger').insert({
    location_id: entry.locationId,
    sku: entry.sku,
    reason: entry.reason,
    reference: entry.reference,
    on_hand_delta: entry.onHandDelta,
    reserved_delta: entry.reservedDelta,
    safety_stock_delta: entry.safetyStockDelta,
    on_hand_after: entry.after.on_hand,
    reserved_after: entry.after.reserved,
    safety_stock_after: entry.after.safety_stock,
    idempotency_key: entry.idempotencyKey,
    actor: entry.actor,
  });
}

export interface ReservationLine {
  lineId: string;
  sku: string;
  quantity: number;
}

export interface Reservation {
  reservationKey: string;
  lineId: string;
  attempt: number;
  locationId: string;
  sku: string;
  quantity: number;
  state: string;
}

export type ReserveResult =
  | { ok: true; reservationKeys: string[] }
  | { ok: false; reason: 'insufficient_stock'; sku: string };

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

export function reservationKey(orderId: string, lineId: string, locationId: string, attempt: number): string {
  return `${orderId}:${lineId}:${locationId}:${attempt}`;
}

export function createInventoryRepository(db: Db) {
  return {
    /** A cycle count: sets on-hand (and safety stock when given) absolutely. */
    async setCount(args: {
      locationId: string;
      sku: string;
      onHand: number;
      safetyStock?: number;
      idempotencyKey: string;
      actor: string | null;
    }): Promise<InventoryLevel> {
      return db.transaction(async (trx) => {
        await trx('inventory_levels')
          .insert({ location_id: args.locationId, sku: args.sku })
          .onConflict(['location_id', 'sku'])
          .ignore();
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
            updated_at: trx.fn.now(),
          })
          .returning('*');
        if (!after) throw new Error('inventory level vanished inside its transaction');
        await writeLedger(trx, {
          locationId: args.locationId,
          sku: args.sku,
          reason: 'cycle_count',
          reference: null,
          onHandDelta: after.on_hand - before.on_hand,
          reservedDelta: 0,
          safetyStockDelta: after.safety_stock - before.safety_stock,
          after,
          idempotencyKey: args.idempotencyKey,
          actor: args.actor,
        });
        return toLevel(after);
      });
    },

    async getLevel(locationId: string, sku: string): Promise<InventoryLevel | undefined> {
      const row = await db<DbLevelRow>('inventory_levels').where({ location_id: locationId, sku }).first();
      return row ? toLevel(row) : undefined;
    },

    async availability(skus: readonly string[], locationId?: string): Promise<Availability> {
      const query = db<DbLevelRow>('inventory_levels').whereIn('sku', [...skus]).orderBy(['sku', 'location_id']);
      if (locationId) query.where({ location_id: locationId });
      const rows = await query;
      return {
        items: skus.map((sku) => {
          const locations = rows
            .filter((row) => row.sku === sku)
            .map((row) => {
              const { locationId: id, onHand, reserved, safetyStock, available } = toLevel(row);
              return { locationId: id, onHand, reserved, safetyStock, available };
            });
          const total = locations.reduce(
            (sum, l) => ({
              onHand: sum.onHand + l.onHand,
              reserved: sum.reserved + l.reserved,
              safetyStock: sum.safetyStock + l.safetyStock,
              available: sum.available + l.available,
            }),
            { onHand: 0, reserved: 0, safetyStock: 0, available: 0 },
          );
          return { sku, total, locations };
        }),
      };
    },

    /** available[locationId][sku] for the given SKUs, over every location that stocks them. */
    async availableBySkus(skus: readonly string[]): Promise<Map<string, Map<string, number>>> {
      const rows = await db<DbLevelRow>('inventory_levels').whereIn('sku', [...new Set(skus)]);
      const stock = new Map<string, Map<string, number>>();
      for (const row of rows) {
        const perSku = stock.get(row.location_id) ?? new Map<string, number>();
        perSku.set(row.sku, availableQuantity(row.on_hand, row.reserved, row.safety_stock));
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

    /**
     * Reserves every line of an order at one location, all or nothing. Each line is one
     * conditional UPDATE (`available >= quantity`), so concurrent orders can never oversell,
     * and lines of the same SKU see each other's reservation (the bundle case).
     * Idempotent on (order, line, location, attempt): a repeat returns the first outcome.
     */
    async reserveAtLocation(args: {
      orderId: string;
      locationId: string;
      attempt: number;
      lines: readonly ReservationLine[];
    }): Promise<ReserveResult> {
      // A stable lock order (by SKU) keeps concurrent multi-line reservations from deadlocking.
      const lines = [...args.lines].sort((a, b) => a.sku.localeCompare(b.sku) || a.lineId.localeCompare(b.lineId));
      const keys = lines.map((l) => reservationKey(args.orderId, l.lineId, args.locationId, args.attempt));
      const existing = await db('reservations').whereIn('reservation_key', keys).count<{ count: number }[]>('* as count');
      if ((existing[0]?.count ?? 0) === keys.length) return { ok: true, reservationKeys: keys };

      try {
        return await db.transaction(async (trx) => {
          for (const [index, line] of lines.entries()) {
            const key = keys[index]!;
            // Inserted first: a concurrent duplicate attempt blocks here, then fails on the unique key.
            await trx('reservations').insert({
              reservation_key: key,
              order_id: args.orderId,
              line_id: line.lineId,
              attempt: args.attempt,
              location_id: args.locationId,
              sku: line.sku,
              quantity: line.quantity,
              state: 'held',
            });
            const [after] = await trx<DbLevelRow>('inventory_levels')
              .where({ location_id: args.locationId, sku: line.sku })
              .whereRaw('on_hand - reserved - safety_stock >= ?', [line.quantity])
              .update({ reserved: trx.raw('reserved + ?', [line.quantity]), updated_at: trx.fn.now() })
              .returning('*');
            if (!after) {
              throw new InsufficientStock(line.sku);
            }
            await writeLedger(trx, {
              locationId: args.locationId,
              sku: line.sku,
              reason: 'reserve',
              reference: `${args.orderId}/${line.lineId}`,
              onHandDelta: 0,
              reservedDelta: line.quantity,
              safetyStockDelta: 0,
              after,
              idempotencyKey: `reserve:${key}`,
              actor: null,
            });
          }
          return { ok: true as const, reservationKeys: keys };
        });
      } catch (err) {
        if (err instanceof InsufficientStock) return { ok: false, reason: 'insufficient_stock', sku: err.sku };
        if (isUniqueViolation(err)) return { ok: true, reservationKeys: keys };
        throw err;
      }
    },

    async reservationsOf(orderId: string, attempt?: number): Promise<Reservation[]> {
      const query = db('reservations').where({ order_id: orderId }).orderBy('id');
      if (attempt !== undefined) query.where({ attempt });
      const rows = await query;
      return rows.map((r: Record<string, unknown>) => ({
        reservationKey: r.reservation_key as string,
        lineId: r.line_id as string,
        attempt: r.attempt as number,
        locationId: r.location_id as string,
        sku: r.sku as string,
        quantity: r.quantity as number,
        state: r.state as string,
      }));
    },
  };
}

class InsufficientStock extends Error {
  constructor(readonly sku: string) {
    super(`insufficient stock for ${sku}`);
  }
}

export type InventoryRepository = ReturnType<typeof createInventoryRepository>;
