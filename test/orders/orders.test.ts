// Orders over real HTTP, through the real order workflow on the Temporal dev server,
// against real Postgres.
import type { Client } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { customerSearchValue } from '../../services/orders/customer-search.ts';
import { ChannelKey, CustomerIdKey, FulfillmentLocationsKey, OnHoldKey, OrderStatusKey } from '../../workflows/search-attributes.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { eventually } from '../support/eventually.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let web: ReturnType<typeof client>;
let ops: ReturnType<typeof client>;
let temporal: Client;

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  // The API's own client: payloads are encrypted, and it holds the codec.
  temporal = stack.api.deps.temporal;
  await seedNetwork(ops, {
    locations: {
      'WH-NEAR': locationBody(41.88, -87.64),
      'WH-FAR': locationBody(41.52, -88.08),
    },
    skus: ['SKU-A', 'SKU-B', 'SKU-RARE'],
    stock: [
      ['WH-NEAR', 'SKU-A', 10],
      ['WH-FAR', 'SKU-A', 50],
      ['WH-FAR', 'SKU-B', 5],
      ['WH-NEAR', 'SKU-RARE', 1],
    ],
  });
});

afterAll(async () => {
  await stack?.close();
});
// Whatever a test did, stock, reservations and the ledger still agree.
afterEach(async () => expectInventoryConsistent(stack.db));

async function availableAt(locationId: string, sku: string) {
  const res = await ops.get(`/v1/availability?sku=${sku}&locationId=${locationId}`);
  return res.body.items[0].locations[0];
}

async function orderCount() {
  const rows = await stack.db('orders').count<{ count: number }[]>('* as count');
  return Number(rows[0]?.count);
}

describe('POST /v1/orders', () => {
  it('routes a ship order to the nearest location holding all of it and reserves the stock', async () => {
    const res = await web.post('/v1/orders?wait=routed', shipOrder('W-1', [{ sku: 'SKU-A', quantity: 3 }]));
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^ord_/);
    expect(res.body.status).toBe('routed');
    expect(res.body.fulfillments).toHaveLength(1);
    expect(res.body.fulfillments[0]).toMatchObject({ locationId: 'WH-NEAR', status: 'pending', lines: [{ lineId: '1', quantity: 3 }] });
    expect(res.body.fulfillments[0].id).toMatch(/^ful_/);
    expect(res.body.lines[0]).toMatchObject({ lineId: '1', quantity: 3, allocated: 3 });
    expect(await availableAt('WH-NEAR', 'SKU-A')).toMatchObject({ onHand: 10, reserved: 3, available: 7 });

    const ledger = await ops.get('/v1/inventory/WH-NEAR/SKU-A/ledger');
    expect(ledger.body.items[0]).toMatchObject({ reason: 'reserve', reservedDelta: 3, reservedAfter: 3, reference: `${res.body.id}/1` });
  });

  it('returns the same order with 200 when the same body is posted again, and reserves nothing more', async () => {
    const body = shipOrder('W-2', [{ sku: 'SKU-A', quantity: 1 }]);
    const first = await web.post('/v1/orders?wait=routed', body);
    const before = await availableAt('WH-NEAR', 'SKU-A');
    const again = await web.post('/v1/orders', body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.status).toBe('routed');
    expect(await availableAt('WH-NEAR', 'SKU-A')).toEqual(before);
  });

  it('refuses a different body under the same channelOrderId with 409', async () => {
    await web.post('/v1/orders', shipOrder('W-3', [{ sku: 'SKU-A', quantity: 1 }]));
    const res = await web.post('/v1/orders', shipOrder('W-3', [{ sku: 'SKU-A', quantity: 2 }]));
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.detail).toContain('W-3');
  });

  it('answers a malformed order with 422 naming each bad field, and writes nothing', async () => {
    const before = await orderCount();
    const bad = shipOrder('W-BAD', [{ sku: 'SKU-A', quantity: 1 }]) as any;
    bad.lines[0].quantity = -2;
    bad.customer.email = 'nope';
    bad.payment.amount.amount = 'lots';
    delete bad.fulfillment.shipTo;
    const res = await web.post('/v1/orders', bad);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 422, title: 'Validation failed' });
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'customer.email',
      'fulfillment.shipTo',
      'lines[0].quantity',
      'payment.amount.amount',
    ]);
    // No registration means no workflow either: the workflow id is derived from the registered order.
    expect(await orderCount()).toBe(before);
  });

  it('names an unknown SKU as a bad field', async () => {
    const res = await web.post('/v1/orders', shipOrder('W-UNKNOWN', [{ sku: 'SKU-A', quantity: 1 }, { sku: 'SKU-NOPE', quantity: 1 }]));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: 'lines[1].sku', message: 'unknown SKU SKU-NOPE' }]);
  });

  it('answers a body that is not JSON with a 400 problem', async () => {
    const res = await web.post('/v1/orders', '{"channel": ');
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('urn:fulcrum:problem:bad-request');
  });

  it('backorders an order no single location can fill, reserving nothing', async () => {
    const res = await web.post('/v1/orders?wait=routed', shipOrder('W-4', [{ sku: 'SKU-B', quantity: 6 }]));
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('backordered');
    expect(res.body.fulfillments).toEqual([]);
    expect(await availableAt('WH-FAR', 'SKU-B')).toMatchObject({ reserved: 0, available: 5 });
  });

  it('keeps the search attributes ops filter on current', async () => {
    const res = await web.post('/v1/orders?wait=routed', shipOrder('W-5', [{ sku: 'SKU-B', quantity: 2 }]));
    const description = await temporal.workflow.getHandle(`order-${res.body.id}`).describe();
    const attrs = description.typedSearchAttributes;
    expect(attrs.get(OrderStatusKey)).toBe('routed');
    expect(attrs.get(ChannelKey)).toBe('web');
    // Not the customer's id in clear: a keyed hash of channel and id, which the API translates for ops.
    expect(attrs.get(CustomerIdKey)).toBe(customerSearchValue('web', 'c-1'));
    expect(attrs.get(CustomerIdKey)).not.toContain('c-1');
    const search = (await ops.get('/v1/customers/c-1/temporal-search?channel=web')).body;
    expect(search).toEqual({ searchAttribute: 'CustomerId', value: attrs.get(CustomerIdKey), query: `CustomerId = '${attrs.get(CustomerIdKey)}'` });
    expect(attrs.get(OnHoldKey)).toBe(false);
    expect(attrs.get(FulfillmentLocationsKey)).toEqual(['WH-FAR']);
  });

  it('never reserves more than is available when orders race for the last units', async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => shipOrder(`W-RACE-${i}`, [{ sku: 'SKU-RARE', quantity: 1 }]));
    const results = await Promise.all(bodies.map((b) => web.post('/v1/orders?wait=routed', b)));
    const statuses = results.map((r) => r.body.status);
    expect(statuses.filter((s) => s === 'routed')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'backordered')).toHaveLength(11);
    expect(await availableAt('WH-NEAR', 'SKU-RARE')).toMatchObject({ onHand: 1, reserved: 1, available: 0 });
  });
});

