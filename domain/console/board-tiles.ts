// The ops board's tiles: their ids, labels (the accessible name of each tile's link starts with
// its label) and default thresholds. Without zod, so the console's bundle shares them.
export const BOARD_TILE_IDS = [
  'on_hold',
  'backordered',
  'needs_attention',
  'sla_at_risk',
  'ready_for_pickup',
  'pickups_expiring_today',
  'delivery_exceptions',
  'webhook_failures',
] as const;
export type BoardTileId = (typeof BOARD_TILE_IDS)[number];

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

