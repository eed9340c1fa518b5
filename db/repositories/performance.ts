// What routing learns from: each fulfillment of the window with its promised date (from the
// order's read model), its distance (from the routing decision) and its location's time zone;
// and the stored summaries the planning run writes and routing reads.
import { DEFAULT_CARRIER_SERVICES } from '../../domain/shipping/carrier-services.ts';
import type { FulfillmentRecord, LocationPerformance, NetworkPriors } from '../../domain/sourcing/learning.ts';
import type { Db } from '../knex.ts';

interface Row {
  id: string;
  created_at: Date;
  location_id: string;
  status: string;
  events: FulfillmentRecord['events'] | null;
  lines: FulfillmentRecord['lines'] | null;
  carrier: string | null;
  service: string | null;
  timezone: string;
  promised: string | null;
  distance_km: string | null;
}

function tableTransitDays(carrier: string | null, service: string | null, distanceKm: number | null): number | null {
  const s = DEFAULT_CARRIER_SERVICES.find((c) => c.carrier === carrier && c.service === service);
  return s?.zones.find((z) => (distanceKm ?? 0) <= z.maxKm)?.transitDays ?? null;
}

export interface StoredPerformance {
  priors: NetworkPriors;
  windowFrom: string;
  computedAt: string;
  locations: Map<string, LocationPerformance>;
}

export function createPerformanceRepository(db: Db) {
  return {
    /** Fulfillments created since `since`, a page at a time in creation order. */
    async records(since: Date, after: { createdAt: string; id: string } | null, limit: number): Promise<{ records: FulfillmentRecord[]; next: { createdAt: string; id: string } | null }> {
      const result = await db.raw<{ rows: Row[] }>(
        `SELECT f.id, f.created_at, f.location_id, f.status, f.snapshot->'events' AS events, f.snapshot->'lines' AS lines,
                f.snapshot->>'carrier' AS carrier, f.snapshot->>'service' AS service, loc.timezone,
                (SELECT e->>'estimatedDelivery' FROM jsonb_array_elements(o.snapshot->'fulfillments') e WHERE e->>'id' = f.id LIMIT 1) AS promised,
                (SELECT pf->>'distanceKm' FROM routing_decisions d CROSS JOIN LATERAL jsonb_array_elements(d.plan->'fulfillments') pf
                  WHERE d.order_id = f.order_id AND pf->>'locationId' = f.location_id ORDER BY d.attempt DESC LIMIT 1) AS distance_km
           FROM fulfillments f JOIN orders o ON o.id = f.order_id JOIN locations loc ON loc.id = f.location_id
          WHERE f.created_at >= ? AND (f.created_at, f.id) > (?::timestamptz, ?)
          ORDER BY f.created_at, f.id LIMIT ?`,
        [since, after?.createdAt ?? '-infinity', after?.id ?? '', limit],
      );
      const records = result.rows.map((r): FulfillmentRecord => {
        const distanceKm = r.distance_km === null ? null : Number(r.distance_km);
        return {
          locationId: r.location_id,
          status: r.status,
          events: r.events ?? [],
          lines: r.lines ?? [],
          carrier: r.carrier,
          timezone: r.timezone,
          promised: r.promised,
          distanceKm,
          tableTransitDays: tableTransitDays(r.carrier, r.service, distanceKm),
        };
      });
      const last = result.rows.at(-1);
      return { records, next: result.rows.length < limit || !last ? null : { createdAt: last.created_at.toISOString(), id: last.id } };
    },

    async save(windowFrom: Date, priors: NetworkPriors, locations: readonly LocationPerformance[]): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('location_performance').delete();
        const rows = [{ location_id: '*', performance: JSON.stringify(priors), window_from: windowFrom }, ...locations.map((l) => ({ location_id: l.locationId, performance: JSON.stringify(l), window_from: windowFrom }))];
        for (let i = 0; i < rows.length; i += 500) await trx('location_performance').insert(rows.slice(i, i + 500));
      });
    },

    /** The stored summaries: every location's, or with `only` just those (and the network's rates). */
    async load(only?: readonly string[]): Promise<StoredPerformance | undefined> {
      const rows = (await db('location_performance')
        .modify((q) => (only ? q.whereIn('location_id', ['*', ...only]) : q))
        .select('location_id', 'performance', 'window_from', 'computed_at')) as { location_id: string; performance: unknown; window_from: Date; computed_at: Date }[];
      const network = rows.find((r) => r.location_id === '*');
      if (!network) return undefined;
      return {
        priors: network.performance as NetworkPriors,
        windowFrom: network.window_from.toISOString(),
        computedAt: network.computed_at.toISOString(),
        locations: new Map(rows.filter((r) => r.location_id !== '*').map((r) => [r.location_id, r.performance as LocationPerformance])),
      };
    },
  };
}

export type PerformanceRepository = ReturnType<typeof createPerformanceRepository>;
