// Stock counts and availability as the API accepts and returns them.
import { z } from 'zod';

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
  locationId: z.string(),
  sku: z.string(),
  updatedAt: z.string(),
});
export type InventoryLevel = z.infer<typeof InventoryLevel>;

export const Availability = z.object({
  items: z.array(
    z.object({
      sku: z.string(),
      total: StockFigures,
      locations: z.array(StockFigures.extend({ locationId: z.string() })),
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
  onHandAfter: z.int(),
  reservedAfter: z.int(),
  safetyStockAfter: z.int(),
  actor: z.string().nullable(),
  at: z.string(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;
