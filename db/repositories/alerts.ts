// The conditions ops are alerted to, found in the read models: webhook endpoints failing for
// a while, fulfillments past their pick SLA, orders flagged as needing attention. Each alert
// has an event id that names its occurrence (the failing streak, the fulfillment, the flag),
// so a condition that persists is alerted once, and one that returns is alerted again.
import type { Db } from '../knex.ts';
import type { BusinessEvent } from './outbox.ts';
import { createChannelSyncRepository } from './channel-sync.ts';

export const ALERT_TYPES = ['alert.webhook_failing', 'alert.order_past_sla', 'alert.order_needs_attention', 'alert.inventory_drift', 'alert.channel_sync_behind'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** Rows already alerted are left out in SQL (the outbox's unique event id), so a sweep reads only what is new. */
const notYetAlerted = (eventId: string) => `NOT EXISTS (SELECT 1 FROM outbox_events e WHERE e.event_id = ${eventId})`;

export async function findAlerts(db: Db, options: { webhookFailingMinutes: number; limit: number }): Promise<BusinessEvent[]> {
  const [webhooks, lateFulfillments, flagged] = await Promise.all([
    // A subscription's failing streak: its deliveries since its last success, all undelivered.
    db.raw<{ rows: { id: string; url: string; first_id: string; failing_since: Date; waiting: string; last_error: string | null; last_status_code: number | null }[] }>(
      `WITH last_ok AS (
         SELECT subscription_id, max(delivered_at) AS at FROM webhook_deliveries WHERE status = 'delivered' GROUP BY subscription_id
       ), streak AS (
         SELECT s.id, s.url, min(d.id) AS first_id, min(d.created_at) AS failing_since, count(*) AS waiting,
                (array_agg(d.last_error ORDER BY d.id DESC))[1] AS last_error,
                (array_agg(d.last_status_code ORDER BY d.id DESC))[1] AS last_status_code
           FROM webhook_subscriptions s
           JOIN webhook_deliveries d ON d.subscription_id = s.id
           LEFT JOIN last_ok ON last_ok.subscription_id = s.id
          WHERE s.deleted_at IS NULL AND d.status IN ('pending', 'failed') AND d.attempts > 0
            AND d.created_at > coalesce(last_ok.at, '-infinity')
          GROUP BY s.id, s.url
       )
       SELECT * FROM streak
        WHERE failing_since < now() - make_interval(mins => ?)
          AND ${notYetAlerted(`'alert.webhook_failing:' || streak.id || ':' || streak.first_id`)}
        ORDER BY failing_since LIMIT ?`,
      [options.webhookFailingMinutes, options.limit],
    ),
    db.raw<{ rows: { id: string; order_id: string; location_id: string; pick_due_at: string }[] }>(
      `SELECT f.id, f.order_id, f.location_id, f.snapshot->>'pickDueAt' AS pick_due_at
         FROM fulfillments f
        WHERE f.status = 'pending' AND (f.snapshot->>'onHold')::boolean IS NOT TRUE AND (f.snapshot->>'pickDueAt')::timestamptz < now()
          AND ${notYetAlerted(`'alert.order_past_sla:' || f.id`)}
        ORDER BY (f.snapshot->>'pickDueAt')::timestamptz LIMIT ?`,
      [options.limit],
    ),
    db.raw<{ rows: { id: string; channel: string; needs_attention_since: Date; needs_attention_reason: string | null; needs_attention_activity: string | null }[] }>(
      `SELECT o.id, o.channel, o.needs_attention_since, o.needs_attention_reason, o.needs_attention_activity
         FROM orders o
        WHERE o.needs_attention_since IS NOT NULL
          AND ${notYetAlerted(`'alert.order_needs_attention:' || o.id || ':' || floor(extract(epoch FROM o.needs_attention_since) * 1000)::bigint`)}
        ORDER BY o.needs_attention_since LIMIT ?`,
      [options.limit],
    ),
  ]);
  const now = Date.now();
  return [
    ...(await channelSyncAlerts(db, options.limit)),
    ...webhooks.rows.map((w) => ({
      eventId: `alert.webhook_failing:${w.id}:${w.first_id}`,
      type: 'alert.webhook_failing',
      orderId: null,
      data: { subscriptionId: w.id, url: w.url, failingSince: w.failing_since.toISOString(), undelivered: Number(w.waiting), lastError: w.last_error, lastStatusCode: w.last_status_code },
    })),
    ...lateFulfillments.rows.map((f) => ({
      eventId: `alert.order_past_sla:${f.id}`,
      type: 'alert.order_past_sla',
      orderId: f.order_id,
      data: { fulfillmentId: f.id, locationId: f.location_id, pickDueAt: f.pick_due_at, minutesLate: Math.floor((now - Date.parse(f.pick_due_at)) / 60_000) },
    })),
    ...flagged.rows.map((o) => ({
      eventId: `alert.order_needs_attention:${o.id}:${o.needs_attention_since.getTime()}`,
      type: 'alert.order_needs_attention',
      orderId: o.id,
      data: { channel: o.channel, since: o.needs_attention_since.toISOString(), reason: o.needs_attention_reason, activity: o.needs_attention_activity },
    })),
  ];
}

/**
 * A shop integration behind on its side (channel_sync_reports, judged as the board judges it):
 * one alert per occurrence — the last report before it fell silent, the oldest order waiting,
 * the number refused.
 */
async function channelSyncAlerts(db: Db, limit: number): Promise<BusinessEvent[]> {
  const behind = (await createChannelSyncRepository(db).behind()).slice(0, limit);
  const alerts = behind.map(({ view: r, silent, pendingLate }) => {
    const occurrence = silent ? `silent:${Date.parse(r.reportedAt)}` : pendingLate ? `pending:${Date.parse(r.oldestPendingAt!)}` : `refused:${r.refusedOrders}`;
    return {
      eventId: `alert.channel_sync_behind:${r.channel}:${occurrence}`,
      type: 'alert.channel_sync_behind',
      orderId: null,
      data: {
        channel: r.channel,
        source: r.source,
        pendingOrders: r.pendingOrders,
        refusedOrders: r.refusedOrders,
        oldestPendingAt: r.oldestPendingAt ?? null,
        lastReportAt: r.reportedAt,
        lastError: r.lastError ?? null,
        reason: silent ? 'silent' : pendingLate ? 'pending' : 'refused',
      },
    };
  });
  if (alerts.length === 0) return [];
  // The occurrence is named in code (not SQL), so those already alerted are left out here.
  const seen = new Set((await db('outbox_events').whereIn('event_id', alerts.map((a) => a.eventId)).select('event_id')).map((row: { event_id: string }) => row.event_id));
  return alerts.filter((a) => !seen.has(a.eventId));
}
