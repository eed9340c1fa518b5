// Fulcrum's own `alert.*` events: each condition the seed asks to alert on, made real in the
// read models, then the sweep (or the reconciliation) run as the schedules run them. Each
// alert is an outbox event (GET /v1/events) that webhooks deliver; a condition that persists
// is alerted once, however often the sweep runs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_TYPES } from '../../db/repositories/alerts.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { recordHistories } from '../support/record-history.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

const SECRET = 'whsec_alerts_0123456789abcdef';
let stack: TestStack;
let admin: ReturnType<typeof client>;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let server: Server;
let base = '';
const alertsReceived: { type: string; data: Record<string, unknown> }[] = [];

/** A receiver with a healthy path (alerts are delivered there) and a path that always fails. */
async function startReceiver(): Promise<Server> {
  const s = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      if (req.url === '/down') return void res.writeHead(503).end();
      alertsReceived.push(JSON.parse(body) as { type: string; data: Record<string, unknown> });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s;
}

async function sweep(workflowId: string) {
  return stack.api.deps.temporal.workflow.execute('operationsAlertsWorkflow', { workflowId, taskQueue: stack.taskQueue, args: [] });
}

async function alerts(type: string): Promise<{ orderId: string | null; data: Record<string, unknown> }[]> {
  const res = await ops.get(`/v1/events?type=${type}`);
  expect(res.status).toBe(200);
  return res.body.items;
}

async function routedOrder(channelOrderId: string): Promise<string> {
  const res = await web.post('/v1/orders?wait=routed', shipOrder(channelOrderId, [{ sku: 'ALERT-SKU', quantity: 1 }]));
  expect(res.status).toBe(201);
  expect(res.body.status).toBe('routed');
  return res.body.id;
}

beforeAll(async () => {
  server = await startReceiver();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stack = await startTestStack();
  admin = client(stack, stack.adminKey);
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  await seedNetwork(ops, { locations: { 'WH-AL': locationBody(41.88, -87.64) }, skus: ['ALERT-SKU'], stock: [['WH-AL', 'ALERT-SKU', 50]] });
  expect((await admin.post('/v1/webhooks', { url: `${base}/alerts`, events: ['alert.*'], secret: SECRET })).status).toBe(201);
});

afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('alert events', () => {
  it('are the five kinds ops subscribe to', () => {
    expect([...ALERT_TYPES].sort()).toEqual(['alert.channel_sync_behind', 'alert.inventory_drift', 'alert.order_needs_attention', 'alert.order_past_sla', 'alert.webhook_failing']);
  });

  it('alert once when a webhook endpoint has failed every delivery for an hour', async () => {
    const failing = await admin.post('/v1/webhooks', { url: `${base}/down`, events: ['order.*'], secret: SECRET });
    expect(failing.status).toBe(201);
    await routedOrder('AL-WEBHOOK-1');
    await eventually(
      () => stack.db('webhook_deliveries').where({ subscription_id: failing.body.id }).where('attempts', '>', 0).count({ n: '*' }).first(),
      (r) => Number(r?.n) > 0,
      'a failed delivery attempt',
    );
    // Failing for a few minutes is not an alert yet.
    await sweep('alerts-webhook-early');
    expect(await alerts('alert.webhook_failing')).toEqual([]);
    // An hour of failures: the streak's deliveries were created over an hour ago.
    await stack.db('webhook_deliveries').where({ subscription_id: failing.body.id }).update({ created_at: stack.db.raw("now() - interval '61 minutes'") });
    expect(await sweep('alerts-webhook-1')).toEqual({ raised: { 'alert.webhook_failing': 1 } });
    expect(await sweep('alerts-webhook-2')).toEqual({ raised: {} });
    const [alert] = await alerts('alert.webhook_failing');
    expect(alert).toMatchObject({ orderId: null, data: { subscriptionId: failing.body.id, url: `${base}/down`, lastStatusCode: 503 } });
    // Delivered to the subscriber of alert.*.
    await eventually(async () => alertsReceived.filter((a) => a.type === 'alert.webhook_failing'), (a) => a.length === 1, 'the alert delivered');
    expect((await admin.delete(`/v1/webhooks/${failing.body.id}`)).status).toBe(204);
  });

  it('alert once per fulfillment past its pick SLA', async () => {
    const orderId = await routedOrder('AL-SLA-1');
    const [fulfillment] = await eventually(() => stack.db('fulfillments').where({ order_id: orderId }).select('id'), (rows) => rows.length === 1, 'the fulfillment');
    await sweep('alerts-sla-early');
    expect((await alerts('alert.order_past_sla')).filter((a) => a.orderId === orderId)).toEqual([]);
    await stack.db('fulfillments').where({ id: fulfillment.id }).update({ snapshot: stack.db.raw(`jsonb_set(snapshot, '{pickDueAt}', to_jsonb((now() - interval '90 minutes')::text))`) });
    await sweep('alerts-sla-1');
    await sweep('alerts-sla-2');
    const raised = (await alerts('alert.order_past_sla')).filter((a) => a.orderId === orderId);
    expect(raised).toHaveLength(1);
    expect(raised[0]!.data).toMatchObject({ fulfillmentId: fulfillment.id, locationId: 'WH-AL' });
    expect(raised[0]!.data.minutesLate).toBeGreaterThanOrEqual(89);
  });

  it('alert once per order flagged as needing attention, and again if it is flagged anew', async () => {
    const orderId = await routedOrder('AL-ATTN-1');
    const flag = (since: string) => stack.db('orders').where({ id: orderId }).update({ needs_attention_since: since, needs_attention_reason: 'the database refused the data', needs_attention_activity: 'saveOrderSnapshot' });
    await flag('2026-12-01T10:00:00.123456Z');
    await sweep('alerts-attention-1');
    await sweep('alerts-attention-2');
    expect((await alerts('alert.order_needs_attention')).filter((a) => a.orderId === orderId)).toHaveLength(1);
    await flag('2026-12-02T08:30:00Z');
    await sweep('alerts-attention-3');
    const raised = (await alerts('alert.order_needs_attention')).filter((a) => a.orderId === orderId);
    expect(raised.map((a) => a.data.since)).toEqual(['2026-12-01T10:00:00.123Z', '2026-12-02T08:30:00.000Z']);
    expect(raised[1]!.data).toMatchObject({ reason: 'the database refused the data', activity: 'saveOrderSnapshot', channel: 'web' });
    await recordHistories(stack, { 'operations-alerts': 'alerts-attention-3' });
  });

  it('alert when reconciliation finds reserved stock drifting from held reservations, once a day for the same drift', async () => {
    await stack.db('inventory_levels').where({ location_id: 'WH-AL', sku: 'ALERT-SKU' }).increment('reserved', 2);
    const reconcile = (workflowId: string) => stack.api.deps.temporal.workflow.execute('reservationReconciliationWorkflow', { workflowId, taskQueue: stack.taskQueue, args: [{ minAgeSeconds: 3600 }] });
    const report = await reconcile('reconcile-drift-1');
    expect(report.drift).toContainEqual({ locationId: 'WH-AL', sku: 'ALERT-SKU', problem: 'reserved 5 differs from held reservations 3' });
    await reconcile('reconcile-drift-2');
    const raised = await alerts('alert.inventory_drift');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ orderId: null, data: { count: report.drift.length } });
    expect(raised[0]!.data.levels).toContainEqual({ locationId: 'WH-AL', sku: 'ALERT-SKU', problem: 'reserved 5 differs from held reservations 3' });
    await eventually(async () => alertsReceived.filter((a) => a.type === 'alert.inventory_drift'), (a) => a.length === 1, 'the drift alert delivered');
    // Mend the drift so the file's stock adds up again.
    await stack.db('inventory_levels').where({ location_id: 'WH-AL', sku: 'ALERT-SKU' }).decrement('reserved', 2);
  });
});
