// API keys and roles over real HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../services/canonical-json.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let admin: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  admin = client(stack, stack.adminKey);
});
afterAll(async () => stack?.close());
// Whatever a test did, stock, reservations and the ledger still agree.
afterEach(async () => expectInventoryConsistent(stack.db));

describe('authentication', () => {
  it('answers a request without a key with 401 and a Bearer challenge', async () => {
    const res = await client(stack).get('/v1/locations');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(res.body).toMatchObject({ status: 401, type: 'urn:fulcrum:problem:unauthorized' });
  });

  it('answers an unknown key with 401', async () => {
    expect((await client(stack, 'fk_not_a_key').get('/v1/locations')).status).toBe(401);
  });

  it('leaves health, readiness and the API description open', async () => {
    const anonymous = client(stack);
    expect((await anonymous.get('/health')).body).toEqual({ status: 'ok' });
    const ready = await anonymous.get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ postgres: 'ok', temporal: 'ok' });
    expect((await anonymous.get('/openapi.json')).status).toBe(200);
    const docs = await anonymous.get('/docs');
    expect(docs.text).toContain('/docs/assets/scalar.js');
    expect(docs.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect((await anonymous.get('/docs/assets/scalar.js')).status).toBe(200);
    expect((await anonymous.get('/metrics')).text).toContain('fulcrum_http_requests_total');
  });
});

describe('roles', () => {
  it('answers a known key without the role with 403', async () => {
    const carrier = client(stack, await stack.key('carrier'));
    const channel = client(stack, await stack.key('channel', { channel: 'web' }));
    const res = await carrier.put('/v1/locations/WH-1', {});
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('carrier');
    expect((await channel.get('/v1/api-keys')).status).toBe(403);
    expect((await client(stack, await stack.key('ops')).post('/v1/api-keys', { name: 'x', role: 'ops' })).status).toBe(403);
  });

  it('checks the role before the body, so a forbidden caller learns nothing from validation', async () => {
    const associate = client(stack, await stack.key('associate', { locationIds: ['STORE-1'] }));
    expect((await associate.put('/v1/skus/SKU-1', { nonsense: true })).status).toBe(403);
  });

  it('gives the exceptions role every ops right', async () => {
    const exceptions = client(stack, await stack.key('exceptions'));
    const res = await exceptions.put('/v1/skus/SKU-X', { name: 'X', weightGrams: 10 });
    expect(res.status).toBe(201);
  });
});

