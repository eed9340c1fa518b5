// Buy online, pick up in store, and curbside, over HTTP: pick → ready (customer gets a code,
// payment captured) → collect with the code. Curbside arrivals jump the store's queue.
// Hold rules: high-value orders and flagged customers wait for review.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { locationBody, pickupOrder, seedNetwork, shipOrder, storeCaps } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let app: ReturnType<typeof client>;
let exceptions: ReturnType<typeof client>;
let store: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  app = client(stack, await stack.key('channel', { channel: 'app' }));
  exceptions = client(stack, await stack.key('exceptions'));
  store = client(stack, await stack.key('associate', { locationIds: ['STORE-1'] }));
  await seedNetwork(ops, {
    locations: { 'STORE-1': locationBody(41.89, -87.63, { type: 'store', capabilities: storeCaps }) },
    skus: ['MUG', 'LAMP'],
    stock: [
      ['STORE-1', 'MUG', 30],
      ['STORE-1', 'LAMP', 30],
    ],
  });
});
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

async function pendingFulfillment(orderId: string): Promise<string> {
  const order = (await eventually(() => web.get(`/v1/orders/${orderId}`), (r) => r.body?.fulfillments?.length > 0, 'routed')).body;
  const id = order.fulfillments[0].id;
  await eventually(() => ops.get(`/v1/fulfillments/${id}`), (r) => r.status === 200, 'fulfillment read model');
  return id;
}

describe('pickup in store', () => {
  it('goes ready with a code the customer collects with; a wrong code is 422', async () => {
    const order = (await web.post('/v1/orders?wait=routed', pickupOrder('PU-1', 'STORE-1', [{ sku: 'MUG', quantity: 2 }]))).body;
    expect(order.status).toBe('routed');
    const id = await pendingFulfillment(order.id);
    expect((await store.post(`/v1/fulfillments/${id}/ready`, {})).status).toBe(409);
    expect((await store.post(`/v1/fulfillments/${id}/pack`, { packages: [{ weightGrams: 500, lengthCm: 10, widthCm: 10, heightCm: 10 }] })).status).toBe(409);
    expect((await store.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'MUG', quantity: 2 }] })).status).toBe(200);
    const ready = await store.post(`/v1/fulfillments/${id}/ready`, {});
    expect(ready.status, ready.text).toBe(200);
    expect(ready.body.status).toBe('ready_for_pickup');
    expect(ready.body.pickupExpiresAt).toBeDefined();
    // The associate's view has no pickup code; the channel's order has it (to send to the customer).
    expect(JSON.stringify(ready.body)).not.toContain('pickupCode');
    const readyOrder = (await eventually(() => web.get(`/v1/orders/${order.id}`), (r) => r.body.status === 'ready_for_pickup' && r.body.payment.captured > 0, 'ready and captured')).body;
    const code = readyOrder.fulfillments[0].pickupCode;
    expect(code).toMatch(/^\d{6}$/);
    expect(readyOrder.payment.captured).toBe(order.payment.amount.amount);
    const events = (await ops.get(`/v1/events?orderId=${order.id}&type=fulfillment.ready_for_pickup`)).body.items;
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ pickupCode: code, fulfillmentId: id });

    const wrong = await store.post(`/v1/fulfillments/${id}/collect`, { pickupCode: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].path).toBe('pickupCode');
    const collected = await store.post(`/v1/fulfillments/${id}/collect`, { pickupCode: code });
    expect(collected.body.status).toBe('picked_up');
    const done = (await eventually(() => web.get(`/v1/orders/${order.id}`), (r) => r.body.status === 'completed', 'completed')).body;
    expect(done.lines[0]).toMatchObject({ shipped: 2 });
    expect(await stack.db('reservations').where({ order_id: order.id, state: 'held' })).toHaveLength(0);
  });

  it('refunds what was captured when a ready pickup is cancelled, and puts the units back', async () => {
    const order = (await web.post('/v1/orders?wait=routed', pickupOrder('PU-CXL', 'STORE-1', [{ sku: 'MUG', quantity: 1 }]))).body;
    const id = await pendingFulfillment(order.id);
    await store.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'MUG', quantity: 1 }] });
    await store.post(`/v1/fulfillments/${id}/ready`, {});
    await eventually(() => web.get(`/v1/orders/${order.id}`), (r) => r.body.payment.captured > 0, 'captured');
    expect((await web.post(`/v1/orders/${order.id}/cancel`, { reason: 'customer cannot come' })).status).toBe(200);
    const done = (await eventually(() => web.get(`/v1/orders/${order.id}`), (r) => r.body.status === 'cancelled', 'cancelled')).body;
    expect(done.payment).toMatchObject({ captured: 1000, refunded: 1000 });
    expect(await stack.db('reservations').where({ order_id: order.id, state: 'held' })).toHaveLength(0);
  });
});

