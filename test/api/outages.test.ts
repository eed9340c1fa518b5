// When the network fails (issue 29): an API whose Postgres is reached through a proxy the test
// cuts. A request caught by the outage answers 503 with Retry-After, never 500; a key whose
// request failed is released once Postgres answers again, so the retry runs; and an order
// created by an attempt that never got its answer is answered to the retry with the order.
import { ServiceError } from '@temporalio/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.ts';
import { createDb, type Db } from '../../db/knex.ts';
import { startUnstartedOrders } from '../../services/orders/intake.ts';
import { payloadCodec } from '../../services/temporal/options.ts';
import { isDependencyOutage } from '../../services/outages.ts';
import { loadConfig } from '../../config/index.ts';
import { WORKER_MEMORY } from '../../config/worker-memory.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

let stack: TestStack;
let proxy: TcpProxy;
let proxiedDb: Db;
let api: RunningApi;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let webKey: string;

/** A client of the API behind the proxy. */
function behindProxy(key: string) {
  return client({ ...stack, url: api.url }, key);
}

beforeAll(async () => {
  stack = await startTestStack({ webhooks: false });
  const direct = new URL(stack.databaseUrl);
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) });
  const proxied = new URL(stack.databaseUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  proxiedDb = createDb(proxied.toString(), { max: 5 }, { mode: 'off' }, { warn: () => {}, error: () => {}, debug: () => {}, deprecate: () => {} });
  // A second API on the stack's queue (its worker does the work), reaching Postgres only through the proxy.
  api = await startApi({
    db: proxiedDb,
    codec: payloadCodec({ payloadKeys: stack.payloadKeys, payloadKeyId: undefined, payloadRegionKeys: stack.payloadRegionKeys }, proxiedDb)!,
    temporalAddress: stack.temporalAddress,
    namespace: 'default',
    taskQueue: stack.taskQueue,
    port: 0,
    logger: pino({ level: 'silent' }),
  });
  ops = behindProxy(await stack.key('ops'));
  webKey = await stack.key('channel', { channel: 'web' });
  web = behindProxy(webKey);
  await seedNetwork(client(stack, await stack.key('ops')), { locations: { 'OUT-WH': locationBody(41.88, -87.64) }, skus: ['OUT-PEN'], stock: [['OUT-WH', 'OUT-PEN', 50]] });
});
afterAll(async () => {
  await api?.close();
  await proxiedDb?.destroy();
  await proxy?.close();
  await stack?.close();
});

