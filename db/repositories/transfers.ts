// Transfers: the read model, and the two stock steps that must stay consistent with
// "incoming": shipping (stock leaves the source, becomes in transit) and receiving.
import type { Db } from '../knex.ts';
import { applyMovement, ensureLevel, mustHaveMoved } from '../inventory/movements.ts';
import { reserveArrived } from '../inventory/arrivals.ts';
import { createReservations, type ReservationLine } from '../inventory/reservations.ts';
import type { Transfer } from '../../domain/transfers/schemas.ts';
import { quantitiesBySku } from '../../domain/transfers/state.ts';

export function createTransfersRepository(db: Db) {
  const reservations = createReservations(db);
  return {
    /** Records the transfer (idempotent: a retried activity finds it there). */
    async record(transfer: Transfer): Promise<void> {
      await db.transaction(async (trx) => {
        const inserted = await trx('transfers')
          .insert({
            id: transfer.id,
            from_location_id: transfer.fromLocationId,
            to_location_id: transfer.toLocationId,
            status: transfer.status,
            expected_at: new Date(transfer.expectedAt),
            snapshot: JSON.stringify(transfer),
            created_at: new Date(transfer.createdAt),
            updated_at: new Date(transfer.updatedAt),
          })
          .onConflict('id')
          .ignore()
          .returning('id');
        if (inserted.length === 0) return;
        await trx('transfer_lines').insert(transfer.lines.map((l) => ({ transfer_id: transfer.id, sku: l.sku, quantity: l.quantity })));
      });
    },

    async saveSnapshot(transfer: Transfer, revision: number): Promise<void> {
      await db('transfers')
        .where({ id: transfer.id })
        .where('revision', '<', revision)
        .update({ status: transfer.status, snapshot: JSON.stringify(transfer), revision, updated_at: new Date(transfer.updatedAt) });
    },

    async get(id: string): Promise<Transfer | undefined> {
      const row = await db('transfers').where({ id }).first('snapshot');
      return (row as { snapshot: Transfer } | undefined)?.snapshot;
    },

    /**
     * Stock leaves the source: the reservations still held are committed at what they hold
     * (a standalone transfer's own, or the order's named keys for a pickup by transfer) and
     * those units are in transit. Idempotent; returns what shipped per reservation.
     */
    async ship(
      transferId: string,
      toLocationId: string,
      options: { ownerId?: string; reservationKeys?: readonly string[] } = {},
    ): Promise<{ reservationKey: string; lineId: string; sku: string; quantity: number }[]> {
      const owner = options.ownerId ?? transferId;
      const keys = options.reservationKeys ?? (await reservations.reservationsOf(owner)).filter((r) => r.state !== 'released').map((r) => r.reservationKey);
      const shipped = await reservations.commitHeld(owner, keys, `transfer:${transferId}`, 'transfer_out');
      const perSku = quantitiesBySku(shipped);
      await db.transaction(async (trx) => {
        for (const [sku, quantity] of [...perSku].sort(([a], [b]) => a.localeCompare(b))) {
          // The destination shows the units as incoming from now on, even if it never stocked the SKU.
          await ensureLevel(trx, toLocationId, sku);
          await trx('transfer_lines').where({ transfer_id: transferId, sku, received: 0 }).update({ in_transit: quantity });
        }
      });
      return shipped.map((r) => ({ reservationKey: r.reservationKey, lineId: r.lineId, sku: r.sku, quantity: r.quantity }));
    },

    /**
     * Units arrive: on hand at the destination, no longer in transit — as many as were counted
     * per SKU (all of them when not said; the rest is lost in transit). For a pickup by
     * transfer the units are reserved for the order in the same transaction, so no other
     * order can take them first. Idempotent.
     */
    async receive(
      transferId: string,
      toLocationId: string,
      options: {
        received?: readonly { sku: string; quantity: number }[];
        reserveFor?: { orderId: string; lines: readonly (ReservationLine & { reservationKey: string })[] };
      } = {},
    ): Promise<void> {
      await db.transaction(async (trx) => {
        const lines = (await trx('transfer_lines').where({ transfer_id: transferId }).where('in_transit', '>', 0).orderBy('sku').forUpdate()) as {
          sku: string;
          in_transit: number;
        }[];
        if (lines.length === 0) return;
        for (const line of lines) {
          const counted = options.received?.find((r) => r.sku === line.sku)?.quantity;
          const received = Math.min(counted ?? line.in_transit, line.in_transit);
          await ensureLevel(trx, toLocationId, line.sku);
          if (received > 0) {
            const result = await applyMovement(trx, {
              locationId: toLocationId,
              sku: line.sku,
              onHandDelta: received,
              reason: 'transfer_in',
              reference: transferId,
              idempotencyKey: `transfer_in:${transferId}:${line.sku}`,
              actor: `transfer:${transferId}`,
            });
            mustHaveMoved(result, `receiving ${line.sku} of ${transferId}`);
          }
          await trx('transfer_lines').where({ transfer_id: transferId, sku: line.sku }).update({ received, in_transit: 0 });
        }
        if (options.reserveFor) {
          await reserveArrived(trx, { orderId: options.reserveFor.orderId, locationId: toLocationId, actor: `transfer:${transferId}`, lines: options.reserveFor.lines });
        }
      });
    },

    /** Transfers from or to a location (its outbound and inbound queues), newest first. */
    async ofLocation(locationId: string, options: { direction: 'outbound' | 'inbound'; statuses?: readonly string[]; limit: number }): Promise<Transfer[]> {
      const query = db('transfers')
        .where(options.direction === 'outbound' ? 'from_location_id' : 'to_location_id', locationId)
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .limit(options.limit)
        .select('snapshot');
      if (options.statuses?.length) query.whereIn('status', options.statuses);
      return ((await query) as { snapshot: Transfer }[]).map((r) => r.snapshot);
    },
  };
}

export type TransfersRepository = ReturnType<typeof createTransfersRepository>;
