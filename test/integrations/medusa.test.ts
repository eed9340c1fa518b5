// A real Medusa 2.21 store in front of Fulcrum (issue 31; `npm run test:medusa`): a storefront
// checkout becomes a Medusa order, the plugin hands it to Fulcrum, Fulcrum splits it across two
// locations, and as Fulcrum picks, packs, ships and delivers, the Medusa order shows both
// fulfillments shipped with their tracking numbers and delivered, the payment captured; a
// return requested in Medusa opens a Fulcrum return, is received and refunded there and shows
// received and refunded in Medusa; Medusa's available stock per location equals Fulcrum's
// after every step. Cancellations in Fulcrum edit or cancel the Medusa order; an order placed
// while Fulcrum is unreachable reaches it once, later; a forged webhook is refused.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMedusa, type RunningMedusa } from '../../scripts/lib/medusa.ts';
import { cartWith, checkout, setUpStore, type MedusaStore } from '../../scripts/lib/medusa-store.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork } from '../support/fixtures.ts';
import { carrierClient, client, startTestStack, type TestStack } from '../support/stack.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const SECRET = `whsec_${randomBytes(18).toString('hex')}`;
const WAIT = 120_000;
const ADDRESS = (n: number) => ({ name: `Fulcrum ${n}`, line1: `${n} W Madison St`, city: 'Chicago', region: 'IL', postalCode: '60602', country: 'US' });

let stack: TestStack;
let medusa: RunningMedusa;
let store: MedusaStore;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let carrier: ReturnType<typeof carrierClient>;
/** Between the plugin and Fulcrum: the test cuts it to take Fulcrum away from Medusa. */
let proxy: TcpProxy;

/** Medusa's available quantity of a SKU per Fulcrum location equals Fulcrum's available units there. */
async function expectStockMatches(skus: string[]) {
  const fulcrum = await web.get(`/v1/availability?${skus.map((s) => `sku=${s}`).join('&')}`);
  expect(fulcrum.status, fulcrum.text).toBe(200);
  await medusa.admin('POST', '/admin/fulcrum/sync');
  for (const item of fulcrum.body.items as { sku: string; locations: { locationId: string; available: number }[] }[]) {
    const { inventory_items: found } = await medusa.admin('GET', `/admin/inventory-items?sku=${item.sku}&fields=id,sku,*location_levels`);
    const levels = found[0].location_levels as { location_id: string; available_quantity: number }[];
    for (const [fulcrumId, medusaId] of Object.entries(store.locations)) {
      const want = item.locations.find((l) => l.locationId === fulcrumId)?.available ?? 0;
      const got = levels.find((l) => l.location_id === medusaId)?.available_quantity ?? 0;
      expect({ sku: item.sku, location: fulcrumId, available: Number(got) }).toEqual({ sku: item.sku, location: fulcrumId, available: want });
    }
  }
}

async function medusaOrder(id: string) {
  const fields = 'id,status,metadata,*fulfillments,*fulfillments.labels,*fulfillments.items,*returns,*returns.items,*payment_collections.payments,*payment_collections.payments.captures,*payment_collections.payments.refunds';
  return (await medusa.admin('GET', `/admin/orders/${id}?fields=${fields}`)).order;
}

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  const webKey = await stack.key('channel', { channel: 'web' });
  web = client(stack, webKey);
  carrier = carrierClient(stack);
  await seedNetwork(ops, {
    locations: {
      'WH-EAST': { ...locationBody(41.88, -87.63), address: ADDRESS(1) },
      'WH-WEST': { ...locationBody(41.89, -87.7), address: ADDRESS(2) },
      'STORE-LOOP': { ...locationBody(41.884, -87.628, { type: 'store', capabilities: { ship: false, pickup: true, curbside: false, sameDay: false, returns: true } }), address: ADDRESS(3) },
    },
    skus: ['MUG', 'TEE'],
    stock: [['WH-EAST', 'MUG', 20], ['WH-WEST', 'TEE', 12], ['STORE-LOOP', 'MUG', 4]],
  });
  const direct = new URL(stack.url);
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) });
  medusa = await startMedusa(stack.databaseUrl, { fulcrumUrl: `http://127.0.0.1:${proxy.port}`, apiKey: webKey, webhookSecret: SECRET, channel: 'web' });
  const admin = client(stack, stack.adminKey);
  const hook = await admin.post('/v1/webhooks', { url: `${medusa.url}/hooks/fulcrum`, events: ['order.*', 'fulfillment.*', 'return.*', 'payment.*'], secret: SECRET });
  expect(hook.status, hook.text).toBe(201);
  store = await setUpStore(medusa, ['WH-EAST', 'WH-WEST', 'STORE-LOOP'], ['MUG', 'TEE']);
}, 600_000);

