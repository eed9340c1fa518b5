// Which open orders the sweep reads from Fulcrum again: linked, not finished on either side,
// and mirrored by no webhook for half an hour (their deliveries failed for a day, or the
// subscription was deleted), the quietest first, a few per sweep.

/** Not mirrored for this long: read again. */
export const MIRROR_AFTER_MS = 30 * 60_000;
/** At most this many per sweep (each is a read of Fulcrum). */
export const MIRRORS_PER_SWEEP = 20;
const FINISHED = new Set(['completed', 'cancelled']);

export interface QuietCandidate {
  status?: string;
  created_at: string | Date;
  metadata?: Record<string, unknown> | null;
}

/** The Fulcrum order ids to mirror again. */
export function quietOrders(orders: QuietCandidate[], now: Date): string[] {
  return orders
    .filter((o) => typeof o.metadata?.fulcrum_order_id === 'string' && o.status !== 'canceled' && !FINISHED.has(String(o.metadata?.fulcrum_status)))
    .map((o) => ({ id: o.metadata!.fulcrum_order_id as string, at: new Date((o.metadata?.fulcrum_mirrored_at as string | undefined) ?? o.created_at).getTime() }))
    .filter(({ at }) => now.getTime() - at >= MIRROR_AFTER_MS)
    .sort((a, b) => a.at - b.at)
    .slice(0, MIRRORS_PER_SWEEP)
    .map(({ id }) => id);
}
