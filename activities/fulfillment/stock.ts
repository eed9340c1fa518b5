// The stock side of a fulfillment: barcodes of its SKUs for scan checks, short picks written
// off, cancelled units released, picked units committed when they leave the building.
// Each is idempotent on a business key the workflow passes in.
import { log } from '@temporalio/activity';
import type { InventoryRepository } from '../../db/repositories/inventory.ts';
import type { NetworkRepository } from '../../db/repositories/network.ts';
import type { FulfillmentSetup } from '../../domain/fulfillments/setup.ts';
import { readFulfillmentSetup } from './setup.ts';

export type { FulfillmentSetup } from '../../domain/fulfillments/setup.ts';

export function createFulfillmentStockActivities(deps: { inventory: InventoryRepository; network: NetworkRepository }) {
  return {
    /** What a new fulfillment needs to know: its SKUs' barcodes and its location's policy. */
    async prepareFulfillment(input: { locationId: string; skus: string[] }): Promise<FulfillmentSetup> {
      return readFulfillmentSetup(deps.network, input.locationId, input.skus);
    },

    /** Short pick: the units are not on the shelf; they leave on-hand and the reservation. */
    async writeOffShortPick(input: { reservationKey: string; quantity: number; idempotencyKey: string; actor: string }): Promise<void> {
      const outcome = await deps.inventory.reduce({ ...input, kind: 'short_pick' });
      if (outcome === 'not_held') log.warn('short pick found no held reservation', { reservationKey: input.reservationKey });
    },

    /** Cancelled units of a fulfillment go back to available stock. */
    async releaseReservedUnits(input: { reservationKey: string; quantity: number; idempotencyKey: string; actor: string }): Promise<void> {
      await deps.inventory.reduce({ ...input, kind: 'release' });
    },

    /** A fulfillment that ends without shipping (rejected, expired, cancelled, re-routed) gives its stock back. */
    async releaseFulfillmentStock(input: { orderId: string; reservationKeys: string[]; actor: string }): Promise<number> {
      const released = await deps.inventory.release(input.orderId, { reservationKeys: input.reservationKeys, actor: input.actor });
      return released.length;
    },

    /** Units handed to the carrier or the customer leave on-hand and the reservation. */
    async commitFulfillmentStock(input: { lines: { reservationKey: string; quantity: number }[]; actor: string }): Promise<void> {
      for (const line of input.lines) {
        if (line.quantity > 0) await deps.inventory.commit(line.reservationKey, line.quantity, input.actor);
      }
    },
  };
}