afterAll(async () => {
  await medusa?.stop();
  await proxy?.close();
  await stack?.close();
});

describe('a Medusa store fulfilled by Fulcrum', () => {
  it('takes a storefront order through Fulcrum to delivered, returned and refunded, with stock level all along', async () => {
    await expectStockMatches(['MUG', 'TEE']);
    const placed = await checkout(medusa, store, [{ sku: 'MUG', quantity: 2 }, { sku: 'TEE', quantity: 1 }]);

    // The plugin hands the order to Fulcrum, which splits it: mugs from the east, the tee from the west.
    const linked = await eventually(() => medusaOrder(placed.id), (o) => typeof o.metadata?.fulcrum_order_id === 'string' || o.metadata?.fulcrum_sync === 'refused', 'order sent to Fulcrum', WAIT);
    expect(linked.metadata.fulcrum_error ?? null).toBeNull();
    const fulcrumId: string = linked.metadata.fulcrum_order_id;
    const routed = await eventually(() => web.get(`/v1/orders/${fulcrumId}`), (r) => r.body?.fulfillments?.length === 2, 'routed in two', WAIT);
    expect(routed.body.channelOrderId).toBe(placed.id);
    expect(routed.body.fulfillments.map((f: { locationId: string }) => f.locationId).sort()).toEqual(['WH-EAST', 'WH-WEST']);
    await expectStockMatches(['MUG', 'TEE']);

    // Fulcrum picks, packs, hands off and the carrier delivers, each fulfillment in turn.
    const tracking: string[] = [];
    for (const f of routed.body.fulfillments as { id: string; lines: { lineId: string; quantity: number }[] }[]) {
      const sku = routed.body.lines.find((l: { lineId: string }) => l.lineId === f.lines[0]!.lineId).sku;
      expect((await ops.post(`/v1/fulfillments/${f.id}/pick`, { scans: [{ barcode: sku, quantity: f.lines[0]!.quantity }] })).status).toBe(200);
      const packed = await ops.post(`/v1/fulfillments/${f.id}/pack`, { packages: [{ weightGrams: 800, lengthCm: 20, widthCm: 15, heightCm: 10 }] });
      expect(packed.status, packed.text).toBe(200);
      expect((await ops.post(`/v1/fulfillments/${f.id}/handoff`, {})).status).toBe(200);
      tracking.push(packed.body.trackingNumber);
      await carrier.post(`/v1/carriers/${packed.body.carrier}/events`, { trackingNumber: packed.body.trackingNumber, status: 'delivered', at: new Date().toISOString() });
    }
    await eventually(() => web.get(`/v1/orders/${fulcrumId}`), (r) => r.body.status === 'completed', 'completed in Fulcrum', WAIT);

    const delivered = await eventually(
      () => medusaOrder(placed.id),
      (o) => o.fulfillments.length === 2 && o.fulfillments.every((f: { delivered_at: string | null }) => f.delivered_at),
      'both fulfillments delivered in Medusa',
      WAIT,
    );
    const labels = delivered.fulfillments.flatMap((f: { labels: { tracking_number: string }[] }) => f.labels.map((l) => l.tracking_number)).sort();
    expect(labels).toEqual([...tracking].sort());
    expect(delivered.fulfillments.every((f: { shipped_at: string | null }) => f.shipped_at)).toBe(true);
    const byLocation = Object.fromEntries(delivered.fulfillments.map((f: { location_id: string; metadata: { fulcrum_location_id: string } }) => [f.metadata.fulcrum_location_id, f.location_id]));
    expect(byLocation).toEqual({ 'WH-EAST': store.locations['WH-EAST'], 'WH-WEST': store.locations['WH-WEST'] });
    const payment = delivered.payment_collections[0].payments[0];
    expect(payment.captures.length).toBeGreaterThan(0);
    await expectStockMatches(['MUG', 'TEE']);

    // A return requested in Medusa opens a Fulcrum return for the same units.
    const mugLine = routed.body.lines.find((l: { sku: string }) => l.sku === 'MUG');
    const { return: opened } = await medusa.admin('POST', '/admin/returns', { order_id: placed.id, location_id: store.locations['WH-EAST'] });
    await medusa.admin('POST', `/admin/returns/${opened.id}/request-items`, { items: [{ id: mugLine.lineId, quantity: 1 }] });
    await medusa.admin('POST', `/admin/returns/${opened.id}/request`, {});
    const requested = await eventually(() => medusaOrder(placed.id), (o) => !!o.metadata?.fulcrum_returns?.[opened.id], 'return opened in Fulcrum', WAIT);
    const fulcrumReturn: string = requested.metadata.fulcrum_returns[opened.id];
    const received = await ops.post(`/v1/returns/${fulcrumReturn}/receive`, { locationId: 'WH-EAST', lines: [{ lineId: mugLine.lineId, quantity: 1, condition: 'sellable' }] });
    expect(received.status, received.text).toBe(200);
    await eventually(() => web.get(`/v1/returns/${fulcrumReturn}`), (r) => r.body.status === 'refunded', 'refunded in Fulcrum', WAIT);

    const refunded = await eventually(
      () => medusaOrder(placed.id),
      (o) => o.returns.some((r: { id: string; status: string }) => r.id === opened.id && r.status === 'received') && o.payment_collections[0].payments[0].refunds.length > 0,
      'return received and refunded in Medusa',
      WAIT,
    );
    expect(Number(refunded.payment_collections[0].payments[0].refunds[0].amount)).toBeGreaterThan(0);
    await expectStockMatches(['MUG', 'TEE']);
  }, 900_000);

  it('hands over an order placed while Fulcrum was unreachable once it answers, exactly once', async () => {
    proxy.cut();
    let placed: { id: string };
    try {
      placed = await checkout(medusa, store, [{ sku: 'MUG', quantity: 1 }]);
      const waiting = await eventually(() => medusaOrder(placed.id), (o) => o.metadata?.fulcrum_sync === 'pending', 'the order waiting for Fulcrum', WAIT);
      expect(waiting.metadata.fulcrum_order_id).toBeUndefined();
      const behind = await medusa.admin('POST', '/admin/fulcrum/sync');
      expect(behind).toMatchObject({ sent: 0, pendingOrders: 1, channels: { web: { pendingOrders: 1, refusedOrders: 0 } } });
      expect(behind.channels.web.lastError).toContain(placed.id);
    } finally {
      proxy.restore();
    }
    const caughtUp = await medusa.admin('POST', '/admin/fulcrum/sync');
    expect(caughtUp).toMatchObject({ sent: 1, pendingOrders: 0 });
    const linked = await medusaOrder(placed.id);
    const mine = (r: { body: { items: { id: string; channelOrderId: string }[] } }) => r.body.items.filter((o) => o.channelOrderId === placed.id).map((o) => o.id);
    const orders = await eventually(() => web.get('/v1/orders?channel=web&limit=100'), (r) => mine(r).length > 0, 'the order listed', WAIT);
    expect(mine(orders)).toEqual([linked.metadata.fulcrum_order_id]);
    // The sweep told Fulcrum it is caught up.
    const sync = await ops.get('/v1/channel-sync');
    expect(sync.body.items).toEqual([expect.objectContaining({ channel: 'web', source: 'medusa', pendingOrders: 0, behind: false })]);
    await eventually(() => web.get(`/v1/orders/${linked.metadata.fulcrum_order_id}`), (r) => r.body.fulfillments?.length === 1, 'routed', WAIT);
    await expectStockMatches(['MUG', 'TEE']);
  }, 600_000);

  it('follows Fulcrum when it cancels units, then the whole order', async () => {
    const placed = await checkout(medusa, store, [{ sku: 'MUG', quantity: 2 }, { sku: 'TEE', quantity: 1 }]);
    const linked = await eventually(() => medusaOrder(placed.id), (o) => typeof o.metadata?.fulcrum_order_id === 'string', 'order sent to Fulcrum', WAIT);
    const fulcrumId: string = linked.metadata.fulcrum_order_id;
    const routed = await eventually(() => web.get(`/v1/orders/${fulcrumId}`), (r) => r.body?.fulfillments?.length === 2, 'routed', WAIT);
    const mug = routed.body.lines.find((l: { sku: string }) => l.sku === 'MUG');
    const one = await web.post(`/v1/orders/${fulcrumId}/cancel`, { reason: 'customer changed their mind', lines: [{ lineId: mug.lineId, quantity: 1 }] });
    expect(one.status, one.text).toBe(200);
    const edited = await eventually(
      () => medusa.admin('GET', `/admin/orders/${placed.id}?fields=id,status,metadata,*items`),
      (r) => r.order.metadata?.fulcrum_cancelled?.[mug.lineId] === 1,
      'the unit cancelled in Medusa',
      WAIT,
    );
    expect(Number(edited.order.items.find((i: { id: string }) => i.id === mug.lineId).quantity)).toBe(1);
    await expectStockMatches(['MUG', 'TEE']);

    const all = await web.post(`/v1/orders/${fulcrumId}/cancel`, { reason: 'fraud check failed' });
    expect(all.status, all.text).toBe(200);
    await eventually(() => medusaOrder(placed.id), (o) => o.status === 'canceled', 'the order cancelled in Medusa', WAIT);
    await expectStockMatches(['MUG', 'TEE']);
  }, 600_000);

  it('prices a shipping option with Fulcrum’s promise and shows the cart its delivery dates', async () => {
    const cart = await cartWith(medusa, store, [{ sku: 'MUG', quantity: 1 }, { sku: 'TEE', quantity: 1 }]);
    const direct = await web.post('/v1/promises', {
      channel: 'web',
      destination: { line1: '233 S Wacker Dr', city: 'Chicago', region: 'IL', postalCode: '60606', country: 'US', geo: { lat: 41.8789, lon: -87.6359 } },
      lines: [{ sku: 'MUG', quantity: 1 }, { sku: 'TEE', quantity: 1 }],
      serviceLevels: ['express'],
    });
    expect(direct.status, direct.text).toBe(201);
    const express = direct.body.options.find((o: { serviceLevel: string; method: string }) => o.serviceLevel === 'express' && o.method !== 'pickup');
    const { shipping_option: priced } = await medusa.store('POST', `/store/shipping-options/${store.quotedOptionId}/calculate`, { cart_id: cart.id }, store.publishableKey);
    expect(Number(priced.amount)).toBe(express.cost.amount / 100);
    const dates = await medusa.store('POST', '/store/fulcrum/promises', { cart_id: cart.id }, store.publishableKey);
    const shown = dates.options.find((o: { service_level: string; method: string }) => o.service_level === 'express' && o.method !== 'pickup');
    expect(shown).toMatchObject({ estimated_delivery: express.estimatedDelivery, shipments: 2, cost: express.cost });
  }, 300_000);

  it('shows a pickup ready, then picked up, as Fulcrum’s store hands it over', async () => {
    const placed = await checkout(medusa, store, [{ sku: 'MUG', quantity: 1 }], { optionId: store.pickupOptionId, data: { pickup_location_id: 'STORE-LOOP' } });
    const linked = await eventually(() => medusaOrder(placed.id), (o) => typeof o.metadata?.fulcrum_order_id === 'string' || o.metadata?.fulcrum_sync === 'refused', 'order sent to Fulcrum', WAIT);
    expect(linked.metadata.fulcrum_error ?? null).toBeNull();
    const fulcrumId: string = linked.metadata.fulcrum_order_id;
    const routed = await eventually(() => web.get(`/v1/orders/${fulcrumId}`), (r) => r.body?.fulfillments?.length === 1, 'routed', WAIT);
    const f = routed.body.fulfillments[0];
    expect(f).toMatchObject({ method: 'pickup', locationId: 'STORE-LOOP' });
    expect((await ops.post(`/v1/fulfillments/${f.id}/pick`, { scans: [{ barcode: 'MUG', quantity: 1 }] })).status).toBe(200);
    expect((await ops.post(`/v1/fulfillments/${f.id}/ready`, {})).status).toBe(200);
    const ready = await eventually(() => medusaOrder(placed.id), (o) => o.fulfillments.length === 1, 'the pickup ready in Medusa', WAIT);
    expect(ready.fulfillments[0]).toMatchObject({ location_id: store.locations['STORE-LOOP'], shipped_at: null, delivered_at: null });
    const code = (await eventually(() => web.get(`/v1/orders/${fulcrumId}`), (r) => !!r.body.fulfillments[0].pickupCode, 'the pickup code', WAIT)).body.fulfillments[0].pickupCode;
    expect((await ops.post(`/v1/fulfillments/${f.id}/collect`, { pickupCode: code })).status).toBe(200);
    await eventually(() => medusaOrder(placed.id), (o) => !!o.fulfillments[0]?.delivered_at, 'picked up in Medusa', WAIT);
    await expectStockMatches(['MUG', 'TEE']);
  }, 600_000);

  it('refuses a webhook Fulcrum did not sign', async () => {
    const body = JSON.stringify({ id: 'evt_forged', type: 'order.cancelled', createdAt: new Date().toISOString(), data: { orderId: 'ord_x' } });
    const forged = await fetch(`${medusa.url}/hooks/fulcrum`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'webhook-id': 'evt_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body,
    });
    expect(forged.status).toBe(401);
  });
});
