// Stock transfers between locations: requested → reserved → in_transit → received
// (or rejected when the source lacks the stock, or cancelled before shipping). A pickup by
// transfer runs one for its order: it adopts the order's reservation at the source, and on
// receipt the units are reserved at the pickup store for that order.
import { z } from 'zod';
import { ExternalId } from '../identifiers.ts';
import { text } from '../text.ts';

export const TransferStatus = z.enum(['requested', 'reserved', 'in_transit', 'received', 'rejected', 'cancelled']);
export type TransferStatus = z.infer<typeof TransferStatus>;

const SkuQuantity = (min: number) => z.object({ sku: ExternalId, quantity: z.int().min(min).max(1_000_000) }).strict();

/** Each SKU once per list. */
function uniqueSkus(lines: readonly { sku: string }[] | undefined, ctx: z.RefinementCtx, path: string): void {
  const seen = new Set<string>();
  (lines ?? []).forEach((line, index) => {
    if (seen.has(line.sku)) ctx.addIssue({ code: 'custom', path: [path, index, 'sku'], message: 'appears twice' });
    seen.add(line.sku);
  });
}

export const CreateTransferRequest = z
  .object({
    fromLocationId: ExternalId,
    toLocationId: ExternalId,
    lines: z.array(SkuQuantity(1)).min(1).max(500),
    expectedAt: z.iso.datetime({ offset: true }).describe('When the units are expected at the destination'),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.fromLocationId === t.toLocationId) {
      ctx.addIssue({ code: 'custom', path: ['toLocationId'], message: 'must differ from fromLocationId' });
    }
    uniqueSkus(t.lines, ctx, 'lines');
  });
export type CreateTransferRequest = z.infer<typeof CreateTransferRequest>;

export const PickTransferRequest = z
  .object({
    scans: z.array(z.object({ barcode: text(64), quantity: z.int().min(1).max(1_000_000) }).strict()).max(500).default([]),
    shortages: z.array(SkuQuantity(1)).max(500).optional().describe('Units the source could not find: written off there'),
  })
  .strict()
  .superRefine((t, ctx) => uniqueSkus(t.shortages, ctx, 'shortages'));
export type PickTransferRequest = z.infer<typeof PickTransferRequest>;

export const ShipTransferRequest = z
  .object({
    carrier: text(64).optional().describe('When a carrier moves the units (with its tracking number); left out for a store run'),
    trackingNumber: text(64).optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if ((t.carrier === undefined) !== (t.trackingNumber === undefined)) {
      ctx.addIssue({ code: 'custom', path: [t.carrier === undefined ? 'carrier' : 'trackingNumber'], message: 'carrier and trackingNumber go together' });
    }
  });
export type ShipTransferRequest = z.infer<typeof ShipTransferRequest>;

export const ReceiveTransferRequest = z
  .object({
    lines: z
      .array(SkuQuantity(0))
      .max(500)
      .optional()
      .describe('Units counted per SKU; a SKU left out arrived in full. Fewer than shipped is a short receipt: the rest is lost in transit'),
  })
  .strict()
  .superRefine((t, ctx) => uniqueSkus(t.lines, ctx, 'lines'));
export type ReceiveTransferRequest = z.infer<typeof ReceiveTransferRequest>;

export const Transfer = z.object({
  id: z.string(),
  fromLocationId: z.string(),
  toLocationId: z.string(),
  status: TransferStatus,
  expectedAt: z.string(),
  overdue: z.boolean(),
  orderId: z.string().optional().describe('Pickup by transfer: the order the units are for'),
  fulfillmentId: z.string().optional().describe('Pickup by transfer: the pickup fulfillment waiting for the units'),
  withdrawn: z.boolean().optional().describe('The order no longer needs the units: they arrive as the store’s ordinary stock'),
  carrier: z.string().optional(),
  trackingNumber: z.string().optional(),
  lines: z.array(
    z.object({
      sku: z.string(),
      gtin: z.string().optional(),
      quantity: z.int(),
      picked: z.int().optional().describe('Units scanned at the source'),
      short: z.int().optional().describe('Units the source could not find (written off there)'),
      shipped: z.int(),
      received: z.int(),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
  events: z.array(z.object({ at: z.string(), type: z.string(), detail: z.record(z.string(), z.unknown()) })),
});
export type Transfer = z.infer<typeof Transfer>;
