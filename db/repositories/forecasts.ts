// Stored forecasts (one per SKU, location and channel; '' stands for the whole network or
// every channel), written by the planning schedule and on demand, read by the API and by
// replenishment.
import type { Forecast } from '../../domain/forecasting/forecast.ts';
import type { Db } from '../knex.ts';

export interface ForecastKey {
  sku: string;
  locationId?: string | null;
  channel?: string | null;
}

interface Row {
  sku: string;
  location_id: string;
  channel: string;
  method: Forecast['method'];
  demand_class: Forecast['demandClass'];
  history_from: string | null;
  history_through: string;
  stockout_days: number;
  daily: Forecast['daily'];
  backtest: Forecast['backtest'];
  computed_at: Date;
}

const columns = [
  'sku',
  'location_id',
  'channel',
  'method',
  'demand_class',
  'stockout_days',
  'daily',
  'backtest',
  'computed_at',
] as const;

function fromRow(row: Row): Forecast {
  return {
    sku: row.sku,
    locationId: row.location_id || null,
    channel: row.channel || null,
    method: row.method,
    demandClass: row.demand_class,
    historyFrom: row.history_from,
    historyThrough: row.history_through,
    stockoutDays: row.stockout_days,
    computedAt: row.computed_at.toISOString(),
    daily: row.daily,
    backtest: row.backtest,
  };
}

export function createForecastsRepository(db: Db) {
  const select = () =>
    db('forecasts').select(...columns, db.raw(`to_char(history_from, 'YYYY-MM-DD') AS history_from`), db.raw(`to_char(history_through, 'YYYY-MM-DD') AS history_through`));
  return {
    async get(key: ForecastKey): Promise<Forecast | undefined> {
      const row = (await select().where({ sku: key.sku, location_id: key.locationId ?? '', channel: key.channel ?? '' }).first()) as Row | undefined;
      return row && fromRow(row);
    },

    /** The stored forecasts of these locations (each location's own, every channel together). */
    async ofLocations(locationIds: readonly string[]): Promise<Forecast[]> {
      const rows = (await select().whereIn('location_id', locationIds).where({ channel: '' })) as Row[];
      return rows.map(fromRow);
    },

    async save(forecast: Omit<Forecast, 'computedAt'>): Promise<Forecast> {
      const [row] = (await db('forecasts')
        .insert({
          sku: forecast.sku,
          location_id: forecast.locationId ?? '',
          channel: forecast.channel ?? '',
          method: forecast.method,
          demand_class: forecast.demandClass,
          history_from: forecast.historyFrom,
          history_through: forecast.historyThrough,
          stockout_days: forecast.stockoutDays,
          daily: JSON.stringify(forecast.daily),
          backtest: JSON.stringify(forecast.backtest),
          computed_at: db.fn.now(),
        })
        .onConflict(['sku', 'location_id', 'channel'])
        .merge()
        .returning('computed_at')) as { computed_at: Date }[];
      return { ...forecast, computedAt: row!.computed_at.toISOString() };
    },

    /** Stored per-channel keys (made on demand), in order after the cursor `after`. */
    async channelKeys(after: string | null, limit: number): Promise<(ForecastKey & { cursor: string })[]> {
      const rows = (await db('forecasts')
        .whereNot({ channel: '' })
        .whereRaw(`sku || '|' || location_id || '|' || channel > ?`, [after ?? ''])
        .orderByRaw(`sku || '|' || location_id || '|' || channel`)
        .limit(limit)
        .select('sku', 'location_id', 'channel')) as { sku: string; location_id: string; channel: string }[];
      return rows.map((r) => ({ sku: r.sku, locationId: r.location_id || null, channel: r.channel || null, cursor: `${r.sku}|${r.location_id}|${r.channel}` }));
    },
  };
}

export type ForecastsRepository = ReturnType<typeof createForecastsRepository>;
