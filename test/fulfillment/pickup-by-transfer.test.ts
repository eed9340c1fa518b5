// Pickup by transfer over HTTP: no store near the customer has the item, so the units are
// reserved at a warehouse, the warehouse picks and ships them to the pickup store, the store
// receives what arrived and hands it over. Exact stock at both ends after every step, the
// ledger's story, the search attribute while the warehouse works it; a short receipt is
// re-routed; cancellation before and after shipping unwinds.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FulfillmentLocationsKey } from '../../workflows/search-attributes.ts';
import { orderWorkflowId } from '../../workflows/order/definitions.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, pickupOrder, seedNetwork, storeCaps } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let exceptions: ReturnType<typeof client>;
let store: ReturnType<typeof client>;
let warehouse: ReturnType<typeof client>;

const STORE = 'STORE-XFER';
const WAREHOUSE = 'WH-XFER';

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  exceptions = client(stack, await stack.key('exceptions'));
  store = client(stack, await stack.key('associate', { locationIds: [STORE] }));
  warehouse = client(stack, await stack.key('associate', { locationIds: [WAREHOUSE] }));
  await seedNetwork(ops, {
    locations: {
      [STORE]: locationBody(41.89, -87.63, { type: 'store', capabilities: storeCaps }),
      [WAREHOUSE]: locationBody(41.8, -87.7),
    },
    skus: ['BOOT', 'SHORT', 'LOST', 'KEEP', 'GONE'],
    stock: [
      [WAREHOUSE, 'BOOT', 10],
      [WAREHOUSE, 'SHORT', 10],
      [WAREHOUSE, 'LOST', 10],
      [WAREHOUSE, 'KEEP', 10],
      [WAREHOUSE, 'GONE', 10],
    ],
  });
  const profile = await ops.put('/v1/routing-profiles/web-pickup', { name: 'Web pickup', appliesTo: { channels: ['web'] }, pickupTransfer: { enabled: true, maxDistanceKm: 50, leadDays: 1 } });
  expect(profile.status, profile.text).toBeLessThan(300);
});
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

async function stock(locationId: string, sku: string) {
  const res = await ops.get(`/v1/availability?sku=${sku}&locationId=${locationId}`);
  const at = res.body.items[0].locations.find((l: { locationId: string }) => l.locationId === locationId);
  return { onHand: at?.onHand ?? 0, reserved: at?.reserved ?? 0, incoming: at?.incoming ?? 0 };
}

async function ledger(locationId: string, sku: string): Promise<string[]> {
  const res = await ops.get(`/v1/inventory/${locationId}/${sku}/ledger`);
  return (res.body.items as { reason: string }[]).map((e) => e.reason).reverse();
}

async function fulfillmentLocations(orderId: string): Promise<string[]> {
  const description = await stack.api.deps.temporal.workflow.getHandle(orderWorkflowId(orderId)).describe();
  return description.typedSearchAttributes.get(FulfillmentLocationsKey) ?? [];
}

/** Places a pickup order the store cannot fill from its shelf; returns it once the fulfillment waits for the transfer. */
async function orderByTransfer(ref: string, sku: string, quantity: number) {
  const created = await web.post('/v1/orders?wait=routed', pickupOrder(ref, STORE, [{ sku, quantity }]));
  expect(created.status, created.text).toBe(201);
  const order = (await eventually(() => web.get(`/v1/orders/${created.body.id}`), (r) => r.body.fulfillments?.[0]?.status === 'awaiting_transfer', 'awaiting the transfer')).body;
  const fulfillment = order.fulfillments[0];
  return { order, fulfillment, transferId: fulfillment.transfer.id as string };
}

const waitFor = <T>(what: string, read: () => Promise<T>, until: (value: T) => boolean) => eventually(read, until, what);

