// Trust boundaries over HTTP on the real stack (issue 28): no caller can lock others out (a
// flood of unknown keys), find secrets at rest (stored idempotent answers), undo a revocation
// by restarting, overflow a count or freeze a feed source with a date far ahead, pay for two
// orders with one authorization, or guess a pickup code. Carrier keys, webhook targets and the
// contract's own forms have files of their own.
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../api/rate-limit.ts';
import { startApi } from '../../api/server.ts';
import { createApiKeysRepository, generateApiKey } from '../../db/repositories/api-keys.ts';
import { eventually } from '../support/eventually.ts';
import { pickupOrder, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, type TestStack } from '../support/stack.ts';
import { startTrustStack, type Api, type TrustStack } from '../support/trust-stack.ts';

let t: TrustStack;
let stack: TestStack;
let admin: Api;
let ops: Api;
let web: Api;
let store: Api;
let newKey: TrustStack['newKey'];

async function setUp(options: { webhooks?: boolean } = {}) {
  t = await startTrustStack(options);
  ({ stack, admin, ops, web, store, newKey } = t);
}

beforeAll(async () => setUp());
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

describe('a flood of unknown keys', () => {
  it('never locks out a good key or session from the same address', async () => {
    const limiter = stack.api.deps.authFailureLimiter;
    stack.api.deps.authFailureLimiter = new RateLimiter(5);
    try {
      // A key made through the API just now, one long in use, and a console session.
      const fresh = client(stack, (await newKey({ role: 'ops' })).key);
      expect((await ops.get('/v1/locations')).status).toBe(200);
      const signedIn = await fetch(`${stack.url}/v1/sessions`, { method: 'POST', headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' }, body: '{}' });
      const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;

      const statuses: number[] = [];
      for (let i = 0; i < 500; i++) statuses.push((await client(stack, `fk_flood_${i}`).get('/v1/locations')).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5).every((s) => s === 429)).toBe(true);

      expect((await fresh.get('/v1/locations')).status).toBe(200);
      expect((await ops.get('/v1/locations')).status).toBe(200);
      expect((await fetch(`${stack.url}/v1/sessions/current`, { headers: { cookie } })).status).toBe(200);
      // Still throttled for guesses, and a revoked key is a guess from its first refusal on.
      expect((await client(stack, 'fk_flood_again').get('/v1/locations')).status).toBe(429);
      const revoked = await newKey({ role: 'ops' });
      await admin.delete(`/v1/api-keys/${revoked.id}`);
      expect((await client(stack, revoked.key).get('/v1/locations')).status).toBe(401);
      expect((await client(stack, revoked.key).get('/v1/locations')).status).toBe(429);
    } finally {
      stack.api.deps.authFailureLimiter = limiter;
    }
  });
});

describe('secrets at rest', () => {
  it('keeps no secret in stored Idempotency-Key answers, and sweeps them after their retention', async () => {
    const made = await admin.post('/v1/api-keys', { name: 'tb replayed', role: 'ops' }, { 'Idempotency-Key': 'tb-key-1' });
    const replayed = await admin.post('/v1/api-keys', { name: 'tb replayed', role: 'ops' }, { 'Idempotency-Key': 'tb-key-1' });
    expect(made.body.key).toMatch(/^fk_/);
    expect(replayed.body.key).toBeUndefined();
    expect(replayed.body).toMatchObject({ id: made.body.id, secretsOmitted: ['key'] });
    const session = await admin.post('/v1/sessions', {}, { 'Idempotency-Key': 'tb-session-1' });
    expect(session.body.csrfToken).toBeDefined();

    const stored = JSON.stringify(await stack.db('idempotency_requests').select('response_body', 'response_headers'));
    expect(stored).not.toContain(made.body.key);
    expect(stored).not.toContain(session.body.csrfToken);
    expect(stored).not.toMatch(/fk_[A-Za-z0-9_-]{20,}/);

    await stack.db('idempotency_requests').where({ idempotency_key: 'tb-key-1' }).update({ created_at: stack.db.raw("now() - interval '25 hours'") });
    expect(await stack.api.sweepIdempotency()).toBeGreaterThanOrEqual(1);
    expect(await stack.db('idempotency_requests').where({ idempotency_key: 'tb-key-1' })).toHaveLength(0);
    expect(await stack.db('idempotency_requests').where({ idempotency_key: 'tb-session-1' })).toHaveLength(1);
  });
});

describe('the bootstrap admin key', () => {
  it('stays revoked across an API restart, and a rotated key is new and revokes the old one', async () => {
    const keys = createApiKeysRepository(stack.db);
    const bootKey = generateApiKey();
    expect(await keys.install(bootKey, { id: 'key_boot', name: 'boot admin', role: 'admin' }, 'env')).toEqual({ outcome: 'installed', id: 'key_boot', replaced: [] });
    expect((await client(stack, bootKey).get('/v1/api-keys')).status).toBe(200);
    expect((await admin.delete('/v1/api-keys/key_boot')).status).toBe(200);

    // The restart: the API process installs FULCRUM_ADMIN_KEY again, then serves.
    expect(await keys.install(bootKey, { id: 'key_boot', name: 'boot admin', role: 'admin' }, 'env')).toEqual({ outcome: 'revoked', id: 'key_boot' });
    const restarted = await startApi({ db: stack.db, temporalAddress: stack.temporalAddress, namespace: 'default', taskQueue: stack.taskQueue, port: 0, logger: pino({ level: 'silent' }) });
    try {
      const res = await fetch(`${restarted.url}/v1/api-keys`, { headers: { authorization: `Bearer ${bootKey}` } });
      expect(res.status).toBe(401);

      // Rotation: a new FULCRUM_ADMIN_KEY is a new key; the one before it (live) is revoked.
      const rotated = generateApiKey();
      const installed = await keys.install(rotated, { id: 'key_boot', name: 'boot admin', role: 'admin' }, 'env');
      expect(installed).toMatchObject({ outcome: 'installed', replaced: [] });
      const third = generateApiKey();
      const again = await keys.install(third, { id: 'key_boot', name: 'boot admin', role: 'admin' }, 'env');
      expect(again).toMatchObject({ outcome: 'installed', replaced: [(installed as { id: string }).id] });
      expect((await fetch(`${restarted.url}/v1/api-keys`, { headers: { authorization: `Bearer ${rotated}` } })).status).toBe(401);
      expect((await fetch(`${restarted.url}/v1/api-keys`, { headers: { authorization: `Bearer ${third}` } })).status).toBe(200);
    } finally {
      await restarted.close();
    }
  });
});

describe('numbers and dates with bounds', () => {
  it('refuses an adjustment that would take on hand past what a count holds, and changes nothing', async () => {
    await ops.put('/v1/skus/TB-BIG', { name: 'Big', weightGrams: 1 });
    expect((await ops.put('/v1/inventory/TB-WH/TB-BIG', { onHand: 100_000_000 })).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await ops.post('/v1/inventory/adjustments', { locationId: 'TB-WH', sku: 'TB-BIG', delta: 100_000_000, reason: 'found' })).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(20)).toEqual([422, 422]);
    const refused = await ops.post('/v1/inventory/adjustments', { locationId: 'TB-WH', sku: 'TB-BIG', delta: 100_000_000, reason: 'found' });
    expect(refused.body.errors).toEqual([{ path: 'delta', message: expect.stringMatching(/past 2147483647/) }]);
    const level = (await ops.get('/v1/availability?sku=TB-BIG&locationId=TB-WH')).body.items[0].total;
    expect(level.onHand).toBe(2_100_000_000);
    // Quarantine counts are held to the same bound.
    expect((await ops.post('/v1/inventory/quarantine', { locationId: 'TB-WH', sku: 'TB-BIG', quantity: 100_000_000, reason: 'check' })).status).toBe(200);
  });

  it('refuses a feed dated far ahead, and lets ops see and reset a watermark set by a wrong date', async () => {
    const far = await ops.post('/v1/inventory/feeds', { source: 'erp', asOf: '9999-12-31T00:00:00Z', items: [{ locationId: 'TB-WH', sku: 'TB-PEN', onHand: 1 }] });
    expect(far.status).toBe(422);
    expect(far.body.errors[0].path).toBe('asOf');

    // Four minutes ahead is within clock skew: applied, and it outranks a correct feed sent now.
    const ahead = new Date(Date.now() + 4 * 60_000).toISOString();
    expect((await ops.post('/v1/inventory/feeds', { source: 'pos', asOf: ahead, items: [{ locationId: 'TB-STORE', sku: 'TB-MUG', onHand: 25 }] })).body).toMatchObject({ applied: 1 });
    expect((await ops.post('/v1/inventory/feeds', { source: 'pos', asOf: new Date().toISOString(), items: [{ locationId: 'TB-STORE', sku: 'TB-MUG', onHand: 24 }] })).body).toMatchObject({ skipped: 1 });
    const marks = (await ops.get('/v1/feed-watermarks?locationId=TB-STORE')).body.items;
    expect(marks).toEqual([{ locationId: 'TB-STORE', sku: 'TB-MUG', asOf: ahead }]);
    expect((await ops.post('/v1/feed-watermarks/reset', { after: new Date().toISOString() })).body).toEqual({ reset: 1 });
    expect((await ops.post('/v1/inventory/feeds', { source: 'pos', asOf: new Date().toISOString(), items: [{ locationId: 'TB-STORE', sku: 'TB-MUG', onHand: 20 }] })).body).toMatchObject({ applied: 1 });
  });
});