describe('a Postgres outage', () => {
  it('answers 503 with Retry-After, before and in the middle of a request, and nothing once it is over', async () => {
    expect((await ops.get('/v1/locations')).status).toBe(200);
    proxy.cut();
    try {
      for (const res of [await ops.get('/v1/locations'), await web.post('/v1/orders', shipOrder('OUT-DOWN', [{ sku: 'OUT-PEN', quantity: 1 }]), { 'Idempotency-Key': 'out-down' })]) {
        expect(res.status, res.text).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.detail).toMatch(/retry/i);
      }
      // Mid-request: the connection is reset while the adjustment runs.
      const move = api.deps.inventory.move;
      api.deps.inventory.move = async (movement) => {
        proxy.cut();
        return move(movement);
      };
      proxy.restore();
      try {
        const reset = await ops.post('/v1/inventory/adjustments', { locationId: 'OUT-WH', sku: 'OUT-PEN', delta: 1, reason: 'found' }, { 'Idempotency-Key': 'out-mid' });
        expect(reset.status, reset.text).toBe(503);
        expect(reset.headers.get('retry-after')).toBeDefined();
      } finally {
        api.deps.inventory.move = move;
      }
    } finally {
      proxy.restore();
    }
    // Its key was released once Postgres answered again, so the retry runs (it is not a 409 for the lease).
    await eventually(() => stack.db('idempotency_requests').where({ idempotency_key: 'out-mid' }), (rows) => rows.length === 0, 'the failed request’s key released', 30_000);
    const retried = await ops.post('/v1/inventory/adjustments', { locationId: 'OUT-WH', sku: 'OUT-PEN', delta: 1, reason: 'found' }, { 'Idempotency-Key': 'out-mid' });
    expect(retried.status).toBe(200);
    expect((await web.post('/v1/orders', shipOrder('OUT-DOWN', [{ sku: 'OUT-PEN', quantity: 1 }]), { 'Idempotency-Key': 'out-down' })).status).toBe(201);
    await expectInventoryConsistent(stack.db);
  });

  it('answers the retry of an order whose first attempt created it but never answered with the order, never 409', async () => {
    const body = shipOrder('OUT-CREATED', [{ sku: 'OUT-PEN', quantity: 1 }]);
    // The first attempt registers the order, then Postgres goes away before it can answer (or release its key).
    const register = api.deps.orders.register;
    api.deps.orders.register = async (args) => {
      await register(args);
      proxy.cut();
      throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    };
    let first: Awaited<ReturnType<typeof web.post>>;
    try {
      first = await web.post('/v1/orders?wait=routed', body, { 'Idempotency-Key': 'out-created' });
    } finally {
      api.deps.orders.register = register;
      proxy.restore();
    }
    expect(first.status).toBe(503);
    const created = await stack.db('orders').where({ channel: 'web', channel_order_id: 'OUT-CREATED' }).first('id');
    expect(created).toBeDefined();

    // The retry comes at once, while the first attempt may still hold the key: it learns the order exists.
    const retry = await web.post('/v1/orders?wait=routed', body, { 'Idempotency-Key': 'out-created' });
    expect(retry.status, retry.text).toBe(200);
    expect(retry.body.id).toBe(created.id);
    const order = await eventually(() => web.get(`/v1/orders/${created.id}`), (r) => r.body?.status === 'routed', 'the order routed', 30_000);
    expect(order.body.fulfillments).toHaveLength(1);
    expect(await stack.db('orders').where({ channel: 'web', channel_order_id: 'OUT-CREATED' })).toHaveLength(1);
    await expectInventoryConsistent(stack.db);
  });

  it('gives up on a query whose answer the network swallowed, as an outage, and never reuses its connection', async () => {
    // A proxy of its own: what it swallows must not be the API's queries.
    const direct = new URL(stack.databaseUrl);
    const lossy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) });
    direct.hostname = '127.0.0.1';
    direct.port = String(lossy.port);
    const quiet = () => {};
    // One connection, so a poisoned one would be the one the next query gets.
    const db = createDb(direct.toString(), { max: 1, queryTimeoutMs: 1500 }, { mode: 'off' }, { warn: quiet, error: quiet, debug: quiet, deprecate: quiet });
    try {
      expect((await db.raw('select 1 as one')).rows[0].one).toBe(1);
      lossy.swallow();
      const lost = await db.raw('select 2').then(
        () => undefined,
        (err: Error) => err,
      );
      lossy.restore();
      expect(lost?.message).toMatch(/Query read timeout/);
      expect(isDependencyOutage(lost)).toBe(true);
      // The connection whose answer was lost is closed: the next query gets a new one and its own answer.
      expect((await db.raw('select 3 as three')).rows[0].three).toBe(3);
    } finally {
      await db.destroy();
      await lossy.close();
    }
  });

  it('answers an order placed while Temporal is down 201 received, and the intake sweep routes it once Temporal is back', async () => {
    const workflows = api.deps.temporal.workflow;
    const unavailable = () => Promise.reject(new ServiceError('14 UNAVAILABLE: Connection refused', { cause: Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }) }));
    const { start, executeUpdateWithStart } = workflows;
    Object.assign(workflows, { start: unavailable, executeUpdateWithStart: unavailable });
    let placed: Awaited<ReturnType<typeof web.post>>;
    try {
      placed = await web.post('/v1/orders?wait=routed', shipOrder('OUT-TEMPORAL', [{ sku: 'OUT-PEN', quantity: 1 }]), { 'Idempotency-Key': 'out-temporal' });
    } finally {
      Object.assign(workflows, { start, executeUpdateWithStart });
    }
    expect(placed.status, placed.text).toBe(201);
    expect(placed.body).toMatchObject({ status: 'received', channelOrderId: 'OUT-TEMPORAL' });
    // Temporal is back: the sweep (every FULCRUM_INTAKE_SWEEP_SECONDS, here at once) starts it, and it routes.
    expect(await startUnstartedOrders(api.deps, { olderThanSeconds: 0, retrySeconds: 0 })).toBeGreaterThanOrEqual(1);
    await eventually(() => web.get(`/v1/orders/${placed.body.id}`), (r) => r.body?.status === 'routed', 'routed after the outage', 30_000);
  });
});

describe('the settings that bound a process', () => {
  it('read the query timeout and the workflow cache, and refuse what makes no sense, naming the variable', () => {
    expect(loadConfig({})).toMatchObject({ databaseQueryTimeoutMs: 30_000, maxCachedWorkflows: WORKER_MEMORY.maxCachedWorkflows });
    expect(loadConfig({ FULCRUM_DB_QUERY_TIMEOUT_MS: '5000', FULCRUM_MAX_CACHED_WORKFLOWS: '0' })).toMatchObject({ databaseQueryTimeoutMs: 5000, maxCachedWorkflows: 0 });
    for (const bad of ['1', '-3', '2.5', 'lots', '2000000']) expect(() => loadConfig({ FULCRUM_MAX_CACHED_WORKFLOWS: bad })).toThrow(/FULCRUM_MAX_CACHED_WORKFLOWS/);
    expect(() => loadConfig({ FULCRUM_DB_QUERY_TIMEOUT_MS: '0' })).toThrow(/FULCRUM_DB_QUERY_TIMEOUT_MS/);
  });
});