describe('pickup by transfer', () => {
  it('moves the units: reserved at the warehouse, shipped, received and reserved at the store, collected there', async () => {
    const { order, fulfillment, transferId } = await orderByTransfer('PBT-1', 'BOOT', 2);
    expect(fulfillment).toMatchObject({ locationId: STORE, transferFromLocationId: WAREHOUSE, transfer: { id: transferId, fromLocationId: WAREHOUSE, status: 'reserved', overdue: false } });
    // The ready date is the local date the transfer is planned at the store.
    expect(fulfillment.estimatedDelivery).toBe(new Date(fulfillment.transfer.expectedAt).toLocaleDateString('en-CA', { timeZone: 'America/Chicago' }));
    expect(await stock(WAREHOUSE, 'BOOT')).toEqual({ onHand: 10, reserved: 2, incoming: 0 });
    expect(await stock(STORE, 'BOOT')).toEqual({ onHand: 0, reserved: 0, incoming: 0 });
    await expectInventoryConsistent(stack.db);
    expect(await fulfillmentLocations(order.id)).toEqual([STORE, WAREHOUSE]);

    // The store cannot pick units it does not have yet.
    const early = await store.post(`/v1/fulfillments/${fulfillment.id}/pick`, { scans: [{ barcode: 'BOOT', quantity: 2 }] });
    expect(early.status, early.text).toBe(409);
    // The warehouse sees it in its outbound queue, picks with scans and ships with tracking.
    const queue = (await warehouse.get(`/v1/locations/${WAREHOUSE}/transfers`)).body.items;
    expect(queue.find((t: { id: string }) => t.id === transferId)).toMatchObject({ orderId: order.id, fulfillmentId: fulfillment.id, toLocationId: STORE });
    expect((await warehouse.post(`/v1/transfers/${transferId}/pick`, { scans: [{ barcode: 'NOPE', quantity: 1 }] })).status).toBe(422);
    // No pick first: a store run takes everything the reservation holds.
    expect((await warehouse.post(`/v1/transfers/${transferId}/ship`, {})).status).toBe(200);
    expect(await stock(WAREHOUSE, 'BOOT')).toEqual({ onHand: 8, reserved: 0, incoming: 0 });
    expect(await stock(STORE, 'BOOT')).toEqual({ onHand: 0, reserved: 0, incoming: 2 });
    await expectInventoryConsistent(stack.db);
    await waitFor('source no longer in the search attribute', () => fulfillmentLocations(order.id), (l) => l.join() === STORE);
    const inTransit = (await waitFor('in transit on the order', () => web.get(`/v1/orders/${order.id}`), (r) => r.body.fulfillments[0].transfer.status === 'in_transit')).body;
    expect(inTransit.fulfillments[0].status).toBe('awaiting_transfer');

    // Only the store receives.
    expect((await warehouse.post(`/v1/transfers/${transferId}/receive`, {})).status).toBe(403);
    const received = await store.post(`/v1/transfers/${transferId}/receive`, {});
    expect(received.status, received.text).toBe(200);
    expect(received.body.lines[0]).toMatchObject({ sku: 'BOOT', shipped: 2, received: 2 });
    expect(await stock(STORE, 'BOOT')).toEqual({ onHand: 2, reserved: 2, incoming: 0 });
    await expectInventoryConsistent(stack.db);
    const pending = (await waitFor('pending at the store', () => store.get(`/v1/fulfillments/${fulfillment.id}`), (r) => r.body.status === 'pending')).body;
    expect(pending.pickDueAt).toBeDefined();
    expect(pending.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['fulfillment.awaiting_transfer', 'fulfillment.transfer_shipped', 'fulfillment.transfer_received']));

    expect((await store.post(`/v1/fulfillments/${fulfillment.id}/pick`, { scans: [{ barcode: 'BOOT', quantity: 2 }] })).status).toBe(200);
    const ready = await store.post(`/v1/fulfillments/${fulfillment.id}/ready`, {});
    expect(ready.status, ready.text).toBe(200);
    const code = (await waitFor('pickup code', () => web.get(`/v1/orders/${order.id}`), (r) => r.body.fulfillments[0].pickupCode !== undefined)).body.fulfillments[0].pickupCode;
    expect((await store.post(`/v1/fulfillments/${fulfillment.id}/collect`, { pickupCode: code })).status).toBe(200);
    await waitFor('completed', () => web.get(`/v1/orders/${order.id}`), (r) => r.body.status === 'completed');

    expect(await stock(STORE, 'BOOT')).toEqual({ onHand: 0, reserved: 0, incoming: 0 });
    await expectInventoryConsistent(stack.db);
    expect(await stock(WAREHOUSE, 'BOOT')).toEqual({ onHand: 8, reserved: 0, incoming: 0 });
    expect(await ledger(WAREHOUSE, 'BOOT')).toEqual(['cycle_count', 'reserve', 'transfer_out']);
    expect(await ledger(STORE, 'BOOT')).toEqual(['transfer_in', 'reserve', 'commit']);
    expect(await stack.db('reservations').where({ order_id: order.id, state: 'held' })).toHaveLength(0);
  });

  it('re-routes what a short receipt lacks, and writes off what the source could not find', async () => {
    const { order, fulfillment, transferId } = await orderByTransfer('PBT-SHORT', 'SHORT', 4);
    // The warehouse finds 3 of 4 (one written off there) and ships them by carrier.
    const picked = await warehouse.post(`/v1/transfers/${transferId}/pick`, { scans: [{ barcode: 'SHORT', quantity: 3 }], shortages: [{ sku: 'SHORT', quantity: 1 }] });
    expect(picked.status, picked.text).toBe(200);
    expect(picked.body.lines[0]).toMatchObject({ picked: 3, short: 1 });
    const shipped = await warehouse.post(`/v1/transfers/${transferId}/ship`, { carrier: 'ups', trackingNumber: '1ZXFER0001' });
    expect(shipped.body).toMatchObject({ status: 'in_transit', carrier: 'ups', trackingNumber: '1ZXFER0001' });
    expect(await stock(WAREHOUSE, 'SHORT')).toMatchObject({ onHand: 6 });
    // The unit the warehouse lacked goes back to routing at once; the warehouse is not asked again.
    const rerouted = (await waitFor('re-routed the unit not shipped', () => web.get(`/v1/orders/${order.id}`), (r) => r.body.events.some((e: { type: string }) => e.type === 'order.rerouted'))).body;
    expect(rerouted.fulfillments[0].lines[0].quantity).toBe(3);

    // Two of the three arrive.
    const bad = await store.post(`/v1/transfers/${transferId}/receive`, { lines: [{ sku: 'SHORT', quantity: 4 }] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('lines[0].quantity');
    const received = await store.post(`/v1/transfers/${transferId}/receive`, { lines: [{ sku: 'SHORT', quantity: 2 }] });
    expect(received.body.lines[0]).toMatchObject({ shipped: 3, received: 2 });
    expect(await stock(STORE, 'SHORT')).toEqual({ onHand: 2, reserved: 2, incoming: 0 });
    const after = (await waitFor('short receipt re-routed', () => web.get(`/v1/orders/${order.id}`), (r) => r.body.fulfillments[0].status === 'pending' && r.body.events.filter((e: { type: string }) => e.type === 'order.rerouted').length >= 2)).body;
    expect(after.fulfillments[0].lines[0].quantity).toBe(2);
    // No other location has SHORT and the warehouse proved short: the two missing units wait as backordered.
    expect(after.lines[0]).toMatchObject({ quantity: 4, allocated: 2 });
    expect(after.events.map((e: { type: string }) => e.type)).toContain('order.delayed');
    await exceptions.post(`/v1/orders/${order.id}/cancel`, { reason: 'test done' });
    await waitFor('cancelled', () => web.get(`/v1/orders/${order.id}`), (r) => r.body.status === 'cancelled');
    await waitFor('store reservation released', () => stock(STORE, 'SHORT'), (s) => s.reserved === 0);
    await waitFor('warehouse reservation released', () => stock(WAREHOUSE, 'SHORT'), (s) => s.reserved === 0);
    expect((await store.get(`/v1/fulfillments/${fulfillment.id}`)).body.status).toBe('cancelled');
  });

  it('brings what was lost in transit by a new transfer: the loss says nothing against the warehouse', async () => {
    const { order, fulfillment, transferId } = await orderByTransfer('PBT-LOST', 'LOST', 2);
    expect((await warehouse.post(`/v1/transfers/${transferId}/ship`, {})).status).toBe(200);
    expect((await store.post(`/v1/transfers/${transferId}/receive`, { lines: [{ sku: 'LOST', quantity: 1 }] })).status).toBe(200);
    const after = (await waitFor('the lost unit on a new transfer', () => web.get(`/v1/orders/${order.id}`), (r) => r.body.fulfillments.length === 2 && r.body.fulfillments[1].status === 'awaiting_transfer')).body;
    expect(after.fulfillments[0]).toMatchObject({ id: fulfillment.id, status: 'pending', lines: [{ quantity: 1 }] });
    expect(after.fulfillments[1]).toMatchObject({ locationId: STORE, transferFromLocationId: WAREHOUSE, lines: [{ quantity: 1 }] });
    expect(after.fulfillments[1].transfer.id).not.toBe(transferId);
    expect(await stock(WAREHOUSE, 'LOST')).toEqual({ onHand: 8, reserved: 1, incoming: 0 });
    expect(await stock(STORE, 'LOST')).toEqual({ onHand: 1, reserved: 1, incoming: 0 });
    await exceptions.post(`/v1/orders/${order.id}/cancel`, { reason: 'test done' });
    await waitFor('cancelled', () => web.get(`/v1/orders/${order.id}`), (r) => r.body.status === 'cancelled');
    await waitFor('every reservation released', () => Promise.all([stock(STORE, 'LOST'), stock(WAREHOUSE, 'LOST')]), ([a, b]) => a.reserved === 0 && b.reserved === 0);
  });

  it('cancelled before the transfer ships: the transfer is cancelled and the warehouse gets its units back', async () => {
    const { order, fulfillment, transferId } = await orderByTransfer('PBT-CXL', 'KEEP', 3);
    expect(await stock(WAREHOUSE, 'KEEP')).toEqual({ onHand: 10, reserved: 3, incoming: 0 });
    expect((await ops.post(`/v1/transfers/${transferId}/cancel`, { reason: 'not like this' })).status).toBe(409);
    expect((await exceptions.post(`/v1/orders/${order.id}/cancel`, { reason: 'customer changed their mind' })).status).toBe(200);
    await waitFor('transfer cancelled', () => ops.get(`/v1/transfers/${transferId}`), (r) => r.body.status === 'cancelled');
    await waitFor('order cancelled', () => web.get(`/v1/orders/${order.id}`), (r) => r.body.status === 'cancelled');
    expect((await store.get(`/v1/fulfillments/${fulfillment.id}`)).body.status).toBe('cancelled');
    expect(await stock(WAREHOUSE, 'KEEP')).toEqual({ onHand: 10, reserved: 0, incoming: 0 });
    expect(await stock(STORE, 'KEEP')).toEqual({ onHand: 0, reserved: 0, incoming: 0 });
    expect((await warehouse.post(`/v1/transfers/${transferId}/ship`, {})).status).toBe(409);
  });

  it('cancelled in transit: the units arrive as the store’s ordinary stock', async () => {
    const { order, transferId } = await orderByTransfer('PBT-TRANSIT', 'GONE', 2);
    expect((await warehouse.post(`/v1/transfers/${transferId}/ship`, {})).status).toBe(200);
    expect((await exceptions.post(`/v1/orders/${order.id}/cancel`, { reason: 'customer changed their mind' })).status).toBe(200);
    await waitFor('order cancelled', () => web.get(`/v1/orders/${order.id}`), (r) => r.body.status === 'cancelled');
    await waitFor('transfer withdrawn', () => ops.get(`/v1/transfers/${transferId}`), (r) => r.body.withdrawn === true);
    expect(await stock(STORE, 'GONE')).toEqual({ onHand: 0, reserved: 0, incoming: 2 });
    expect((await store.post(`/v1/transfers/${transferId}/receive`, {})).status).toBe(200);
    expect(await stock(STORE, 'GONE')).toEqual({ onHand: 2, reserved: 0, incoming: 0 });
    expect(await stock(WAREHOUSE, 'GONE')).toEqual({ onHand: 8, reserved: 0, incoming: 0 });
    expect(await ledger(STORE, 'GONE')).toEqual(['transfer_in']);
  });
});
