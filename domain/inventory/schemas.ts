// Stock counts and availability as the API accepts and returns them.
import { z } from 'zod';
import { text } from '../text.ts';
import { ExternalId } from '../identifiers.ts';

const Quantity = z.int().min(0).max(100_000_000);

export const InventoryCountInput = z
  .object({
    onHand: Quantity,
    safetyStock: Quantity.optional(),
  })
  .strict();
export type InventoryCountInput = z.infer<typeof InventoryCountInput>;

export const StockFigures = z.object({
  onHand: z.int(),
  reserved: z.int(),
  safetyStock: z.int(),
  available: z.int(),
});
export type StockFigures = z.infer<typeof StockFigures>;

export const InventoryLevel = StockFigures.extend({
  quarantined: z.int().describe('Units held back from sale (damaged, defective)'),
  locationId: z.string(),
  sku: z.string(),
  updatedAt: z.string(),
});
export type InventoryLevel = z.infer<typeof InventoryLevel>;

export const Availability = z.object({
  items: z.array(
    z.object({
      sku: z.string(),
      total: StockFigures.extend({ incoming: z.int() }),
      locations: z.array(
        StockFigures.extend({
          locationId: z.string(),
          incoming: z.int().describe('Units in transit to this location, not yet available'),
          incomingExpectedAt: z.string().optional().describe('Earliest expected arrival of incoming units'),
        }),
      ),
    }),
  ),
});
export type Availability = z.infer<typeof Availability>;

export const LedgerEntry = z.object({
  id: z.int(),
  locationId: z.string(),
  sku: z.string(),
  reason: z.string(),
  reference: z.string().nullable(),
  onHandDelta: z.int(),
  reservedDelta: z.int(),
  safetyStockDelta: z.int(),
  quarantinedDelta: z.int(),
  onHandAfter: z.int(),
  reservedAfter: z.int(),
  safetyStockAfter: z.int(),
  quarantinedAfter: z.int(),
  actor: z.string().nullable(),
  at: z.string(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const AdjustmentInput = z
  .object({
    locationId: ExternalId,
    sku: ExternalId,
    delta: z
      .int()
      .min(-100_000_000)
      .max(100_000_000)
      .refine((d) => d !== 0, 'must not be zero'),
    reason: text(200),
  })
  .strict();
export type AdjustmentInput = z.infer<typeof AdjustmentInput>;

export const QuarantineInput = z
  .object({
    locationId: ExternalId,
    sku: ExternalId,
    quantity: Quantity.refine((q) => q > 0, 'must be positive'),
    reason: text(200),
    /** `quarantine`: sellable → quarantined; `restock`: quarantined → sellable; `dispose`: quarantined → gone. */
    action: z.enum(['quarantine', 'restock', 'dispose']).default('quarantine'),
  })
  .strict();
export type QuarantineInput = z.infer<typeof QuarantineInput>;

export const MAX_FEED_ITEMS = 50_000;

/** How far ahead of the server's clock a feed's asOf may be (clock skew), so one mistyped date cannot make a source's later feeds stale. */
export const FEED_MAX_FUTURE_MS = 5 * 60_000;

export const FeedInput = z
  .object({
    source: text(100),
    asOf: z.iso
      .datetime({ offset: true })
      .refine((at) => Number.isNaN(Date.parse(at)) || Date.parse(at) <= Date.now() + FEED_MAX_FUTURE_MS, `must be at most ${FEED_MAX_FUTURE_MS / 60_000} minutes ahead of the server's clock`),
    items: z
      .array(z.object({ locationId: ExternalId, sku: ExternalId, onHand: Quantity }).strict())
      .min(1)
      .max(MAX_FEED_ITEMS),
  })
  .strict();
export type FeedInput = z.infer<typeof FeedInput>;

export const FeedResult = z.object({
  applied: z.int(),
  skipped: z.int(),
  skippedItems: z.array(z.object({ index: z.int(), locationId: z.string(), sku: z.string(), lastAppliedAsOf: z.string() })),
});
