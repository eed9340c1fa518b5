// Carrier tracking events as they reached the API: kept to refuse repeats (same status and
// place within a few minutes of carrier time) and floods before they become signals in a
// fulfillment's history, which would otherwise grow without bound.
import type { Db } from '../knex.ts';

/** Events at most this far apart in carrier time, with the same status and place, are one event. */
export const CARRIER_EVENT_TOLERANCE_MS = 5 * 60_000;
/** Events one parcel may have in all: a real journey has a few dozen scans. */
export const CARRIER_EVENTS_PER_FULFILLMENT = 200;
/** Events one parcel may have per window before the carrier is told to slow down. */
export const CARRIER_EVENT_BURST = { count: 30, windowMs: 10 * 60_000 };

export interface CarrierEventArrival {
  fulfillmentId: string;
  carrier: string;
  status: string;
  location?: string;
  at: Date;
  apiKeyId: string;
}

export type CarrierEventOutcome =
  | { outcome: 'recorded'; id: string }
  | { outcome: 'duplicate' }
  | { outcome: 'limited'; retryAfterSeconds?: number; detail: string };

export function createCarrierEventsRepository(db: Db) {
  return {
    /** Records an event unless it repeats one already recorded or the parcel has had too many. */
    async record(event: CarrierEventArrival): Promise<CarrierEventOutcome> {
      return db.transaction(async (trx) => {
        // Events for one parcel are decided one at a time.
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`carrier-events:${event.fulfillmentId}`]);
        const repeat = await trx('carrier_events')
          .where({ fulfillment_id: event.fulfillmentId, status: event.status })
          .whereRaw('location IS NOT DISTINCT FROM ?', [event.location ?? null])
          .whereBetween('at', [new Date(event.at.getTime() - CARRIER_EVENT_TOLERANCE_MS), new Date(event.at.getTime() + CARRIER_EVENT_TOLERANCE_MS)])
          .first('id');
        if (repeat) return { outcome: 'duplicate' as const };
        const counts = (await trx('carrier_events')
          .where({ fulfillment_id: event.fulfillmentId })
          .select(
            trx.raw('count(*)::int AS total'),
            trx.raw(`count(*) FILTER (WHERE received_at > now() - make_interval(secs => ?))::int AS recent`, [CARRIER_EVENT_BURST.windowMs / 1000]),
            trx.raw(`extract(epoch FROM min(received_at) FILTER (WHERE received_at > now() - make_interval(secs => ?)) + make_interval(secs => ?) - now())::float AS frees_in`, [
              CARRIER_EVENT_BURST.windowMs / 1000,
              CARRIER_EVENT_BURST.windowMs / 1000,
            ]),
          )
          .first()) as { total: number; recent: number; frees_in: number | null };
        if (counts.total >= CARRIER_EVENTS_PER_FULFILLMENT) {
          return { outcome: 'limited' as const, detail: `This parcel already has ${counts.total} tracking events, the most Fulcrum keeps; later ones are refused.` };
        }
        if (counts.recent >= CARRIER_EVENT_BURST.count) {
          return {
            outcome: 'limited' as const,
            retryAfterSeconds: Math.max(1, Math.ceil(counts.frees_in ?? CARRIER_EVENT_BURST.windowMs / 1000)),
            detail: `This parcel had ${counts.recent} tracking events in the last ${CARRIER_EVENT_BURST.windowMs / 60_000} minutes; slow down.`,
          };
        }
        const [row] = (await trx('carrier_events')
          .insert({
            fulfillment_id: event.fulfillmentId,
            carrier: event.carrier,
            status: event.status,
            location: event.location ?? null,
            at: event.at,
            api_key_id: event.apiKeyId,
          })
          .returning('id')) as { id: string }[];
        return { outcome: 'recorded' as const, id: String(row!.id) };
      });
    },

    /** Forgets an event that never reached its fulfillment (the signal failed), so the carrier's retry is not taken for a repeat. */
    async forget(id: string): Promise<void> {
      await db('carrier_events').where({ id }).delete();
    },
  };
}

export type CarrierEventsRepository = ReturnType<typeof createCarrierEventsRepository>;
