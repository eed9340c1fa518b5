// Hardening over HTTP: the audit log attributes every mutating call (and cannot be edited),
// per-key rate limits answer 429 with Retry-After, security headers and request ids are on
// every response, and keys record when they were last used.
import { RateLimiter } from '../../api/rate-limit.ts';
import { Client, Connection } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fulfillmentWorkflowId } from '../../workflows/fulfillment/definitions.ts';
import { orderWorkflowId } from '../../workflows/order/definitions.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let admin: ReturnType<typeof client>;
let ops: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack();
  admin = client(stack, stack.adminKey);
  ops = client(stack, await stack.key('ops'));
  await seedNetwork(ops, { locations: { WH: locationBody(41.88, -87.64) }, skus: ['PEN'], stock: [['WH', 'PEN', 50]] });
});
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

describe('the audit log', () => {
  it('attributes every action of an order’s life, refused ones included', async () => {
    const webKey = (await admin.post('/v1/api-keys', { name: 'Audit web shop', role: 'channel', channel: 'web' })).body.key;
    const exceptionsKey = (await admin.post('/v1/api-keys', { name: 'Audit exceptions', role: 'exceptions' })).body.key;
    const web = client(stack, webKey);
    const exceptions = client(stack, exceptionsKey);
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('AUD-1', [{ sku: 'PEN', quantity: 1 }]))).body;
    await exceptions.post(`/v1/orders/${order.id}/hold`, { reason: 'review' });
    await exceptions.post(`/v1/orders/${order.id}/release`, {});
    expect((await web.post(`/v1/orders/${order.id}/hold`, { reason: 'not allowed' })).status).toBe(403);
    await web.post(`/v1/orders/${order.id}/cancel`, { reason: 'changed mind' });
    expect((await client(stack, 'fk_nonsense').post(`/v1/orders/${order.id}/cancel`, { reason: 'x' })).status).toBe(401);

    // The calls as they reached the API …
    const entries = (await eventually(() => admin.get(`/v1/audit?target=${order.id}&limit=50`), (r) => r.body.items.some((e: { action: string }) => e.action === 'order.cancel_requested'), 'audit')).body.items.reverse();
    const log = entries.filter((e: { method: string }) => e.method !== 'UPDATE');
    // … and the exception actions as the order workflow applied them.
    expect(entries.filter((e: { method: string }) => e.method === 'UPDATE').map((e: { action: string; keyName: string }) => [e.action, e.keyName])).toEqual([
      ['order.held', 'exceptions:Audit exceptions'],
      ['order.released', 'exceptions:Audit exceptions'],
      ['order.cancel_requested', 'channel:Audit web shop'],
    ]);
    expect(log.map((e: { action: string; keyName: string | null; outcome: string; status: number }) => [e.action, e.keyName, e.outcome, e.status])).toEqual([
      ['createOrder', 'Audit web shop', 'ok', 201],
      ['holdOrder', 'Audit exceptions', 'ok', 200],
      ['releaseOrder', 'Audit exceptions', 'ok', 200],
      ['holdOrder', 'Audit web shop', 'refused', 403],
      ['cancelOrder', 'Audit web shop', 'ok', 200],
      ['cancelOrder', null, 'refused', 401],
    ]);
    expect(log[1]).toMatchObject({ role: 'exceptions', method: 'POST', path: `/v1/orders/${order.id}/hold`, requestId: expect.any(String) });
    // Reads are not audited; filters work; only admins read it.
    expect((await admin.get('/v1/audit?action=holdOrder&outcome=refused')).body.items.every((e: { outcome: string }) => e.outcome === 'refused')).toBe(true);
    expect((await ops.get('/v1/audit')).status).toBe(403);
    expect((await admin.get('/v1/audit?from=yesterday')).status).toBe(422);
  });

  it('cannot be changed or deleted, even from SQL', async () => {
    await ops.put('/v1/skus/AUDIT-SKU', { name: 'x', weightGrams: 1 });
    await expect(stack.db('audit_log').update({ outcome: 'ok' })).rejects.toThrow(/append-only/);
    await expect(stack.db('audit_log').delete()).rejects.toThrow(/append-only/);
  });
});

