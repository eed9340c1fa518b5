// A stored forecast as the API serves it, and how a demand series becomes the numbers a
// forecast is fitted on: the history starts at the first day with demand (days before the
// SKU sold there say nothing), and a stock-out day is not zero demand but unknown, so it is
// filled with what the same weekday sold in the four weeks before it (or, lacking those, the
// mean of every day in stock).
import { z } from 'zod';
import { plusCalendarDays } from '../shipping/local-time.ts';
import { ChannelName, ExternalId } from '../identifiers.ts';
import { forecastSeries, type SeriesForecast } from './choose.ts';
import { FORECASTERS, type ForecastMethod } from './methods.ts';
import { type DemandDay } from './schemas.ts';

/** Where a recompute of every forecast stands: a phase and the last key done in it. */
export type ForecastCursor = { phase: 'locations'; after: { sku: string; locationId: string } | null } | { phase: 'channels'; after: string | null };

/** Days of history a forecast is fitted on. */
export const HISTORY_DAYS = 365;
/** Days forecast and stored; a query asks for up to this many. */
export const STORED_HORIZON = 56;
/** The horizon the method is chosen for (its backtest windows). */
export const BACKTEST_HORIZON = 28;
export const BACKTEST_ORIGINS = 3;

export const ForecastQuery = z
  .object({
    sku: ExternalId,
    locationId: ExternalId.optional().describe('Leave out for the whole network: the sum of every location'),
    channel: ChannelName.optional().describe('Leave out for every channel together'),
    horizon: z.coerce.number().int().min(1).max(STORED_HORIZON).default(BACKTEST_HORIZON),
  })
  .strict();
export type ForecastQuery = z.infer<typeof ForecastQuery>;

export const ForecastMethodName = z.enum(Object.keys(FORECASTERS) as [ForecastMethod, ...ForecastMethod[]]);

export const Forecast = z.object({
  sku: z.string(),
  locationId: z.string().nullable().describe('null: the whole network'),
  channel: z.string().nullable().describe('null: every channel'),
  method: ForecastMethodName,
  demandClass: z.enum(['smooth', 'erratic', 'intermittent', 'lumpy']).describe("Syntetos–Boylan's class of the history (ADI 1.32, CV² 0.49)"),
  historyFrom: z.string().nullable().describe('The first day with demand the forecast was fitted from; null when there was none'),
  historyThrough: z.string().describe('The last day of history: the forecast starts the day after'),
  stockoutDays: z.int().describe('Days of history without stock, filled in rather than read as zero demand'),
  computedAt: z.string(),
  daily: z.array(z.object({ date: z.string(), mean: z.number(), p10: z.number(), p90: z.number() })),
  backtest: z.object({
    origins: z.int().describe('Rolling origins the method was chosen on (windows of 28 days at the end of the history)'),
    mase: z.number().nullable(),
    rmsse: z.number().nullable(),
    baseline: z.literal('seasonal_naive'),
    baselineRmsse: z.number().nullable(),
    errorSd: z.number().describe("Standard deviation of the chosen method's daily error on the backtest windows (the history's spread when there were none): replenishment's safety stock is sized from it"),
  }),
});
export type Forecast = z.infer<typeof Forecast>;

const WEEK = 7;

type Day = Pick<DemandDay, 'date' | 'quantity' | 'stockout'>;

/** Each stock-out day's quantity filled with the same weekday's mean over the four weeks before (in-stock days), or the mean of every in-stock day. */
export function fillStockouts(days: readonly Day[]): Day[] {
  const inStock = days.filter((d) => !d.stockout);
  const overall = inStock.length ? inStock.reduce((s, d) => s + d.quantity, 0) / inStock.length : 0;
  return days.map((d, t) => {
    if (!d.stockout) return d;
    const sameWeekday = [1, 2, 3, 4].map((w) => t - w * WEEK).filter((i) => i >= 0 && !days[i]!.stockout).map((i) => days[i]!.quantity);
    return { date: d.date, quantity: sameWeekday.length ? sameWeekday.reduce((s, q) => s + q, 0) / sameWeekday.length : overall, stockout: true };
  });
}

/** The values a forecast is fitted on (see the file comment), and how many stock-out days were filled. */
export function forecastInput(days: readonly Day[]): { values: number[]; from: string | null; stockoutDays: number } {
  const first = days.findIndex((d) => !d.stockout && d.quantity > 0);
  if (first < 0) return { values: [], from: null, stockoutDays: 0 };
  const kept = fillStockouts(days.slice(first));
  return { values: kept.map((d) => d.quantity), from: kept[0]!.date, stockoutDays: kept.filter((d) => d.stockout).length };
}

/** Several locations' days summed day by day (same dates in the same order), each location's stock-outs filled first. */
export function sumLocations(perLocation: readonly (readonly Day[])[]): Day[] {
  const filled = perLocation.map(fillStockouts);
  return (filled[0] ?? []).map((d, t) => ({ date: d.date, quantity: filled.reduce((s, days) => s + days[t]!.quantity, 0), stockout: false }));
}

/** `day` plus `n` calendar days. */
export const addDays = plusCalendarDays;

/** The forecast of a history ending on `historyThrough`, dated from the day after; no demand forecasts zero. */
export function forecastFromHistory(days: readonly Day[], historyThrough: string): Omit<Forecast, 'sku' | 'locationId' | 'channel' | 'computedAt'> {
  const input = forecastInput(days);
  const result: SeriesForecast = input.values.length
    ? forecastSeries(input.values, { horizon: STORED_HORIZON, backtestHorizon: BACKTEST_HORIZON, origins: BACKTEST_ORIGINS })
    : { method: 'croston_sba', demandClass: 'intermittent', daily: Array.from({ length: STORED_HORIZON }, () => ({ mean: 0, p10: 0, p90: 0 })), backtest: { origins: 0, mase: null, rmsse: null, baseline: 'seasonal_naive', baselineRmsse: null, errorSd: 0 } };
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    method: result.method,
    demandClass: result.demandClass,
    historyFrom: input.from,
    historyThrough,
    stockoutDays: input.stockoutDays,
    daily: result.daily.map((d, i) => ({ date: addDays(historyThrough, i + 1), mean: round(d.mean), p10: round(d.p10), p90: round(d.p90) })),
    backtest: result.backtest,
  };
}
