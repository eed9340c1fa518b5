// Text is valid or refused, everywhere: NUL and the other C0 controls in any string field of
// any endpoint (body, path, query) are a 422 naming that field, and the same bodies sent
// straight to the workflows as Updates (as the Temporal CLI would) are refused too — so no
// such character ever reaches a workflow's state, Postgres or a label.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../api/app.ts';
import { fulfillmentWorkflowId, pickUpdate } from '../../workflows/fulfillment/definitions.ts';
import { cancelUpdate, holdUpdate, orderWorkflowId, rerouteUpdate, addressUpdate, fulfillmentMethodUpdate } from '../../workflows/order/definitions.ts';
import { exampleBodies, examplePathParam, exampleQueries, stringFields } from '../support/examples.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { stringLeaves } from '../support/zod-walk.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let admin: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack();
  admin = client(stack, stack.adminKey);
  await seedNetwork(admin, { locations: { 'WH-1': locationBody(41.88, -87.64) }, skus: ['SKU-1'], stock: [['WH-1', 'SKU-1', 20]] });
});
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

const CONTROLS = ['\u0000', '\u0001', '\u0008', '\u000b', '\u001b', '\u001f'];

function fillPath(path: string, override?: [name: string, value: string]): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(override && override[0] === name ? override[1] : examplePathParam(path, name)));
}

function inject(value: string, control: string): string {
  const middle = Math.max(1, Math.floor(value.length / 2));
  return value.slice(0, middle) + control + value.slice(middle);
}

async function send(method: string, path: string, body?: unknown) {
  if (method === 'get') return admin.get(path);
  if (method === 'delete') return admin.delete(path);
  if (method === 'put') return admin.put(path, body ?? {});
  return admin.post(path, body);
}

describe('control characters in requests', () => {
  it('have a valid example body for every endpoint whose body has text', () => {
    const missing = routes.filter((r) => r.body && stringLeaves(r.body, 'body').length > 0 && !exampleBodies[`${r.method.toUpperCase()} ${r.path}`]);
    expect(missing.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('are a 422 naming the field, in every string of every example body', async () => {
    const wrong: string[] = [];
    for (const [endpoint, body] of Object.entries(exampleBodies)) {
      const [method, path] = endpoint.split(' ') as [string, string];
      for (const [i, field] of stringFields(body).entries()) {
        const control = CONTROLS[i % CONTROLS.length]!;
        const res = await send(method.toLowerCase(), fillPath(path), field.set(body, inject(field.path === '' ? '' : String(getAt(body, field.path)), control)));
        const named = (res.body?.errors ?? []).some((e: { path: string }) => e.path === field.path);
        if (res.status !== 422 || !named) wrong.push(`${endpoint} ${field.path}: ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('are a 422 naming the parameter, in every path parameter of every endpoint', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      for (const name of [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)) {
        if (name === 'deliveryId') continue; // an integer: refused as a number, not as text
        const res = await send(route.method, fillPath(route.path, [name, inject(examplePathParam(route.path, name), '\u0000')]), exampleBodies[`${route.method.toUpperCase()} ${route.path}`]);
        const named = (res.body?.errors ?? []).some((e: { path: string }) => e.path === `path.${name}`);
        if (res.status !== 422 || !named) wrong.push(`${route.method} ${route.path} ${name}: ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('are a 422 naming the parameter, in every text query parameter', async () => {
    const wrong: string[] = [];
    for (const [endpoint, query] of Object.entries(exampleQueries)) {
      const [, path] = endpoint.split(' ') as [string, string];
      for (const name of Object.keys(query)) {
        const params = new URLSearchParams({ ...query, [name]: inject(query[name]!, '\u0007') });
        const res = await admin.get(`${path}?${params}`);
        const named = (res.body?.errors ?? []).some((e: { path: string }) => e.path === `query.${name}` || e.path.startsWith(`query.${name}[`));
        if (res.status !== 422 || !named) wrong.push(`${endpoint} ${name}: ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('control characters sent straight to a workflow', () => {
  it('are refused by the order and fulfillment Updates, and the order still answers at once afterwards', async () => {
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    const order = await web.post('/v1/orders?wait=routed', shipOrder('CTRL-1', [{ sku: 'SKU-1', quantity: 1 }]));
    expect(order.body.status).toBe('routed');
    const temporal = stack.api.deps.temporal;
    const handle = temporal.workflow.getHandle(orderWorkflowId(order.body.id));
    const refusals: [string, () => Promise<unknown>][] = [
      ['hold reason', () => handle.executeUpdate(holdUpdate, { args: [{ reason: 'a\u0000b' }] })],
      ['cancel reason', () => handle.executeUpdate(cancelUpdate, { args: [{ reason: 'dup\u001b' }] })],
      ['reroute fulfillmentId', () => handle.executeUpdate(rerouteUpdate, { args: [{ fulfillmentId: `${order.body.fulfillments[0].id}\u0000`, reason: 'x' }] })],
      ['address city', () => handle.executeUpdate(addressUpdate, { args: [{ shipTo: { line1: '1 Main St', city: 'Chi\u0000cago', region: 'IL', postalCode: '60606', country: 'US' } }] })],
      ['method reason', () => handle.executeUpdate(fulfillmentMethodUpdate, { args: [{ method: 'pickup', pickupLocationId: 'WH-1', reason: 'on my way\u0007' }] })],
      ['pick barcode', () => temporal.workflow.getHandle(fulfillmentWorkflowId(order.body.fulfillments[0].id)).executeUpdate(pickUpdate, { args: [{ scans: [{ barcode: 'SKU\u00001', quantity: 1 }] }] })],
    ];
    for (const [what, call] of refusals) {
      const error = await call().then(() => undefined, (err: unknown) => err);
      expect(error, what).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (error as WorkflowUpdateFailedError).cause as { type?: string; message: string };
      expect(cause.type, what).toBe('ValidationError');
      expect(cause.message, what).toMatch(/control characters/);
    }
    // An actor name from the CLI is not a schema field: it is kept printable instead.
    const held = await handle.executeUpdate(holdUpdate, { args: [{ reason: 'fraud review' }, { by: 'ops\u0000bot' }] });
    expect(held.events.at(-1)).toMatchObject({ type: 'order.held', detail: { by: 'ops\uFFFDbot' } });
    const exceptions = client(stack, await stack.key('exceptions'));
    const started = Date.now();
    const released = await exceptions.post(`/v1/orders/${order.body.id}/release`, {});
    expect(released.status).toBe(200);
    // Liveness, not speed: a workflow task poisoned by the refused input would be retried for
    // many seconds before the release got through.
    expect(Date.now() - started).toBeLessThan(5000);
    // The read model kept up: the order's list entry shows the release.
    const listed = await admin.get(`/v1/orders?channel=web`);
    expect(listed.body.items.find((o: { id: string }) => o.id === order.body.id)?.status).toBe('routed');
  });
});

function getAt(root: unknown, path: string): unknown {
  let cursor = root as Record<string | number, unknown>;
  for (const part of path.match(/[^.[\]]+/g) ?? []) cursor = cursor[/^\d+$/.test(part) ? Number(part) : part] as Record<string | number, unknown>;
  return cursor;
}
