// Every id the API has shown can be acted on at once: a fulfillment named by a
// `?wait=routed` answer is picked by the very next request, and is already in its location's
// queue; a return is received, and a transfer shipped, right after they were created.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack, carrierClient } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let carrier: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  carrier = carrierClient(stack);
  await seedNetwork(ops, {
    locations: { 'WH-A': locationBody(41.88, -87.64), 'WH-B': locationBody(41.9, -87.7) },
    skus: ['TEE'],
    stock: [['WH-A', 'TEE', 500], ['WH-B', 'TEE', 50]],
  });
});
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

/** Runs `work` for 0..n-1, `concurrency` at a time. */
async function inParallel(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await work(next++);
  }));
}

describe('read your writes', () => {
  // 100 orders through routing and a pick each: on the two-worker cluster of a loaded two-core CI machine
  // this has taken more than a minute, so each many-order test names its own bound.
  it('picks each fulfillment of 100 orders the moment ?wait=routed names it: no 404, and it is already in the queue', async () => {
    const outcomes: string[] = [];
    await inParallel(100, 8, async (i) => {
      const order = await web.post('/v1/orders?wait=routed', shipOrder(`RYW-${i}`, [{ sku: 'TEE', quantity: 1 }]));
      if (order.status !== 201 || order.body.status !== 'routed') {
        outcomes.push(`order ${i}: ${order.status} ${order.body?.status}`);
        return;
      }
      const fulfillment = order.body.fulfillments[0];
      const picked = await ops.post(`/v1/fulfillments/${fulfillment.id}/pick`, { scans: [{ barcode: 'TEE', quantity: 1 }] });
      if (picked.status !== 200) outcomes.push(`pick ${i}: ${picked.status} ${picked.text.slice(0, 200)}`);
    });
    expect(outcomes).toEqual([]);

    // The queue shows a fulfillment as soon as routing answered.
    const order = await web.post('/v1/orders?wait=routed', shipOrder('RYW-QUEUE', [{ sku: 'TEE', quantity: 1 }]));
    const fulfillment = order.body.fulfillments[0];
    const queue = await ops.get(`/v1/locations/${fulfillment.locationId}/fulfillments`);
    expect(queue.body.items.map((f: { id: string }) => f.id)).toContain(fulfillment.id);
    // And the order list shows the order routed.
    const listed = await ops.get(`/v1/orders?channel=web&limit=5`);
    expect(listed.body.items.find((o: { id: string }) => o.id === order.body.id)?.status).toBe('routed');
  }, 240_000);

  it('picks a re-routed fulfillment the moment the order shows it, twenty times', async () => {
    const outcomes: string[] = [];
    await inParallel(20, 4, async (i) => {
      const order = (await web.post('/v1/orders?wait=routed', shipOrder(`RYW-RR-${i}`, [{ sku: 'TEE', quantity: 2 }]))).body;
      const first = order.fulfillments[0].id;
      await ops.post(`/v1/fulfillments/${first}/pick`, { scans: [{ barcode: 'TEE', quantity: 1 }], shortages: [{ lineId: '1', quantity: 1 }] });
      // Poll the order as a client would, and act on the new fulfillment as soon as it is shown.
      const deadline = Date.now() + 15_000;
      let second: string | undefined;
      while (!second && Date.now() < deadline) {
        second = (await ops.get(`/v1/orders/${order.id}`)).body.fulfillments[1]?.id;
      }
      if (!second) return void outcomes.push(`order ${i}: never re-routed`);
      const picked = await ops.post(`/v1/fulfillments/${second}/pick`, { scans: [{ barcode: 'TEE', quantity: 1 }] });
      if (picked.status !== 200) outcomes.push(`order ${i}: ${picked.status} ${picked.text.slice(0, 160)}`);
    });
    expect(outcomes).toEqual([]);
  }, 180_000);

  it('receives a return the moment it was opened', async () => {
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('RYW-RET', [{ sku: 'TEE', quantity: 2 }]))).body;
    const id = order.fulfillments[0].id;
    expect((await ops.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'TEE', quantity: 2 }] })).status).toBe(200);
    const packed = (await ops.post(`/v1/fulfillments/${id}/pack`, { packages: [{ weightGrams: 600, lengthCm: 30, widthCm: 20, heightCm: 5 }] })).body;
    expect((await ops.post(`/v1/fulfillments/${id}/handoff`, {})).status).toBe(200);
    await carrier.post(`/v1/carriers/${packed.carrier}/events`, { trackingNumber: packed.trackingNumber, status: 'delivered', at: new Date().toISOString() });
    for (let i = 0; i < 2; i++) {
      const opened = await web.post('/v1/returns', { orderId: order.id, method: 'in_store', locationId: 'WH-A', lines: [{ lineId: '1', quantity: 1, reason: 'too small' }] });
      // Delivery reaches the order by a signal: the first return may come a moment too early.
      if (opened.status === 422 && i === 0) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        i -= 1;
        continue;
      }
      expect(opened.status).toBe(201);
      const received = await ops.post(`/v1/returns/${opened.body.id}/receive`, { locationId: 'WH-A', lines: [{ lineId: '1', quantity: 1, condition: 'sellable' }] });
      expect(received.status, received.text).toBe(200);
      expect(received.body.lines[0].received).toBe(1);
    }
  });

  it('ships a transfer the moment it was created, twenty times', async () => {
    for (let i = 0; i < 20; i++) {
      const created = await ops.post('/v1/transfers', { fromLocationId: 'WH-A', toLocationId: 'WH-B', lines: [{ sku: 'TEE', quantity: 1 }], expectedAt: new Date(Date.now() + 86_400_000).toISOString() });
      expect(created.status).toBe(201);
      const shipped = await ops.post(`/v1/transfers/${created.body.id}/ship`);
      expect(shipped.status, shipped.text).toBe(200);
      expect((await ops.get(`/v1/transfers/${created.body.id}`)).body.status).toBe('in_transit');
    }
  });
});
