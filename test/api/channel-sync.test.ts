// Channel sync (issue 31): a shop integration reports its side of the link; a channel key
// reports for its own channel only, bad reports change nothing, and a channel that is behind
// shows on the ops board and raises `alert.channel_sync_behind` once per occurrence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let app: ReturnType<typeof client>;

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

async function sweep(workflowId: string) {
  return stack.api.deps.temporal.workflow.execute('operationsAlertsWorkflow', { workflowId, taskQueue: stack.taskQueue, args: [] });
}

async function tile() {
  const board = await ops.get('/v1/board');
  expect(board.status, board.text).toBe(200);
  return board.body.networkTiles.find((t: { id: string }) => t.id === 'channel_sync');
}

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  app = client(stack, await stack.key('channel', { channel: 'app' }));
});
afterAll(async () => stack?.close());

describe('channel sync', () => {
  it('takes a channel’s report for its own channel only, and refuses bad reports without a change', async () => {
    const ok = await web.put('/v1/channel-sync/web', { source: 'medusa', pendingOrders: 0, refusedOrders: 0, inventorySyncedAt: minutesAgo(1) });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ channel: 'web', source: 'medusa', behind: false, reasons: [] });
    expect((await app.put('/v1/channel-sync/web', { source: 'medusa', pendingOrders: 9, refusedOrders: 0 })).status).toBe(403);
    const bad = await web.put('/v1/channel-sync/web', { source: 'medusa', pendingOrders: -1, refusedOrders: 0, oldestPendingAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['oldestPendingAt', 'pendingOrders']);
    const list = await ops.get('/v1/channel-sync');
    expect(list.body.items).toEqual([expect.objectContaining({ channel: 'web', pendingOrders: 0 })]);
    expect(await tile()).toMatchObject({ count: 0, level: 'ok', channels: [] });
  });

  it('shows a channel behind on the board and alerts once per occurrence', async () => {
    const oldest = minutesAgo(25);
    const behind = await web.put('/v1/channel-sync/web', { source: 'medusa', pendingOrders: 3, refusedOrders: 0, oldestPendingAt: oldest, lastError: 'Fulcrum answered 503' });
    expect(behind.body.behind).toBe(true);
    expect(behind.body.reasons[0]).toMatch(/^3 order\(s\) not yet in Fulcrum, the oldest placed 2[45] min ago$/);
    expect(await tile()).toMatchObject({ count: 1, level: 'warning', channels: [{ channel: 'web', source: 'medusa' }] });
    expect(await sweep('channel-sync-alerts-1')).toMatchObject({ raised: { 'alert.channel_sync_behind': 1 } });
    expect(await sweep('channel-sync-alerts-2')).toEqual({ raised: {} });
    const events = await ops.get('/v1/events?type=alert.channel_sync_behind');
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0].data).toMatchObject({ channel: 'web', pendingOrders: 3, oldestPendingAt: oldest, reason: 'pending', lastError: 'Fulcrum answered 503' });

    // A refused order needs a person: critical. Caught up again: the tile clears.
    await web.put('/v1/channel-sync/web', { source: 'medusa', pendingOrders: 0, refusedOrders: 1 });
    expect(await tile()).toMatchObject({ count: 1, level: 'critical' });
    await web.put('/v1/channel-sync/web', { source: 'medusa', pendingOrders: 0, refusedOrders: 0 });
    expect(await tile()).toMatchObject({ count: 0, level: 'ok' });
  });
});
