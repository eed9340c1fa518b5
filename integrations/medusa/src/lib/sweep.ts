// The minute-by-minute safety net: orders and returns that did not reach Fulcrum (it was down,
// or Medusa restarted between the event and the call) are sent again, stock is brought level,
// and what is still behind is reported to Fulcrum, whose board shows it ("Channel sync").
import type { MedusaContainer } from '@medusajs/framework/types';
import { ContainerRegistrationKeys, Modules } from '@medusajs/framework/utils';
import { syncInventory } from './inventory';
import { mirrorOrder } from './orders-in';
import { quietOrders } from './quiet';
import { sendOrder, sendReturn } from './orders-out';
import { channelOf } from './options';
import type FulcrumModuleService from '../modules/fulcrum/service';

interface RecentOrder {
  id: string;
  status?: string;
  created_at: string | Date;
  sales_channel_id?: string | null;
  metadata?: Record<string, unknown> | null;
  returns?: { id: string; status: string }[] | null;
}

/** What is behind, for one Fulcrum channel (reported to it) or for the whole shop. */
export interface Tally {
  pendingOrders: number;
  refusedOrders: number;
  oldestPendingAt?: string;
  lastError?: string;
}

export interface SweepReport extends Tally {
  sent: number;
  /** Open orders read from Fulcrum again because no webhook had mirrored them for 30 minutes. */
  mirrored?: number;
  /** Per Fulcrum channel; orders whose sales channel maps to none are only in the totals. */
  channels: Record<string, Tally>;
  inventory?: { levels: number; changed: number };
  inventoryError?: string;
}

function count(report: SweepReport, channel: string | undefined, kind: 'pending' | 'refused', order: RecentOrder, error?: string) {
  const tallies: Tally[] = [report, ...(channel ? [(report.channels[channel] ??= { pendingOrders: 0, refusedOrders: 0 })] : [])];
  for (const t of tallies) {
    if (kind === 'refused') t.refusedOrders += 1;
    else {
      t.pendingOrders += 1;
      const at = new Date(order.created_at).toISOString();
      if (!t.oldestPendingAt || at < t.oldestPendingAt) t.oldestPendingAt = at;
    }
    if (error) t.lastError = `order ${order.id}: ${error}`.slice(0, 500);
  }
}

const PAGE = 200;

async function recentOrders(container: MedusaContainer, since: Date): Promise<RecentOrder[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY);
  const found: RecentOrder[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const { data } = await query.graph({
      entity: 'order',
      fields: ['id', 'status', 'created_at', 'sales_channel_id', 'metadata', 'returns.id', 'returns.status'],
      filters: { created_at: { $gte: since.toISOString() } },
      pagination: { skip, take: PAGE, order: { created_at: 'ASC' } },
    });
    found.push(...(data as RecentOrder[]));
    if (data.length < PAGE) return found;
  }
}

async function sendWhatIsMissing(container: MedusaContainer, fulcrumModule: FulcrumModuleService, report: SweepReport, order: RecentOrder) {
  const meta = order.metadata ?? {};
  const channel = channelOf(fulcrumModule.options, order.sales_channel_id);
  if (typeof meta.fulcrum_order_id !== 'string') {
    if (meta.fulcrum_sync === 'refused') return count(report, channel, 'refused', order);
    const { outcome, error } = await sendOrder(container, fulcrumModule, order.id);
    if (outcome === 'sent') report.sent += 1;
    else if (outcome === 'refused') count(report, channel, 'refused', order, error);
    else if (outcome === 'failed') count(report, channel, 'pending', order, error);
    return;
  }
  const linked = (meta.fulcrum_returns ?? {}) as Record<string, string>;
  const refused = (meta.fulcrum_refused_returns ?? {}) as Record<string, string>;
  for (const r of order.returns ?? []) {
    if (r.status !== 'requested' || linked[r.id] || refused[r.id]) continue;
    if ((await sendReturn(container, fulcrumModule, r.id)) === 'sent') report.sent += 1;
  }
}

/**
 * The net under the webhooks: an open order no webhook has mirrored for half an hour (its
 * deliveries failed for a day, or the subscription was deleted) is read from Fulcrum again.
 */
async function mirrorQuietOrders(container: MedusaContainer, fulcrumModule: FulcrumModuleService, orders: RecentOrder[], now: Date): Promise<number> {
  let mirrored = 0;
  for (const fulcrumOrderId of quietOrders(orders, now)) {
    const outcome = await mirrorOrder(container, fulcrumModule, fulcrumOrderId).catch(() => undefined);
    if (outcome?.mirrored) mirrored += 1;
  }
  return mirrored;
}

/** One sweep at a time across the store's processes (Medusa's locking module); `waitSeconds` for a running one to end. */
export function sweepOnce(container: MedusaContainer, fulcrumModule: FulcrumModuleService, waitSeconds: number): Promise<SweepReport> {
  return container.resolve(Modules.LOCKING).execute('fulcrum-sweep', () => sweep(container, fulcrumModule), { timeout: waitSeconds });
}

export async function sweep(container: MedusaContainer, fulcrumModule: FulcrumModuleService, now = new Date()): Promise<SweepReport> {
  const report: SweepReport = { sent: 0, pendingOrders: 0, refusedOrders: 0, channels: {} };
  const since = new Date(now.getTime() - (fulcrumModule.options.resendDays ?? 7) * 86_400_000);
  const orders = await recentOrders(container, since);
  for (const order of orders) await sendWhatIsMissing(container, fulcrumModule, report, order);
  report.mirrored = await mirrorQuietOrders(container, fulcrumModule, orders, now);
  try {
    report.inventory = await syncInventory(container, fulcrumModule);
  } catch (err) {
    report.inventoryError = (err as Error).message;
  }
  const channels = new Set([...orders.map((o) => channelOf(fulcrumModule.options, o.sales_channel_id)), fulcrumModule.options.channel].filter((c): c is string => !!c));
  for (const channel of channels) {
    const tally = report.channels[channel] ?? { pendingOrders: 0, refusedOrders: 0 };
    const lastError = tally.lastError ?? report.inventoryError;
    await fulcrumModule
      .call(channel, 'PUT', `/v1/channel-sync/${encodeURIComponent(channel)}`, {
        body: {
          source: 'medusa',
          pendingOrders: tally.pendingOrders,
          refusedOrders: tally.refusedOrders,
          ...(tally.oldestPendingAt ? { oldestPendingAt: tally.oldestPendingAt } : {}),
          ...(lastError ? { lastError: lastError.slice(0, 500) } : {}),
          ...(report.inventory ? { inventorySyncedAt: now.toISOString() } : {}),
        },
        idempotencyKey: `medusa-sync:${channel}:${now.toISOString()}`,
      })
      // Fulcrum unreachable: nothing to report to. Its board sees the silence (no report for 10 minutes).
      .catch(() => undefined);
  }
  return report;
}
