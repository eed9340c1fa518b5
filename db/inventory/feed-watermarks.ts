// Feed watermarks: the asOf of the last ERP/POS snapshot applied to each (location, SKU), which
// makes older snapshots skip. Ops can see them, and reset them when a source sent a wrong date.
import type { Db } from '../knex.ts';

export interface FeedWatermarkFilter {
  locationId?: string;
  sku?: string;
  /** Only watermarks later than this (a mistyped date far ahead, say). */
  after?: Date;
}

export interface FeedWatermark {
  locationId: string;
  sku: string;
  asOf: string;
}

export function createFeedWatermarks(db: Db) {
  const matching = (filter: FeedWatermarkFilter) => {
    const query = db('inventory_levels').whereNotNull('feed_as_of');
    if (filter.locationId) query.where({ location_id: filter.locationId });
    if (filter.sku) query.where({ sku: filter.sku });
    if (filter.after) query.where('feed_as_of', '>', filter.after);
    return query;
  };
  return {
    /** The latest watermarks first. */
    async feedWatermarks(filter: FeedWatermarkFilter, limit: number): Promise<FeedWatermark[]> {
      const rows = (await matching(filter).orderBy([{ column: 'feed_as_of', order: 'desc' }, 'location_id', 'sku']).limit(limit).select('location_id', 'sku', 'feed_as_of')) as {
        location_id: string;
        sku: string;
        feed_as_of: Date;
      }[];
      return rows.map((r) => ({ locationId: r.location_id, sku: r.sku, asOf: r.feed_as_of.toISOString() }));
    },

    /** Forgets the matching watermarks, so the next snapshot for those levels applies whatever its date; returns how many. */
    async resetFeedWatermarks(filter: FeedWatermarkFilter): Promise<number> {
      return matching(filter).update({ feed_as_of: null, updated_at: db.fn.now() });
    },
  };
}