describe('curbside', () => {
  it('puts an arrived customer at the top of the store queue', async () => {
    const first = (await web.post('/v1/orders?wait=routed', pickupOrder('CS-1', 'STORE-1', [{ sku: 'LAMP', quantity: 1 }], 'curbside'))).body;
    const second = (await app.post('/v1/orders?wait=routed', { ...pickupOrder('CS-2', 'STORE-1', [{ sku: 'LAMP', quantity: 1 }], 'curbside'), channel: 'app' })).body;
    const firstId = await pendingFulfillment(first.id);
    const secondId = (await eventually(() => app.get(`/v1/orders/${second.id}`), (r) => r.body?.fulfillments?.length > 0, 'routed')).body.fulfillments[0].id;
    await eventually(() => ops.get(`/v1/fulfillments/${secondId}`), (r) => r.status === 200, 'fulfillment read model');
    const before = (await store.get('/v1/locations/STORE-1/fulfillments')).body.items.map((f: { id: string }) => f.id);
    expect(before.indexOf(firstId)).toBeLessThan(before.indexOf(secondId));

    // Another channel's key cannot announce an arrival for this order.
    expect((await web.post(`/v1/fulfillments/${secondId}/arrived`, {})).status).toBe(404);
    const arrived = await app.post(`/v1/fulfillments/${secondId}/arrived`, { spot: 'Bay 3' });
    expect(arrived.status, arrived.text).toBe(200);
    expect(arrived.body).toMatchObject({ spot: 'Bay 3', customerArrivedAt: expect.any(String) });
    const after = await eventually(
      () => store.get('/v1/locations/STORE-1/fulfillments'),
      (r) => r.body.items[0]?.id === secondId,
      'arrived customer first in the queue',
    );
    expect(after.body.items[0].spot).toBe('Bay 3');
    expect((await web.post(`/v1/fulfillments/${firstId}/arrived`, { spot: '' })).status).toBe(422);
  });
});

describe('hold rules', () => {
  it('puts an order over the value threshold on hold before routing, and routes it once released', async () => {
    const big = shipOrder('HOLD-BIG', [{ sku: 'MUG', quantity: 1 }]);
    big.lines[0]!.unitPrice.amount = 300_000;
    big.payment.amount.amount = 300_000;
    const order = (await web.post('/v1/orders?wait=routed', big)).body;
    expect(order.status).toBe('on_hold');
    expect(order.holds[0].reason).toContain('over the review threshold');
    expect(order.fulfillments).toEqual([]);
    expect(await stack.db('reservations').where({ order_id: order.id })).toHaveLength(0);
    const released = await exceptions.post(`/v1/orders/${order.id}/release`, { reason: 'verified with the customer' });
    expect(released.status).toBe(200);
    await eventually(() => web.get(`/v1/orders/${order.id}`), (r) => r.body.status === 'routed', 'routed after release');
  });

  it("holds a flagged customer's new orders", async () => {
    expect((await exceptions.put('/v1/customers/c-flagged/flag', { reason: 'chargebacks' })).status).toBe(200);
    const body = { ...shipOrder('HOLD-FLAG', [{ sku: 'MUG', quantity: 1 }]), customer: { id: 'c-flagged', name: 'Eve' } };
    const order = (await web.post('/v1/orders?wait=routed', body)).body;
    expect(order.status).toBe('on_hold');
    expect(order.holds[0].reason).toContain('flagged: chargebacks');
    expect((await exceptions.delete('/v1/customers/c-flagged/flag')).status).toBe(204);
    expect((await exceptions.delete('/v1/customers/c-flagged/flag')).status).toBe(404);
  });
});