describe('API keys', () => {
  it('creates a key shown once, lists it without the key, and revokes it at once', async () => {
    const created = await admin.post('/v1/api-keys', { name: 'Web shop', role: 'channel', channel: 'web' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Web shop', role: 'channel', channel: 'web' });
    expect(created.body.id).toMatch(/^key_/);
    expect(created.body.key).toMatch(/^fk_/);

    const listed = await admin.get('/v1/api-keys');
    const entry = listed.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(entry).toBeDefined();
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    const stored = await stack.db('api_keys').where({ id: created.body.id }).first();
    expect(stored.key_hash).not.toContain(created.body.key);

    const web = client(stack, created.body.key);
    expect((await web.get('/v1/locations')).status).toBe(200);
    const revoked = await admin.delete(`/v1/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBeDefined();
    expect((await web.get('/v1/locations')).status).toBe(401);
  });

  it('requires a channel for channel keys and locations for associate keys', async () => {
    const res = await admin.post('/v1/api-keys', { name: 'x', role: 'channel' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: 'channel', message: 'is required for role "channel"' }]);
    const associate = await admin.post('/v1/api-keys', { name: 'x', role: 'associate', locationIds: [] });
    expect(associate.status).toBe(422);
    expect(associate.body.errors[0].path).toBe('locationIds');
    const role = await admin.post('/v1/api-keys', { name: '', role: 'king' });
    expect(role.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'role']);
  });

  it('answers revoking an unknown key with 404', async () => {
    expect((await admin.delete('/v1/api-keys/key_nope')).status).toBe(404);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, and refuses the key with another body', async () => {
    const headers = { 'Idempotency-Key': 'create-ops-key-1' };
    const first = await admin.post('/v1/api-keys', { name: 'Ops laptop', role: 'ops' }, headers);
    const again = await admin.post('/v1/api-keys', { name: 'Ops laptop', role: 'ops' }, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    // The key itself is shown once: the replay is its metadata, saying what it left out.
    const { key, ...metadata } = first.body;
    expect(key).toMatch(/^fk_/);
    expect(again.body).toEqual({ ...metadata, secretsOmitted: ['key'] });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const keys = await stack.db('api_keys').where({ name: 'Ops laptop' });
    expect(keys).toHaveLength(1);

    const other = await admin.post('/v1/api-keys', { name: 'Other', role: 'ops' }, headers);
    expect(other.status).toBe(422);
    expect(other.body.errors[0].path).toBe('headers.Idempotency-Key');
  });

  it('replays a refusal as a full problem document that names the retried request', async () => {
    const headers = { 'Idempotency-Key': 'refused-once' };
    const first = await admin.post('/v1/api-keys', { name: 'x', role: 'emperor' }, headers);
    const again = await admin.post('/v1/api-keys', { name: 'x', role: 'emperor' }, headers);
    expect(first.status).toBe(422);
    expect(again.status).toBe(422);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.body).toMatchObject({ type: first.body.type, title: first.body.title, status: 422, errors: first.body.errors, instance: '/v1/api-keys' });
    expect(again.body.requestId).toEqual(expect.any(String));
    expect(again.body.requestId).not.toBe(first.body.requestId);
  });

  it('stores a refusal that quotes unstorable text (NUL, a lone surrogate) and replays it, never a 500', async () => {
    const headers = { 'Idempotency-Key': 'refused-with-nul' };
    const body = JSON.stringify({ name: 'x', role: 'ops', 'bad\u0000key': 1, ['\ud800lone']: 2 });
    const first = await admin.post('/v1/api-keys', body, headers);
    const again = await admin.post('/v1/api-keys', body, headers);
    expect(first.status).toBe(422);
    expect(again.status).toBe(422);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.errors.map((e: { path: string }) => e.path)).toEqual(first.body.errors.map((e: { path: string }) => e.path.replace('\u0000', '\uFFFD').replace('\ud800', '\uFFFD')));
  });

  it('refuses a key longer than 255 characters', async () => {
    const res = await admin.post('/v1/api-keys', { name: 'x', role: 'ops' }, { 'Idempotency-Key': 'k'.repeat(256) });
    expect(res.status).toBe(422);
  });

  it('answers 409 while the first request holds the key, and lets a retry take over a key whose first request crashed', async () => {
    const body = JSON.stringify({ name: 'crash survivor', role: 'ops' });
    // What a request that crashed mid-flight leaves: the key claimed, no answer stored.
    const claim = (key: string, ageSeconds: number) =>
      stack.db.raw(
        `INSERT INTO idempotency_requests (api_key_id, idempotency_key, method, path, request_hash, created_at) VALUES ('key_admin', ?, 'POST', '/v1/api-keys', ?, now() - make_interval(secs => ?))`,
        [key, sha256Hex(`POST /v1/api-keys\n${body}`), ageSeconds],
      );
    await claim('in-flight', 1);
    const busy = await admin.post('/v1/api-keys', body, { 'Idempotency-Key': 'in-flight' });
    expect(busy.status).toBe(409);
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);

    await claim('crashed', 3600);
    const retried = await admin.post('/v1/api-keys', body, { 'Idempotency-Key': 'crashed' });
    expect(retried.status).toBe(201);
    expect(retried.body.name).toBe('crash survivor');
    // The answer is stored now: the next repeat replays it.
    const again = await admin.post('/v1/api-keys', body, { 'Idempotency-Key': 'crashed' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(retried.body.id);
  });
});
