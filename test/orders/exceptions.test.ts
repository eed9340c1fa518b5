// Exception actions on an order: hold and release, over HTTP and as workflow Updates from
// the Temporal CLI (same name, same body, same validation).
import { execFile } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { temporalCliPath } from '../../config/index.ts';
import { OnHoldKey, OrderStatusKey } from '../../workflows/search-attributes.ts';
import { orderWorkflowId } from '../../workflows/order/definitions.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let web: ReturnType<typeof client>;
let exceptions: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack();
  const ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  exceptions = client(stack, await stack.key('exceptions'));
  await seedNetwork(ops, { locations: { WH: locationBody(41.88, -87.64) }, skus: ['SKU-X'], stock: [['WH', 'SKU-X', 50]] });
});
afterAll(async () => stack?.close());
// Whatever a test did, stock, reservations and the ledger still agree.
afterEach(async () => expectInventoryConsistent(stack.db));

/** `temporal workflow update execute` on an order, run asynchronously: the worker answering it runs in this very process. */
async function updateFromCli(orderId: string, name: string, input: string): Promise<{ code: number; output: string }> {
  // Payloads are encrypted: the CLI reads results through Fulcrum's codec endpoint with an ops key.
  const opsKey = await stack.key('ops');
  return new Promise((resolve) => {
    const args = ['workflow', 'update', 'execute', '--address', stack.temporalAddress, '--workflow-id', orderWorkflowId(orderId), '--name', name, '--input', input,
      '--codec-endpoint', `${stack.url}/codec`, '--codec-auth', `Bearer ${opsKey}`];
    execFile(temporalCliPath(), args, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }));
  });
}

async function searchAttributes(orderId: string) {
  const description = await stack.api.deps.temporal.workflow.getHandle(orderWorkflowId(orderId)).describe();
  return { status: description.typedSearchAttributes.get(OrderStatusKey), onHold: description.typedSearchAttributes.get(OnHoldKey) };
}

describe('hold and release', () => {
  it('put an order on hold and release it back to where it stood, keeping the search attributes current', async () => {
    const order = await web.post('/v1/orders?wait=routed', shipOrder('EX-1', [{ sku: 'SKU-X', quantity: 1 }]));
    expect(order.body.status).toBe('routed');

    const held = await exceptions.post(`/v1/orders/${order.body.id}/hold`, { reason: 'fraud review' });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ status: 'on_hold', holds: [{ reason: 'fraud review' }] });
    expect(await searchAttributes(order.body.id)).toEqual({ status: 'on_hold', onHold: true });
    expect((await web.get(`/v1/orders/${order.body.id}`)).body.status).toBe('on_hold');
    // Nothing is picked while the order is on hold.
    const fulfillmentId = order.body.fulfillments[0].id;
    const ops = client(stack, await stack.key('ops'));
    const heldPick = await eventually(() => ops.post(`/v1/fulfillments/${fulfillmentId}/pick`, { scans: [{ barcode: 'SKU-X', quantity: 1 }] }), (r) => r.status !== 404, 'fulfillment read model');
    expect(heldPick.status).toBe(409);
    expect(heldPick.body.detail).toContain('on hold');

    const released = await exceptions.post(`/v1/orders/${order.body.id}/release`, { reason: 'cleared' });
    expect(released.body).toMatchObject({ status: 'routed', holds: [] });
    expect(await searchAttributes(order.body.id)).toEqual({ status: 'routed', onHold: false });
    expect(released.body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['order.held', 'order.released']));
  });

  it('refuse a release without a hold (409), an empty reason (422), and callers without the role (403)', async () => {
    const order = await web.post('/v1/orders?wait=routed', shipOrder('EX-2', [{ sku: 'SKU-X', quantity: 1 }]));
    expect((await exceptions.post(`/v1/orders/${order.body.id}/release`, {})).status).toBe(409);
    const empty = await exceptions.post(`/v1/orders/${order.body.id}/hold`, { reason: ' ' });
    expect(empty.status).toBe(422);
    expect(empty.body.errors[0].path).toBe('reason');
    expect((await web.post(`/v1/orders/${order.body.id}/hold`, { reason: 'x' })).status).toBe(403);
    expect((await exceptions.post('/v1/orders/ord_nope/hold', { reason: 'x' })).status).toBe(404);
    expect((await web.get(`/v1/orders/${order.body.id}`)).body.status).toBe('routed');
  });

  it('do the same from `temporal workflow update execute`, validation included', async () => {
    const order = await web.post('/v1/orders?wait=routed', shipOrder('EX-3', [{ sku: 'SKU-X', quantity: 1 }]));
    const cli = (input: string) => updateFromCli(order.body.id, 'hold', input);
    const refused = await cli('{"reason":""}');
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('reason');
    const done = await cli('{"reason":"chargeback"}');
    expect(done.code).toBe(0);
    const now = (await web.get(`/v1/orders/${order.body.id}`)).body;
    expect(now).toMatchObject({ status: 'on_hold', holds: [{ reason: 'chargeback' }] });
  });

  it('cancel from `temporal workflow update execute` too: a bad line is refused, a good request releases the stock', async () => {
    const order = await web.post('/v1/orders?wait=routed', shipOrder('EX-4', [{ sku: 'SKU-X', quantity: 2 }]));
    const cli = (input: string) => updateFromCli(order.body.id, 'cancel', input);
    const refused = await cli('{"reason":"dup","lines":[{"lineId":"7","quantity":1}]}');
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('lines[0].lineId');
    const done = await cli('{"reason":"duplicate order"}');
    expect(done.code, done.output).toBe(0);
    const now = (await eventually(() => web.get(`/v1/orders/${order.body.id}`), (r) => r.body.status === 'cancelled', 'cancelled')).body;
    expect(now.events.find((e: { type: string }) => e.type === 'order.cancel_requested').detail).toMatchObject({ reason: 'duplicate order', by: 'temporal-cli' });
    // The audit log has it too, attributed to the CLI, though it never went through the API.
    const audited = await eventually(
      () => stack.db('audit_log').where({ target: order.body.id, action: 'order.cancel_requested' }),
      (rows) => rows.length === 1,
      'audit entry',
    );
    expect(audited[0]).toMatchObject({ key_name: 'temporal-cli', method: 'UPDATE', outcome: 'ok' });
    expect(await stack.db('reservations').where({ order_id: order.body.id, state: 'held' })).toHaveLength(0);
  });
});
