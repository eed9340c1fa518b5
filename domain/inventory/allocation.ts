// Channel allocation: a channel may sell from a subset of locations and/or only a share of
// each location's available stock (e.g. the marketplace sees 50%).
import { z } from 'zod';
import { ExternalId } from '../identifiers.ts';

export const ChannelAllocationInput = z
  .object({
    locationIds: z.array(ExternalId).max(10_000).nullable().default(null).describe('null: every location'),
    sharePercent: z.int().min(0).max(100).default(100),
  })
  .strict();
export type ChannelAllocationInput = z.infer<typeof ChannelAllocationInput>;

export const ChannelAllocation = ChannelAllocationInput.extend({ channel: z.string() });
export type ChannelAllocation = z.infer<typeof ChannelAllocation>;

export const UNRESTRICTED: Omit<ChannelAllocation, 'channel'> = { locationIds: null, sharePercent: 100 };

