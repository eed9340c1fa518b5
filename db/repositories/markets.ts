// Markets, each save a new version of its body.
import type { Db } from '../knex.ts';
import type { Market, MarketInput } from '../../domain/markets/schemas.ts';

interface DbMarketRow {
  id: string;
  version: number;
  body: MarketInput;
  updated_at: Date;
}

const toMarket = (row: DbMarketRow): Market => ({ ...row.body, id: row.id, version: row.version, updatedAt: row.updated_at.toISOString() });

export function createMarketsRepository(db: Db) {
  return {
    async list(): Promise<Market[]> {
      return (await db<DbMarketRow>('markets').orderBy('id')).map(toMarket);
    },

    async get(id: string): Promise<Market | undefined> {
      const row = await db<DbMarketRow>('markets').where({ id }).first();
      return row ? toMarket(row) : undefined;
    },

    /** The market a channel sells in (none when no market names it). */
    async ofChannel(channel: string): Promise<Market | undefined> {
      const row = await db<DbMarketRow>('markets').whereRaw("body->'channels' \\? ?", [channel]).first();
      return row ? toMarket(row) : undefined;
    },

    async put(id: string, body: MarketInput): Promise<Market> {
      return db.transaction(async (trx) => {
        const current = await trx<DbMarketRow>('markets').where({ id }).forUpdate().first();
        const values = { id, version: (current?.version ?? 0) + 1, body: JSON.stringify(body), updated_at: new Date() };
        await trx('markets').insert(values).onConflict('id').merge(values);
        return { ...body, id, version: values.version, updatedAt: values.updated_at.toISOString() };
      });
    },
  };
}

export type MarketsRepository = ReturnType<typeof createMarketsRepository>;
