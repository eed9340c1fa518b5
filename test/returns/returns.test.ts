// Returns over HTTP: a mail return received at a store other than the one that shipped puts
// sellable units back on hand there and quarantines damaged ones; the refund follows; over-
// returning and returning outside the window are refused; an exchange sends a replacement.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder, storeCaps } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack, carrierClient } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let carrier: ReturnType<typeof client>;
let storeB: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  carrier = carrierClient(stack);
  storeB = client(stack, await stack.key('associate', { locationIds: ['STORE-B'] }));
  await seedNetwork(ops, {
    locations: {
      'WH-SHIP': locationBody(41.88, -87.64, { capabilities: { ship: true, pickup: false, curbside: false, sameDay: false, returns: false } }),
      'STORE-B': locationBody(41.95, -87.7, { type: 'store', capabilities: storeCaps }),
    },
    skus: ['JACKET', 'GLOVES'],
    stock: [
      ['WH-SHIP', 'JACKET', 10],
      ['WH-SHIP', 'GLOVES', 10],
    ],
  });
});
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

/** An order shipped and delivered: 2 jackets at 5000 and 1 pair of gloves at 1000, paid 10000 (a 1000 discount). */
async function deliveredOrder(channelOrderId: string) {
  const body = shipOrder(channelOrderId, [{ sku: 'JACKET', quantity: 2 }, { sku: 'GLOVES', quantity: 1 }]);
  body.lines[0]!.unitPrice.amount = 5000;
  body.lines[1]!.unitPrice.amount = 1000;
  body.payment.amount.amount = 10_000;
  const order = (await web.post('/v1/orders?wait=routed', body)).body;
  const id = order.fulfillments[0].id;
  await eventually(() => ops.get(`/v1/fulfillments/${id}`), (r) => r.status === 200, 'fulfillment');
  expect((await ops.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'JACKET', quantity: 2 }, { barcode: 'GLOVES', quantity: 1 }] })).status).toBe(200);
  const packed = (await ops.post(`/v1/fulfillments/${id}/pack`, { packages: [{ weightGrams: 2500, lengthCm: 40, widthCm: 30, heightCm: 20 }] })).body;
  await ops.post(`/v1/fulfillments/${id}/handoff`, {});
  await carrier.post(`/v1/carriers/${packed.carrier}/events`, { trackingNumber: packed.trackingNumber, status: 'delivered', at: new Date().toISOString() });
  return (await eventually(() => web.get(`/v1/orders/${order.id}`), (r) => r.body.status === 'completed' && r.body.payment.captured === 10_000, 'delivered and captured')).body;
}

async function level(locationId: string, sku: string) {
  return (await stack.db('inventory_levels').where({ location_id: locationId, sku }).first()) ?? { on_hand: 0, quarantined: 0 };
}

