// Intake's recovery and its queue: an order registered but never started (its API process
// died before starting it) is started by the intake sweep from the stored request; `?wait=routed`
// requests beyond the process's limit queue first come, first served, and one that waited out
// its whole routing wait in the queue still has its order started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateOrderRequest } from '../../domain/orders/schemas.ts';
import { startUnstartedOrders } from '../../services/orders/intake.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await seedNetwork(client(stack, await stack.key('ops')), { locations: { 'WH-1': locationBody(41.88, -87.64) }, skus: ['BOOT'], stock: [['WH-1', 'BOOT', 100]] });
});
afterAll(async () => stack?.close());

const sweepNow = () => startUnstartedOrders(stack.api.deps, { olderThanSeconds: 0, retrySeconds: 600 });

describe('intake sweep', () => {
  it('starts an order that was registered but never started, once, and leaves started orders alone', async () => {
    const ops = client(stack, await stack.key('ops'));
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    // A started order is not the sweep's business.
    const started = await web.post('/v1/orders?wait=routed', shipOrder('SWEEP-STARTED', [{ sku: 'BOOT', quantity: 1 }]));
    expect(started.body.status).toBe('routed');
    // The crash: registered with its request, then the process died before starting it.
    const request = CreateOrderRequest.parse(shipOrder('SWEEP-LOST', [{ sku: 'BOOT', quantity: 2 }]));
    const registered = await stack.api.deps.orders.register({
      id: 'ord_sweeplost', channel: 'web', channelOrderId: 'SWEEP-LOST', requestHash: 'h', customerId: request.customer.id, createdAt: new Date().toISOString(), request,
    });
    if (!('order' in registered)) throw new Error('the lost order was not registered');
    const row = registered.order;
    // Neither a workflow nor a snapshot: the order is not there to read yet.
    expect((await ops.get(`/v1/orders/${row.id}`)).status).toBe(404);
    expect(await sweepNow()).toBe(1);
    const routed = await eventually(() => ops.get(`/v1/orders/${row.id}`), (r) => r.body.status === 'routed' && r.body.fulfillments?.length === 1, 'the lost order routed');
    expect(routed.body.lines[0]).toMatchObject({ sku: 'BOOT', quantity: 2 });
    // Once it showed itself, nothing is claimed again (nor was the order that started normally).
    expect(await sweepNow()).toBe(0);
    await expectInventoryConsistent(stack.db);
  });

  it('queues routing waits past the limit in arrival order and answers each once routed', async () => {
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    const gate = stack.api.deps.routingWaits;
    // Every place taken: the next requests queue.
    const held = await Promise.all(Array.from({ length: gate.limit }, () => gate.acquire(1000)));
    const answers = [1, 2, 3].map((n) => web.post('/v1/orders?wait=routed', shipOrder(`QUEUED-${n}`, [{ sku: 'BOOT', quantity: 1 }])));
    await eventually(async () => gate.load, (load) => load.queued === 3, 'three routing waits queued');
    for (const release of held) release!();
    const results = await Promise.all(answers);
    expect(results.map((r) => [r.status, r.body.status])).toEqual([[201, 'routed'], [201, 'routed'], [201, 'routed']]);
    expect(gate.load).toEqual({ active: 0, queued: 0 });
  });

  it('starts an order whose request waited out its routing wait in the queue', async () => {
    const ops = client(stack, await stack.key('ops'));
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    const gate = stack.api.deps.routingWaits;
    const held = await Promise.all(Array.from({ length: gate.limit }, () => gate.acquire(1000)));
    try {
      const answer = await web.post('/v1/orders?wait=routed', shipOrder('QUEUED-TOO-LONG', [{ sku: 'BOOT', quantity: 1 }]));
      // The wait ran out while queued: the order is answered as received, and it goes on.
      expect(answer.status).toBe(201);
      expect(answer.body.status).toBe('received');
      await eventually(() => ops.get(`/v1/orders/${answer.body.id}`), (r) => r.body.status === 'routed', 'routed after the wait');
    } finally {
      for (const release of held) release!();
    }
  }, 30_000);
});
