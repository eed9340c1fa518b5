// Console sessions and the ops board over HTTP: an API key exchanged for an httpOnly,
// SameSite=Strict cookie; a change made with it needs the session's CSRF token; the session
// acts exactly as its key (role, scope) and ends on sign-out or when the key is revoked. The
// board counts the orders each tile's link lists.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../../api/server.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await seedNetwork(client(stack, await stack.key('ops')), {
    locations: { 'WH-A': locationBody(41.88, -87.64), 'WH-B': locationBody(40.71, -74.0) },
    skus: ['MUG'],
    stock: [['WH-A', 'MUG', 20]],
  });
});
afterAll(async () => stack?.close());

/** Signs in with a key; returns the cookie header to send and the session body. */
async function signIn(key: string, options: { url?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${options.url ?? stack.url}/v1/sessions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...options.headers }, body: '{}' });
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { status: res.status, setCookie, cookie: setCookie.split(';')[0]!, body: (await res.json()) as { csrfToken: string; role: string; expiresAt: string } };
}

async function withCookie(cookie: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

describe('console sessions', () => {
  it('sign in sets an httpOnly SameSite=Strict cookie that acts as the key, and changes need the CSRF token', async () => {
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('SESS-1', [{ sku: 'MUG', quantity: 1 }]))).body;
    const session = await signIn(await stack.key('exceptions'));
    expect(session.status).toBe(201);
    expect(session.setCookie).toMatch(/^fulcrum_session=[\w-]{40,};/);
    expect(session.setCookie).toMatch(/httponly/i);
    expect(session.setCookie).toMatch(/samesite=strict/i);
    expect(session.setCookie).toMatch(/path=\//i);
    expect(session.body).toMatchObject({ role: 'exceptions', csrfToken: expect.any(String) });
    expect((await withCookie(session.cookie, 'GET', '/v1/sessions/current')).body.csrfToken).toBe(session.body.csrfToken);
    expect((await withCookie(session.cookie, 'GET', `/v1/orders/${order.id}`)).status).toBe(200);

    // A change without the token, or with a wrong one, is refused and changes nothing.
    const bare = await withCookie(session.cookie, 'POST', `/v1/orders/${order.id}/hold`, { reason: 'review' });
    expect(bare.status).toBe(403);
    expect(bare.body.detail).toMatch(/X-CSRF-Token/);
    expect((await withCookie(session.cookie, 'POST', `/v1/orders/${order.id}/hold`, { reason: 'review' }, { 'x-csrf-token': 'x'.repeat(32) })).status).toBe(403);
    expect((await withCookie(session.cookie, 'GET', `/v1/orders/${order.id}`)).body.status).toBe('routed');
    const held = await withCookie(session.cookie, 'POST', `/v1/orders/${order.id}/hold`, { reason: 'review' }, { 'x-csrf-token': session.body.csrfToken });
    expect(held.status).toBe(200);
    expect(held.body.status).toBe('on_hold');
    await withCookie(session.cookie, 'POST', `/v1/orders/${order.id}/release`, {}, { 'x-csrf-token': session.body.csrfToken });
  });

  it('marks the cookie Secure behind a TLS-terminating proxy only when told to trust it', async () => {
    const key = await stack.key('ops');
    const forwarded = { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' } };
    // Not trusted (the default): a client cannot claim HTTPS with a header.
    const direct = await signIn(key, forwarded);
    expect(direct.status).toBe(201);
    expect(direct.setCookie.toLowerCase()).not.toContain('secure');
    // FULCRUM_TRUST_PROXY=true: the proxy's word that the client used HTTPS makes the cookie Secure.
    const behindProxy = await startApi({ db: stack.db, temporalAddress: stack.temporalAddress, namespace: 'default', taskQueue: stack.taskQueue, port: 0, logger: pino({ level: 'silent' }), trustProxy: true });
    try {
      const proxied = await signIn(key, { url: behindProxy.url, ...forwarded });
      expect(proxied.status).toBe(201);
      expect(proxied.setCookie.toLowerCase()).toMatch(/;\s*secure/);
      expect(proxied.setCookie.toLowerCase()).toContain('httponly');
      const plain = await signIn(key, { url: behindProxy.url });
      expect(plain.setCookie.toLowerCase()).not.toContain('secure');
    } finally {
      await behindProxy.close();
    }
  });

  it('follows the key’s role and scope, and ends on sign-out or when the key is revoked', async () => {
    const admin = client(stack, stack.adminKey);
    const associate = (await admin.post('/v1/api-keys', { name: 'Store A', role: 'associate', locationIds: ['WH-A'] })).body;
    const session = await signIn(associate.key);
    expect(session.body.role).toBe('associate');
    // The cookie answers exactly as the key does.
    const bearer = client(stack, associate.key);
    for (const path of ['/v1/locations/WH-A/fulfillments', '/v1/locations/WH-B/fulfillments', '/v1/board', '/v1/orders']) {
      expect([path, (await withCookie(session.cookie, 'GET', path)).status]).toEqual([path, (await bearer.get(path)).status]);
    }
    expect((await withCookie(session.cookie, 'GET', '/v1/locations/WH-A/fulfillments')).status).toBe(200);
    expect((await withCookie(session.cookie, 'GET', '/v1/board')).status).toBe(403);

    const second = await signIn(associate.key);
    expect((await withCookie(second.cookie, 'DELETE', '/v1/sessions/current')).status).toBe(403); // no CSRF token
    const out = await withCookie(second.cookie, 'DELETE', '/v1/sessions/current', undefined, { 'x-csrf-token': second.body.csrfToken });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/fulcrum_session=;/);
    expect((await withCookie(second.cookie, 'GET', '/v1/sessions/current')).status).toBe(401);

    expect((await admin.delete(`/v1/api-keys/${associate.id}`)).status).toBe(200);
    expect((await withCookie(session.cookie, 'GET', '/v1/locations/WH-A/fulfillments')).status).toBe(401);
    // A bearer request has no session to show.
    expect((await admin.get('/v1/sessions/current')).status).toBe(404);
  });
});

