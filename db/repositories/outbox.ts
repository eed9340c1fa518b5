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

export async function appendEvents(conn: Knex | Knex.Transaction, events: readonly BusinessEvent[]): Promise<void> {
  if (events.length === 0) return;
  await conn('outbox_events')
    .insert(events.map((e) => ({ event_id: e.eventId, type: e.type, order_id: e.orderId, data: JSON.stringify(e.data) })))
    .onConflict('event_id')
    .ignore();
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