describe('returns', () => {
  it('receives a mail return at another store: sellable back on hand there, damaged quarantined, refund for what came back', async () => {
    const order = await deliveredOrder('RET-1');
    const opened = await web.post('/v1/returns', {
      orderId: order.id,
      method: 'mail',
      lines: [{ lineId: '1', quantity: 2, reason: 'too small' }],
    });
    expect(opened.status, opened.text).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', rma: expect.stringMatching(/^RMA-/), locationId: 'STORE-B', label: { trackingNumber: expect.any(String) } });
    const pdf = await fetch(`${stack.url}/v1/returns/${opened.body.id}/label`, { headers: { authorization: `Bearer ${await stack.key('ops')}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');

    // Nothing more than was delivered may be asked back while this return is open.
    const over = await web.post('/v1/returns', { orderId: order.id, method: 'mail', lines: [{ lineId: '1', quantity: 1, reason: 'again' }] });
    expect(over.status).toBe(422);
    expect(over.body.errors[0].path).toBe('lines[0].quantity');

    const wrong = await storeB.post(`/v1/returns/${opened.body.id}/receive`, { locationId: 'STORE-B', lines: [{ lineId: '1', quantity: 3, condition: 'sellable' }] });
    expect(wrong.status).toBe(422);
    expect((await storeB.post(`/v1/returns/${opened.body.id}/receive`, { locationId: 'WH-SHIP', lines: [{ lineId: '1', quantity: 1, condition: 'sellable' }] })).status).toBe(403);
    expect((await ops.post(`/v1/returns/${opened.body.id}/receive`, { locationId: 'WH-SHIP', lines: [{ lineId: '1', quantity: 1, condition: 'sellable' }] })).status).toBe(422);

    const before = await level('STORE-B', 'JACKET');
    const received = await storeB.post(`/v1/returns/${opened.body.id}/receive`, {
      locationId: 'STORE-B',
      lines: [
        { lineId: '1', quantity: 1, condition: 'sellable' },
        { lineId: '1', quantity: 1, condition: 'damaged' },
      ],
    });
    expect(received.status, received.text).toBe(200);
    expect(received.body).toMatchObject({ status: 'refunded', lines: [{ lineId: '1', received: 2, condition: 'damaged' }] });
    // 2 × 5000 of 11000 in goods, paid 10000: 10000 × 10000 / 11000, rounded down.
    expect(received.body.refund).toEqual({ amount: { amount: 9090, currency: 'USD' }, status: 'issued' });
    const after = await level('STORE-B', 'JACKET');
    expect(after.on_hand - before.on_hand).toBe(1);
    expect(after.quarantined - before.quarantined).toBe(1);
    const ledger = await stack.db('inventory_ledger').where({ location_id: 'STORE-B', sku: 'JACKET' }).select('reason');
    expect(ledger.map((e) => e.reason).sort()).toEqual(['return_quarantine', 'return_restock']);

    const now = (await web.get(`/v1/orders/${order.id}`)).body;
    expect(now.lines[0]).toMatchObject({ returned: 2 });
    // The order list shows it too.
    const listed = (await web.get('/v1/orders?limit=200')).body.items.find((o: { id: string }) => o.id === order.id);
    expect(listed.lines.map((l: { returned: number }) => l.returned)).toEqual([2, 0]);
    const refunds = await stack.db('payment_transactions').where({ order_id: order.id, kind: 'refund' });
    expect(refunds.map((r) => Number(r.amount))).toEqual([9090]);
    const events = (await ops.get(`/v1/events?orderId=${order.id}`)).body.items.map((e: { type: string }) => e.type);
    expect(events).toEqual(expect.arrayContaining(['return.opened', 'return.received', 'return.refunded']));
    expect((await storeB.post(`/v1/returns/${opened.body.id}/receive`, { locationId: 'STORE-B', lines: [{ lineId: '2', quantity: 1, condition: 'sellable' }] })).status).toBe(409);

    // Lists: the channel's own, the store's, filtered by order.
    const mine = (await eventually(() => web.get(`/v1/returns?orderId=${order.id}`), (r) => r.body.items[0]?.status === 'refunded', 'listed')).body.items;
    expect(mine.map((r: { id: string }) => r.id)).toEqual([opened.body.id]);
    expect((await storeB.get('/v1/returns')).body.items.map((r: { id: string }) => r.id)).toContain(opened.body.id);
    const app = client(stack, await stack.key('channel', { channel: 'app' }));
    expect((await app.get('/v1/returns')).body.items).toEqual([]);
  });

  it('refuses a return outside the window (409) and one for another channel’s order (404)', async () => {
    const order = await deliveredOrder('RET-2');
    expect((await ops.put('/v1/return-policies/web', { windowDays: 0, receiptDays: 30, exchangeBeforeReceipt: false })).status).toBe(200);
    try {
      const late = await web.post('/v1/returns', { orderId: order.id, method: 'in_store', locationId: 'STORE-B', lines: [{ lineId: '2', quantity: 1, reason: 'changed mind' }] });
      expect(late.status).toBe(409);
    } finally {
      await ops.put('/v1/return-policies/web', { windowDays: 30, receiptDays: 30, exchangeBeforeReceipt: false });
    }
    const app = client(stack, await stack.key('channel', { channel: 'app' }));
    expect((await app.post('/v1/returns', { orderId: order.id, method: 'mail', lines: [{ lineId: '2', quantity: 1, reason: 'x' }] })).status).toBe(404);
    const missing = await web.post('/v1/returns', { orderId: order.id, method: 'in_store', lines: [{ lineId: '2', quantity: 1, reason: 'x' }] });
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0].path).toBe('locationId');
    expect(await stack.db('returns').where({ order_id: order.id })).toHaveLength(0);
  });

  it('sends an exchange’s replacement when the return is received, without a refund', async () => {
    const order = await deliveredOrder('RET-3');
    const opened = await storeB.post('/v1/returns', {
      orderId: order.id,
      method: 'in_store',
      locationId: 'STORE-B',
      lines: [{ lineId: '2', quantity: 1, reason: 'wrong size' }],
      replacementLines: [{ sku: 'GLOVES', quantity: 1 }],
    });
    expect(opened.status, opened.text).toBe(201);
    expect(opened.body.exchangeOrderId).toBeUndefined();
    const received = await storeB.post(`/v1/returns/${opened.body.id}/receive`, { locationId: 'STORE-B', lines: [{ lineId: '2', quantity: 1, condition: 'sellable' }] });
    expect(received.status, received.text).toBe(200);
    expect(received.body).toMatchObject({ status: 'refunded', refund: { status: 'none' }, exchangeOrderId: expect.stringMatching(/^ord_/) });
    const exchange = (await eventually(() => web.get(`/v1/orders/${received.body.exchangeOrderId}`), (r) => r.body?.status === 'routed', 'exchange routed')).body;
    expect(exchange.lines).toEqual([expect.objectContaining({ sku: 'GLOVES', quantity: 1, unitPrice: { amount: 0, currency: 'USD' } })]);
    expect(exchange.channelOrderId).toContain('RET-3-EXCHANGE-');
  });

  it('takes units back at a store whose safety stock is above what it has on hand', async () => {
    const order = await deliveredOrder('RET-4');
    expect((await ops.put('/v1/inventory/STORE-B/GLOVES', { onHand: 0, safetyStock: 3 })).status).toBe(200);
    const opened = (await storeB.post('/v1/returns', { orderId: order.id, method: 'in_store', locationId: 'STORE-B', lines: [{ lineId: '2', quantity: 1, reason: 'torn' }] })).body;
    const received = await storeB.post(`/v1/returns/${opened.id}/receive`, { locationId: 'STORE-B', lines: [{ lineId: '2', quantity: 1, condition: 'defective' }] });
    expect(received.status, received.text).toBe(200);
    expect(await level('STORE-B', 'GLOVES')).toMatchObject({ on_hand: 0, quarantined: 1 });
  });

  it('summarises the period: orders, cycle time, fill, return and split rates, cost per order', async () => {
    const summary = await ops.get('/v1/analytics/summary');
    expect(summary.status, summary.text).toBe(200);
    const orders = await stack.db('orders').whereNotNull('snapshot').count({ n: '*' }).first();
    expect(summary.body.orders).toBe(Number(orders!.n));
    expect(summary.body).toMatchObject({ splitRate: 0, pickupExpiryRate: null, costPerOrder: { currency: 'USD' } });
    // Four orders delivered their 3 units each; the exchange order's 1 unit is still on its way.
    // The returns received 2 + 1 + 1 of the 12 delivered units.
    expect(summary.body.orders).toBe(5);
    expect(summary.body.fillRate).toBeCloseTo(12 / 13, 4);
    expect(summary.body.returnRate).toBeCloseTo(4 / 12, 4);
    expect(summary.body.cycleTimeHours.p50).toBeGreaterThan(0);
    expect(summary.body.costPerOrder.amount).toBeGreaterThan(0);
    // CO₂e: each order's fulfillments carry the plan's estimate; the summary averages them per order and per unit.
    const snapshots = (await stack.db('orders').whereNotNull('snapshot').select('id', 'snapshot')) as { id: string; snapshot: { fulfillments: { status: string; co2eGrams?: number; lines: { quantity: number }[] }[] } }[];
    const kept = snapshots.map((o) => o.snapshot.fulfillments.filter((f) => f.status !== 'cancelled' && f.status !== 'rejected'));
    expect(kept.flat().filter((f) => !(typeof f.co2eGrams === 'number' && f.co2eGrams > 0))).toEqual([]);
    const grams = kept.flat().reduce((s, f) => s + f.co2eGrams!, 0);
    const units = kept.flat().reduce((s, f) => s + f.lines.reduce((u, l) => u + l.quantity, 0), 0);
    expect(summary.body.co2e).toEqual({ perOrder: Math.round(grams / kept.filter((fs) => fs.length).length), perUnit: Math.round(grams / units), orders: kept.filter((fs) => fs.length).length });
    const withEstimate = kept.findIndex((fs) => fs.length > 0);
    const decision = (await ops.get(`/v1/orders/${snapshots[withEstimate]!.id}/routing`)).body.items.at(-1);
    expect(decision.plan.fulfillments.map((f: { co2eGrams: number }) => f.co2eGrams)).toContain(kept[withEstimate]![0]!.co2eGrams);
    expect((await ops.get('/v1/analytics/summary?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).status).toBe(422);
    const empty = await ops.get('/v1/analytics/summary?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z');
    expect(empty.body).toMatchObject({ orders: 0, fillRate: null, costPerOrder: null, co2e: { perOrder: null, perUnit: null, orders: 0 } });
    expect((await storeB.get('/v1/analytics/summary')).status).toBe(403);
  });

  it('gives each KPI over time in SQL with the summary’s definitions: one bucket over a period equals its summary', async () => {
    const dayStart = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
    const from = dayStart.toISOString();
    const to = new Date(dayStart.getTime() + 86_400_000).toISOString();
    const summary = (await ops.get(`/v1/analytics/summary?from=${from}&to=${to}`)).body;
    const series = async (metric: string) => {
      const res = await ops.get(`/v1/analytics/timeseries?metric=${metric}&bucket=day&from=${from}&to=${to}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.points).toHaveLength(1);
      expect(res.body.points[0].start).toBe(from);
      return res.body.points[0].value;
    };
    expect(await series('orders')).toBe(summary.orders);
    expect(await series('fill_rate')).toBeCloseTo(summary.fillRate, 4);
    expect(await series('split_rate')).toBe(summary.splitRate);
    expect(await series('pickup_expiry_rate')).toBe(summary.pickupExpiryRate);
    expect(await series('on_time_rate')).toBe(summary.onTimeRate);
    expect(await series('cycle_time_p50')).toBeCloseTo(summary.cycleTimeHours.p50, 6);
    expect(await series('cycle_time_p90')).toBeCloseTo(summary.cycleTimeHours.p90, 6);
    expect(await series('cost_per_order')).toBe(summary.costPerOrder.amount);
    // Hourly buckets: 24, empty ones included, the orders all counted once.
    const hourly = (await ops.get(`/v1/analytics/timeseries?metric=orders&bucket=hour&from=${from}&to=${to}`)).body.points;
    expect(hourly).toHaveLength(24);
    expect(hourly.reduce((n: number, p: { value: number }) => n + p.value, 0)).toBe(summary.orders);
    const bad = await ops.get(`/v1/analytics/timeseries?metric=orders&bucket=hour&from=2020-01-01T00:00:00Z&to=${to}`);
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('query.bucket');
    expect((await ops.get('/v1/analytics/timeseries?metric=nonsense')).body.errors[0].path).toBe('query.metric');
    expect((await storeB.get('/v1/analytics/timeseries?metric=orders')).status).toBe(403);
  });
});
