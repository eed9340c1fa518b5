// The ops board: the tiles a fulfillment lead opens the day on, each a count of orders that
// need someone, turning orange and red past thresholds an admin sets.
import { z } from 'zod';

export const BoardTileId = z.enum([
  'on_hold',
  'backordered',
  'needs_attention',
  'sla_at_risk',
  'ready_for_pickup',
  'pickups_expiring_today',
  'delivery_exceptions',
  'webhook_failures',
]);
export type BoardTileId = z.infer<typeof BoardTileId>;

/** Each tile's label (the accessible name of its link starts with it) and default thresholds. */
export const BOARD_TILES: Record<BoardTileId, { label: string; warning: number; critical: number; description: string }> = {
  on_hold: { label: 'On hold', warning: 5, critical: 20, description: 'Orders on hold (fraud review, address problem, …)' },
  backordered: { label: 'Backordered', warning: 10, critical: 50, description: 'Orders waiting for stock' },
  needs_attention: { label: 'Needs attention', warning: 1, critical: 5, description: 'Orders where a step failed in a way retrying will not mend' },
  sla_at_risk: { label: 'SLA at risk', warning: 5, critical: 20, description: 'Orders with a fulfillment not yet picked whose pick SLA is due within the hour or passed' },
  ready_for_pickup: { label: 'Ready for pickup', warning: 50, critical: 200, description: 'Orders waiting at a store for their customer' },
  pickups_expiring_today: { label: 'Pickups expiring today', warning: 5, critical: 20, description: 'Orders with a pickup that expires before midnight (business time zone)' },
  delivery_exceptions: { label: 'Delivery exceptions', warning: 1, critical: 10, description: 'Orders with a shipment whose last carrier event is an exception' },
  webhook_failures: { label: 'Webhook failures', warning: 1, critical: 10, description: 'Orders with a webhook delivery that failed for good' },
};

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
