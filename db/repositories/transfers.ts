// Transfers: the read model, and the two stock steps that must stay consistent with
// "incoming": shipping (stock leaves the source, becomes in transit) and receiving.
import type { Db } from '../knex.ts';
import { applyMovement, ensureLevel } from '../inventory/movements.ts';
import { createReservations } from '../inventory/reservations.ts';
import type { Transfer } from '../../domain/transfers/schemas.ts';

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

    /** Stock leaves the source: its reservations are committed and the units become in transit. */
    async ship(transferId: string, toLocationId: string): Promise<void> {
      const held = await reservations.reservationsOf(transferId, { state: 'held' });
      for (const reservation of held) {
        await reservations.commit(reservation.reservationKey, reservation.quantity, `transfer:${transferId}`, 'transfer_out');
      }
      const shipped = await reservations.reservationsOf(transferId, { state: 'committed' });
      await db.transaction(async (trx) => {
        for (const r of shipped) {
          // The destination shows the units as incoming from now on, even if it never stocked the SKU.
          await ensureLevel(trx, toLocationId, r.sku);
          await trx('transfer_lines')
            .where({ transfer_id: transferId, sku: r.sku, received: 0 })
            .update({ in_transit: r.quantity });
        }
      });
    },

    /** Units arrive: on hand at the destination, no longer in transit. One transaction, idempotent. */
    async receive(transferId: string, toLocationId: string): Promise<void> {
      await db.transaction(async (trx) => {
        const lines = (await trx('transfer_lines').where({ transfer_id: transferId }).where('in_transit', '>', 0).forUpdate()) as {
          sku: string;
          in_transit: number;
        }[];
        for (const line of lines) {
          await ensureLevel(trx, toLocationId, line.sku);
          const result = await applyMovement(trx, {
            locationId: toLocationId,
            sku: line.sku,
            onHandDelta: line.in_transit,
            reason: 'transfer_in',
            reference: transferId,
            idempotencyKey: `transfer_in:${transferId}:${line.sku}`,
            actor: `transfer:${transferId}`,
          });
          if (!result.ok) throw new Error(`receiving ${line.sku} of ${transferId} failed: ${result.reason}`);
          await trx('transfer_lines')
            .where({ transfer_id: transferId, sku: line.sku })
            .update({ received: line.in_transit, in_transit: 0 });
        }
      });
    },
  };
}

export type TransfersRepository = ReturnType<typeof createTransfersRepository>;
