// The authorization matrix: every endpoint of the OpenAPI document, called by every kind of
// caller — no key, a revoked key, each role, a channel and an associate bound elsewhere. A
// role the endpoint does not list gets 403, a missing or revoked key 401, and every allowed
// caller the same answer as an admin (never a 5xx). Then object-level cells: another
// channel's order and another location's fulfillment are 404, not 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

type Api = ReturnType<typeof client>;
type Role = 'channel' | 'associate' | 'ops' | 'exceptions' | 'carrier' | 'admin';

let stack: TestStack;
let callers: Record<string, { api: Api; role?: Role }>;

beforeAll(async () => {
  stack = await startTestStack();
  const admin = client(stack, stack.adminKey);
  const key = async (body: Record<string, unknown>) => (await admin.post('/v1/api-keys', { name: `matrix ${body.role}`, ...body })).body;
  const revoked = await key({ role: 'ops' });
  await admin.delete(`/v1/api-keys/${revoked.id}`);
  callers = {
    'no key': { api: client(stack) },
    'revoked key': { api: client(stack, revoked.key) },
    admin: { api: admin, role: 'admin' },
    ops: { api: client(stack, (await key({ role: 'ops' })).key), role: 'ops' },
    exceptions: { api: client(stack, (await key({ role: 'exceptions' })).key), role: 'exceptions' },
    'channel web': { api: client(stack, (await key({ role: 'channel', channel: 'web' })).key), role: 'channel' },
    'channel other': { api: client(stack, (await key({ role: 'channel', channel: 'other' })).key), role: 'channel' },
    'associate WH-A': { api: client(stack, (await key({ role: 'associate', locationIds: ['WH-A'] })).key), role: 'associate' },
    'associate WH-B': { api: client(stack, (await key({ role: 'associate', locationIds: ['WH-B'] })).key), role: 'associate' },
    carrier: { api: client(stack, (await key({ role: 'carrier' })).key), role: 'carrier' },
  };
  await seedNetwork(callers.ops!.api, { locations: { 'WH-A': locationBody(41.88, -87.64), 'WH-B': locationBody(41.9, -87.7) }, skus: ['INK'], stock: [['WH-A', 'INK', 10]] });
});
afterAll(async () => stack?.close());

function allowed(role: Role, roles: readonly string[]): boolean {
  return role === 'admin' || roles.includes(role) || (role === 'exceptions' && roles.includes('ops'));
}

const PARAM_VALUES: Record<string, string> = { deliveryId: '999999', carrier: 'NoSuchCarrier' };

async function call(api: Api, method: string, path: string) {
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => PARAM_VALUES[name] ?? 'X-NONE');
  if (method === 'get') return api.get(url);
  if (method === 'delete') return api.delete(url);
  if (method === 'put') return api.put(url, {});
  return api.post(url, {});
}

describe('the authorization matrix', () => {
  it('gives each caller the exact status its role allows, for every endpoint', async () => {
    const doc = (await client(stack).get('/openapi.json')).body as { paths: Record<string, Record<string, { 'x-roles'?: string[] }>> };
    const cells: string[] = [];
    const wrong: string[] = [];
    let operations = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, op] of Object.entries(methods)) {
        const roles = op['x-roles'] ?? [];
        operations += 1;
        const reference = await call(callers.admin!.api, method, path);
        if (reference.status >= 500 || reference.status === 401 || reference.status === 403) wrong.push(`${method} ${path} admin → ${reference.status}`);
        for (const [name, caller] of Object.entries(callers)) {
          const res = name === 'admin' ? reference : await call(caller.api, method, path);
          const expected = !caller.role ? 401 : allowed(caller.role, roles) ? reference.status : 403;
          cells.push(`${method} ${path} ${name}`);
          if (res.status !== expected) wrong.push(`${method.toUpperCase()} ${path} as ${name}: ${res.status}, expected ${expected}`);
          if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(operations).toBeGreaterThanOrEqual(60);
    expect(cells).toHaveLength(operations * Object.keys(callers).length);
    await expectInventoryConsistent(stack.db);
  });

  it('hides another channel’s order and another location’s fulfillment behind 404', async () => {
    const web = callers['channel web']!.api;
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('MATRIX-1', [{ sku: 'INK', quantity: 1 }]))).body;
    const fulfillmentId = order.fulfillments[0].id;
    await eventually(() => callers.ops!.api.get(`/v1/fulfillments/${fulfillmentId}`), (r) => r.status === 200, 'fulfillment');
    const other = callers['channel other']!.api;
    expect((await other.get(`/v1/orders/${order.id}`)).status).toBe(404);
    expect((await other.get(`/v1/orders/${order.id}/routing`)).status).toBe(404);
    expect((await other.post(`/v1/orders/${order.id}/cancel`, { reason: 'x' })).status).toBe(404);
    expect((await other.post(`/v1/orders/${order.id}/address`, { shipTo: shipOrder('x', []).fulfillment.shipTo })).status).toBe(404);
    expect((await other.post(`/v1/fulfillments/${fulfillmentId}/arrived`, {})).status).toBe(404);
    expect((await other.post('/v1/returns', { orderId: order.id, method: 'mail', lines: [{ lineId: '1', quantity: 1, reason: 'x' }] })).status).toBe(404);
    const elsewhere = callers['associate WH-B']!.api;
    expect((await elsewhere.get(`/v1/fulfillments/${fulfillmentId}`)).status).toBe(404);
    expect((await elsewhere.post(`/v1/fulfillments/${fulfillmentId}/pick`, { scans: [{ barcode: 'INK', quantity: 1 }] })).status).toBe(404);
    expect((await elsewhere.get('/v1/locations/WH-A/fulfillments')).status).toBe(404);
    expect((await elsewhere.get(`/v1/orders/${order.id}`)).status).toBe(404);
    // The right callers see them.
    expect((await web.get(`/v1/orders/${order.id}`)).status).toBe(200);
    expect((await callers['associate WH-A']!.api.get(`/v1/fulfillments/${fulfillmentId}`)).status).toBe(200);
    expect((await callers['associate WH-A']!.api.get(`/v1/orders/${order.id}`)).status).toBe(200);
  });
});