describe('the Temporal UI through a session', () => {
  it('decodes payloads for a signed-in ops session from the Temporal UI origin, with credentials', async () => {
    const ops = await signIn(await stack.key('ops'));
    const origin = 'http://127.0.0.1:8233';
    const preflight = await fetch(`${stack.url}/codec/decode`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    const decoded = await withCookie(ops.cookie, 'POST', '/codec/decode', { payloads: [] }, { origin, 'x-namespace': 'default' });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(origin);
    expect(decoded.headers.get('access-control-allow-credentials')).toBe('true');
    // A session without the ops role is refused as its key would be; other origins get no CORS grant.
    const associate = await signIn(await stack.key('associate', { locationIds: ['WH-A'] }));
    expect((await withCookie(associate.cookie, 'POST', '/codec/decode', { payloads: [] }, { origin })).status).toBe(403);
    expect((await withCookie(ops.cookie, 'POST', '/codec/decode', { payloads: [] }, { origin: 'https://evil.example' })).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the ops board', () => {
  it('counts the orders each tile lists, with levels against thresholds an admin sets', async () => {
    const ops = client(stack, await stack.key('ops'));
    const admin = client(stack, stack.adminKey);
    const exceptions = client(stack, await stack.key('exceptions'));
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    const tile = async (id: string) => (await ops.get('/v1/board')).body.tiles.find((t: { id: string }) => t.id === id);
    const before = (await tile('on_hold')).count;
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('BOARD-1', [{ sku: 'MUG', quantity: 1 }]))).body;
    await exceptions.post(`/v1/orders/${order.id}/hold`, { reason: 'fraud review' });
    const onHold = await eventually(() => tile('on_hold'), (t) => t.count === before + 1, 'the hold counted');
    expect(onHold).toMatchObject({ label: 'On hold', level: 'ok', warning: 5, critical: 20 });
    const listed = (await ops.get('/v1/orders?tile=on_hold&limit=200')).body.items;
    expect(listed.length).toBe(onHold.count);
    expect(listed.map((o: { id: string }) => o.id)).toContain(order.id);
    expect((await ops.get('/v1/board')).body.tiles.map((t: { label: string }) => t.label)).toEqual([
      'On hold', 'Backordered', 'Needs attention', 'SLA at risk', 'Ready for pickup', 'Pickups expiring today', 'Delivery exceptions', 'Webhook failures',
    ]);

    const set = await admin.put('/v1/board/thresholds', { on_hold: { warning: 1, critical: onHold.count + 1 } });
    expect(set.status).toBe(200);
    expect(await tile('on_hold')).toMatchObject({ level: 'warning', warning: 1 });
    await admin.put('/v1/board/thresholds', { on_hold: { warning: 1, critical: 1 } });
    expect((await tile('on_hold')).level).toBe('critical');
    const bad = await admin.put('/v1/board/thresholds', { on_hold: { warning: 5, critical: 2 } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body.errors)).toMatch(/on_hold.*critical/);
    expect((await ops.put('/v1/board/thresholds', { on_hold: { warning: 1, critical: 2 } })).status).toBe(403);
    expect((await tile('on_hold')).critical).toBe(1);
    await exceptions.post(`/v1/orders/${order.id}/release`, {});
  });
});
