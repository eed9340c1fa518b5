// Pickup by transfer on Temporal's time-skipping test server: a transfer that misses its
// planned arrival escalates and the customer hears `order.delayed`; the pickup window counts
// from `ready`, not from the order; the source picks with scans; an order cancelled in transit
// leaves the units to the store. Each run is recorded for the replay test.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/knex.ts';
import { createInventoryRepository } from '../../db/repositories/inventory.ts';
import { createNetworkRepository } from '../../db/repositories/network.ts';
import { createRoutingRepository } from '../../db/repositories/routing.ts';
import type { CreateOrderRequest, Order } from '../../domain/orders/schemas.ts';
import { RoutingProfileInput } from '../../domain/sourcing/profile.ts';
import { collectUpdate, fulfillmentWorkflowId, getFulfillmentQuery, pickUpdate, readyUpdate } from '../../workflows/fulfillment/definitions.ts';
import { cancelUpdate, getOrderQuery } from '../../workflows/order/definitions.ts';
import { getTransferQuery, orderTransferId, pickTransferUpdate, receiveTransferUpdate, shipTransferUpdate, transferWorkflowId } from '../../workflows/transfer/definitions.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, pickupOrder, storeCaps } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { recordHistories } from '../support/record-history.ts';
import { startOrderOnTestServer, startTimeSkippingStack } from '../support/time-skipping.ts';

const TASK_QUEUE = 'pickup-transfer-timers';
const HOUR = 3600_000;

let env: TestWorkflowEnvironment;
let db: Db;
let stackClose: () => Promise<void>;
let orderCount = 0;

beforeAll(async () => {
  ({ env, db, close: stackClose } = await startTimeSkippingStack(TASK_QUEUE));
  const network = createNetworkRepository(db);
  await network.upsertLocation('STORE-T', locationBody(41.89, -87.63, { type: 'store', capabilities: storeCaps, fulfillmentPolicy: { pickupWindowHours: 48, pickupReminderHours: [24] } }));
  await network.upsertLocation('WH-T', locationBody(41.8, -87.7));
  for (const sku of ['CHAIR', 'DESK']) await network.upsertSku(sku, { name: sku, weightGrams: 400, gtin: sku === 'CHAIR' ? '4006381333931' : undefined });
  const inventory = createInventoryRepository(db);
  await inventory.setCount({ locationId: 'WH-T', sku: 'CHAIR', onHand: 10, idempotencyKey: 'seed-1', actor: 'test' });
  await inventory.setCount({ locationId: 'WH-T', sku: 'DESK', onHand: 10, idempotencyKey: 'seed-2', actor: 'test' });
  await createRoutingRepository(db).putProfile('pickup', RoutingProfileInput.parse({ name: 'Pickup', pickupTransfer: { enabled: true, maxDistanceKm: 50, leadDays: 1 } }), 'test');
});

afterAll(async () => stackClose?.());

function startOrder(request: CreateOrderRequest) {
  orderCount += 1;
  return startOrderOnTestServer(env, db, TASK_QUEUE, `ord_xfer${orderCount}`, request);
}

const types = (o: { events: { type: string }[] }) => o.events.map((e) => e.type);
const level = (locationId: string, sku: string) => createInventoryRepository(db).getLevel(locationId, sku);

/** An order whose pickup fulfillment is waiting for its transfer, with the handles of all three workflows. */
async function awaitingTransfer(ref: string, sku: string, quantity: number) {
  const order = await startOrder(pickupOrder(ref, 'STORE-T', [{ sku, quantity }]) as CreateOrderRequest);
  const routed = await eventually(() => order.query(getOrderQuery), (o: Order) => o.fulfillments.length === 1, 'routed');
  const fulfillmentId = routed.fulfillments[0]!.id;
  const fulfillment = env.client.workflow.getHandle(fulfillmentWorkflowId(fulfillmentId));
  await eventually(() => fulfillment.query(getFulfillmentQuery).catch(() => undefined), (f) => f?.status === 'awaiting_transfer', 'awaiting the transfer');
  const transfer = env.client.workflow.getHandle(transferWorkflowId(orderTransferId(fulfillmentId)));
  await eventually(() => transfer.query(getTransferQuery).catch(() => undefined), (t) => t?.status === 'reserved', 'transfer reserved');
  return { order, fulfillment, transfer };
}

