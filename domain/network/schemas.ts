// Locations and SKUs as the API accepts and returns them.
import { z } from 'zod';
import { text } from '../text.ts';
import { GeoPoint } from '../geo.ts';
import { isValidGtin } from '../gtin.ts';
import { Money } from '../money.ts';
import { Address } from '../orders/schemas.ts';

export const LocationType = z.enum(['warehouse', 'store', 'dark_store', 'micro_fulfillment', '3pl']);
export type LocationType = z.infer<typeof LocationType>;

export const Capabilities = z
  .object({
    ship: z.boolean(),
    pickup: z.boolean(),
    curbside: z.boolean(),
    sameDay: z.boolean(),
    returns: z.boolean(),
  })
  .strict();
export type Capabilities = z.infer<typeof Capabilities>;

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM');

/** When a location is open (local time); absent means always open (e.g. a warehouse running 24/7). */
export const OpeningHours = z
  .array(
    z
      .object({ days: z.array(Weekday).min(1).max(7), open: ClockTime, close: ClockTime })
      .strict()
      .refine((h) => h.open < h.close, { message: 'must open before it closes', path: ['close'] }),
  )
  .min(1)
  .max(14);
export type OpeningHours = z.infer<typeof OpeningHours>;

/** How this location works its fulfillments; anything left out takes the defaults below. */
export const FulfillmentPolicy = z
  .object({
    pickSlaMinutes: z.int().min(1).max(7 * 24 * 60).optional().describe('A fulfillment not started within this time is escalated, then re-routed after as long again'),
    pickupWindowHours: z.int().min(1).max(30 * 24).optional().describe('How long a ready pickup waits before it expires'),
    pickupReminderHours: z.array(z.int().min(1).max(30 * 24)).max(5).optional().describe('Hours after ready at which the customer is reminded'),
  })
  .strict();
export type FulfillmentPolicy = z.infer<typeof FulfillmentPolicy>;

export const DEFAULT_FULFILLMENT_POLICY = {
  /** Ship-from-store and pickups: 2 hours; warehouses run waves, so they get a working day. */
  pickSlaMinutes: { store: 120, other: 8 * 60 },
  pickupWindowHours: 72,
  pickupReminderHours: [24, 48],
} as const;

export const LocationInput = z
  .object({
    name: text(200),
    type: LocationType,
    geo: GeoPoint,
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as America/New_York'),
    active: z.boolean().default(true),
    capabilities: Capabilities,
    dailyOrderCapacity: z.int().min(0).max(1_000_000).optional(),
    priority: z.int().min(0).max(1000).optional(),
    // Per fulfillment; the column is a 32-bit integer, and $10M of handling per fulfillment is no real cost.
    handlingCost: Money.extend({ amount: z.int().min(0).max(1_000_000_000).describe('Integer minor units (cents), at most 1,000,000,000') }).strict().optional(),
    openingHours: OpeningHours.optional(),
    fulfillmentPolicy: FulfillmentPolicy.optional(),
    marketId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be a market id (PUT /v1/markets/{id})').optional().describe('The market the location serves (routing keeps orders within their market unless the profile allows cross-border)'),
    address: Address.omit({ geo: true }).optional().describe('The postal address, printed in full as the ship-from on labels (name: the sender line, else the location name)'),
  })
  .strict();
export type LocationInput = z.infer<typeof LocationInput>;

export const Location = LocationInput.extend({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Location = z.infer<typeof Location>;

export const SkuInput = z
  .object({
    name: text(200),
    gtin: z
      .string()
      .refine(isValidGtin, 'must be a GTIN-8, -12, -13 or -14 with a valid check digit')
      .optional(),
    weightGrams: z.int().min(0).max(10_000_000),
  })
  .strict();
export type SkuInput = z.infer<typeof SkuInput>;

export const Sku = SkuInput.extend({ sku: z.string(), createdAt: z.string(), updatedAt: z.string() });
export type Sku = z.infer<typeof Sku>;
