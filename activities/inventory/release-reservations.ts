// Compensation: gives an order's held stock back when the order is cancelled, fails or expires.
import { log } from '@temporalio/activity';
import type { InventoryRepository } from '../../db/repositories/inventory.ts';

export function createReleaseOrderReservations(deps: { inventory: InventoryRepository }) {
  return async function releaseOrderReservations(input: { orderId: string; reason: string }): Promise<number> {
    const released = await deps.inventory.release(input.orderId, { actor: `workflow:${input.reason}` });
    if (released.length > 0) log.info('released reservations', { orderId: input.orderId, count: released.length, reason: input.reason });
    return released.length;
  };
}