describe('GET /v1/orders/{id}', () => {
  it('answers from the workflow, for the owning channel and for ops', async () => {
    const created = await web.post('/v1/orders?wait=routed', shipOrder('W-6', [{ sku: 'SKU-A', quantity: 1 }]));
    const mine = await web.get(`/v1/orders/${created.body.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id: created.body.id, status: 'routed', channelOrderId: 'W-6' });
    expect((await ops.get(`/v1/orders/${created.body.id}`)).status).toBe(200);
  });

  it("hides another channel's order behind a 404", async () => {
    const created = await web.post('/v1/orders', shipOrder('W-7', [{ sku: 'SKU-A', quantity: 1 }]));
    const marketplace = client(stack, await stack.key('channel', { channel: 'marketplace' }));
    const res = await marketplace.get(`/v1/orders/${created.body.id}`);
    expect(res.status).toBe(404);
    expect((await web.get('/v1/orders/ord_doesnotexist')).status).toBe(404);
  });

  it("refuses a channel key creating another channel's order with 403", async () => {
    const res = await web.post('/v1/orders', shipOrder('M-1', [{ sku: 'SKU-A', quantity: 1 }], 'marketplace'));
    expect(res.status).toBe(403);
  });
});

describe('order lists', () => {
  it('page through the read model, filtered, and show a channel only its own orders', async () => {
    const app = client(stack, await stack.key('channel', { channel: 'app' }));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await web.post('/v1/orders?wait=routed', shipOrder(`LIST-${i}`, [{ sku: 'SKU-A', quantity: 1 }]))).body.id);
    const appOrder = (await app.post('/v1/orders?wait=routed', shipOrder('LIST-APP', [{ sku: 'SKU-A', quantity: 1 }], 'app'))).body;
    // The read model is written by the workflow's activity: wait until it has them all.
    await eventually(
      () => ops.get('/v1/orders?channel=web&status=routed&limit=200'),
      (r) => r.body.items.filter((o: { id: string }) => ids.includes(o.id)).length === 3,
      'read model',
    );
    const first = await ops.get('/v1/orders?channel=web&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await ops.get(`/v1/orders?channel=web&limit=2&cursor=${first.body.nextCursor}`);
    const seen = [...first.body.items, ...second.body.items].map((o: { id: string }) => o.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 3).sort()).toEqual([...ids].sort());

    const mine = await app.get('/v1/orders?channel=web&limit=200');
    expect(mine.body.items.every((o: { channel: string }) => o.channel === 'app')).toBe(true);
    expect(mine.body.items.map((o: { id: string }) => o.id)).toContain(appOrder.id);
    expect((await ops.get('/v1/orders?cursor=garbage')).status).toBe(422);
    expect((await ops.get('/v1/orders?status=lost')).status).toBe(422);
  });
});