describe('pickup by transfer over days', () => {
  it('escalates a late transfer and tells the customer; the pickup window starts when the order is ready', async () => {
    const { order, fulfillment, transfer } = await awaitingTransfer('T-XFER-LATE', 'CHAIR', 2);
    const planned = await transfer.query(getTransferQuery);
    const expectedAt = Date.parse(planned.expectedAt);
    expect(expectedAt - (await env.currentTimeMs())).toBeGreaterThanOrEqual(23 * HOUR);

    // The source picks by GTIN and ships by carrier, but the truck is late.
    const picked = await transfer.executeUpdate(pickTransferUpdate, { args: [{ scans: [{ barcode: '4006381333931', quantity: 2 }] }, { by: 'associate:wh' }] });
    expect(picked.lines[0]).toMatchObject({ gtin: '4006381333931', picked: 2 });
    await transfer.executeUpdate(shipTransferUpdate, { args: [{ carrier: 'fedex', trackingNumber: 'FX-LATE-1' }, { by: 'associate:wh' }] });
    await env.sleep(expectedAt - (await env.currentTimeMs()) + HOUR);
    expect(await transfer.query(getTransferQuery)).toMatchObject({ overdue: true, status: 'in_transit' });
    const delayed = await eventually(() => order.query(getOrderQuery), (o: Order) => types(o).includes('order.delayed'), 'order.delayed');
    expect(delayed.events.find((e) => e.type === 'order.delayed')!.detail).toMatchObject({ transferId: planned.id });
    expect(types(await fulfillment.query(getFulfillmentQuery))).toContain('fulfillment.transfer_overdue');

    await transfer.executeUpdate(receiveTransferUpdate, { args: [{}, { by: 'associate:store' }] });
    await eventually(() => fulfillment.query(getFulfillmentQuery), (f) => f.status === 'pending', 'pending at the store');
    expect(await level('STORE-T', 'CHAIR')).toMatchObject({ onHand: 2, reserved: 2 });
    await env.sleep('3 hours');
    await fulfillment.executeUpdate(pickUpdate, { args: [{ scans: [{ barcode: 'CHAIR', quantity: 2 }] }] });
    const ready = await fulfillment.executeUpdate(readyUpdate, { args: [{}] });
    const readyAt = await env.currentTimeMs();
    // 48 hours from ready, two days after the order was placed.
    expect(Math.abs(Date.parse(ready.pickupExpiresAt!) - (readyAt + 48 * HOUR))).toBeLessThan(2 * 60_000);
    const code = (await eventually(() => order.query(getOrderQuery), (o: Order) => o.fulfillments[0]?.pickupCode !== undefined, 'pickup code')).fulfillments[0]!.pickupCode!;
    await fulfillment.executeUpdate(collectUpdate, { args: [{ pickupCode: code }] });
    await eventually(() => order.query(getOrderQuery), (o: Order) => o.status === 'completed', 'completed');
    expect(await level('STORE-T', 'CHAIR')).toMatchObject({ onHand: 0, reserved: 0 });
    expect(await level('WH-T', 'CHAIR')).toMatchObject({ onHand: 8, reserved: 0 });
    await expectInventoryConsistent(db);
    await recordHistories(
      { client: env.client },
      { 'order-pickup-by-transfer-late': order.workflowId, 'fulfillment-pickup-by-transfer-late': fulfillment.workflowId, 'transfer-for-pickup-late-received': transfer.workflowId },
    );
  });

  it('cancelled before shipping, and cancelled in transit: the transfer is cancelled, or its units are the store’s', async () => {
    const before = await awaitingTransfer('T-XFER-CXL', 'DESK', 1);
    await before.order.executeUpdate(cancelUpdate, { args: [{ reason: 'changed mind' }] });
    await eventually(() => before.transfer.query(getTransferQuery), (t) => t.status === 'cancelled', 'transfer cancelled');
    await eventually(() => before.order.query(getOrderQuery), (o: Order) => o.status === 'cancelled', 'order cancelled');
    expect(await level('WH-T', 'DESK')).toMatchObject({ onHand: 10, reserved: 0 });

    const transit = await awaitingTransfer('T-XFER-TRANSIT', 'DESK', 2);
    await transit.transfer.executeUpdate(pickTransferUpdate, { args: [{ scans: [{ barcode: 'DESK', quantity: 1 }], shortages: [{ sku: 'DESK', quantity: 1 }] }] });
    await transit.transfer.executeUpdate(shipTransferUpdate, { args: [{}] });
    await transit.order.executeUpdate(cancelUpdate, { args: [{ reason: 'changed mind' }] });
    await eventually(() => transit.transfer.query(getTransferQuery), (t) => t.withdrawn === true, 'withdrawn');
    await eventually(() => transit.order.query(getOrderQuery), (o: Order) => o.status === 'cancelled', 'order cancelled');
    await transit.transfer.executeUpdate(receiveTransferUpdate, { args: [{}] });
    expect(await level('STORE-T', 'DESK')).toMatchObject({ onHand: 1, reserved: 0 });
    // One shipped, one written off at the source.
    expect(await level('WH-T', 'DESK')).toMatchObject({ onHand: 8, reserved: 0 });
    await expectInventoryConsistent(db);
    await recordHistories(
      { client: env.client },
      {
        'order-pickup-by-transfer-cancelled': before.order.workflowId,
        'fulfillment-pickup-by-transfer-cancelled': before.fulfillment.workflowId,
        'transfer-for-pickup-cancelled': before.transfer.workflowId,
        'order-pickup-by-transfer-cancelled-in-transit': transit.order.workflowId,
        'fulfillment-pickup-by-transfer-cancelled-in-transit': transit.fulfillment.workflowId,
        'transfer-for-pickup-withdrawn-in-transit': transit.transfer.workflowId,
      },
    );
  });
});
