// Channel sync reports (PUT /v1/channel-sync/{channel}): the last word of each shop
// integration on its side of the link, and which channels are behind.
import type { Db } from '../knex.ts';

export interface ChannelSyncReport {
  source: string;
  pendingOrders: number;
  refusedOrders: number;
  oldestPendingAt?: string;
  lastError?: string;
  inventorySyncedAt?: string;
}

export interface ChannelSyncView extends ChannelSyncReport {
  channel: string;
  reportedAt: string;
  behind: boolean;
  reasons: string[];
}

export interface SyncThresholds {
  /** An order waiting longer than this to reach Fulcrum puts its channel behind. */
  pendingMinutes: number;
  /** An integration silent for longer than this is behind (it reports every minute). */
  silentMinutes: number;
}

export const SYNC_THRESHOLDS: SyncThresholds = { pendingMinutes: 10, silentMinutes: 10 };

interface Row {
  channel: string;
  source: string;
  pending_orders: number;
  refused_orders: number;
  oldest_pending_at: Date | null;
  last_error: string | null;
  inventory_synced_at: Date | null;
  reported_at: Date;
}

/** Which ways a channel is behind; the board's level, the reasons and the alerts all read these. */
export interface Lateness {
  /** An order has waited to reach Fulcrum longer than pendingMinutes. */
  pendingLate: boolean;
  refused: boolean;
  /** No report for longer than silentMinutes. */
  silent: boolean;
}

function lateness(row: Row, now: Date, thresholds: SyncThresholds = SYNC_THRESHOLDS): Lateness {
  const minutesAgo = (d: Date) => (now.getTime() - d.getTime()) / 60_000;
  return {
    pendingLate: !!row.oldest_pending_at && row.pending_orders > 0 && minutesAgo(row.oldest_pending_at) > thresholds.pendingMinutes,
    refused: row.refused_orders > 0,
    silent: minutesAgo(row.reported_at) > thresholds.silentMinutes,
  };
}

function reasonsOf(row: Row, late: Lateness, now: Date): string[] {
  const minutesAgo = (d: Date) => Math.floor((now.getTime() - d.getTime()) / 60_000);
  return [
    ...(late.pendingLate ? [`${row.pending_orders} order(s) not yet in Fulcrum, the oldest placed ${minutesAgo(row.oldest_pending_at!)} min ago`] : []),
    ...(late.refused ? [`${row.refused_orders} order(s) refused by Fulcrum`] : []),
    ...(late.silent ? [`no report for ${minutesAgo(row.reported_at)} min`] : []),
  ];
}

function view(row: Row, now: Date, late = lateness(row, now)): ChannelSyncView {
  const reasons = reasonsOf(row, late, now);
  return {
    channel: row.channel,
    source: row.source,
    pendingOrders: row.pending_orders,
    refusedOrders: row.refused_orders,
    ...(row.oldest_pending_at ? { oldestPendingAt: row.oldest_pending_at.toISOString() } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    ...(row.inventory_synced_at ? { inventorySyncedAt: row.inventory_synced_at.toISOString() } : {}),
    reportedAt: row.reported_at.toISOString(),
    behind: reasons.length > 0,
    reasons,
  };
}

export function createChannelSyncRepository(db: Db) {
  return {
    async report(channel: string, report: ChannelSyncReport): Promise<ChannelSyncView> {
      const row = {
        channel,
        source: report.source,
        pending_orders: report.pendingOrders,
        refused_orders: report.refusedOrders,
        oldest_pending_at: report.oldestPendingAt ? new Date(report.oldestPendingAt) : null,
        last_error: report.lastError ?? null,
        inventory_synced_at: report.inventorySyncedAt ? new Date(report.inventorySyncedAt) : null,
        reported_at: db.fn.now(),
      };
      const [saved] = await db<Row>('channel_sync_reports').insert(row).onConflict('channel').merge().returning('*');
      return view(saved!, new Date());
    },
    async list(): Promise<ChannelSyncView[]> {
      const rows = await db<Row>('channel_sync_reports').orderBy('channel');
      const now = new Date();
      return rows.map((r) => view(r, now));
    },
    /** The channels behind now, each with how: for the board's tile and the alert sweep. */
    async behind(): Promise<(Lateness & { view: ChannelSyncView })[]> {
      const rows = await db<Row>('channel_sync_reports').orderBy('channel');
      const now = new Date();
      return rows
        .map((r) => ({ r, late: lateness(r, now) }))
        .filter(({ late }) => late.pendingLate || late.refused || late.silent)
        .map(({ r, late }) => ({ ...late, view: view(r, now, late) }));
    },
  };
}
export type ChannelSyncRepository = ReturnType<typeof createChannelSyncRepository>;
