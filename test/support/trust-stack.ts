// The stack the trust-boundary tests share the shape of: a warehouse (TB-WH) and a store
// (TB-STORE) with stock, and clients for an admin, ops, the web channel and the store's
// associate. Each test file starts its own.
import { expect } from 'vitest';
import { eventually } from './eventually.ts';
import { locationBody, seedNetwork, shipOrder, storeCaps } from './fixtures.ts';
import { client, startTestStack, type TestStack } from './stack.ts';

export type Api = ReturnType<typeof client>;

export interface TrustStack {
  stack: TestStack;
  admin: Api;
  ops: Api;
  web: Api;
  store: Api;
  /** A key made through the API by the admin (so this API process knows it at once). */
  newKey(body: Record<string, unknown>): Promise<{ id: string; key: string }>;
}

export async function startTrustStack(options: { webhooks?: boolean } = {}): Promise<TrustStack> {
  const stack = await startTestStack(options);
  const admin = client(stack, stack.adminKey);
  const ops = client(stack, await stack.key('ops'));
  const web = client(stack, await stack.key('channel', { channel: 'web' }));
  const store = client(stack, await stack.key('associate', { locationIds: ['TB-STORE'] }));
  await seedNetwork(ops, {
    locations: { 'TB-WH': locationBody(41.88, -87.64), 'TB-STORE': locationBody(41.89, -87.63, { type: 'store', capabilities: storeCaps }) },
    skus: ['TB-PEN', 'TB-MUG'],
    stock: [
      ['TB-WH', 'TB-PEN', 100],
      ['TB-STORE', 'TB-MUG', 20],
    ],
  });
  const newKey = async (body: Record<string, unknown>) => (await admin.post('/v1/api-keys', { name: `tb ${String(body.role)}`, ...body })).body;
  return { stack, admin, ops, web, store, newKey };
}

/** A shipped parcel of a new order: its fulfillment, carrier and tracking number. */
export async function shippedParcel(t: TrustStack, channelOrderId: string) {
  const order = (await t.web.post('/v1/orders?wait=routed', shipOrder(channelOrderId, [{ sku: 'TB-PEN', quantity: 1 }]))).body;
  const fulfillmentId = order.fulfillments[0].id as string;
  await eventually(() => t.ops.get(`/v1/fulfillments/${fulfillmentId}`), (r) => r.status === 200, 'fulfillment read model', 30_000);
  await t.ops.post(`/v1/fulfillments/${fulfillmentId}/pick`, { scans: [{ barcode: 'TB-PEN', quantity: 1 }] });
  const packed = (await t.ops.post(`/v1/fulfillments/${fulfillmentId}/pack`, { packages: [{ weightGrams: 200, lengthCm: 20, widthCm: 10, heightCm: 5 }] })).body;
  expect((await t.ops.post(`/v1/fulfillments/${fulfillmentId}/handoff`, {})).status).toBe(200);
  return { orderId: order.id as string, fulfillmentId, carrier: packed.carrier as string, trackingNumber: packed.trackingNumber as string };
}