describe('limits and headers', () => {
  it('answers 429 with Retry-After once a key exceeds its rate', async () => {
    const limited = client(stack, (await admin.post('/v1/api-keys', { name: 'Slow client', role: 'ops', rateLimitPerMinute: 5 })).body.key);
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof limited.get>> | undefined;
    for (let i = 0; i < 7; i++) {
      last = await limited.get('/v1/locations');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(last!.body).toMatchObject({ status: 429, type: 'urn:fulcrum:problem:too-many-requests' });
    // Other keys are not affected.
    expect((await ops.get('/v1/locations')).status).toBe(200);
  });

  it('slows a client that floods unknown keys with 429s, without looking each key up', async () => {
    const limiter = stack.api.deps.authFailureLimiter;
    const authenticate = stack.api.deps.apiKeys.authenticate;
    let lookups = 0;
    stack.api.deps.authFailureLimiter = new RateLimiter(5);
    stack.api.deps.apiKeys.authenticate = (key: string) => {
      lookups += 1;
      return authenticate(key);
    };
    try {
      // A client's burst with its good key is not slowed: concurrent requests share a lookup, and a good key gives its token back.
      const burst = await Promise.all(Array.from({ length: 20 }, () => ops.get('/v1/locations')));
      expect(burst.map((r) => r.status)).toEqual(Array(20).fill(200));
      lookups = 0;
      // Concurrent guesses: each takes a token before its lookup starts, so only 5 are looked up.
      const guesses = await Promise.all(Array.from({ length: 40 }, (_, i) => client(stack, `fk_guess_${i}`).get('/v1/locations')));
      const statuses = guesses.map((r) => r.status);
      expect(statuses.filter((s) => s === 401).length).toBe(5);
      expect(statuses.filter((s) => s === 429).length).toBe(35);
      expect(lookups).toBe(5);
      const refused = guesses.find((r) => r.status === 429)!;
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.body).toMatchObject({ status: 429, type: 'urn:fulcrum:problem:too-many-requests' });
    } finally {
      stack.api.deps.authFailureLimiter = limiter;
      stack.api.deps.apiKeys.authenticate = authenticate;
    }
  });

  it('sends security headers and echoes the request id', async () => {
    const res = await ops.get('/v1/locations', { 'x-request-id': 'trace-abc-123' });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const problem = await client(stack).get('/v1/locations', { 'x-request-id': 'trace-def' });
    expect(problem.body.requestId).toBe('trace-def');
  });

  it('records when a key was last used', async () => {
    const created = (await admin.post('/v1/api-keys', { name: 'Used once', role: 'ops' })).body;
    expect(created.lastUsedAt).toBeUndefined();
    await client(stack, created.key).get('/v1/locations');
    const listed = await eventually(() => admin.get('/v1/api-keys'), (r) => r.body.items.some((k: { id: string; lastUsedAt?: string }) => k.id === created.id && k.lastUsedAt), 'last used');
    expect(listed.status).toBe(200);
  });
});

function textOf(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('\n');
  if (value && typeof value === 'object') return Object.values(value).map(textOf).join('\n');
  return String(value);
}

describe('customer data in Temporal', () => {
  it('is encrypted in the raw history, while the API and the codec endpoint show it to authorised callers', async () => {
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    const body = shipOrder('PII-1', [{ sku: 'PEN', quantity: 1 }]);
    body.customer = { id: 'c-pii', name: 'Zebulon Quintessence', email: 'zebulon.q@example.org', phone: '+15550199' };
    body.fulfillment.shipTo!.line1 = '742 Evergreen Terrace';
    const order = (await web.post('/v1/orders?wait=routed', body)).body;
    expect(order.customer.name).toBe('Zebulon Quintessence');

    // Read the history the way the Temporal server and its UI hold it: no codec.
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const raw = new Client({ connection });
      const histories = [orderWorkflowId(order.id), fulfillmentWorkflowId(order.fulfillments[0].id)];
      await eventually(() => raw.workflow.getHandle(histories[1]!).describe().then(() => true).catch(() => false), (ok) => ok, 'fulfillment started');
      for (const workflowId of histories) {
        // Every string and every byte field of every event, bytes read as text.
        const text = textOf(await raw.workflow.getHandle(workflowId).fetchHistory());
        for (const secret of ['Zebulon', 'zebulon.q@example.org', 'Evergreen', '+15550199']) expect(text).not.toContain(secret);
        expect(text).toContain('binary/encrypted');
        expect(text).toContain(order.id);
      }

      // The API shows it to the order's channel; the codec endpoint decrypts for ops only.
      expect((await web.get(`/v1/orders/${order.id}`)).body.customer.email).toBe('zebulon.q@example.org');
      const started = (await raw.workflow.getHandle(orderWorkflowId(order.id)).fetchHistory()).events![0]!;
      const payload = started.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
      const json = {
        payloads: [
          {
            metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
            data: Buffer.from(payload.data!).toString('base64'),
          },
        ],
      };
      const opened = await ops.post('/codec/decode', json);
      expect(opened.status).toBe(200);
      expect(Buffer.from(opened.body.payloads[0].data, 'base64').toString()).toContain('Zebulon Quintessence');
      expect((await web.post('/codec/decode', json)).status).toBe(403);
      expect((await client(stack).post('/codec/decode', json)).status).toBe(401);
      // The Temporal UI's origin may call it from the browser.
      const preflight = await fetch(`${stack.url}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'http://localhost:8233', 'access-control-request-method': 'POST' } });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
      const stranger = await fetch(`${stack.url}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
      expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await connection.close();
    }
  });
});
