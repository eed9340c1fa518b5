// Channel allocations: which locations a channel sells from and what share of their stock.
import type { Db } from '../knex.ts';
import { UNRESTRICTED, type ChannelAllocation, type ChannelAllocationInput } from '../../domain/inventory/allocation.ts';

interface DbAllocationRow {
  channel: string;
  location_ids: string[] | null;
  share_percent: number;
}

export function createChannelAllocationsRepository(db: Db) {
  return {
    /** The channel's allocation; a channel without one sells everything everywhere. */
    async get(channel: string): Promise<ChannelAllocation> {
      const row = await db<DbAllocationRow>('channel_allocations').where({ channel }).first();
      return row ? { channel, locationIds: row.location_ids, sharePercent: row.share_percent } : { channel, ...UNRESTRICTED };
    },

    async put(channel: string, input: ChannelAllocationInput): Promise<ChannelAllocation> {
      const values = {
        channel,
        location_ids: input.locationIds ? [...new Set(input.locationIds)] : null,
        share_percent: input.sharePercent,
        updated_at: new Date(),
      };
      await db('channel_allocations').insert(values).onConflict('channel').merge(values);
      return { channel, locationIds: values.location_ids, sharePercent: values.share_percent };
    },
  };
}

export type ChannelAllocationsRepository = ReturnType<typeof createChannelAllocationsRepository>;
