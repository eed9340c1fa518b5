// The stock side of a fulfillment: barcodes of its SKUs for scan checks, short picks written
// off, cancelled units released, picked units committed when they leave the building.
// Each is idempotent on a business key the workflow passes in.
import { log } from '@temporalio/activity';
import type { InventoryRepository } from '../../db/repositories/inventory.ts';
import type { NetworkRepository } from '../../db/repositories/network.ts';
import { DEFAULT_FULFILLMENT_POLICY } from '../../domain/network/schemas.ts';

export interface FulfillmentSetup {
  barcodes: { sku: string; gtin?: string }[];
  pickSlaMinutes: number;
  pickupWindowHours: number;
  pickupReminderHours: number[];
  /** The location's time zone: a pickup window of whole days ends at the same local time. */
  timezone?: string;
}

export function createFulfillmentStockActivities(deps: { inventory: InventoryRepository; network: NetworkRepository }) {
  return {
    /** What a new fulfillment needs to know: its SKUs' barcodes and its location's policy. */
    async prepareFulfillment(input: { locationId: string; skus: string[] }): Promise<FulfillmentSetup> {
      const barcodes: { sku: string; gtin?: string }[] = [];
      for (const sku of [...new Set(input.skus)]) {
        const found = await deps.network.getSku(sku);
        barcodes.push(found?.gtin ? { sku, gtin: found.gtin } : { sku });
      }
      const location = await deps.network.getLocation(input.locationId);
      const policy = location?.fulfillmentPolicy ?? {};
      const isStore = location?.type === 'store';
      return {
        barcodes,
        pickSlaMinutes: policy.pickSlaMinutes ?? (isStore ? DEFAULT_FULFILLMENT_POLICY.pickSlaMinutes.store : DEFAULT_FULFILLMENT_POLICY.pickSlaMinutes.other),
        pickupWindowHours: policy.pickupWindowHours ?? DEFAULT_FULFILLMENT_POLICY.pickupWindowHours,
        pickupReminderHours: [...(policy.pickupReminderHours ?? DEFAULT_FULFILLMENT_POLICY.pickupReminderHours)].sort((a, b) => a - b),
        ...(location?.timezone ? { timezone: location.timezone } : {}),
      };
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