describe('payment authorizations', () => {
  it('belong to one order: a second order citing one is 409 naming payment.authorizationId, and nothing is created', async () => {
    const first = await web.post('/v1/orders', shipOrder('TB-PAY-1', [{ sku: 'TB-PEN', quantity: 1 }]));
    expect(first.status).toBe(201);
    const sameAuthorization = { ...shipOrder('TB-PAY-2', [{ sku: 'TB-PEN', quantity: 1 }]), payment: shipOrder('TB-PAY-1', [{ sku: 'TB-PEN', quantity: 1 }]).payment };
    const second = await web.post('/v1/orders', sameAuthorization);
    expect(second.status).toBe(409);
    expect(second.body.errors).toEqual([{ path: 'payment.authorizationId', message: 'is already used by another order' }]);
    expect(second.body.orderId).toBe(first.body.id);
    expect(await stack.db('orders').where({ channel_order_id: 'TB-PAY-2' })).toHaveLength(0);

    // Another channel learns only that it is taken.
    const app = client(stack, await stack.key('channel', { channel: 'app' }));
    const elsewhere = await app.post('/v1/orders', { ...sameAuthorization, channel: 'app', channelOrderId: 'TB-PAY-3' });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.orderId).toBeUndefined();
    // The first order's own retry is still the first order.
    expect((await web.post('/v1/orders', shipOrder('TB-PAY-1', [{ sku: 'TB-PEN', quantity: 1 }]))).status).toBe(200);
    await web.post(`/v1/orders/${first.body.id}/cancel`, { reason: 'test done' });
    await eventually(() => web.get(`/v1/orders/${first.body.id}`), (r) => r.body.status === 'cancelled', 'cancelled', 30_000);
  });
});

