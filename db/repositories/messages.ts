// Customer messages: their templates (every version kept), each channel's sender, reply-to and
// opt-outs, and the queue of messages — fanned out from the outbox, one per event and
// recipient (the message id is derived from both, so a second fan-out of the same event adds
// nothing), claimed with a lease so several workers can send side by side.
import { createHash } from 'node:crypto';
import type { Db } from '../knex.ts';
import { KIND_OF_EVENT, type MessageKind, type MessageTemplate } from '../../domain/messages/kinds.ts';

export interface StoredTemplate extends MessageTemplate {
  kind: MessageKind;
  language: string;
  version: number;
  author: string;
  createdAt: string;
}

export interface ChannelMessageSettings {
  channel: string;
  from?: string;
  replyTo?: string;
  optOut: MessageKind[];
}

export type MessageStatus = 'pending' | 'sent' | 'recorded' | 'failed' | 'skipped';

export interface QueuedMessage {
  messageId: string;
  eventId: string;
  kind: MessageKind;
  orderId: string;
  channel: string;
  recipient: string | null;
  status: MessageStatus;
  attempts: number;
  language?: string;
  templateVersion?: number;
  subject?: string;
  lastError?: string;
  sentAt?: string;
  createdAt: string;
  /** The outbox event's data (only when claimed). */
  data?: Record<string, unknown>;
}

interface DbMessageRow {
  message_id: string;
  event_id: string;
  kind: MessageKind;
  order_id: string;
  channel: string;
  recipient: string | null;
  status: MessageStatus;
  attempts: number;
  language: string | null;
  template_version: number | null;
  subject: string | null;
  last_error: string | null;
  sent_at: Date | null;
  created_at: Date;
  data?: Record<string, unknown>;
}

