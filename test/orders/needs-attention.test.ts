// A failure retrying cannot mend does not wedge an order: the step fails at once, the order
// keeps its state and goes on, and ops find it (search attribute NeedsAttention, needsAttention
// on the order, GET /v1/orders?needsAttention=true, the order.needs_attention event). The
// database refusing the data is real: a CHECK constraint added for the test.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NeedsAttentionKey } from '../../workflows/search-attributes.ts';
import { orderWorkflowId } from '../../workflows/order/definitions.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { recordHistories } from '../support/record-history.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let exceptions: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  exceptions = client(stack, await stack.key('exceptions'));
  await seedNetwork(ops, { locations: { WH: locationBody(41.88, -87.64) }, skus: ['MUG'], stock: [['WH', 'MUG', 20]] });
});
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

async function refusing<T>(table: string, check: string, work: () => Promise<T>): Promise<T> {
  await stack.db.raw(`ALTER TABLE ${table} ADD CONSTRAINT test_refuses CHECK (${check}) NOT VALID`);
  try {
    return await work();
  } finally {
    await stack.db.raw(`ALTER TABLE ${table} DROP CONSTRAINT test_refuses`);
  }
}

describe('a step that retrying cannot mend', () => {
  it('flags the order for ops instead of retrying forever, and the order goes on', async () => {
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('NA-1', [{ sku: 'MUG', quantity: 1 }]))).body;
    expect(order.status).toBe('routed');

    const held = await refusing('orders', "status <> 'on_hold'", async () => {
      const started = Date.now();
      const res = await exceptions.post(`/v1/orders/${order.id}/hold`, { reason: 'fraud review' });
      return { res, ms: Date.now() - started };
    });
    // Answered at once (it used to be a 503 after 30 s, and the order wedged for good).
    expect(held.res.status).toBe(200);
    expect(held.ms).toBeLessThan(5000);

    const now = (await ops.get(`/v1/orders/${order.id}`)).body;
    expect(now.status).toBe('on_hold');
    expect(now.needsAttention).toMatchObject({ activity: 'saveOrderSnapshot', reason: expect.stringContaining('constraint') });
    expect(now.events.map((e: { type: string }) => e.type)).toContain('order.needs_attention');
    const described = await stack.api.deps.temporal.workflow.getHandle(orderWorkflowId(order.id)).describe();
    expect(described.typedSearchAttributes.get(NeedsAttentionKey)).toBe(true);
    const listed = (await ops.get('/v1/orders?needsAttention=true')).body.items.map((o: { id: string }) => o.id);
    expect(listed).toEqual([order.id]);
    const events = (await ops.get(`/v1/events?orderId=${order.id}&type=order.needs_attention`)).body.items;
    expect(events).toHaveLength(1);

    // The order goes on: released within a second, and the read model catches up.
    const started = Date.now();
    expect((await exceptions.post(`/v1/orders/${order.id}/release`, {})).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    const after = await eventually(() => ops.get('/v1/orders?needsAttention=true'), (r) => r.body.items[0]?.status === 'routed', 'read model after release');
    expect(after.body.items[0].needsAttention.activity).toBe('saveOrderSnapshot');
    // The events of the failed snapshot were written with the next one.
    const types = (await ops.get(`/v1/events?orderId=${order.id}`)).body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['order.held', 'order.released', 'order.needs_attention']));
    await recordHistories(stack, { 'order-needs-attention-snapshot-refused': `order-${order.id}` });
  });

  it('answers ?wait=routed with the decision and the flag when the routed order cannot be written', async () => {
    const answered = await refusing('orders', "status <> 'routed'", async () => {
      const started = Date.now();
      const res = await web.post('/v1/orders?wait=routed', shipOrder('NA-WAIT', [{ sku: 'MUG', quantity: 1 }]));
      return { res, ms: Date.now() - started };
    });
    expect(answered.res.status).toBe(201);
    expect(answered.res.body.status).toBe('routed');
    expect(answered.res.body.fulfillments).toHaveLength(1);
    expect(answered.res.body.needsAttention).toMatchObject({ activity: 'saveOrderSnapshot' });
    // Not after the API's 10 s wait ran out.
    expect(answered.ms).toBeLessThan(5000);
    await recordHistories(stack, { 'order-routed-snapshot-refused': `order-${answered.res.body.id}` });
  });

  it('flags the order when its fulfillment cannot write its read model, and picking goes on', async () => {
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('NA-2', [{ sku: 'MUG', quantity: 2 }]))).body;
    const id = order.fulfillments[0].id;
    const picked = await refusing('fulfillments', "status <> 'picking'", () => ops.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'MUG', quantity: 1 }] }));
    expect(picked.status).toBe(200);
    expect(picked.body.events.map((e: { type: string }) => e.type)).toContain('fulfillment.needs_attention');
    const flagged = await eventually(() => ops.get(`/v1/orders/${order.id}`), (r) => r.body.needsAttention !== undefined, 'order flagged');
    expect(flagged.body.needsAttention.activity).toBe('saveFulfillmentSnapshot');
    expect((await ops.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'MUG', quantity: 1 }] })).status).toBe(200);
    const queue = await eventually(() => ops.get(`/v1/fulfillments/${id}`), (r) => r.body.lines[0].picked === 2, 'second pick');
    expect(queue.body.status).toBe('picking');
    expect((await ops.get('/v1/orders?needsAttention=true')).body.items.map((o: { id: string }) => o.id)).toContain(order.id);
    await recordHistories(stack, { 'order-needs-attention-from-fulfillment': `order-${order.id}`, 'fulfillment-needs-attention-snapshot-refused': `fulfillment-${id}` });
  });
});
