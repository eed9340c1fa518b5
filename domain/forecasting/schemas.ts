// Demand history as the API takes and gives it: past daily demand imported from an ERP, and
// the daily series a forecast reads (imported days, and the demand of Fulcrum's own orders).
import { z } from 'zod';
import { ChannelName, ExternalId } from '../identifiers.ts';

export const MAX_DEMAND_ITEMS = 50_000;

/** A calendar day `YYYY-MM-DD` that exists (no 2026-02-30), from 1900 on. */
export const CalendarDay = z
  .string()
  .regex(/^(19|2\d)\d{2}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD from 1900 on')
  .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), 'is not a calendar day');

/** Every day from `from` to `to`, inclusive (bound the span with daySpan first). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Days from `from` to `to`, both counted (0 when `to` is before `from`). */
export function daySpan(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1);
}

export const DemandHistoryImport = z
  .object({
    items: z
      .array(
        z
          .object({
            sku: ExternalId,
            locationId: ExternalId,
            channel: ChannelName.optional().describe('The channel the demand came from; leave out when the ERP does not know it'),
            date: CalendarDay,
            quantity: z.int().min(0).max(10_000_000),
            stockout: z.boolean().optional().describe('The location had none to sell that day: the day is not read as zero demand'),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_DEMAND_ITEMS),
  })
  .strict();
export type DemandHistoryImport = z.infer<typeof DemandHistoryImport>;

export const DemandHistoryImported = z.object({ imported: z.int().describe('Days written; importing the same day again replaces it') });

export const DemandHistoryQuery = z
  .object({
    sku: ExternalId,
    locationId: ExternalId,
    channel: ChannelName.optional(),
    from: CalendarDay,
    to: CalendarDay,
  })
  .strict();
export type DemandHistoryQuery = z.infer<typeof DemandHistoryQuery>;

export const DemandDay = z.object({
  date: z.string(),
  quantity: z.int(),
  stockout: z.boolean(),
  source: z.enum(['orders', 'import']).describe('import: an imported day, which replaces what orders show for that day and channel'),
});
export type DemandDay = z.infer<typeof DemandDay>;

export const DemandSeries = z.object({
  sku: z.string(),
  locationId: z.string(),
  channel: z.string().nullable(),
  days: z.array(DemandDay),
});
export type DemandSeries = z.infer<typeof DemandSeries>;

/** At most this many days in one series read. */
export const MAX_SERIES_DAYS = 1_100;
