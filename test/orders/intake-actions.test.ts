// Exception actions sent before the order's workflow ran at all: with no worker yet, the
// order is started and a hold and a partial cancel are sent; they reach the workflow with its
// first task, wait for intake, then act on the routed order. (Handlers registered in the
// workflow's first lines get such early actions at once, before its body runs.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { recordHistories } from '../support/record-history.ts';
import { client, startStackWorker, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  await seedNetwork(client(stack, await stack.key('ops')), { locations: { 'WH-1': locationBody(41.88, -87.64) }, skus: ['BOOT'], stock: [['WH-1', 'BOOT', 10]] });
});
afterAll(async () => stack?.close());

describe('intake', () => {
  it('applies a hold and a cancel that came before the first workflow task to the routed order', async () => {
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    const exceptions = client(stack, await stack.key('exceptions'));
    const ops = client(stack, await stack.key('ops'));
    const created = await web.post('/v1/orders', shipOrder('EARLY-1', [{ sku: 'BOOT', quantity: 3 }]));
    expect(created.status).toBe(201);
    const orderId: string = created.body.id;
    // No worker runs yet: both Updates wait on the server for the workflow's first task.
    const held = exceptions.post(`/v1/orders/${orderId}/hold`, { reason: 'fraud review' });
    const cancelled = exceptions.post(`/v1/orders/${orderId}/cancel`, { reason: 'customer wants two', lines: [{ lineId: '1', quantity: 1 }] });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const worker = await startStackWorker(stack);
    try {
      expect((await held).status).toBe(200);
      expect((await cancelled).status).toBe(200);
      const order = await eventually(() => ops.get(`/v1/orders/${orderId}`), (r) => r.body.fulfillments?.length === 1 && r.body.status === 'on_hold', 'routed, then held').then((r) => r.body);
      expect(order.events.map((e: { type: string }) => e.type).slice(0, 2)).toEqual(['order.received', 'order.routed']);
      expect(order.lines[0]).toMatchObject({ quantity: 3, cancelled: 1 });
      const fulfillmentId: string = order.fulfillments[0].id;
      const f = await eventually(() => ops.get(`/v1/fulfillments/${fulfillmentId}`), (r) => r.status === 200 && r.body.onHold === true && r.body.lines[0].quantity === 2, 'fulfillment held with two units').then((r) => r.body);
      expect(f.status).toBe('pending');
      await recordHistories(stack, { 'order-actions-before-first-task': `order-${orderId}`, 'fulfillment-held-before-first-task': `fulfillment-${fulfillmentId}` });
      await expectInventoryConsistent(stack.db);
    } finally {
      await worker.stop();
    }
  });
});
