// Locations and SKUs as the API accepts and returns them.
import { z } from 'zod';
import { GeoPoint } from '../geo.ts';
import { isValidGtin } from '../gtin.ts';
import { Money } from '../money.ts';

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

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const LocationInput = z
  .object({
    name: z.string().min(1).max(200),
    type: LocationType,
    geo: GeoPoint,
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as America/New_York'),
    active: z.boolean().default(true),
    capabilities: Capabilities,
    dailyOrderCapacity: z.int().min(0).max(1_000_000).optional(),
    priority: z.int().min(0).max(1000).optional(),
    handlingCost: Money.optional(),
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
    name: z.string().min(1).max(200),
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
