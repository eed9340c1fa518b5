// The order lifecycle's long timers, on Temporal's time-skipping test server against the real
// database: pickup reminders and expiry, the store pick SLA, hold escalation and auto-cancel,
// backorders waiting for stock up to the promise date.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderPolicy } from '../../config/index.ts';
import type { Db } from '../../db/knex.ts';
import { createInventoryRepository } from '../../db/repositories/inventory.ts';
import { createNetworkRepository } from '../../db/repositories/network.ts';
import type { CreateOrderRequest, Order } from '../../domain/orders/schemas.ts';
import { fulfillmentWorkflowId, getFulfillmentQuery, pickUpdate, readyUpdate } from '../../workflows/fulfillment/definitions.ts';
import { getOrderQuery, retryRoutingSignal } from '../../workflows/order/definitions.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, pickupOrder, shipOrder, storeCaps } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { startOrderOnTestServer, startTimeSkippingStack } from '../support/time-skipping.ts';
import { recordHistories } from '../support/record-history.ts';

const TASK_QUEUE = 'order-timers';
const POLICY: OrderPolicy = {
  holdOrderValueOver: 100_000,
  holdEscalateAfterHours: 24,
  holdAutoCancelAfterHours: 72,
  backorderRecheckMinutes: 24 * 60,
  backorderPromiseDays: 4,
};

let env: TestWorkflowEnvironment;
let db: Db;
let stackClose: () => Promise<void>;
let orderCount = 0;

beforeAll(async () => {
  ({ env, db, close: stackClose } = await startTimeSkippingStack(TASK_QUEUE, { orderPolicy: POLICY }));
  const network = createNetworkRepository(db);
  await network.upsertLocation('STORE-P', locationBody(41.89, -87.63, { type: 'store', capabilities: storeCaps, fulfillmentPolicy: { pickupWindowHours: 72, pickupReminderHours: [24, 48] } }));
  await network.upsertLocation('STORE-SLOW', locationBody(41.88, -87.64, { type: 'store', capabilities: storeCaps, fulfillmentPolicy: { pickSlaMinutes: 120 } }));
  await network.upsertLocation('WH-BACKUP', locationBody(41.6, -88.1));
  for (const sku of ['MUG', 'TENT', 'RARE']) await network.upsertSku(sku, { name: sku, weightGrams: 400 });
  const inventory = createInventoryRepository(db);
  await inventory.setCount({ locationId: 'STORE-P', sku: 'MUG', onHand: 10, idempotencyKey: 'seed-1', actor: 'test' });
  await inventory.setCount({ locationId: 'STORE-SLOW', sku: 'TENT', onHand: 10, idempotencyKey: 'seed-2', actor: 'test' });
  await inventory.setCount({ locationId: 'WH-BACKUP', sku: 'TENT', onHand: 10, idempotencyKey: 'seed-3', actor: 'test' });
});

afterAll(async () => stackClose?.());

function startOrder(request: CreateOrderRequest) {
  orderCount += 1;
  return startOrderOnTestServer(env, db, TASK_QUEUE, `ord_timer${orderCount}`, request);
}

async function orderOf(handle: Awaited<ReturnType<typeof startOrder>>, until: (o: Order) => boolean, what: string): Promise<Order> {
  return eventually(() => handle.query(getOrderQuery), until, what);
}

const types = (o: { events: { type: string }[] }) => o.events.map((e) => e.type);

async function level(locationId: string, sku: string) {
  return createInventoryRepository(db).getLevel(locationId, sku);
}

describe('pickup window', () => {
  it('reminds the customer at 24 and 48 hours, then expires: stock back, payment refunded', async () => {
    const handle = await startOrder(pickupOrder('T-PICKUP', 'STORE-P', [{ sku: 'MUG', quantity: 2 }]) as CreateOrderRequest);
    const routed = await orderOf(handle, (o) => o.fulfillments.length === 1, 'routed');
    const child = env.client.workflow.getHandle(fulfillmentWorkflowId(routed.fulfillments[0]!.id));
    await eventually(() => child.query(getFulfillmentQuery).catch(() => undefined), (f) => f?.lines[0]?.sku === 'MUG' && f.pickDueAt !== undefined, 'fulfillment started');
    await child.executeUpdate(pickUpdate, { args: [{ scans: [{ barcode: 'MUG', quantity: 2 }] }] });
    await child.executeUpdate(readyUpdate, { args: [{}] });
    await orderOf(handle, (o) => (o.payment.captured ?? 0) === 2000, 'captured when ready');
    expect((await level('STORE-P', 'MUG'))).toMatchObject({ onHand: 10, reserved: 2 });

    await env.sleep('25 hours');
    expect(types(await child.query(getFulfillmentQuery)).filter((t) => t === 'fulfillment.pickup_reminder')).toHaveLength(1);
    await env.sleep('24 hours');
    expect(types(await child.query(getFulfillmentQuery)).filter((t) => t === 'fulfillment.pickup_reminder')).toHaveLength(2);
    expect((await child.query(getFulfillmentQuery)).status).toBe('ready_for_pickup');

    await env.sleep('24 hours');
    const expired = await orderOf(handle, (o) => o.status === 'cancelled', 'cancelled after expiry');
    expect(expired.fulfillments[0]!.status).toBe('expired');
    expect(expired.lines[0]).toMatchObject({ quantity: 2 });
    expect(expired.payment).toMatchObject({ captured: 2000, refunded: 2000 });
    expect(types(expired)).toEqual(expect.arrayContaining(['payment.captured', 'payment.refunded', 'order.cancelled']));
    // The units the store had set aside are sellable again.
    expect(await level('STORE-P', 'MUG')).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    const refunds = await db('payment_transactions').where({ order_id: expired.id, kind: 'refund' });
    expect(refunds.map((r) => Number(r.amount))).toEqual([2000]);
    await expectInventoryConsistent(db);
    await recordHistories({ client: env.client }, { 'order-pickup-expired': handle.workflowId, 'fulfillment-pickup-expired': child.workflowId });
  });
});

