// Trust boundaries over HTTP on the real stack (issue 28): no caller can act as another (a
// rival carrier, a second order on one payment authorization), lock others out (a flood of
// unknown keys), find secrets at rest (stored idempotent answers), undo a revocation by
// restarting, reach inside the network through a webhook, stall the worker with a pattern,
// overflow a count or freeze a feed source with a date far ahead, or guess a pickup code.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../api/rate-limit.ts';
import { startApi } from '../../api/server.ts';
import { createApiKeysRepository, generateApiKey } from '../../db/repositories/api-keys.ts';
import { targetPolicy, type Resolver } from '../../services/webhooks/outbound.ts';
import { startWebhookDispatcher } from '../../workers/webhook-dispatcher.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, pickupOrder, seedNetwork, shipOrder, storeCaps } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

type Api = ReturnType<typeof client>;

let stack: TestStack;
let admin: Api;
let ops: Api;
let web: Api;
let store: Api;

/** Hosts a test makes up, resolved as it says (the rest as the system does). */
const fakeDns = new Map<string, () => string>();
const resolve: Resolver = async (host) => {
  const answer = fakeDns.get(host);
  if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  const address = answer();
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};

beforeAll(async () => {
  // Deliveries go out from this file's own dispatcher (below), with its made-up DNS.
  stack = await startTestStack({ webhooks: false });
  admin = client(stack, stack.adminKey);
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  store = client(stack, await stack.key('associate', { locationIds: ['TB-STORE'] }));
  await seedNetwork(ops, {
    locations: { 'TB-WH': locationBody(41.88, -87.64), 'TB-STORE': locationBody(41.89, -87.63, { type: 'store', capabilities: storeCaps }) },
    skus: ['TB-PEN', 'TB-MUG'],
    stock: [
      ['TB-WH', 'TB-PEN', 100],
      ['TB-STORE', 'TB-MUG', 20],
    ],
  });
  // Registration checks with the same made-up DNS; 127.0.0.1 is allowed, as in the test configuration.
  stack.api.deps.webhookTargets = targetPolicy(['127.0.0.1'], resolve);
});
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

