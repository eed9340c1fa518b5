// Orders as channels submit them and as the API returns them (the order resource).
import { z } from 'zod';
import { text } from '../text.ts';
import { GeoPoint } from '../geo.ts';
import { ChannelName, ExternalId } from '../identifiers.ts';
import { Money } from '../money.ts';
import { TransferStatus } from '../transfers/schemas.ts';

export const FulfillmentMethod = z.enum(['ship', 'pickup', 'curbside', 'same_day']);
export type FulfillmentMethod = z.infer<typeof FulfillmentMethod>;

export const ServiceLevel = z.enum(['standard', 'express', 'same_day']);
export type ServiceLevel = z.infer<typeof ServiceLevel>;

export const OrderStatus = z.enum([
  'received',
  'on_hold',
  'routed',
  'backordered',
  'in_fulfillment',
  'partially_shipped',
  'shipped',
  'ready_for_pickup',
  'completed',
  'cancelled',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const FulfillmentStatus = z.enum([
  'awaiting_transfer',
  'pending',
  'picking',
  'packed',
  'shipped',
  'in_transit',
  'delivered',
  'ready_for_pickup',
  'picked_up',
  'expired',
  'rejected',
  'cancelled',
]).describe('awaiting_transfer: a pickup by transfer whose units are still on their way to the pickup store (nothing can be picked there yet)');
export type FulfillmentStatus = z.infer<typeof FulfillmentStatus>;

export const Address = z
  .object({
    name: text(200).optional(),
    line1: text(200),
    line2: text(200, { min: 0 }).optional(),
    city: text(100),
    region: text(100),
    postalCode: text(20),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US'),
    geo: GeoPoint.optional(),
  })
  .strict();
export type Address = z.infer<typeof Address>;

export const Customer = z
  .object({
    id: text(128),
    name: text(200),
    email: z.email().max(254).optional(),
    phone: z
      .string()
      .regex(/^\+?[0-9 ()-]{5,20}$/, 'must be a phone number such as +15550100')
      .optional(),
    segment: text(64).optional().describe('The customer\'s segment (e.g. "vip"), which routing rules may choose a profile by (PUT /v1/routing-rules)'),
  })
  .strict();
export type Customer = z.infer<typeof Customer>;

export const OrderLineInput = z
  .object({
    lineId: text(64),
    sku: ExternalId,
    quantity: z.int().min(1).max(10_000),
    unitPrice: Money,
  })
  .strict();
export type OrderLineInput = z.infer<typeof OrderLineInput>;

export const CreateOrderRequest = z
  .object({
    channel: ChannelName,
    channelOrderId: text(128),
    customer: Customer,
    fulfillment: z
      .object({
        method: FulfillmentMethod,
        shipTo: Address.optional(),
        pickupLocationId: ExternalId.optional(),
      })
      .strict(),
    serviceLevel: ServiceLevel.default('standard'),
    promiseId: text(64).optional().describe("The delivery promise (POST /v1/promises) the customer chose from: the order routes to the option of its method, service level and store first, taking over the promise's held stock"),
    lines: z.array(OrderLineInput).min(1).max(200),
    payment: z
      .object({
        authorizationId: text(128),
        amount: Money,
      })
      .strict(),
  })
  .strict()
  .superRefine((order, ctx) => {
    for (const issue of orderCrossFieldIssues(order)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;

/**
 * Rules that span fields. Zod skips refinements once a nested field fails, so the API also
 * runs this on the raw body, to name every bad field in one response; hence it reads the
 * (possibly malformed) input defensively.
 */
export function orderCrossFieldIssues(raw: unknown): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const order = (raw ?? {}) as { fulfillment?: Record<string, unknown>; lines?: unknown; payment?: { amount?: { currency?: unknown } } };
  const method = order.fulfillment?.method;
  if ((method === 'ship' || method === 'same_day') && !order.fulfillment?.shipTo) {
    issues.push({ path: ['fulfillment', 'shipTo'], message: `is required for method "${method}"` });
  }
  if ((method === 'pickup' || method === 'curbside') && !order.fulfillment?.pickupLocationId) {
    issues.push({ path: ['fulfillment', 'pickupLocationId'], message: `is required for method "${method}"` });
  }
  if (!Array.isArray(order.lines)) return issues;
  const currency = order.payment?.amount?.currency;
  const seen = new Set<string>();
  order.lines.forEach((line: { lineId?: unknown; unitPrice?: { currency?: unknown } } | null, index) => {
    if (typeof line?.lineId === 'string') {
      if (seen.has(line.lineId)) issues.push({ path: ['lines', index, 'lineId'], message: 'must be unique within the order' });
      seen.add(line.lineId);
    }
    const lineCurrency = line?.unitPrice?.currency;
    // Only against a well-formed payment currency: a malformed one is reported on its own field.
    if (typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) && typeof lineCurrency === 'string' && lineCurrency !== currency) {
      issues.push({ path: ['lines', index, 'unitPrice', 'currency'], message: `must match the payment currency ${currency}` });
    }
  });
  return issues;
}

export const OrderLine = z.object({
  lineId: z.string(),
  sku: z.string(),
  quantity: z.int(),
  unitPrice: Money,
  allocated: z.int(),
  cancelled: z.int(),
  shipped: z.int(),
  returned: z.int(),
});
export type OrderLine = z.infer<typeof OrderLine>;

/** Pickup by transfer: the transfer bringing the units to the pickup store, as the fulfillment last heard of it. */
export const FulfillmentTransfer = z
  .object({
    id: z.string().describe('The transfer (GET /v1/transfers/{id})'),
    fromLocationId: z.string(),
    status: TransferStatus,
    expectedAt: z.string().describe('When the units are planned at the store; the promised ready date follows from it'),
    overdue: z.boolean(),
    carrier: z.string().optional(),
    trackingNumber: z.string().optional(),
  })
  .describe('Pickup by transfer: the fulfillment is awaiting_transfer until the store receives the units');
export type FulfillmentTransfer = z.infer<typeof FulfillmentTransfer>;

export const Fulfillment = z.object({
  id: z.string(),
  locationId: z.string(),
  method: FulfillmentMethod,
  status: FulfillmentStatus,
  lines: z.array(z.object({ lineId: z.string(), quantity: z.int() })),
  carrier: z.string().optional(),
  service: z.string().optional(),
  trackingNumber: z.string().optional(),
  pickupCode: z.string().optional(),
  pickupExpiresAt: z.string().optional(),
  estimatedDelivery: z.string().optional().describe('Local date the sourcing plan promised delivery (or pickup readiness)'),
  co2eGrams: z.int().optional().describe('Grams CO₂e the sourcing plan estimated for this fulfillment (docs/routing.md#co2e-of-every-plan)'),
  transferFromLocationId: z.string().optional().describe('Pickup by transfer: the units are reserved here and come to the pickup store'),
  transfer: FulfillmentTransfer.optional(),
});
export type Fulfillment = z.infer<typeof Fulfillment>;

/** Something that happened to an order or a fulfillment, with who did it where a person did. */
export const OrderEvent = z.object({
  at: z.string(),
  type: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type OrderEvent = z.infer<typeof OrderEvent>;

export const Order = z.object({
  id: z.string(),
  channel: z.string(),
  channelOrderId: z.string(),
  status: OrderStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
  customer: Customer,
  fulfillmentMethod: FulfillmentMethod,
  serviceLevel: ServiceLevel,
  shipTo: Address.optional(),
  pickupLocationId: z.string().optional(),
  promiseId: z.string().optional().describe('The delivery promise the order was placed with'),
  payment: z.object({
    authorizationId: z.string(),
    amount: Money,
    captured: z.int().optional().describe('Minor units captured so far (per shipment, or when a pickup is ready)'),
    refunded: z.int().optional(),
    voided: z.int().optional().describe('Authorization released because it will never be captured'),
  }),
  lines: z.array(OrderLine),
  fulfillments: z.array(Fulfillment),
  holds: z.array(z.object({ reason: z.string(), placedAt: z.string() })),
  needsAttention: z
    .object({ reason: z.string(), activity: z.string().describe('The step that failed'), since: z.string() })
    .optional()
    .describe('A step failed in a way retrying will not mend; the order went on with what it could. Ops find these with needsAttention=true.'),
  events: z.array(OrderEvent),
});
export type Order = z.infer<typeof Order>;
