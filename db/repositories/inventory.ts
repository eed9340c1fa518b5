// The inventory repository: levels and feeds, movements, reservations (see db/inventory/).
import type { Db } from '../knex.ts';
import { createLevels } from '../inventory/levels.ts';
import { applyMovement, ensureLevel, type Movement } from '../inventory/movements.ts';
import { createReservations } from '../inventory/reservations.ts';
import { createTakeOver } from '../inventory/take-over.ts';

export { reservationKey, type Reservation, type ReservationLine, type ReserveResult } from '../inventory/reservations.ts';
export type { FeedItem, FeedResult } from '../inventory/levels.ts';

export function createInventoryRepository(db: Db) {
  return {
    ...createLevels(db),
    ...createReservations(db),
    takeOver: createTakeOver(db),
    /** A relative change (adjustment, short-pick write-off, restock, quarantine), creating the level if needed. */
    async move(movement: Movement) {
      await ensureLevel(db, movement.locationId, movement.sku);
      return applyMovement(db, movement);
    },
  };
}

export type InventoryRepository = ReturnType<typeof createInventoryRepository>;
