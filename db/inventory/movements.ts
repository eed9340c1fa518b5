// Every stock change is one movement: a single SQL statement that updates the level only
// if its guards hold (no negative counts; enough available stock where asked) and writes
// the ledger entry in the same statement. The ledger's unique idempotency key makes a
// repeated movement a no-op that reports the current level.
import type { Knex } from 'knex';
import type { InventoryLevel } from '../../domain/inventory/schemas.ts';
import { isUniqueViolation, toLevel, type DbLevelRow } from './rows.ts';

export type MovementReason =
  | 'cycle_count'
  | 'adjustment'
  | 'feed'
  | 'reserve'
  | 'release'
  | 'commit'
  | 'short_pick'
  | 'return_restock'
  | 'return_quarantine'
  | 'quarantine'
  | 'transfer_out'
  | 'transfer_in';

export interface Movement {
  locationId: string;
  sku: string;
  onHandDelta?: number;
  reservedDelta?: number;
  quarantinedDelta?: number;
  /** The movement only applies if at least this much is available (reservations). */
  requireAvailable?: number;
  /** With requireAvailable: the share (percent) of available stock the caller may take (channel allocation). */
  availableSharePercent?: number;
  reason: MovementReason;
  reference: string | null;
  idempotencyKey: string;
  actor: string | null;
}

export type MovementResult =
  | { ok: true; applied: boolean; level: InventoryLevel }
  | { ok: false; reason: 'insufficient_stock' | 'unknown_level' | 'exceeds_maximum' };

/** The largest count a level's int4 columns hold: a movement that would pass it is refused, never an overflow error. */
export const MAX_STOCK_COUNT = 2_147_483_647;

/**
 * A movement refused for taking a count past MAX_STOCK_COUNT, thrown where a caller cannot
 * answer it itself. It carries Postgres's SQLSTATE for it, so the API answers 409 and an
 * activity fails for good and flags its order (activities/unmendable-failures.ts) instead of
 * retrying what no retry mends.
 */
export class CountLimitExceeded extends Error {
  readonly code = '22003';
}

/** Throws for a movement that did not apply: CountLimitExceeded past the maximum, else a plain error (an outage or a bug). */
export function mustHaveMoved(result: MovementResult, what: string): void {
  if (result.ok) return;
  if (result.reason === 'exceeds_maximum') throw new CountLimitExceeded(`${what}: the count would pass ${MAX_STOCK_COUNT}`);
  throw new Error(`${what} failed: ${result.reason}`);
}

/** Applies one movement on `conn` (the database or a transaction the caller holds). */
export async function applyMovement(conn: Knex | Knex.Transaction, movement: Movement): Promise<MovementResult> {
  const dOn = movement.onHandDelta ?? 0;
  const dRes = movement.reservedDelta ?? 0;
  const dQ = movement.quarantinedDelta ?? 0;
  const need = movement.requireAvailable ?? 0;
  const share = movement.availableSharePercent ?? 100;
  const run = async (trx: Knex.Transaction) => {
    const result = await trx.raw<{ rows: DbLevelRow[] }>(
      `WITH upd AS (
         UPDATE inventory_levels
            SET on_hand = on_hand + :dOn, reserved = reserved + :dRes, quarantined = quarantined + :dQ, updated_at = now()
          WHERE location_id = :locationId AND sku = :sku
            AND on_hand::bigint + :dOn BETWEEN 0 AND :max AND reserved::bigint + :dRes BETWEEN 0 AND :max
            AND quarantined::bigint + :dQ BETWEEN 0 AND :max
            AND (:need = 0 OR on_hand - reserved - safety_stock >= :need)
            AND (:need = 0 OR :share >= 100 OR floor((on_hand - reserved - safety_stock)::bigint * :share / 100.0) >= :need)
            AND NOT EXISTS (SELECT 1 FROM inventory_ledger WHERE idempotency_key = :key)
          RETURNING *
       ), entry AS (
         INSERT INTO inventory_ledger (location_id, sku, reason, reference, on_hand_delta, reserved_delta,
                                       quarantined_delta, on_hand_after, reserved_after, safety_stock_after,
                                       quarantined_after, idempotency_key, actor)
         SELECT location_id, sku, :reason, :reference, :dOn, :dRes, :dQ, on_hand, reserved, safety_stock,
                quarantined, :key, :actor
           FROM upd
       )
       SELECT * FROM upd`,
      {
        dOn,
        dRes,
        dQ,
        max: MAX_STOCK_COUNT,
        need,
        share,
        locationId: movement.locationId,
        sku: movement.sku,
        key: movement.idempotencyKey,
        reason: movement.reason,
        reference: movement.reference,
        actor: movement.actor,
      },
    );
    return result.rows[0];
  };

  let updated: DbLevelRow | undefined;
  try {
    // A savepoint inside the caller's transaction, so a duplicate key does not abort it.
    updated = await conn.transaction(run);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  if (updated) return { ok: true, applied: true, level: toLevel(updated) };

  const [current, done] = await Promise.all([
    conn<DbLevelRow>('inventory_levels').where({ location_id: movement.locationId, sku: movement.sku }).first(),
    conn('inventory_ledger').where({ idempotency_key: movement.idempotencyKey }).first('id'),
  ]);
  if (!current) return { ok: false, reason: 'unknown_level' };
  if (done) return { ok: true, applied: false, level: toLevel(current) };
  const past = (count: number, delta: number) => count + delta > MAX_STOCK_COUNT;
  if (past(current.on_hand, dOn) || past(current.reserved, dRes) || past(current.quarantined, dQ)) return { ok: false, reason: 'exceeds_maximum' };
  return { ok: false, reason: 'insufficient_stock' };
}

/** Makes sure a (location, SKU) level row exists (all zero, so no ledger entry is owed). */
export async function ensureLevel(conn: Knex | Knex.Transaction, locationId: string, sku: string): Promise<void> {
  await conn('inventory_levels').insert({ location_id: locationId, sku }).onConflict(['location_id', 'sku']).ignore();
}
