// Webhook subscriptions and their delivery log. The dispatcher fans outbox events out to
// matching subscriptions (each subscription keeps its outbox cursor), then claims due
// deliveries: only the oldest undelivered one per (subscription, order), so a receiver sees
// each order's events in order; a claim is a short lease, so several workers can dispatch.
import type { Db } from '../knex.ts';
import { eventMatches } from '../../domain/webhooks/event-pattern.ts';

export interface WebhookSubscription {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}

export interface WebhookDelivery {
  id: number;
  subscriptionId: string;
  eventSequence: number;
  eventId: string;
  eventType: string;
  orderId: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
  deliveredAt: string | null;
}

export interface ClaimedDelivery {
  id: number;
  url: string;
  secret: string;
  attempts: number;
  createdAt: Date;
  event: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
}

export { eventMatches };

interface DbDeliveryRow {
  id: string;
  subscription_id: string;
  event_sequence: string;
  event_id: string;
  type: string;
  order_id: string | null;
  status: WebhookDelivery['status'];
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date;
  created_at: Date;
  delivered_at: Date | null;
}

export function createWebhooksRepository(db: Db) {
  return {
    /** New subscriptions receive events from now on. */
    async create(sub: { id: string; url: string; events: string[]; secret: string }): Promise<WebhookSubscription> {
      const [row] = await db('webhook_subscriptions')
        .insert({ ...sub, events: sub.events, cursor: db.raw('(SELECT coalesce(max(sequence), 0) FROM outbox_events)') })
        .returning(['id', 'url', 'events', 'created_at']);
      return { id: row.id, url: row.url, events: row.events, createdAt: row.created_at.toISOString() };
    },

    async list(): Promise<WebhookSubscription[]> {
      const rows = await db('webhook_subscriptions').whereNull('deleted_at').orderBy('created_at');
      return rows.map((row) => ({ id: row.id, url: row.url, events: row.events, createdAt: row.created_at.toISOString() }));
    },

    async exists(id: string): Promise<boolean> {
      return (await db('webhook_subscriptions').where({ id }).whereNull('deleted_at').first('id')) !== undefined;
    },

    async remove(id: string): Promise<boolean> {
      return (await db('webhook_subscriptions').where({ id }).whereNull('deleted_at').update({ deleted_at: db.fn.now() })) > 0;
    },

    async deliveries(subscriptionId: string, limit = 100): Promise<WebhookDelivery[]> {
      const rows = (await db('webhook_deliveries as d')
        .join('outbox_events as e', 'e.sequence', 'd.event_sequence')
        .where('d.subscription_id', subscriptionId)
        .orderBy('d.event_sequence', 'desc')
        .limit(limit)
        .select('d.*', 'e.event_id', 'e.type')) as DbDeliveryRow[];
      return rows.map((r) => ({
        id: Number(r.id),
        subscriptionId: r.subscription_id,
        eventSequence: Number(r.event_sequence),
        eventId: r.event_id,
        eventType: r.type,
        orderId: r.order_id,
        status: r.status,
        attempts: r.attempts,
        lastStatusCode: r.last_status_code,
        lastError: r.last_error,
        nextAttemptAt: r.next_attempt_at.toISOString(),
        createdAt: r.created_at.toISOString(),
        deliveredAt: r.delivered_at?.toISOString() ?? null,
      }));
    },

    /** Delivers an event again (after a receiver fixed its side, or lost it). */
    async resend(subscriptionId: string, deliveryId: number): Promise<boolean> {
      const updated = await db('webhook_deliveries')
        .where({ id: deliveryId, subscription_id: subscriptionId })
        .update({ status: 'pending', next_attempt_at: db.fn.now(), locked_until: null, created_at: db.fn.now(), last_error: null });
      return updated > 0;
    },

    /** Turns new outbox events into deliveries for every subscription whose patterns match. */
    async fanOut(batch = 500): Promise<number> {
      let created = 0;
      const subs = await db('webhook_subscriptions').whereNull('deleted_at').select('id');
      for (const { id } of subs as { id: string }[]) {
        created += await db.transaction(async (trx) => {
          const sub = await trx('webhook_subscriptions').where({ id }).forUpdate().skipLocked().first();
          if (!sub) return 0;
          const events = (await trx('outbox_events').where('sequence', '>', sub.cursor).orderBy('sequence').limit(batch).select('sequence', 'type', 'order_id')) as { sequence: string; type: string; order_id: string | null }[];
          if (events.length === 0) return 0;
          const matching = events.filter((e) => eventMatches(sub.events, e.type));
          if (matching.length > 0) {
            await trx('webhook_deliveries')
              .insert(matching.map((e) => ({ subscription_id: id, event_sequence: e.sequence, order_id: e.order_id })))
              .onConflict(['subscription_id', 'event_sequence'])
              .ignore();
          }
          await trx('webhook_subscriptions').where({ id }).update({ cursor: events[events.length - 1]!.sequence });
          return matching.length;
        });
      }
      return created;
    },

    /** Due deliveries, each the oldest undelivered one of its order for its subscription, leased for `leaseSeconds`. */
    async claimDue(limit: number, leaseSeconds = 30): Promise<ClaimedDelivery[]> {
      return db.transaction(async (trx) => {
        const rows = (await trx.raw(
          `SELECT d.id, d.attempts, d.created_at, s.url, s.secret, e.event_id, e.type, e.created_at AS event_created_at, e.data
             FROM webhook_deliveries d
             JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.deleted_at IS NULL
             JOIN outbox_events e ON e.sequence = d.event_sequence
            WHERE d.status = 'pending' AND d.next_attempt_at <= now()
              AND (d.locked_until IS NULL OR d.locked_until < now())
              AND NOT EXISTS (
                SELECT 1 FROM webhook_deliveries earlier
                 WHERE earlier.subscription_id = d.subscription_id AND earlier.order_id = d.order_id
                   AND earlier.event_sequence < d.event_sequence AND earlier.status = 'pending')
            ORDER BY d.event_sequence
            LIMIT ?
            FOR UPDATE OF d SKIP LOCKED`,
          [limit],
        )).rows as { id: string; attempts: number; created_at: Date; url: string; secret: string; event_id: string; type: string; event_created_at: Date; data: Record<string, unknown> }[];
        if (rows.length > 0) {
          await trx('webhook_deliveries').whereIn('id', rows.map((r) => r.id)).update({ locked_until: trx.raw(`now() + interval '${leaseSeconds} seconds'`) });
        }
        return rows.map((r) => ({
          id: Number(r.id),
          url: r.url,
          secret: r.secret,
          attempts: r.attempts,
          createdAt: r.created_at,
          event: { id: r.event_id, type: r.type, createdAt: r.event_created_at.toISOString(), data: r.data },
        }));
      });
    },

    async markDelivered(id: number, statusCode: number): Promise<void> {
      await db('webhook_deliveries').where({ id }).update({ status: 'delivered', attempts: db.raw('attempts + 1'), last_status_code: statusCode, last_error: null, delivered_at: db.fn.now(), locked_until: null });
    },

    /** A failed attempt: retried at `retryAt`, or given up (`failed`) when `giveUp`. */
    async markFailed(id: number, outcome: { statusCode: number | null; error: string; retryAt: Date; giveUp: boolean }): Promise<void> {
      await db('webhook_deliveries')
        .where({ id })
        .update({
          status: outcome.giveUp ? 'failed' : 'pending',
          attempts: db.raw('attempts + 1'),
          last_status_code: outcome.statusCode,
          last_error: outcome.error.slice(0, 500),
          next_attempt_at: outcome.retryAt,
          locked_until: null,
        });
    },
  };
}

export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;
