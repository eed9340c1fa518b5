// The side effects of a transfer: record it, reserve at the source, ship, receive, release.
// A pickup by transfer works on its order's reservation at the source (ownerId = the order,
// with the reservation keys the routing made) and reserves the arrived units for the order.
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

    /** Commits what the source still holds; returns what shipped per reservation. */
    async shipTransfer(input: { transferId: string; toLocationId: string; ownerId?: string; reservationKeys?: string[] }) {
      return deps.transfers.ship(input.transferId, input.toLocationId, {
        ...(input.ownerId ? { ownerId: input.ownerId } : {}),
        ...(input.reservationKeys ? { reservationKeys: input.reservationKeys } : {}),
      });
    },

    async receiveTransfer(input: {
      transferId: string;
      toLocationId: string;
      received?: { sku: string; quantity: number }[];
      reserveFor?: { orderId: string; lines: { lineId: string; sku: string; quantity: number; reservationKey: string }[] };
    }): Promise<void> {
      await deps.transfers.receive(input.transferId, input.toLocationId, {
        ...(input.received ? { received: input.received } : {}),
        ...(input.reserveFor ? { reserveFor: input.reserveFor } : {}),
      });
    },

    async releaseTransferStock(input: { transferId: string; ownerId?: string; reservationKeys?: string[] }): Promise<number> {
      const owner = input.ownerId ?? input.transferId;
      return (await deps.inventory.release(owner, { ...(input.reservationKeys ? { reservationKeys: input.reservationKeys } : {}), actor: `transfer:${input.transferId}` })).length;
    },
  };
}
