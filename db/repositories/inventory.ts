// The inventory repository: levels and feeds, movements, reservations (see db/inventory/).
import type { Db } from '../knex.ts';
import { createFeedWatermarks } from '../inventory/feed-watermarks.ts';
import { createLevels } from '../inventory/levels.ts';
import { applyMovement, ensureLevel, type Movement } from '../inventory/movements.ts';
import { createReservations } from '../inventory/reservations.ts';
import { sourceOf, type ShipmentToReserve } from '../inventory/rows.ts';
import { createTakeOver } from '../inventory/take-over.ts';

export { reservationKey, type Reservation, type ReservationLine, type ReserveResult } from '../inventory/reservations.ts';
export type { FeedItem, FeedResult } from '../inventory/levels.ts';

export function createInventoryRepository(db: Db) {
  const reservations = createReservations(db);
  return {
    ...createLevels(db),
    ...createFeedWatermarks(db),
    ...reservations,
    /**
     * Reserves every shipment of a plan at its source, all or nothing: on the first that cannot
     * be reserved (a lost race), the holds made so far are released and that source is named.
     */
    async reservePlan(args: { ownerId: string; attempt: number; shipments: readonly ShipmentToReserve[]; sharePercent: number }): Promise<{ ok: true } | { ok: false; locationId: string }> {
      const made: string[] = [];
      for (const shipment of args.shipments) {
        const source = sourceOf(shipment);
        const result = await reservations.reserveAtLocation({ orderId: args.ownerId, locationId: source, attempt: args.attempt, lines: shipment.lines, sharePercent: args.sharePercent });
        if (!result.ok) {
          if (made.length > 0) await reservations.release(args.ownerId, { reservationKeys: made });
          return { ok: false, locationId: source };
        }
        made.push(...result.reservations.map((r) => r.reservationKey));
      }
      return { ok: true };
    },
    takeOver: createTakeOver(db),
    /** A relative change (adjustment, short-pick write-off, restock, quarantine), creating the level if needed. */
    async move(movement: Movement) {
      await ensureLevel(db, movement.locationId, movement.sku);
      return applyMovement(db, movement);
    },
  };
}

export type InventoryRepository = ReturnType<typeof createInventoryRepository>;
