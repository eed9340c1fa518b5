// Every signal and Update path of the order and fulfillment workflows, walked over HTTP with
// the outcomes a user sees: hold, partial cancel and address change while a fulfillment is
// pending; reroute while pending; hold and cancel while picking; hold and cancel once packed
// (label voided); curbside arrival, ready and collect; short pick and rejection. With
// FULCRUM_RECORD_HISTORIES set it saves the histories for the replay check.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { locationBody, pickupOrder, seedNetwork, shipOrder, storeCaps } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { recordHistories } from '../support/record-history.ts';
import { client, startTestStack, type TestStack, carrierClient } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let exceptions: ReturnType<typeof client>;
let carrier: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  exceptions = client(stack, await stack.key('exceptions'));
  carrier = carrierClient(stack);
  await seedNetwork(ops, {
    locations: {
      'WH-NEAR': locationBody(41.88, -87.64),
      'WH-FAR': locationBody(42.3, -88.2),
      'STORE-P': locationBody(41.89, -87.63, { type: 'store', capabilities: storeCaps }),
    },
    skus: ['BOOT'],
    stock: [['WH-NEAR', 'BOOT', 40], ['WH-FAR', 'BOOT', 40], ['STORE-P', 'BOOT', 20]],
  });
});
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

const parcel = { packages: [{ weightGrams: 900, lengthCm: 30, widthCm: 20, heightCm: 10 }] };

async function routed(body: unknown) {
  const order = (await web.post('/v1/orders?wait=routed', body)).body;
  expect(order.status).toBe('routed');
  const id: string = order.fulfillments[0].id;
  await eventually(() => ops.get(`/v1/fulfillments/${id}`), (r) => r.status === 200, 'fulfillment');
  return { orderId: order.id as string, fulfillmentId: id };
}

const orderNow = async (orderId: string) => (await ops.get(`/v1/orders/${orderId}`)).body;
const fulfillmentWhen = (id: string, until: (f: any) => boolean, what: string) => eventually(() => ops.get(`/v1/fulfillments/${id}`), (r) => r.status === 200 && until(r.body), what).then((r) => r.body);
const orderWhen = (id: string, until: (o: any) => boolean, what: string) => eventually(() => ops.get(`/v1/orders/${id}`), (r) => until(r.body), what).then((r) => r.body);

