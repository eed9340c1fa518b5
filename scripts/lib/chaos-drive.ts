// One chaos client's order: placed, then driven to the state its script names — delivered,
// cancelled, or left routed — reading the state back before every action, as a real client
// retrying through outages would.
import type { ChaosClient, Json } from './chaos-stack.ts';
import { sleep } from './wait.ts';

export type Script = 'deliver' | 'cancel' | 'route';
export const EXPECTED: Record<Script, string> = { deliver: 'completed', cancel: 'cancelled', route: 'routed' };

export function scriptOf(i: number): Script {
  return (['deliver', 'deliver', 'cancel', 'route'] as const)[i % 4]!;
}

export function orderBody(i: number) {
  return {
    channel: 'web',
    channelOrderId: `CHAOS-${i}`,
    customer: { id: `c-${i % 50}`, name: 'Chaos Customer', email: 'chaos@example.com' },
    fulfillment: { method: 'ship', shipTo: { line1: '233 S Wacker Dr', city: 'Chicago', region: 'IL', postalCode: '60606', country: 'US', geo: { lat: 41.8789, lon: -87.6359 } } },
    serviceLevel: 'standard',
    lines: [{ lineId: '1', sku: i % 2 === 0 ? 'CHAOS-A' : 'CHAOS-B', quantity: 1, unitPrice: { amount: 1500, currency: 'USD' } }],
    payment: { authorizationId: `pay_chaos_${i}`, amount: { amount: 1500, currency: 'USD' } },
  };
}

/** The network the orders are driven on: two warehouses with `onHand` of each SKU an order asks for. */
export async function seedChaosNetwork(ops: ChaosClient, onHand: number): Promise<void> {
  const location = { name: 'Chaos DC', type: 'warehouse', timezone: 'America/Chicago', active: true, capabilities: { ship: true, pickup: false, curbside: false, sameDay: false, returns: true } };
  await ops('PUT', '/v1/locations/WH-1', { ...location, geo: { lat: 41.88, lon: -87.64 } });
  await ops('PUT', '/v1/locations/WH-2', { ...location, geo: { lat: 41.9, lon: -87.7 } });
  for (const sku of ['CHAOS-A', 'CHAOS-B']) {
    await ops('PUT', `/v1/skus/${sku}`, { name: sku, weightGrams: 400 });
    await ops('PUT', `/v1/inventory/WH-1/${sku}`, { onHand });
    await ops('PUT', `/v1/inventory/WH-2/${sku}`, { onHand });
  }
}

export interface DriveClients {
  ops: ChaosClient;
  web: ChaosClient;
  exceptions: ChaosClient;
  carrier: ChaosClient;
}

export async function until(read: () => Promise<{ status: number; body: Json }>, done: (r: { status: number; body: Json }) => boolean, ms = 240_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await read();
    if (done(r)) return r;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last ${r.status} ${JSON.stringify(r.body)?.slice(0, 300)}`);
    await sleep(150);
  }
}

/** Places order `i` and drives it along its script; `placed` hears of it once it exists. Every answer goes on its trail. */
export async function driveOrder(i: number, clients: DriveClients, trail: string[], placed: (orderId: string) => void): Promise<void> {
  const { ops, web, exceptions, carrier } = clients;
  const script = scriptOf(i);
  const note = async (what: string, call: Promise<{ status: number; body: Json }>) => {
    const r = await call;
    trail.push(`${what} ${r.status}${r.status >= 300 ? ` ${String(r.body?.detail ?? '').slice(0, 80)}` : ''}`);
    return r;
  };
  const created = await web('POST', '/v1/orders?wait=routed', orderBody(i), `create-${i}`);
  if (created.status !== 201 && created.status !== 200) throw new Error(`order ${i}: ${created.status} ${JSON.stringify(created.body)}`);
  const orderId = created.body.id as string;
  placed(orderId);
  if (script === 'route') return;
  // Read back until routed: the answer may have come from a retry while routing was under way.
  const routed = await until(() => web('GET', `/v1/orders/${orderId}`), (o) => o.body?.fulfillments?.some((f: { status: string }) => f.status === 'pending'));
  if (script === 'cancel') {
    await note('cancel', exceptions('POST', `/v1/orders/${orderId}/cancel`, { reason: 'chaos: customer changed their mind' }, `cancel-${i}`));
    await until(() => web('GET', `/v1/orders/${orderId}`), (o) => o.body?.status === 'cancelled');
    return;
  }
  const fulfillmentId = routed.body.fulfillments.find((f: { status: string }) => f.status === 'pending').id as string;
  // Read until the API answers (it may say 503 "not answering yet" while no worker runs).
  const fulfillment = () => until(() => ops('GET', `/v1/fulfillments/${fulfillmentId}`), (r) => r.status === 200);
  const now = await fulfillment();
  if (now.body?.status === 'pending') await note('pick', ops('POST', `/v1/fulfillments/${fulfillmentId}/pick`, { scans: [{ barcode: routed.body.lines[0].sku, quantity: 1 }] }, `pick-${i}`));
  await until(fulfillment, (f) => f.body?.status !== 'pending');
  if ((await fulfillment()).body?.status === 'picking') {
    await note('pack', ops('POST', `/v1/fulfillments/${fulfillmentId}/pack`, { packages: [{ weightGrams: 500, lengthCm: 20, widthCm: 15, heightCm: 10 }] }, `pack-${i}`));
  }
  const packed = await until(fulfillment, (f) => f.body?.status !== 'picking');
  if (packed.body.status === 'packed') await note('handoff', ops('POST', `/v1/fulfillments/${fulfillmentId}/handoff`, {}, `handoff-${i}`));
  const shipped = await until(fulfillment, (f) => f.body?.status === 'shipped' || f.body?.status === 'delivered');
  await carrier('POST', `/v1/carriers/${shipped.body.carrier}/events`, { trackingNumber: shipped.body.trackingNumber, status: 'delivered', at: new Date().toISOString() }, `delivered-${i}`);
  await until(() => web('GET', `/v1/orders/${orderId}`), (o) => o.body?.status === 'completed');
}
