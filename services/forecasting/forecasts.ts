// Computing and storing forecasts: the API computes one on demand when none is stored, and
// the nightly planning workflow recomputes them all in pages (each SKU at each location with
// demand in the last year, each SKU across the network, and every per-channel forecast
// someone asked for).
import { addDays, forecastFromHistory, HISTORY_DAYS, sumLocations, type Forecast, type ForecastCursor } from '../../domain/forecasting/forecast.ts';
import type { Db } from '../../db/knex.ts';
import { createDemandRepository } from '../../db/repositories/demand.ts';
import { createForecastsRepository, type ForecastKey } from '../../db/repositories/forecasts.ts';


export function createForecastService(db: Db) {
  const demand = createDemandRepository(db);
  const forecasts = createForecastsRepository(db);

  async function compute(key: ForecastKey, today: string): Promise<Forecast> {
    const through = addDays(today, -1);
    const from = addDays(through, -(HISTORY_DAYS - 1));
    const channel = key.channel ?? undefined;
    const days = key.locationId
      ? await demand.series({ sku: key.sku, locationId: key.locationId, channel, from, to: through })
      : sumLocations(await Promise.all((await demand.locationsWithDemand(key.sku, from, through)).map((locationId) => demand.series({ sku: key.sku, locationId, channel, from, to: through }))));
    return forecasts.save({ sku: key.sku, locationId: key.locationId ?? null, channel: key.channel ?? null, ...forecastFromHistory(days, through) });
  }

  return {
    compute,
    get: forecasts.get,

    /** The stored forecast, or one computed (and stored) now when there is none. */
    async getOrCompute(key: ForecastKey, today: string): Promise<Forecast> {
      return (await forecasts.get(key)) ?? compute(key, today);
    },

    /** Recomputes up to `limit` forecasts from the cursor; null when every one is done. */
    async recomputePage(cursor: ForecastCursor, limit: number, today: string): Promise<{ computed: number; next: ForecastCursor | null }> {
      if (cursor.phase === 'locations') {
        const pairs = await demand.pairsWithDemand(addDays(today, -HISTORY_DAYS), cursor.after, limit);
        let previousSku = cursor.after?.sku;
        let computed = 0;
        for (const pair of pairs) {
          await compute(pair, today);
          computed += 1;
          // Pairs come in SKU order: a SKU's network forecast once, when its first pair is seen.
          if (pair.sku !== previousSku) {
            await compute({ sku: pair.sku }, today);
            computed += 1;
          }
          previousSku = pair.sku;
        }
        const next: ForecastCursor = pairs.length < limit ? { phase: 'channels', after: null } : { phase: 'locations', after: pairs.at(-1)! };
        return { computed, next };
      }
      const keys = await forecasts.channelKeys(cursor.after, limit);
      for (const key of keys) await compute(key, today);
      return { computed: keys.length, next: keys.length < limit ? null : { phase: 'channels', after: keys.at(-1)!.cursor } };
    },
  };
}

export type ForecastService = ReturnType<typeof createForecastService>;