/** A shipped parcel of a new order: its fulfillment, carrier and tracking number. */
async function shippedParcel(channelOrderId: string) {
  const order = (await web.post('/v1/orders?wait=routed', shipOrder(channelOrderId, [{ sku: 'TB-PEN', quantity: 1 }]))).body;
  const fulfillmentId = order.fulfillments[0].id as string;
  await eventually(() => ops.get(`/v1/fulfillments/${fulfillmentId}`), (r) => r.status === 200, 'fulfillment read model', 30_000);
  await ops.post(`/v1/fulfillments/${fulfillmentId}/pick`, { scans: [{ barcode: 'TB-PEN', quantity: 1 }] });
  const packed = (await ops.post(`/v1/fulfillments/${fulfillmentId}/pack`, { packages: [{ weightGrams: 200, lengthCm: 20, widthCm: 10, heightCm: 5 }] })).body;
  expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/handoff`, {})).status).toBe(200);
  return { orderId: order.id as string, fulfillmentId, carrier: packed.carrier as string, trackingNumber: packed.trackingNumber as string };
}

const newKey = async (body: Record<string, unknown>) => (await admin.post('/v1/api-keys', { name: `tb ${String(body.role)}`, ...body })).body;

describe('carrier keys', () => {
  it('speak for their own carrier only: a rival carrier cannot move another carrier’s parcel', async () => {
    const parcel = await shippedParcel('TB-CARRIER-1');
    const rivalName = parcel.carrier === 'ParcelCo' ? 'PostalService' : 'ParcelCo';
    const own = client(stack, (await newKey({ role: 'carrier', carrier: parcel.carrier })).key);
    const rival = client(stack, (await newKey({ role: 'carrier', carrier: rivalName })).key);
    const delivered = { trackingNumber: parcel.trackingNumber, status: 'delivered', at: new Date().toISOString() };

    // Through the parcel's own carrier's path or its own: the parcel is not there for the rival.
    expect((await rival.post(`/v1/carriers/${parcel.carrier}/events`, delivered)).status).toBe(404);
    expect((await rival.post(`/v1/carriers/${rivalName}/events`, delivered)).status).toBe(404);
    expect((await web.get(`/v1/orders/${parcel.orderId}`)).body.status).toBe('shipped');
    expect((await ops.get(`/v1/fulfillments/${parcel.fulfillmentId}`)).body.status).toBe('shipped');

    expect((await own.post(`/v1/carriers/${parcel.carrier}/events`, delivered)).status).toBe(202);
    await eventually(() => web.get(`/v1/orders/${parcel.orderId}`), (r) => r.body.status === 'completed', 'delivered by its own carrier', 30_000);
  });

  it('must name their carrier; a key made before is refused until an admin binds it', async () => {
    const nameless = await admin.post('/v1/api-keys', { name: 'who?', role: 'carrier' });
    expect(nameless.status).toBe(422);
    expect(nameless.body.errors.map((e: { path: string }) => e.path)).toContain('carrier');
    expect((await admin.post('/v1/api-keys', { name: 'ops with a carrier', role: 'ops', carrier: 'ParcelCo' })).status).toBe(422);

    const parcel = await shippedParcel('TB-CARRIER-LEGACY');
    // A carrier key from before carriers were named (no carrier in its row).
    const legacyKey = await stack.key('carrier');
    const legacy = client(stack, legacyKey);
    const event = { trackingNumber: parcel.trackingNumber, status: 'in_transit', at: new Date().toISOString() };
    const refused = await legacy.post(`/v1/carriers/${parcel.carrier}/events`, event);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/names no carrier/);
    const listed = (await admin.get('/v1/api-keys')).body.items.find((k: { name: string; needsCarrier?: boolean }) => k.needsCarrier);
    expect(listed).toBeDefined();
    expect((await admin.put(`/v1/api-keys/${listed.id}/carrier`, { carrier: parcel.carrier })).body).toMatchObject({ carrier: parcel.carrier });
    expect((await admin.put(`/v1/api-keys/${listed.id}/carrier`, { carrier: 'SomeoneElse' })).status).toBe(409);
    expect((await legacy.post(`/v1/carriers/${parcel.carrier}/events`, event)).status).toBe(202);
  });

  it('take a repeated event once and refuse a flood, so a parcel’s history stays bounded', async () => {
    const parcel = await shippedParcel('TB-CARRIER-FLOOD');
    const carrier = client(stack, (await newKey({ role: 'carrier', carrier: parcel.carrier })).key);
    const at = Date.now() - 60 * 60_000;
    const event = (minutes: number, location = 'Chicago hub') => ({ trackingNumber: parcel.trackingNumber, status: 'in_transit', location, at: new Date(at + minutes * 60_000).toISOString() });
    const first = await carrier.post(`/v1/carriers/${parcel.carrier}/events`, event(0));
    expect(first.status).toBe(202);
    expect(first.body.duplicate).toBeUndefined();
    // The same scan sent again, and with a carrier clock a couple of minutes off: taken, changing nothing.
    for (const again of [event(0), event(2), event(-3)]) {
      const res = await carrier.post(`/v1/carriers/${parcel.carrier}/events`, again);
      expect(res.status).toBe(202);
      expect(res.body.duplicate).toBe(true);
    }
    await eventually(() => ops.get(`/v1/fulfillments/${parcel.fulfillmentId}`), (r) => r.body.status === 'in_transit', 'in transit', 30_000);

    // Distinct scans, as fast as a script can send them: the parcel takes 30 in 10 minutes, then 429.
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<Api['post']>> | undefined;
    for (let i = 1; i <= 40; i++) {
      const res = await carrier.post(`/v1/carriers/${parcel.carrier}/events`, event(10 * i, `depot ${i}`));
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(29);
    expect(statuses.slice(29).every((s) => s === 429)).toBe(true);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await stack.db('carrier_events').where({ fulfillment_id: parcel.fulfillmentId }).count({ n: '*' }).first()).toMatchObject({ n: expect.toSatisfy((n: unknown) => Number(n) === 30) });
  });
});

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

describe('webhook targets', () => {
  const INSIDE = [
    'http://10.1.2.3/hook',
    'http://172.16.0.9/hook',
    'http://192.168.1.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.100.100.200/latest/meta-data/',
    'http://0.0.0.0/hook',
    'http://224.0.0.1/hook',
    'http://[::1]/hook',
    'http://[fd00:ec2::254]/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:127.0.0.2]/hook',
    'http://[::ffff:10.0.0.1]/hook',
    'http://[64:ff9b::a00:1]/hook',
    'http://127.0.0.2/hook',
    'http://intranet.test/hook',
  ];

  it('refuses, at registration, every address class inside the network, by address or by what a name resolves to', async () => {
    fakeDns.set('127.0.0.1.nip.invalid', () => '127.0.0.1');
    fakeDns.set('intranet.test', () => '10.20.30.40');
    for (const url of INSIDE) {
      const res = await admin.post('/v1/webhooks', { url, events: ['*'], secret: 'tb-secret-0123456789' });
      expect(res.status, `${url}: ${res.text}`).toBe(422);
      expect(res.body.errors[0].path).toBe('url');
    }
    // The deployment allows 127.0.0.1 (an address): a name resolving to it is allowed too, 127.0.0.2 is not (above).
    const allowed = await admin.post('/v1/webhooks', { url: 'http://127.0.0.1.nip.invalid/hook', events: ['*'], secret: 'tb-secret-0123456789' });
    expect(allowed.status).toBe(201);
    await admin.delete(`/v1/webhooks/${allowed.body.id}`);
    expect((await admin.post('/v1/webhooks', { url: 'http://nowhere.invalid/hook', events: ['*'], secret: 'tb-secret-0123456789' })).status).toBe(422);
  });

  it('refuses a delivery to a name that resolves inside the network by then, and never follows a redirect', async () => {
    let stolen = 0;
    const sink = await listen((_req, res) => {
      stolen += 1;
      res.writeHead(204).end();
    });
    let redirected = 0;
    const redirecting = await listen((_req, res) => {
      redirected += 1;
      res.writeHead(303, { location: `http://127.0.0.1:${port(sink)}/stolen` }).end();
    });
    // A public address at registration; loopback (127.0.0.2, not allowed) by the time of delivery.
    let rebound = false;
    fakeDns.set('rebind.test', () => (rebound ? '127.0.0.2' : '93.184.216.34'));
    const rebinding = (await admin.post('/v1/webhooks', { url: `http://rebind.test:${port(sink)}/hook`, events: ['order.*'], secret: 'tb-secret-0123456789' })).body;
    expect(rebinding.id).toBeDefined();
    rebound = true;
    const redirect = (await admin.post('/v1/webhooks', { url: `http://127.0.0.1:${port(redirecting)}/hook`, events: ['order.received'], secret: 'tb-secret-0123456789' })).body;

    const dispatcher = startWebhookDispatcher({ db: stack.db, logger: pino({ level: 'silent' }), intervalMs: 100, baseDelayMs: 60_000, allowHosts: ['127.0.0.1'], resolve });
    try {
      await web.post('/v1/orders?wait=routed', shipOrder('TB-WEBHOOK-1', [{ sku: 'TB-PEN', quantity: 1 }]));
      const refused = await eventually(() => admin.get(`/v1/webhooks/${rebinding.id}/deliveries`), (r) => r.body.items?.some((d: { attempts: number }) => d.attempts > 0), 'a delivery attempt', 30_000);
      const attempt = refused.body.items.find((d: { attempts: number }) => d.attempts > 0);
      expect(attempt).toMatchObject({ status: 'pending', lastStatusCode: null });
      expect(attempt.lastError).toMatch(/refused: rebind\.test resolves to 127\.0\.0\.2 is loopback/);

      const bounced = await eventually(() => admin.get(`/v1/webhooks/${redirect.id}/deliveries`), (r) => r.body.items?.some((d: { attempts: number }) => d.attempts > 0), 'a redirected attempt', 30_000);
      expect(bounced.body.items.find((d: { attempts: number }) => d.attempts > 0)).toMatchObject({ status: 'pending', lastStatusCode: 303, lastError: expect.stringMatching(/redirects are not followed/) });
      expect(redirected).toBeGreaterThanOrEqual(1);
      expect(stolen).toBe(0);
    } finally {
      await dispatcher.stop();
      await admin.delete(`/v1/webhooks/${rebinding.id}`);
      await admin.delete(`/v1/webhooks/${redirect.id}`);
      sink.close();
      redirecting.close();
    }
  });

  it('refuses an event pattern with more than 8 stars', async () => {
    const url = 'http://127.0.0.1:9/hook';
    const forty = await admin.post('/v1/webhooks', { url, events: ['order.routed', '*'.repeat(40)], secret: 'tb-secret-0123456789' });
    expect(forty.status).toBe(422);
    expect(forty.body.errors.map((e: { path: string }) => e.path)).toEqual(['events[1]']);
    expect((await admin.post('/v1/webhooks', { url, events: ['*a*a*a*a*a*a*a*a*a'], secret: 'tb-secret-0123456789' })).status).toBe(422);
    const eight = await admin.post('/v1/webhooks', { url, events: ['*.*.*.*.*.*.*.*'], secret: 'tb-secret-0123456789' });
    expect(eight.status).toBe(201);
    await admin.delete(`/v1/webhooks/${eight.body.id}`);
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

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function port(server: Server): number {
  return (server.address() as AddressInfo).port;
}

describe('the contract’s own forms', () => {
  it('explains routing with `pareto` (keeping `tradeoffs`), and takes pick-list scans as `{ scans: [...] }` (keeping one scan)', async () => {
    const a = (await web.post('/v1/orders?wait=routed', shipOrder('TB-FORMS-A', [{ sku: 'TB-PEN', quantity: 2 }]))).body;
    const b = (await web.post('/v1/orders?wait=routed', shipOrder('TB-FORMS-B', [{ sku: 'TB-PEN', quantity: 1 }]))).body;
    const explanation = (await ops.get(`/v1/orders/${a.id}/routing`)).body.items[0].explanation;
    expect(explanation.pareto.length).toBeGreaterThan(0);
    expect(explanation.pareto.filter((p: { chosen: boolean }) => p.chosen)).toHaveLength(1);
    expect(explanation.pareto[0]).toEqual({ locations: expect.any(Array), cost: expect.any(Number), estimatedDelivery: expect.any(String), co2eGrams: expect.any(Number), chosen: expect.any(Boolean) });
    expect(explanation.tradeoffs.map((t: { deliveryBy: string }) => t.deliveryBy)).toEqual(explanation.pareto.map((p: { estimatedDelivery: string }) => p.estimatedDelivery));

    const ids = [a.fulfillments[0].id, b.fulfillments[0].id];
    for (const id of ids) await eventually(() => ops.get(`/v1/fulfillments/${id}`), (r) => r.status === 200, 'fulfillment read model', 30_000);
    const list = (await ops.post('/v1/locations/TB-WH/pick-lists', { fulfillmentIds: ids })).body;
    const refused = await ops.post(`/v1/pick-lists/${list.id}/scans`, { scans: [{ barcode: 'TB-PEN', quantity: 1 }, { barcode: 'NOT-HERE', quantity: 1 }] });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual(['scans[1].barcode']);
    expect((await ops.get(`/v1/pick-lists/${list.id}`)).body.lines[0].picked).toBe(0);
    const scanned = await ops.post(`/v1/pick-lists/${list.id}/scans`, { scans: [{ barcode: 'TB-PEN', quantity: 1 }, { barcode: 'TB-PEN', quantity: 1 }] });
    expect(scanned.status, scanned.text).toBe(200);
    expect(scanned.body.lines[0].picked).toBe(2);
    const single = await ops.post(`/v1/pick-lists/${list.id}/scans`, { barcode: 'TB-PEN' });
    expect(single.body.lines[0].picked).toBe(3);
    for (const order of [a, b]) await web.post(`/v1/orders/${order.id}/cancel`, { reason: 'test done' });
  });
});

// Last in this file: from here on markets exist, as in a deployment that added them later.
describe('a v1 client’s locations, once markets exist', () => {
  it('join the market of their country, so its channels’ orders route there as before markets', async () => {
    expect((await ops.put('/v1/markets/tb-us', { name: 'United States', countries: ['US'], currency: 'USD', timezone: 'America/Chicago', channels: ['tb-v1'] })).status).toBe(200);
    // Exactly as the contract writes it: no marketId, no address.
    const saved = await ops.put('/v1/locations/TB-V1', locationBody(41.87, -87.65));
    expect(saved.status).toBe(201);
    expect(saved.body.marketId).toBe('tb-us');
    expect(saved.body.warnings).toBeUndefined();
    await ops.put('/v1/inventory/TB-V1/TB-PEN', { onHand: 5 });
    const v1 = client(stack, await stack.key('channel', { channel: 'tb-v1' }));
    const order = await v1.post('/v1/orders?wait=routed', shipOrder('TB-V1-1', [{ sku: 'TB-PEN', quantity: 2 }], 'tb-v1'));
    expect(order.status).toBe(201);
    expect(order.body.status).toBe('routed');
    expect(order.body.fulfillments.map((f: { locationId: string }) => f.locationId)).toEqual(['TB-V1']);
    // An update as the contract writes it keeps the market.
    expect((await ops.put('/v1/locations/TB-V1', locationBody(41.87, -87.65, { name: 'Renamed' }))).body).toMatchObject({ marketId: 'tb-us', name: 'Renamed' });
    // By address country first, then by position.
    expect((await ops.put('/v1/locations/TB-V1-ADDR', locationBody(0, -160, { address: { line1: '1 Main St', city: 'Honolulu', region: 'HI', postalCode: '96813', country: 'US' } }))).body.marketId).toBe('tb-us');
    await v1.post(`/v1/orders/${order.body.id}/cancel`, { reason: 'test done' });
    await eventually(() => v1.get(`/v1/orders/${order.body.id}`), (r) => r.body.status === 'cancelled', 'cancelled', 30_000);
  });

  it('say so when no market covers them', async () => {
    const lagos = await ops.put('/v1/locations/TB-LAGOS', locationBody(6.45, 3.38));
    expect(lagos.status).toBe(201);
    expect(lagos.body.marketId).toBeUndefined();
    expect(lagos.body.warnings).toEqual([expect.stringMatching(/No market covers this location \(country NG\)/)]);
    // It still serves the channels in no market (web has keys here), so the board does not list it …
    const tile = async () => (await ops.get('/v1/board')).body.networkTiles.find((t: { id: string }) => t.id === 'locations_serving_no_channel');
    expect((await tile()).locationIds).not.toContain('TB-LAGOS');
    // … but a location in a market that no channel sells in serves nobody, and the board says so.
    expect((await ops.put('/v1/markets/tb-ng', { name: 'Nigeria', countries: ['NG'], currency: 'NGN', timezone: 'Africa/Lagos', channels: [] })).status).toBe(200);
    expect((await ops.put('/v1/locations/TB-LAGOS-2', locationBody(6.46, 3.39))).body.marketId).toBe('tb-ng');
    expect(await tile()).toMatchObject({ label: 'Locations serving no channel', level: 'warning', locationIds: expect.arrayContaining(['TB-LAGOS-2']) });
    expect((await tile()).locationIds).not.toContain('TB-V1');
  });
});