function toMessage(row: DbMessageRow): QueuedMessage {
  return {
    messageId: row.message_id,
    eventId: row.event_id,
    kind: row.kind,
    orderId: row.order_id,
    channel: row.channel,
    recipient: row.recipient,
    status: row.status,
    attempts: row.attempts,
    ...(row.language ? { language: row.language } : {}),
    ...(row.template_version !== null ? { templateVersion: row.template_version } : {}),
    ...(row.subject ? { subject: row.subject } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    ...(row.sent_at ? { sentAt: row.sent_at.toISOString() } : {}),
    createdAt: row.created_at.toISOString(),
    ...(row.data ? { data: row.data } : {}),
  };
}

/** One id per event and recipient, the same however often the event is fanned out. */
export function messageIdOf(eventId: string, recipient: string | null): string {
  return `msg_${createHash('sha256').update(`${eventId}\n${recipient ?? ''}`).digest('hex').slice(0, 32)}`;
}

export function createMessagesRepository(db: Db) {
  return {
    async template(kind: MessageKind, language: string): Promise<StoredTemplate | undefined> {
      const row = await db('message_templates').where({ kind, language }).orderBy('version', 'desc').first();
      return row ? { kind, language, version: row.version, subject: row.subject, text: row.text_body, html: row.html_body, author: row.author, createdAt: row.created_at.toISOString() } : undefined;
    },

    /** Saves a new version (the built-in template is version 0); returns it. */
    async saveTemplate(kind: MessageKind, language: string, template: MessageTemplate, author: string): Promise<StoredTemplate> {
      return db.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`message-template:${kind}:${language}`]);
        const last = await trx('message_templates').where({ kind, language }).max('version as version').first();
        const version = Number(last?.version ?? 0) + 1;
        const [row] = await trx('message_templates')
          .insert({ kind, language, version, subject: template.subject, text_body: template.text, html_body: template.html, author })
          .returning(['version', 'created_at']);
        return { kind, language, version: row.version, ...template, author, createdAt: row.created_at.toISOString() };
      });
    },

    async settings(channel: string): Promise<ChannelMessageSettings> {
      const row = await db('channel_message_settings').where({ channel }).first();
      return { channel, ...(row?.from_address ? { from: row.from_address } : {}), ...(row?.reply_to ? { replyTo: row.reply_to } : {}), optOut: row?.opt_out ?? [] };
    },

    async saveSettings(settings: ChannelMessageSettings): Promise<ChannelMessageSettings> {
      const row = { channel: settings.channel, from_address: settings.from ?? null, reply_to: settings.replyTo ?? null, opt_out: JSON.stringify(settings.optOut), updated_at: db.fn.now() };
      await db('channel_message_settings').insert(row).onConflict('channel').merge();
      return settings;
    },

    /**
     * Reads the outbox past the cursor and queues a message for each event a customer is told
     * of, addressed to the order's customer at that moment. One worker at a time.
     */
    async fanOut(limit = 500): Promise<number> {
      return db.transaction(async (trx) => {
        const locked = await trx.raw<{ rows: { ok: boolean }[] }>('SELECT pg_try_advisory_xact_lock(hashtext(?)) AS ok', ['customer-messages-fan-out']);
        if (!locked.rows[0]?.ok) return 0;
        const cursor = Number((await trx('customer_message_cursor').where({ id: 1 }).first('sequence'))?.sequence ?? 0);
        const events = (await trx('outbox_events as e')
          .leftJoin('orders as o', 'o.id', 'e.order_id')
          .where('e.sequence', '>', cursor)
          .orderBy('e.sequence')
          .limit(limit)
          .select('e.sequence', 'e.event_id', 'e.type', 'e.order_id', 'o.channel', trx.raw("o.snapshot->'customer'->>'email' AS email"))) as {
          sequence: string;
          event_id: string;
          type: string;
          order_id: string | null;
          channel: string | null;
          email: string | null;
        }[];
        if (events.length === 0) return 0;
        const rows = events
          .filter((e) => KIND_OF_EVENT[e.type] && e.order_id && e.channel)
          .map((e) => ({
            message_id: messageIdOf(e.event_id, e.email),
            event_id: e.event_id,
            event_sequence: e.sequence,
            kind: KIND_OF_EVENT[e.type],
            order_id: e.order_id,
            channel: e.channel,
            recipient: e.email,
          }));
        if (rows.length > 0) await trx('customer_messages').insert(rows).onConflict('message_id').ignore();
        await trx('customer_message_cursor').where({ id: 1 }).update({ sequence: events.at(-1)!.sequence });
        return rows.length;
      });
    },

    /** Messages due, each leased for `leaseMs` and its attempt counted. */
    async claim(limit: number, leaseMs: number): Promise<QueuedMessage[]> {
      const result = await db.raw<{ rows: DbMessageRow[] }>(
        `UPDATE customer_messages m SET lease_until = now() + make_interval(secs => :lease), attempts = attempts + 1
         FROM outbox_events e
         WHERE e.event_id = m.event_id AND m.message_id IN (
           SELECT message_id FROM customer_messages
           WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
           ORDER BY event_sequence LIMIT :limit FOR UPDATE SKIP LOCKED)
         RETURNING m.*, e.data`,
        { lease: leaseMs / 1000, limit },
      );
      return result.rows.map(toMessage);
    },

    async sent(messageId: string, rendered: { language: string; templateVersion: number; subject: string }, status: 'sent' | 'recorded' = 'sent'): Promise<void> {
      await db('customer_messages')
        .where({ message_id: messageId })
        .update({ status, sent_at: db.fn.now(), lease_until: null, last_error: null, language: rendered.language, template_version: rendered.templateVersion, subject: rendered.subject });
    },

    async retryLater(messageId: string, error: string, at: Date): Promise<void> {
      await db('customer_messages').where({ message_id: messageId }).update({ next_attempt_at: at, lease_until: null, last_error: error.slice(0, 1000) });
    },

    async finished(messageId: string, status: 'failed' | 'skipped', why: string): Promise<void> {
      await db('customer_messages').where({ message_id: messageId }).update({ status, lease_until: null, last_error: why.slice(0, 1000) });
    },

    async ofOrder(orderId: string): Promise<QueuedMessage[]> {
      return ((await db<DbMessageRow>('customer_messages').where({ order_id: orderId }).orderBy('event_sequence')) as DbMessageRow[]).map(toMessage);
    },
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
