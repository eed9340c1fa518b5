// The side effects of a transfer: record it, reserve at the source, ship, receive, release.
import type { InventoryRepository } from '../../db/repositories/inventory.ts';
import type { TransfersRepository } from '../../db/repositories/transfers.ts';
import type { Transfer } from '../../domain/transfers/schemas.ts';

export function createTransferActivities(deps: { transfers: TransfersRepository; inventory: InventoryRepository }) {
  return {
    async recordTransfer(input: { transfer: Transfer }): Promise<void> {
      await deps.transfers.record(input.transfer);
    },

    async saveTransferSnapshot(input: { transfer: Transfer; revision: number }): Promise<void> {
      await deps.transfers.saveSnapshot(input.transfer, input.revision);
    },

    /** Reserves every line at the source, all or nothing. */
    async reserveTransferStock(input: { transfer: Transfer }): Promise<{ ok: true } | { ok: false; sku: string }> {
      const { transfer } = input;
      const result = await deps.inventory.reserveAtLocation({
        orderId: transfer.id,
        locationId: transfer.fromLocationId,
        attempt: 1,
        lines: transfer.lines.map((l) => ({ lineId: l.sku, sku: l.sku, quantity: l.quantity })),
      });
      return result.ok ? { ok: true } : { ok: false, sku: result.sku };
    },

    async shipTransfer(input: { transferId: string; toLocationId: string }): Promise<void> {
      await deps.transfers.ship(input.transferId, input.toLocationId);
    },

    async receiveTransfer(input: { transferId: string; toLocationId: string }): Promise<void> {
      await deps.transfers.receive(input.transferId, input.toLocationId);
    },

    async releaseTransferStock(input: { transferId: string }): Promise<number> {
      return (await deps.inventory.release(input.transferId, { actor: `transfer:${input.transferId}` })).length;
    },
  };
}