describe('pickup codes', () => {
  it('lock after five wrong codes: the sixth is 429 with Retry-After, and ops hear of it', async () => {
    const order = (await web.post('/v1/orders?wait=routed', pickupOrder('TB-PICKUP-1', 'TB-STORE', [{ sku: 'TB-MUG', quantity: 1 }]))).body;
    const id = (await eventually(() => web.get(`/v1/orders/${order.id}`), (r) => r.body.fulfillments?.length > 0, 'routed', 30_000)).body.fulfillments[0].id;
    await eventually(() => store.get(`/v1/fulfillments/${id}`), (r) => r.status === 200, 'fulfillment read model', 30_000);
    expect((await store.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'TB-MUG', quantity: 1 }] })).status).toBe(200);
    expect((await store.post(`/v1/fulfillments/${id}/ready`, {})).status).toBe(200);
    const code = (await eventually(() => web.get(`/v1/orders/${order.id}`), (r) => Boolean(r.body.fulfillments[0].pickupCode), 'pickup code', 30_000)).body.fulfillments[0].pickupCode as string;
    const wrong = code === '000000' ? '111111' : '000000';

    const left: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await store.post(`/v1/fulfillments/${id}/collect`, { pickupCode: wrong });
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/does not match the code sent to the customer; (\d tries left|1 try left|no tries left)/);
      expect(res.body.errors).toEqual([{ path: 'pickupCode', message: expect.any(String) }]);
      left.push(res.body.triesLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const locked = await store.post(`/v1/fulfillments/${id}/collect`, { pickupCode: code });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    const events = (await ops.get(`/v1/events?orderId=${order.id}&limit=100`)).body.items.map((e: { type: string }) => e.type);
    expect(events).toContain('fulfillment.pickup_code_locked');
    expect((await store.get(`/v1/fulfillments/${id}`)).body.status).toBe('ready_for_pickup');

    // A quarter of an hour later (the attempts aged here) the right code works.
    await stack.db('pickup_code_attempts').where({ fulfillment_id: id }).update({ at: stack.db.raw("now() - interval '16 minutes'") });
    expect((await store.post(`/v1/fulfillments/${id}/collect`, { pickupCode: code })).status).toBe(200);
  });
});

