// Which data region a workflow's payloads belong to (docs/markets.md#data-regions): the
// channel behind the workflow (its order's, return's or promise's), and the `dataRegion` of
// the market selling in that channel. The payload codec asks once per workflow and process,
// then remembers; with no market naming a data region it answers without touching a row.
import type { Payload } from '@temporalio/common';
import type { Db } from '../../db/knex.ts';
import type { DataRegionResolver } from './payload-codec.ts';

const MARKETS_FRESH_MS = 5_000;
const REMEMBERED_CHANNELS = 100_000;

/** The order a fulfillment's start input names: its row is written by the fulfillment itself, after the start. */
function orderIdIn(payloads: Payload[]): string | undefined {
  const [first] = payloads;
  if (!first || Buffer.from(first.metadata?.encoding ?? []).toString() !== 'json/plain') return undefined;
  try {
    const value = JSON.parse(Buffer.from(first.data ?? []).toString()) as unknown;
    const orderId = typeof value === 'object' && value !== null ? (value as { orderId?: unknown }).orderId : undefined;
    return typeof orderId === 'string' ? orderId : undefined;
  } catch {
    return undefined;
  }
}

export function createDataRegionResolver(db: Db): DataRegionResolver {
  let markets: { at: number; regionOfChannel: Promise<Map<string, string>> } | undefined;
  const channelOfWorkflow = new Map<string, string>();

  function regionOfChannel(): Promise<Map<string, string>> {
    if (!markets || Date.now() - markets.at > MARKETS_FRESH_MS) {
      const loading = db('markets')
        .select<{ channels: string[] | null; region: string | null }[]>(db.raw("body->'channels' AS channels"), db.raw("body->>'dataRegion' AS region"))
        .then((rows) => new Map(rows.flatMap((r) => (r.region ? (r.channels ?? []).map((c): [string, string] => [c, r.region!]) : []))));
      markets = { at: Date.now(), regionOfChannel: loading };
      loading.catch(() => (markets = undefined));
    }
    return markets.regionOfChannel;
  }

  async function channelOfOrder(orderId: string): Promise<string | undefined> {
    return (await db('orders').where({ id: orderId }).first<{ channel: string } | undefined>('channel'))?.channel;
  }

  async function channelOf(workflowId: string, payloads: Payload[]): Promise<string | undefined> {
    const [, kind, id] = /^(order|fulfillment|return|promise)-(.+)$/.exec(workflowId) ?? [];
    if (!kind || !id) return undefined;
    if (kind === 'order') return channelOfOrder(id);
    if (kind === 'return') return (await db('returns').where({ id }).first<{ channel: string } | undefined>('channel'))?.channel;
    if (kind === 'promise') return (await db('promises').where({ id }).first<{ channel: string } | undefined>('channel'))?.channel;
    const row = await db('fulfillments').where({ id }).first<{ order_id: string } | undefined>('order_id');
    const orderId = row?.order_id ?? orderIdIn(payloads);
    const channel = orderId ? await channelOfOrder(orderId) : undefined;
    // Sealing a fulfillment's data with the deployment's key because its order is not known
    // yet would break the region's promise: fail, and the workflow task is tried again.
    if (!channel) throw new Error(`the order of ${workflowId} is not known yet: its data region cannot be chosen`);
    return channel;
  }

  return async (workflowId, payloads) => {
    const regions = await regionOfChannel();
    if (regions.size === 0) return undefined;
    let channel = channelOfWorkflow.get(workflowId);
    if (channel === undefined) {
      channel = await channelOf(workflowId, payloads);
      if (channel === undefined) return undefined;
      channelOfWorkflow.set(workflowId, channel);
      if (channelOfWorkflow.size > REMEMBERED_CHANNELS) channelOfWorkflow.delete(channelOfWorkflow.keys().next().value!);
    }
    return regions.get(channel);
  };
}