describe('store pick SLA', () => {
  it('escalates a fulfillment not started in time, then re-routes it elsewhere', async () => {
    const handle = await startOrder(shipOrder('T-SLA', [{ sku: 'TENT', quantity: 1 }]) as CreateOrderRequest);
    const routed = await orderOf(handle, (o) => o.fulfillments.length === 1, 'routed');
    expect(routed.fulfillments[0]!.locationId).toBe('STORE-SLOW');
    const child = env.client.workflow.getHandle(fulfillmentWorkflowId(routed.fulfillments[0]!.id));
    await eventually(() => child.query(getFulfillmentQuery).catch(() => undefined), (f) => f?.pickDueAt !== undefined, 'fulfillment started');

    await env.sleep('130 minutes');
    const escalated = await child.query(getFulfillmentQuery);
    expect(escalated).toMatchObject({ status: 'pending', escalated: true });
    expect(types(escalated)).toContain('fulfillment.sla_escalated');

    await env.sleep('2 hours');
    const moved = await orderOf(handle, (o) => o.fulfillments.length === 2, 're-routed');
    expect(moved.fulfillments.map((f) => [f.locationId, f.status])).toEqual([
      ['STORE-SLOW', 'cancelled'],
      ['WH-BACKUP', 'pending'],
    ]);
    expect(await level('STORE-SLOW', 'TENT')).toMatchObject({ reserved: 0 });
    expect(await level('WH-BACKUP', 'TENT')).toMatchObject({ reserved: 1 });
    await expectInventoryConsistent(db);
    await recordHistories({ client: env.client }, { 'order-sla-rerouted': handle.workflowId, 'fulfillment-sla-escalated-breached': child.workflowId });
  });
});

describe('holds', () => {
  it('escalates a hold after 24 hours and cancels the order after 72', async () => {
    const big = shipOrder('T-HOLD', [{ sku: 'TENT', quantity: 1 }]) as CreateOrderRequest;
    big.lines[0]!.unitPrice.amount = 150_000;
    big.payment.amount.amount = 150_000;
    const handle = await startOrder(big);
    await orderOf(handle, (o) => o.status === 'on_hold', 'on hold');
    await env.sleep('25 hours');
    expect(types(await handle.query(getOrderQuery))).toContain('order.hold_escalated');
    expect((await handle.query(getOrderQuery)).status).toBe('on_hold');
    await env.sleep('48 hours');
    const cancelled = await orderOf(handle, (o) => o.status === 'cancelled', 'auto-cancelled');
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.lines[0]).toMatchObject({ cancelled: 1 });
    expect(cancelled.payment).toMatchObject({ voided: 150_000 });
    expect(cancelled.events.find((e) => e.type === 'order.cancel_requested')?.detail).toMatchObject({ by: 'system' });
    expect(await db('reservations').where({ order_id: cancelled.id })).toHaveLength(0);
    await recordHistories({ client: env.client }, { 'order-hold-escalated-auto-cancelled': handle.workflowId });
  });
});

describe('backorders', () => {
  it('routes backordered lines once stock arrives, at the next re-check', async () => {
    const handle = await startOrder(shipOrder('T-BACK', [{ sku: 'RARE', quantity: 1 }]) as CreateOrderRequest);
    await orderOf(handle, (o) => o.status === 'backordered', 'backordered');
    await env.sleep('25 hours');
    expect((await handle.query(getOrderQuery)).status).toBe('backordered');
    await createInventoryRepository(db).setCount({ locationId: 'WH-BACKUP', sku: 'RARE', onHand: 1, idempotencyKey: 'rare-arrives', actor: 'test' });
    await env.sleep('24 hours');
    const routed = await orderOf(handle, (o) => o.status === 'routed', 'routed after the delivery');
    expect(routed.fulfillments[0]!.locationId).toBe('WH-BACKUP');
    await expectInventoryConsistent(db);
  });

  it('routes at once when ops ask, and cancels what is still missing at the promise date', async () => {
    const handle = await startOrder(shipOrder('T-PROMISE', [{ sku: 'RARE', quantity: 2 }, { sku: 'MUG', quantity: 50 }]) as CreateOrderRequest);
    await orderOf(handle, (o) => o.status === 'backordered', 'backordered');
    await handle.signal(retryRoutingSignal);
    await env.sleep('5 days');
    const done = await orderOf(handle, (o) => o.status === 'cancelled', 'cancelled at the promise date');
    expect(done.status).toBe('cancelled');
    expect(done.lines.map((l) => l.cancelled)).toEqual([2, 50]);
    expect(types(done)).toContain('order.backorder_expired');
    expect(done.payment).toMatchObject({ voided: done.payment.amount.amount });
    await recordHistories({ client: env.client }, { 'order-backorder-retried-expired': handle.workflowId });
  });
});
