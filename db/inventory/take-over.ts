// Handing held stock from one owner to another in one transaction (a promise's hold to the
// order placed with it): see takeOver.
import type { Knex } from 'knex';
import type { Db } from '../knex.ts';
import { InsufficientStock, reserveLine, returnToStock, toReservation, type DbReservationRow, type ReserveResult } from './reservations.ts';
import { isUniqueViolation, sourceOf, type Reservation, type ShipmentToReserve } from './rows.ts';

export function createTakeOver(db: Db) {
  /**
   * Hands held stock from one owner to another (a promise's hold to the order placed with
   * it) in one transaction: the giver's held reservations are released and the taker's lines
   * reserved at the same locations, so no other order can take the units in between. All or
   * nothing: when a line cannot be reserved, nothing changes. `onCommit` runs in the same
   * transaction (the promise is marked used). A repeat of the same attempt returns what it made.
   */
  return async function takeOver(args: {
    from: string;
    to: string;
    attempt: number;
    /** What the taker reserves, each at its source. */
    shipments: readonly ShipmentToReserve[];
    onCommit?: (trx: Knex.Transaction) => Promise<void>;
  }): Promise<ReserveResult> {
    try {
      const reservations = await db.transaction(async (trx) => {
        const given = await trx<DbReservationRow>('reservations').where({ order_id: args.from, state: 'held' }).update({ state: 'released', updated_at: new Date() }).returning('*');
        await returnToStock(trx, given, null);
        const made: Reservation[] = [];
        const shipments = [...args.shipments].sort((a, b) => sourceOf(a).localeCompare(sourceOf(b)));
        for (const shipment of shipments) {
          for (const line of [...shipment.lines].sort((a, b) => a.sku.localeCompare(b.sku) || a.lineId.localeCompare(b.lineId))) {
            const reservation = await reserveLine(trx, { orderId: args.to, locationId: sourceOf(shipment), attempt: args.attempt, sharePercent: 100, line });
            if (!reservation) throw new InsufficientStock(line.sku);
            made.push(reservation);
          }
        }
        await args.onCommit?.(trx);
        return made;
      });
      return { ok: true, reservations };
    } catch (err) {
      if (err instanceof InsufficientStock) return { ok: false, reason: 'insufficient_stock', sku: err.sku };
      if (!isUniqueViolation(err)) throw err;
      const rows = await db<DbReservationRow>('reservations').where({ order_id: args.to, attempt: args.attempt, state: 'held' });
      return { ok: true, reservations: rows.map(toReservation) };
    }
  };
}
