// Delivers the outbox to webhook subscribers: fans new events out to matching subscriptions,
// POSTs each delivery as `{ id, type, createdAt, data }` with `X-Signature: sha256=<HMAC of
// the raw body>` and the Standard Webhooks headers, and retries failures with exponential backoff for up to 24 hours. At least
// once, in order per order. Receivers inside the network (loopback, private, metadata, …) are
// refused at each delivery unless allowed, redirects are not followed (services/webhooks/outbound.ts). State lives in Postgres, so a restart loses nothing; several
// workers may run it side by side (deliveries are claimed with SKIP LOCKED and a lease).
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import { createWebhooksRepository, type ClaimedDelivery } from '../db/repositories/webhooks.ts';
import { createBusinessMetrics, type BusinessMetrics } from '../services/telemetry/business-metrics.ts';
import { postToTarget, targetPolicy, type Resolver } from '../services/webhooks/outbound.ts';
import { loadConfig } from '../config/index.ts';

export interface DispatcherOptions {
  db: Db;
  logger: Logger;
  /** How often to look for work when idle. */
  intervalMs?: number;
  /** First retry delay; doubles each attempt, capped at an hour. */
  baseDelayMs?: number;
  /** How long deliveries are retried before they are given up. */
  retryForMs?: number;
  timeoutMs?: number;
  /** Hosts, IPs or CIDRs inside the network that may still receive webhooks (default: FULCRUM_WEBHOOK_ALLOW_HOSTS). */
  allowHosts?: readonly string[];
  /** Resolves receivers' hosts (default: the system resolver). */
  resolve?: Resolver;
  /** Counts deliveries and failures; none when absent. */
  metrics?: Pick<BusinessMetrics, 'webhookDeliveries' | 'webhookDeliveryFailures'>;
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The Standard Webhooks headers (standardwebhooks.com): `webhook-signature` is
 * `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, so a receiver can refuse replays by
 * the timestamp and duplicates by the id (the event's id: the same on every retry). The key
 * is the subscription's secret as UTF-8, as for X-Signature (a receiver using a Standard
 * Webhooks library passes it as `whsec_` + base64 of those bytes).
 */
export function standardWebhookHeaders(secret: string, id: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const mac = createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${mac}` };
}

export function startWebhookDispatcher(options: DispatcherOptions): { stop(): Promise<void> } {
  const repo = createWebhooksRepository(options.db);
  const interval = options.intervalMs ?? 1000;
  const baseDelay = options.baseDelayMs ?? 1000;
  const retryFor = options.retryForMs ?? 24 * 3600_000;
  const timeout = options.timeoutMs ?? 10_000;
  const policy = targetPolicy(options.allowHosts ?? loadConfig().webhookAllowHosts, options.resolve);
  const metrics = options.metrics ?? createBusinessMetrics();
  let stopped = false;
  let wake: (() => void) | undefined;

  async function deliver(d: ClaimedDelivery): Promise<void> {
    const body = JSON.stringify(d.event);
    let statusCode: number | null = null;
    let error = '';
    const outcome = await postToTarget(
      new URL(d.url),
      {
        headers: {
          'content-type': 'application/json',
          'x-signature': signature(d.secret, body),
          ...standardWebhookHeaders(d.secret, d.event.id, body),
          'x-fulcrum-event': d.event.type,
          'x-fulcrum-delivery': String(d.id),
        },
        body,
        timeoutMs: timeout,
      },
      policy,
    );
    if ('statusCode' in outcome) {
      statusCode = outcome.statusCode;
      if (statusCode >= 200 && statusCode < 300) {
        await repo.markDelivered(d.id, statusCode);
        metrics.webhookDeliveries.add(1, { outcome: 'delivered' });
        return;
      }
      error = statusCode >= 300 && statusCode < 400 ? `HTTP ${statusCode}: redirects are not followed` : `HTTP ${statusCode}`;
    } else {
      error = outcome.error;
    }
    const retryAt = new Date(Date.now() + Math.min(baseDelay * 2 ** d.attempts, 3600_000));
    const giveUp = retryAt.getTime() - d.createdAt.getTime() > retryFor;
    await repo.markFailed(d.id, { statusCode, error, retryAt, giveUp });
    metrics.webhookDeliveries.add(1, { outcome: 'failed' });
    metrics.webhookDeliveryFailures.add(1, { final: String(giveUp) });
    if (giveUp) options.logger.warn({ deliveryId: d.id, eventId: d.event.id, error }, 'webhook delivery given up after retrying');
  }

  const loop = (async () => {
    while (!stopped) {
      let busy = false;
      try {
        await repo.fanOut();
        const due = await repo.claimDue(50);
        busy = due.length > 0;
        await Promise.all(due.map(deliver));
      } catch (err) {
        if (!stopped) options.logger.error({ err }, 'webhook dispatch failed; trying again');
      }
      if (!busy && !stopped) await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, interval);
      });
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
