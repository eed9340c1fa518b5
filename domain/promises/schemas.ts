// A delivery promise at checkout: what can be promised for a cart, here, now — ship options
// by service level and pickup at nearby stores, with dates, cost and CO₂e — computed by the
// same sourcing engine that will route the order, optionally holding the stock for minutes.
import { z } from 'zod';
import { text } from '../text.ts';
import { GeoPoint } from '../geo.ts';
import { ChannelName, ExternalId } from '../identifiers.ts';
import { Money } from '../money.ts';
import { Address, FulfillmentMethod, ServiceLevel } from '../orders/schemas.ts';

export const PROMISE_HOLD_MAX_MINUTES = 60;

export const PromiseRequest = z
  .object({
    channel: ChannelName,
    destination: Address.extend({ geo: GeoPoint }).optional().describe('Where a shipment would go (with coordinates): asks for ship options'),
    pickupNear: GeoPoint.optional().describe('Where the customer is: asks for pickup at the nearest stores that can have the cart ready'),
    lines: z
      .array(z.object({ sku: ExternalId, quantity: z.int().min(1).max(10_000) }).strict())
      .min(1)
      .max(50),
    serviceLevels: z.array(ServiceLevel).min(1).max(3).optional().describe('Ship service levels to quote; all three when left out'),
    segment: text(64).optional().describe("The customer's segment, for routing rules (PUT /v1/routing-rules)"),
    orderValue: Money.optional().describe("The cart's merchandise value, for routing rules by order value (in the market's currency): the order will be routed by the same rule"),
    hold: z
      .object({
        minutes: z.int().min(1).max(PROMISE_HOLD_MAX_MINUTES),
        optionId: text(100).optional().describe('Which option to hold (the first when left out)'),
      })
      .strict()
      .optional()
      .describe("Soft-reserve the option's stock until expiresAt; an order placed with promiseId takes the held stock over"),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (!body.destination && !body.pickupNear) ctx.addIssue({ code: 'custom', path: ['destination'], message: 'destination or pickupNear is required' });
    const seen = new Set<string>();
    body.lines.forEach((line, i) => {
      if (seen.has(line.sku)) ctx.addIssue({ code: 'custom', path: ['lines', i, 'sku'], message: 'appears twice: give its total quantity once' });
      seen.add(line.sku);
    });
  });
export type PromiseRequest = z.infer<typeof PromiseRequest>;

export const PromiseShipment = z.object({
  locationId: z.string(),
  lines: z.array(z.object({ sku: z.string(), quantity: z.int() })),
  carrier: z.string().optional(),
  service: z.string().optional(),
  transferFromLocationId: z.string().optional(),
});

export const PromiseOption = z.object({
  id: z.string().describe('ship:<level> or pickup:<store>; name it in hold.optionId'),
  method: FulfillmentMethod,
  serviceLevel: ServiceLevel,
  locationIds: z.array(z.string()),
  estimatedDelivery: z.string().optional().describe('The local date the last shipment arrives, or the pickup is ready'),
  readyAt: z.string().optional().describe('Pickup: when the store can have the whole cart ready (its opening hours and pick time counted)'),
  cost: Money.describe("Fulcrum's cost to fulfil: handling, carriage and split penalties"),
  co2eGrams: z.int(),
  splitCount: z.int().describe('Shipments (or pickups) the option takes'),
  shipments: z.array(PromiseShipment),
  profileId: z.string().describe('The routing profile that planned it'),
});
export type PromiseOption = z.infer<typeof PromiseOption>;

export const PromiseHoldState = z.enum(['held', 'unavailable', 'used', 'expired', 'released']);
export type PromiseHoldState = z.infer<typeof PromiseHoldState>;

export const PromiseResource = z.object({
  id: z.string(),
  channel: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().optional().describe('When the hold ends (only with hold)'),
  hold: z
    .object({
      optionId: z.string().optional().describe('The option held (absent when no option could be held)'),
      state: PromiseHoldState.describe('held; unavailable (the stock went to others before it could be held); used by an order; expired; released'),
      orderId: z.string().optional(),
    })
    .optional(),
  options: z.array(PromiseOption),
  unavailable: z.array(z.object({ sku: z.string(), quantity: z.int() })).describe('Units no option can promise (an empty options list then)'),
});
export type PromiseResource = z.infer<typeof PromiseResource>;
