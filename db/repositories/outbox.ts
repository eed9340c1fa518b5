// The outbox of business events (order.routed, fulfillment.shipped, …): written in the same
// transaction as the read-model change that produced them, delivered later by webhooks.
// Event ids come from the workflow, so a retried activity never writes an event twice.
import type { Knex } from 'knex';
import type { Db } from '../knex.ts';

export interface BusinessEvent {
  eventId: string;
  type: string;
  orderId: string | null;
  data: Record<string, unknown>;
}

export interface StoredEvent extends BusinessEvent {
  sequence: number;
  createdAt: string;
}

interface DbOutboxRow {
  sequence: string;
  event_id: string;
  type: string;
  order_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

type AppendedEventsListener = (events: readonly { type: string }[]) => void;
let appendedEventsListener: AppendedEventsListener | undefined;

/**
 * Tells one process-wide listener (the worker's business metrics) of each event newly written;
 * an event written again by a retried activity is not new and is not told twice.
 */
export function onAppendedEvents(listener: AppendedEventsListener | undefined): void {
  appendedEventsListener = listener;
}

/** Writes the events not yet written (by event id); returns how many were new. */
export async function appendEvents(conn: Knex | Knex.Transaction, events: readonly BusinessEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const written = (await conn('outbox_events')
    .insert(events.map((e) => ({ event_id: e.eventId, type: e.type, order_id: e.orderId, data: JSON.stringify(e.data) })))
    .onConflict('event_id')
    .ignore()
    .returning('type')) as { type: string }[];
  if (written.length > 0) appendedEventsListener?.(written);
  return written.length;
}

export function createOutboxRepository(db: Db) {
  return {
    /** Events in the order they were written, optionally of one order or after a sequence number. */
    async list(filter: { orderId?: string; type?: string; after?: number; limit?: number } = {}): Promise<StoredEvent[]> {
      const query = db<DbOutboxRow>('outbox_events').orderBy('sequence').limit(filter.limit ?? 100);
      if (filter.orderId) query.where({ order_id: filter.orderId });
      if (filter.type) query.where({ type: filter.type });
      if (filter.after !== undefined) query.where('sequence', '>', filter.after);
      return (await query).map((row) => ({
        sequence: Number(row.sequence),
        eventId: row.event_id,
        type: row.type,
        orderId: row.order_id,
        data: row.data,
        createdAt: row.created_at.toISOString(),
      }));
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
