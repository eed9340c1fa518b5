// Units that arrived by a pickup's transfer, reserved at the store for the order they came
// for, on the transaction that put them on hand.
import type { Knex } from 'knex';
import { applyMovement, mustHaveMoved } from './movements.ts';
import type { ReservationLine } from './rows.ts';

/**
 * Reserves units that have just arrived for the order they came for, on the caller's
 * transaction (the one that put them on hand): no safety-stock or channel guard, since they
 * were the order's before they arrived. A key already there is left as it is.
 */
export async function reserveArrived(
  trx: Knex.Transaction,
  args: { orderId: string; locationId: string; actor: string; lines: readonly (ReservationLine & { reservationKey: string })[] },
): Promise<void> {
  for (const line of args.lines) {
    if (line.quantity <= 0) continue;
    const inserted = await trx('reservations')
      .insert({
        reservation_key: line.reservationKey,
        order_id: args.orderId,
        line_id: line.lineId,
        attempt: 0,
        location_id: args.locationId,
        sku: line.sku,
        quantity: line.quantity,
        state: 'held',
      })
      .onConflict('reservation_key')
      .ignore()
      .returning('reservation_key');
    if (inserted.length === 0) continue;
    const moved = await applyMovement(trx, {
      locationId: args.locationId,
      sku: line.sku,
      reservedDelta: line.quantity,
      reason: 'reserve',
      reference: `${args.orderId}/${line.lineId}`,
      idempotencyKey: `reserve:${line.reservationKey}`,
      actor: args.actor,
    });
    mustHaveMoved(moved, `reserving the arrived units of ${line.reservationKey}`);
  }
}