describe('workflow paths', () => {
  it('applies a hold and a partial cancel sent while the order is still being taken in, once it is routed', async () => {
    const created = (await web.post('/v1/orders', shipOrder('PATH-INTAKE', [{ sku: 'BOOT', quantity: 3 }]))).body;
    const orderId: string = created.id;
    // Sent at once, without waiting for routing: they wait for intake, then act on the routed order.
    const [held, cancelled] = await Promise.all([
      exceptions.post(`/v1/orders/${orderId}/hold`, { reason: 'fraud review' }),
      exceptions.post(`/v1/orders/${orderId}/cancel`, { reason: 'customer wants two', lines: [{ lineId: '1', quantity: 1 }] }),
    ]);
    expect(held.status).toBe(200);
    expect(cancelled.status).toBe(200);
    const order = await orderWhen(orderId, (o) => o.fulfillments.length === 1 && o.status === 'on_hold' && o.lines[0].cancelled === 1, 'held, one unit cancelled');
    const fulfillmentId: string = order.fulfillments[0].id;
    const f = await fulfillmentWhen(fulfillmentId, (x) => x.onHold === true && x.lines[0].quantity === 2, 'fulfillment held with two units');
    expect(f.status).toBe('pending');
    expect((await exceptions.post(`/v1/orders/${orderId}/cancel`, { reason: 'customer changed their mind' })).status).toBe(200);
    expect((await orderWhen(orderId, (o) => o.status === 'cancelled', 'cancelled')).lines[0]).toMatchObject({ quantity: 3, cancelled: 3 });
    await recordHistories(stack, { 'order-actions-during-intake': `order-${orderId}`, 'fulfillment-cancelled-during-intake-hold': `fulfillment-${fulfillmentId}` });
  });

  it('holds, partly cancels and re-addresses a pending fulfillment, then ships and delivers the rest', async () => {
    const { orderId, fulfillmentId } = await routed(shipOrder('PATH-1', [{ sku: 'BOOT', quantity: 3 }]));
    expect((await exceptions.post(`/v1/orders/${orderId}/hold`, { reason: 'address check' })).status).toBe(200);
    await fulfillmentWhen(fulfillmentId, (f) => f.onHold === true, 'fulfillment held');
    expect((await exceptions.post(`/v1/orders/${orderId}/release`, {})).status).toBe(200);
    expect((await exceptions.post(`/v1/orders/${orderId}/cancel`, { reason: 'customer wants two', lines: [{ lineId: '1', quantity: 1 }] })).status).toBe(200);
    const fewer = await fulfillmentWhen(fulfillmentId, (f) => f.lines[0].quantity === 2 && f.onHold === false, 'one unit cancelled');
    expect(fewer.status).toBe('pending');
    const shipTo = { line1: '1 N State St', city: 'Chicago', region: 'IL', postalCode: '60602', country: 'US', geo: { lat: 41.882, lon: -87.628 } };
    expect((await exceptions.post(`/v1/orders/${orderId}/address`, { shipTo })).status).toBe(200);
    await fulfillmentWhen(fulfillmentId, (f) => f.events.some((e: { type: string }) => e.type === 'fulfillment.address_changed'), 'address changed');
    expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/pick`, { scans: [{ barcode: 'BOOT', quantity: 2 }] })).status).toBe(200);
    const packed = (await ops.post(`/v1/fulfillments/${fulfillmentId}/pack`, parcel)).body;
    expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/handoff`, {})).status).toBe(200);
    await carrier.post(`/v1/carriers/${packed.carrier}/events`, { trackingNumber: packed.trackingNumber, status: 'in_transit', at: new Date().toISOString() });
    await carrier.post(`/v1/carriers/${packed.carrier}/events`, { trackingNumber: packed.trackingNumber, status: 'delivered', at: new Date().toISOString() });
    const done = await orderWhen(orderId, (o) => o.status === 'completed', 'completed');
    expect(done.lines[0]).toMatchObject({ quantity: 3, cancelled: 1, shipped: 2 });
    await recordHistories(stack, { 'order-pending-signals': `order-${orderId}`, 'fulfillment-pending-signals': `fulfillment-${fulfillmentId}` });
  });

  it('reroutes a pending fulfillment, then holds and cancels the new one while picking', async () => {
    const { orderId, fulfillmentId } = await routed(shipOrder('PATH-2', [{ sku: 'BOOT', quantity: 2 }]));
    const from = (await orderNow(orderId)).fulfillments[0].locationId;
    expect((await exceptions.post(`/v1/orders/${orderId}/reroute`, { fulfillmentId, reason: 'dock closed' })).status).toBe(200);
    const moved = await orderWhen(orderId, (o) => o.fulfillments.length === 2, 'rerouted');
    const second = moved.fulfillments[1];
    expect(second.locationId).not.toBe(from);
    await fulfillmentWhen(second.id, () => true, 'second fulfillment');
    expect((await ops.post(`/v1/fulfillments/${second.id}/pick`, { scans: [{ barcode: 'BOOT', quantity: 1 }] })).status).toBe(200);
    expect((await exceptions.post(`/v1/orders/${orderId}/hold`, { reason: 'payment check' })).status).toBe(200);
    await fulfillmentWhen(second.id, (f) => f.onHold === true, 'held while picking');
    expect((await exceptions.post(`/v1/orders/${orderId}/release`, {})).status).toBe(200);
    expect((await exceptions.post(`/v1/orders/${orderId}/cancel`, { reason: 'changed mind' })).status).toBe(200);
    const cancelled = await orderWhen(orderId, (o) => o.status === 'cancelled', 'cancelled');
    expect(cancelled.fulfillments.map((f: { status: string }) => f.status)).toEqual(['cancelled', 'cancelled']);
    await recordHistories(stack, { 'order-rerouted-then-cancelled-picking': `order-${orderId}`, 'fulfillment-rerouted-away': `fulfillment-${fulfillmentId}`, 'fulfillment-cancelled-picking': `fulfillment-${second.id}` });
  });

  it('changes a shipped order to pickup before picking starts, then refuses once the store is picking', async () => {
    const { orderId, fulfillmentId } = await routed(shipOrder('PATH-METHOD', [{ sku: 'BOOT', quantity: 2 }]));
    const url = `/v1/orders/${orderId}/fulfillment-method`;
    const refused = async (body: unknown, status: number, path?: string) => {
      const res = await web.post(url, body);
      expect(res.status, res.text).toBe(status);
      if (path) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    };
    await refused({ method: 'pickup' }, 422, 'pickupLocationId');
    await refused({ method: 'pickup', pickupLocationId: 'WH-NOPE' }, 422, 'pickupLocationId');
    await refused({ method: 'pickup', pickupLocationId: 'WH-NEAR' }, 422, 'pickupLocationId'); // a warehouse has no counter
    await refused({ method: 'ship' }, 422, 'method');
    expect((await orderNow(orderId)).fulfillments).toHaveLength(1);

    const changed = await web.post(url, { method: 'pickup', pickupLocationId: 'STORE-P', reason: 'will collect on the way home' });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ fulfillmentMethod: 'pickup', pickupLocationId: 'STORE-P' });
    expect(changed.body.fulfillments.map((f: { locationId: string; method: string; status: string }) => [f.locationId, f.method, f.status])).toEqual([
      [expect.any(String), 'ship', 'cancelled'],
      ['STORE-P', 'pickup', 'pending'],
    ]);
    expect(changed.body.events.find((e: { type: string }) => e.type === 'order.fulfillment_method_changed').detail).toMatchObject({
      from: { method: 'ship' },
      to: { method: 'pickup', pickupLocationId: 'STORE-P' },
      reason: 'will collect on the way home',
    });
    await fulfillmentWhen(fulfillmentId, (f) => f.status === 'cancelled', 'the shipment cancelled');
    const pickup = changed.body.fulfillments[1].id;
    await fulfillmentWhen(pickup, () => true, 'the pickup');
    expect((await ops.post(`/v1/fulfillments/${pickup}/pick`, { scans: [{ barcode: 'BOOT', quantity: 1 }] })).status).toBe(200);
    await orderWhen(orderId, (o) => o.fulfillments[1].status === 'picking', 'picking');
    await refused({ method: 'ship' }, 409);
    const routing = (await ops.get(`/v1/orders/${orderId}/routing`)).body.items;
    expect(routing).toHaveLength(2);
    expect(routing[1].plan.fulfillments[0]).toMatchObject({ locationId: 'STORE-P' });
    expect((await exceptions.post(`/v1/orders/${orderId}/cancel`, { reason: 'changed mind' })).status).toBe(200);
    await orderWhen(orderId, (o) => o.status === 'cancelled', 'cancelled');
    await recordHistories(stack, { 'order-fulfillment-method-changed': `order-${orderId}` });
  });

  it('holds a packed fulfillment and voids its label when the order is cancelled', async () => {
    const { orderId, fulfillmentId } = await routed(shipOrder('PATH-3', [{ sku: 'BOOT', quantity: 1 }]));
    expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/pick`, { scans: [{ barcode: 'BOOT', quantity: 1 }] })).status).toBe(200);
    expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/pack`, parcel)).status).toBe(200);
    expect((await exceptions.post(`/v1/orders/${orderId}/hold`, { reason: 'fraud review' })).status).toBe(200);
    await fulfillmentWhen(fulfillmentId, (f) => f.onHold === true, 'held while packed');
    expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/handoff`, {})).status).toBe(409);
    expect((await exceptions.post(`/v1/orders/${orderId}/release`, {})).status).toBe(200);
    expect((await exceptions.post(`/v1/orders/${orderId}/cancel`, { reason: 'fraud confirmed' })).status).toBe(200);
    const f = await fulfillmentWhen(fulfillmentId, (x) => x.status === 'cancelled', 'cancelled once packed');
    expect(f.events.map((e: { type: string }) => e.type)).toContain('fulfillment.label_voided');
    await orderWhen(orderId, (o) => o.status === 'cancelled', 'order cancelled');
    await recordHistories(stack, { 'order-cancelled-packed': `order-${orderId}`, 'fulfillment-held-cancelled-packed': `fulfillment-${fulfillmentId}` });
  });

  it('serves a curbside customer who arrived, then collects with the code', async () => {
    const { orderId, fulfillmentId } = await routed(pickupOrder('PATH-4', 'STORE-P', [{ sku: 'BOOT', quantity: 1 }], 'curbside'));
    expect((await web.post(`/v1/fulfillments/${fulfillmentId}/arrived`, { spot: 'Bay 2' })).status).toBe(200);
    expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/pick`, { scans: [{ barcode: 'BOOT', quantity: 1 }] })).status).toBe(200);
    expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/ready`, {})).status).toBe(200);
    const code = (await orderWhen(orderId, (o) => o.fulfillments[0].pickupCode, 'pickup code')).fulfillments[0].pickupCode;
    expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/collect`, { pickupCode: code })).status).toBe(200);
    await orderWhen(orderId, (o) => o.status === 'completed', 'collected');
    await recordHistories(stack, { 'order-curbside-collected': `order-${orderId}`, 'fulfillment-curbside-collected': `fulfillment-${fulfillmentId}` });
  });

  it('re-routes a short pick, and a rejection of the re-routed units', async () => {
    const { orderId, fulfillmentId } = await routed(shipOrder('PATH-5', [{ sku: 'BOOT', quantity: 2 }]));
    expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/pick`, { scans: [{ barcode: 'BOOT', quantity: 1 }], shortages: [{ lineId: '1', quantity: 1 }] })).status).toBe(200);
    const split = await orderWhen(orderId, (o) => o.fulfillments.length === 2, 'short unit re-routed');
    const second = split.fulfillments[1].id;
    await fulfillmentWhen(second, () => true, 'second fulfillment');
    expect((await ops.post(`/v1/fulfillments/${second}/reject`, { reason: 'flooded aisle' })).status).toBe(200);
    const third = (await orderWhen(orderId, (o) => o.fulfillments.length === 3, 'rejected unit re-routed')).fulfillments[2];
    expect(third.status).toBe('pending');
    expect((await exceptions.post(`/v1/orders/${orderId}/cancel`, { reason: 'too slow' })).status).toBe(200);
    await orderWhen(orderId, (o) => o.status === 'cancelled' || o.status === 'in_fulfillment', 'cancel applied');
    await recordHistories(stack, { 'order-short-rejected': `order-${orderId}`, 'fulfillment-short-picked': `fulfillment-${fulfillmentId}`, 'fulfillment-rejected-pending': `fulfillment-${second}` });
  });

  it('cancels one return and receives another; ships, receives and cancels transfers', async () => {
    const { orderId, fulfillmentId } = await routed(shipOrder('PATH-6', [{ sku: 'BOOT', quantity: 2 }]));
    expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/pick`, { scans: [{ barcode: 'BOOT', quantity: 2 }] })).status).toBe(200);
    const packed = (await ops.post(`/v1/fulfillments/${fulfillmentId}/pack`, parcel)).body;
    expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/handoff`, {})).status).toBe(200);
    await carrier.post(`/v1/carriers/${packed.carrier}/events`, { trackingNumber: packed.trackingNumber, status: 'delivered', at: new Date().toISOString() });
    await orderWhen(orderId, (o) => o.status === 'completed', 'delivered');
    const first = (await web.post('/v1/returns', { orderId, method: 'in_store', locationId: 'STORE-P', lines: [{ lineId: '1', quantity: 1, reason: 'wrong size' }] })).body;
    expect((await web.post(`/v1/returns/${first.id}/cancel`, {})).body.status).toBe('cancelled');
    const second = (await web.post('/v1/returns', { orderId, method: 'in_store', locationId: 'STORE-P', lines: [{ lineId: '1', quantity: 2, reason: 'too tight' }] })).body;
    const received = await ops.post(`/v1/returns/${second.id}/receive`, { locationId: 'STORE-P', lines: [{ lineId: '1', quantity: 2, condition: 'sellable' }] });
    expect(received.status).toBe(200);
    await eventually(() => ops.get(`/v1/returns/${second.id}`), (r) => r.body.status === 'refunded', 'refunded');

    const expectedAt = new Date(Date.now() + 86_400_000).toISOString();
    const moved = (await ops.post('/v1/transfers', { fromLocationId: 'WH-FAR', toLocationId: 'STORE-P', lines: [{ sku: 'BOOT', quantity: 2 }], expectedAt })).body;
    expect((await ops.post(`/v1/transfers/${moved.id}/ship`)).body.status).toBe('in_transit');
    expect((await ops.post(`/v1/transfers/${moved.id}/receive`)).body.status).toBe('received');
    const dropped = (await ops.post('/v1/transfers', { fromLocationId: 'WH-FAR', toLocationId: 'STORE-P', lines: [{ sku: 'BOOT', quantity: 1 }], expectedAt })).body;
    expect((await ops.post(`/v1/transfers/${dropped.id}/cancel`, { reason: 'not needed' })).body.status).toBe('cancelled');
    await recordHistories(stack, {
      'return-cancelled': `return-${first.id}`,
      'return-received-refunded': `return-${second.id}`,
      'transfer-shipped-received': `transfer-${moved.id}`,
      'transfer-cancelled': `transfer-${dropped.id}`,
    });
  });
});
