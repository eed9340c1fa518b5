// Raises ops alerts as `alert.*` business events (to webhooks and GET /v1/events): webhook
// endpoints failing for a while, fulfillments past their pick SLA, orders needing attention.
// Run by the `operations-alerts` Temporal Schedule; each occurrence is raised once however
// often the sweep runs or retries (db/repositories/alerts.ts names each by its event id).
import type { Db } from '../../db/knex.ts';
import { findAlerts } from '../../db/repositories/alerts.ts';
import { appendEvents } from '../../db/repositories/outbox.ts';

export interface AlertPolicy {
  /** A webhook endpoint is alerted once every delivery to it has failed for this long. */
  webhookFailingMinutes: number;
}

/** At most this many alerts of each kind per sweep; the rest come with the next one. */
const ALERTS_PER_SWEEP = 500;

export function createRaiseOperationsAlerts(deps: { db: Db; policy: AlertPolicy }) {
  return async function raiseOperationsAlerts(): Promise<{ raised: Record<string, number> }> {
    const alerts = await findAlerts(deps.db, { webhookFailingMinutes: deps.policy.webhookFailingMinutes, limit: ALERTS_PER_SWEEP });
    await appendEvents(deps.db, alerts);
    const raised: Record<string, number> = {};
    for (const alert of alerts) raised[alert.type] = (raised[alert.type] ?? 0) + 1;
    return { raised };
  };
}
