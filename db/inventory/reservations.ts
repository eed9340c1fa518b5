// Reservations: stock held for an order line at one location (held → committed | released).
// Reserving a line is ONE statement that updates the level under its availability guard,
// inserts the reservation row and writes the ledger; a multi-line order runs its lines in
// one transaction, so it is reserved all or nothing. Lines of the same SKU see each other's
// reservation (the bundle case). The reservation key (order, line, location, attempt) makes
// a repeat a no-op.
import type { Knex } from 'knex';
import type { Db } from '../knex.ts';
import { positionalToKnex, queryPrepared } from '../prepared.ts';
import { applyMovement } from './movements.ts';
import { ReservationBatcher } from './reservation-batcher.ts';
import { isUniqueViolation, type Reservation, type ReservationLine } from './rows.ts';
import { reservationKey } from '../../domain/inventory/reservation-keys.ts';

export type { Reservation, ReservationLine };

export interface DbReservationRow {
  reservation_key: string;
  order_id: string;
  line_id: string;
  attempt: number;
  location_id: string;
  sku: string;
  quantity: number;
  state: Reservation['state'];
  updated_at: Date;
}

export function toReservation(row: DbReservationRow): Reservation {
  return {
    reservationKey: row.reservation_key,
    orderId: row.order_id,
    lineId: row.line_id,
    attempt: row.attempt,
    locationId: row.location_id,
    sku: row.sku,
    quantity: row.quantity,
    state: row.state,
  };
}

export type ReserveResult =
  | { ok: true; reservations: Reservation[] }
  | { ok: false; reason: 'insufficient_stock'; sku: string };

export { reservationKey };

export class InsufficientStock extends Error {
  constructor(readonly sku: string) {
    super(`insufficient stock for ${sku}`);
  }
}

const RESERVE_LINE_SQL = `
  WITH upd AS (
    UPDATE inventory_levels
       SET reserved = reserved + $1, updated_at = now()
     WHERE location_id = $3 AND sku = $4
       AND on_hand - reserved - safety_stock >= $1
       AND ($2 >= 100 OR floor((on_hand - reserved - safety_stock)::bigint * $2 / 100.0) >= $1)
     RETURNING *
  ), reservation AS (
    INSERT INTO reservations (reservation_key, order_id, line_id, attempt, location_id, sku, quantity, state)
    SELECT $5, $6, $7, $8, location_id, sku, $1, 'held' FROM upd
    RETURNING *
  ), entry AS (
    INSERT INTO inventory_ledger (location_id, sku, reason, reference, reserved_delta, on_hand_after,
                                  reserved_after, safety_stock_after, quarantined_after, idempotency_key)
    SELECT location_id, sku, 'reserve', $9, $1, on_hand, reserved, safety_stock, quarantined, $10
      FROM upd
  )
  SELECT * FROM reservation`;

function isTransaction(conn: Knex | Knex.Transaction): conn is Knex.Transaction {
  return 'isTransaction' in conn && conn.isTransaction === true;
}

/** Reserves one line; returns the new reservation, or undefined when the stock is not there. */
export async function reserveLine(
  conn: Knex | Knex.Transaction,
  args: { orderId: string; locationId: string; attempt: number; sharePercent: number; line: ReservationLine },
): Promise<Reservation | undefined> {
  const { line } = args;
  const key = reservationKey(args.orderId, line.lineId, args.locationId, args.attempt);
  const values = [
    line.quantity,
    args.sharePercent,
    args.locationId,
    line.sku,
    key,
    args.orderId,
    line.lineId,
    args.attempt,
    `${args.orderId}/${line.lineId}`,
    `reserve:${key}`,
  ];
  // Outside a transaction the statement runs prepared (the hot path); inside one, on that transaction.
  const rows = isTransaction(conn)
    ? (await conn.raw<{ rows: DbReservationRow[] }>(...(positionalToKnex(RESERVE_LINE_SQL, values) as [string, readonly Knex.RawBinding[]]))).rows
    : await queryPrepared<DbReservationRow & Record<string, unknown>>(conn, 'fulcrum_reserve_line', RESERVE_LINE_SQL, values);
  const row = rows[0];
  return row ? toReservation(row) : undefined;
}

/** Gives the units of reservations just marked released back to available stock (in lock order). */
export async function returnToStock(trx: Knex.Transaction, rows: DbReservationRow[], actor: string | null): Promise<void> {
  rows.sort((a, b) => a.location_id.localeCompare(b.location_id) || a.sku.localeCompare(b.sku));
  for (const row of rows) {
    const result = await applyMovement(trx, {
      locationId: row.location_id,
      sku: row.sku,
      reservedDelta: -row.quantity,
      reason: 'release',
      reference: `${row.order_id}/${row.line_id}`,
      idempotencyKey: `release:${row.reservation_key}`,
      actor,
    });
    if (!result.ok) throw new Error(`release of ${row.reservation_key} found no stock level (${result.reason})`);
  }
}

