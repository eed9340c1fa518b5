// The ops board: the tiles a fulfillment lead opens the day on, each a count of orders that
// need someone, turning orange and red past thresholds an admin sets.
import { z } from 'zod';
import { BOARD_TILE_IDS } from './board-tiles.ts';

export { BOARD_TILES } from './board-tiles.ts';

export const BoardTileId = z.enum(BOARD_TILE_IDS);
export type BoardTileId = z.infer<typeof BoardTileId>;

export const Threshold = z
  .object({ warning: z.int().min(0).max(1_000_000), critical: z.int().min(0).max(1_000_000) })
  .strict()
  .refine((t) => t.critical >= t.warning, { message: 'critical must be at least warning', path: ['critical'] });

export const BoardThresholds = z.partialRecord(BoardTileId, Threshold);
export type BoardThresholds = z.infer<typeof BoardThresholds>;

export type TileLevel = 'ok' | 'warning' | 'critical';

export function tileLevel(count: number, threshold: { warning: number; critical: number }): TileLevel {
  if (count >= threshold.critical && threshold.critical > 0) return 'critical';
  if (count >= threshold.warning && threshold.warning > 0) return 'warning';
  return 'ok';
}

export const BoardTile = z.object({
  id: BoardTileId,
  label: z.string(),
  description: z.string(),
  count: z.int(),
  level: z.enum(['ok', 'warning', 'critical']),
  warning: z.int(),
  critical: z.int(),
});
export type BoardTile = z.infer<typeof BoardTile>;
