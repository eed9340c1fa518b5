// Returns as channels, stores and ops create them and as the API returns them. A return is
// its own workflow (`return-<id>`): open → received → refunded, or expired / cancelled.
import { z } from 'zod';
import { text } from '../text.ts';
import { ExternalId } from '../identifiers.ts';
import { Money } from '../money.ts';
import { OrderEvent, type Address } from '../orders/schemas.ts';

export const ReturnMethod = z.enum(['mail', 'in_store']);
export const ReturnStatus = z.enum(['open', 'received', 'refunded', 'expired', 'cancelled']);
export const Condition = z.enum(['sellable', 'damaged', 'defective']);
export type Condition = z.infer<typeof Condition>;

export const CreateReturnRequest = z
  .object({
    orderId: text(100),
    method: ReturnMethod,
    locationId: ExternalId.optional().describe('in_store: where the customer brings it; mail: where it is sent (default: the nearest location taking returns)'),
    lines: z
      .array(z.object({ lineId: text(64), quantity: z.int().min(1).max(10_000), reason: text(500, { trim: true }) }).strict())
      .min(1)
      .max(200),
    replacementLines: z
      .array(z.object({ sku: ExternalId, quantity: z.int().min(1).max(10_000) }).strict())
      .min(1)
      .max(200)
      .optional()
      .describe('An exchange: these are sent as a new order (an even swap: the returned units are not refunded)'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.method === 'in_store' && !body.locationId) ctx.addIssue({ code: 'custom', path: ['locationId'], message: 'is required for method "in_store"' });
  });
export type CreateReturnRequest = z.infer<typeof CreateReturnRequest>;

export const ReceiveReturnRequest = z
  .object({
    locationId: ExternalId,
    lines: z.array(z.object({ lineId: text(64), quantity: z.int().min(1).max(10_000), condition: Condition }).strict()).min(1).max(200),
  })
  .strict();
export type ReceiveReturnRequest = z.infer<typeof ReceiveReturnRequest>;

export const ReturnResource = z.object({
  id: z.string(),
  orderId: z.string(),
  channel: z.string(),
  status: ReturnStatus,
  rma: z.string(),
  method: ReturnMethod,
  locationId: z.string().optional().describe('Where the return is expected (mail) or was brought (in store)'),
  lines: z.array(
    z.object({
      lineId: z.string(),
      sku: z.string(),
      quantity: z.int(),
      reason: z.string(),
      received: z.int(),
      condition: Condition.optional().describe('Of the received units (the worst, when a receipt named several)'),
      receipts: z.array(z.object({ locationId: z.string(), quantity: z.int(), condition: Condition })),
    }),
  ),
  label: z.object({ carrier: z.string(), service: z.string(), trackingNumber: z.string() }).optional(),
  refund: z.object({ amount: Money, status: z.enum(['pending', 'issued', 'refused', 'none']) }).optional(),
  replacementLines: z.array(z.object({ sku: z.string(), quantity: z.int() })).optional(),
  exchangeOrderId: z.string().optional(),
  expiresAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  events: z.array(OrderEvent),
});
export type ReturnResource = z.infer<typeof ReturnResource>;

export const ReturnPolicy = z
  .object({
    windowDays: z.int().min(0).max(3650).describe('Days after delivery or pickup a return may be opened'),
    receiptDays: z.int().min(1).max(365).describe('Days the return waits for the goods before it expires'),
    exchangeBeforeReceipt: z.boolean().describe('Send an exchange’s replacement at once instead of on receipt'),
  })
  .strict();
export type ReturnPolicy = z.infer<typeof ReturnPolicy>;

export const DEFAULT_RETURN_POLICY: ReturnPolicy = { windowDays: 30, receiptDays: 30, exchangeBeforeReceipt: false };

/** What the API gives the return workflow it starts: the request and what it needs of the order. */
export interface ReturnWorkflowInput {
  returnId: string;
  rma: string;
  createdAt: string;
  request: CreateReturnRequest;
  /** Where a mail return goes, or where an in-store return is brought. */
  locationId: string;
  /** That location's time zone: the receipt deadline is counted in its calendar days. */
  locationTimezone?: string;
  policy: ReturnPolicy;
  order: {
    id: string;
    channel: string;
    channelOrderId: string;
    customer: { id: string; name: string };
    shipTo?: Address;
    /** How the original was fulfilled: an exchange is sent the same way. */
    fulfillment: { method: 'ship' | 'pickup' | 'curbside' | 'same_day'; shipTo?: Address; pickupLocationId?: string };
    serviceLevel: 'standard' | 'express' | 'same_day';
    payment: { authorizationId: string; amount: Money };
    lines: { lineId: string; sku: string; quantity: number; unitPrice: Money }[];
  };
}