export function createReservations(db: Db) {
  const batcher = new ReservationBatcher(db, async (item) => {
    const reservation = await reserveLine(db, {
      orderId: item.orderId,
      locationId: item.locationId,
      attempt: item.attempt,
      sharePercent: item.sharePercent,
      line: { lineId: item.lineId, sku: item.sku, quantity: item.quantity },
    });
    return reservation !== undefined;
  });

  async function reservationsOf(orderId: string, filter: { attempt?: number; state?: Reservation['state'] } = {}) {
    const query = db<DbReservationRow>('reservations').where({ order_id: orderId }).orderBy(['created_at', 'reservation_key']);
    if (filter.attempt !== undefined) query.where({ attempt: filter.attempt });
    if (filter.state) query.where({ state: filter.state });
    return (await query).map(toReservation);
  }

  return {
    reservationsOf,

    /** Reserves every line at one location, all or nothing; a repeat returns the first outcome. */
    async reserveAtLocation(args: {
      orderId: string;
      locationId: string;
      attempt: number;
      lines: readonly ReservationLine[];
      /** Channel allocation: the share of available stock this order's channel may take. */
      sharePercent?: number;
    }): Promise<ReserveResult> {
      // A stable lock order (by SKU) keeps concurrent multi-line reservations from deadlocking.
      const lines = [...args.lines].sort((a, b) => a.sku.localeCompare(b.sku) || a.lineId.localeCompare(b.lineId));
      const common = { orderId: args.orderId, locationId: args.locationId, attempt: args.attempt, sharePercent: args.sharePercent ?? 100 };
      try {
        if (lines.length === 1) {
          // The common case and the hot path: one statement, shared with concurrent requests.
          const line = lines[0]!;
          const key = reservationKey(args.orderId, line.lineId, args.locationId, args.attempt);
          const reserved = await batcher.reserve({ reservationKey: key, ...common, ...line });
          if (!reserved) return { ok: false, reason: 'insufficient_stock', sku: line.sku };
          return {
            ok: true,
            reservations: [{ reservationKey: key, orderId: args.orderId, lineId: line.lineId, attempt: args.attempt, locationId: args.locationId, sku: line.sku, quantity: line.quantity, state: 'held' }],
          };
        }
        const reservations = await db.transaction(async (trx) => {
          const made: Reservation[] = [];
          for (const line of lines) {
            const reservation = await reserveLine(trx, { ...common, line });
            if (!reservation) throw new InsufficientStock(line.sku);
            made.push(reservation);
          }
          return made;
        });
        return { ok: true, reservations };
      } catch (err) {
        if (err instanceof InsufficientStock) return { ok: false, reason: 'insufficient_stock', sku: err.sku };
        // The reservation key exists: this attempt already reserved (a retried activity).
        if (!isUniqueViolation(err)) throw err;
      }
      const keys = new Set(lines.map((l) => reservationKey(args.orderId, l.lineId, args.locationId, args.attempt)));
      const reservations = (await reservationsOf(args.orderId, { attempt: args.attempt })).filter((r) => keys.has(r.reservationKey));
      // A key may only be repeated for what it still holds (or shipped): a released key reused would reserve nothing.
      const released = reservations.find((r) => r.state === 'released');
      if (released) throw new Error(`reservation key ${released.reservationKey} was already released; use a new attempt`);
      return { ok: true, reservations };
    },

    /**
     * Releases held reservations of an order (all, or those named): reserved stock becomes
     * available again. Idempotent: released or committed reservations are left alone.
     */
    async release(orderId: string, options: { reservationKeys?: string[]; actor?: string | null } = {}): Promise<Reservation[]> {
      return db.transaction(async (trx) => {
        const query = trx<DbReservationRow>('reservations').where({ order_id: orderId, state: 'held' });
        if (options.reservationKeys) query.whereIn('reservation_key', options.reservationKeys);
        const rows = await query.update({ state: 'released', updated_at: new Date() }).returning('*');
        await returnToStock(trx, rows, options.actor ?? null);
        return rows.map(toReservation);
      });
    },

    /**
     * Commits a held reservation when its units ship: on-hand and reserved both drop by
     * `quantity`; any rest of the reservation is released. Idempotent.
     */
    async commit(
      reservationKeyToCommit: string,
      quantity: number,
      actor: string | null = null,
      reason: 'commit' | 'transfer_out' = 'commit',
    ): Promise<Reservation | undefined> {
      return db.transaction(async (trx) => {
        const [row] = await trx<DbReservationRow>('reservations')
          .where({ reservation_key: reservationKeyToCommit, state: 'held' })
          .where('quantity', '>=', quantity)
          .update({ state: 'committed', updated_at: new Date() })
          .returning('*');
        if (!row) return undefined;
        const reference = `${row.order_id}/${row.line_id}`;
        const shipped = await applyMovement(trx, {
          locationId: row.location_id,
          sku: row.sku,
          onHandDelta: -quantity,
          reservedDelta: -quantity,
          reason,
          reference,
          idempotencyKey: `commit:${row.reservation_key}`,
          actor,
        });
        if (!shipped.ok) throw new Error(`commit of ${row.reservation_key} failed: ${shipped.reason}`);
        if (quantity < row.quantity) {
          const rest = await applyMovement(trx, {
            locationId: row.location_id,
            sku: row.sku,
            reservedDelta: -(row.quantity - quantity),
            reason: 'release',
            reference,
            idempotencyKey: `release:${row.reservation_key}`,
            actor,
          });
          if (!rest.ok) throw new Error(`release of the rest of ${row.reservation_key} failed: ${rest.reason}`);
        }
        return toReservation(row);
      });
    },

    /**
     * Commits each named reservation still held at whatever it holds now (a transfer ships
     * what is left after shortages and cancellations): on-hand and reserved drop together.
     * Idempotent; returns every named reservation that is committed.
     */
    async commitHeld(ownerId: string, keys: readonly string[], actor: string | null, reason: 'commit' | 'transfer_out'): Promise<Reservation[]> {
      for (const key of keys) {
        await db.transaction(async (trx) => {
          const [row] = await trx<DbReservationRow>('reservations')
            .where({ reservation_key: key, state: 'held' })
            .update({ state: 'committed', updated_at: new Date() })
            .returning('*');
          if (!row) return;
          const moved = await applyMovement(trx, {
            locationId: row.location_id,
            sku: row.sku,
            onHandDelta: -row.quantity,
            reservedDelta: -row.quantity,
            reason,
            reference: `${row.order_id}/${row.line_id}`,
            idempotencyKey: `commit:${row.reservation_key}`,
            actor,
          });
          if (!moved.ok) throw new Error(`commit of ${row.reservation_key} failed: ${moved.reason}`);
        });
      }
      const wanted = new Set(keys);
      return (await reservationsOf(ownerId, { state: 'committed' })).filter((r) => wanted.has(r.reservationKey));
    },

    /**
     * Takes `quantity` units out of a held reservation: released back to available stock
     * (a cancelled line), or written off the shelf (a short pick: the units are not there).
     * Idempotent on `idempotencyKey`.
     */
    async reduce(args: {
      reservationKey: string;
      quantity: number;
      kind: 'release' | 'short_pick';
      idempotencyKey: string;
      actor: string | null;
    }): Promise<'reduced' | 'already_done' | 'not_held'> {
      return db.transaction(async (trx) => {
        const done = await trx('inventory_ledger').where({ idempotency_key: args.idempotencyKey }).first('id');
        if (done) return 'already_done';
        const [row] = await trx<DbReservationRow>('reservations')
          .where({ reservation_key: args.reservationKey, state: 'held' })
          .where('quantity', '>=', args.quantity)
          .update({
            // Taken down to nothing, the reservation is released and keeps its last quantity (quantity > 0 holds).
            quantity: trx.raw('CASE WHEN quantity = ? THEN quantity ELSE quantity - ? END', [args.quantity, args.quantity]),
            state: trx.raw("CASE WHEN quantity = ? THEN 'released' ELSE state END", [args.quantity]),
            updated_at: new Date(),
          })
          .returning('*');
        if (!row) return 'not_held';
        const moved = await applyMovement(trx, {
          locationId: row.location_id,
          sku: row.sku,
          reservedDelta: -args.quantity,
          ...(args.kind === 'short_pick' ? { onHandDelta: -args.quantity } : {}),
          reason: args.kind,
          reference: `${row.order_id}/${row.line_id}`,
          idempotencyKey: args.idempotencyKey,
          actor: args.actor,
        });
        if (!moved.ok) throw new Error(`${args.kind} of ${args.reservationKey} failed: ${moved.reason}`);
        return 'reduced';
      });
    },

    /** Held reservations whose owning order may have closed: the reconciliation's candidates. */
    async heldOrderIds(olderThan: Date): Promise<string[]> {
      const rows = await db('reservations').where({ state: 'held' }).where('created_at', '<', olderThan).distinct('order_id');
      return rows.map((r: { order_id: string }) => r.order_id);
    },
  };
}
