// Ship fulfillments end to end over HTTP: associates pick with barcode scans, pack (label
// bought), hand off; carriers post tracking events; the order captures payment per shipment
// and completes. Exceptions on the way: wrong barcodes, short picks, rejections, partial
// cancels, address changes, reroutes.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { code128Modules } from '../../activities/fulfillment/label-pdf.ts';
import { withCheckDigit } from '../../domain/gtin.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let exceptions: ReturnType<typeof client>;
let carrier: ReturnType<typeof client>;
let associate: ReturnType<typeof client>;
let shoesOnly: ReturnType<typeof client>;
const SHOE_GTIN = withCheckDigit('0001234567890');
const PARCEL = { weightGrams: 1200, lengthCm: 30, widthCm: 20, heightCm: 12 };

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  exceptions = client(stack, await stack.key('exceptions'));
  carrier = client(stack, await stack.key('carrier'));
  associate = client(stack, await stack.key('associate', { locationIds: ['WH-SHOES', 'WH-SOCKS', 'WH-FAR', 'WH-SPARE'] }));
  shoesOnly = client(stack, await stack.key('associate', { locationIds: ['WH-SHOES'] }));
  const handling = (amount: number) => ({ handlingCost: { amount, currency: 'USD' } });
  await seedNetwork(ops, {
    locations: {
      'WH-SHOES': locationBody(41.88, -87.64, handling(150)),
      'WH-SOCKS': locationBody(41.9, -87.7, handling(150)),
      'WH-SPARE': locationBody(41.95, -87.75, handling(400)),
      'WH-FAR': locationBody(33.75, -84.39, handling(1500)),
    },
    skus: ['SHOE', 'SOCK', 'HAT'],
    stock: [
      ['WH-SHOES', 'SHOE', 20],
      ['WH-SOCKS', 'SOCK', 20],
      ['WH-SPARE', 'HAT', 20],
      ['WH-FAR', 'SHOE', 20],
      ['WH-FAR', 'SOCK', 20],
      ['WH-FAR', 'HAT', 20],
    ],
  });
  expect((await ops.put('/v1/skus/SHOE', { name: 'Shoe', gtin: SHOE_GTIN, weightGrams: 900 })).status).toBe(200);
});
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

async function fulfillment(id: string) {
  return (await eventually(() => ops.get(`/v1/fulfillments/${id}`), (r) => r.status === 200, `fulfillment ${id}`)).body;
}

async function orderWhen(id: string, until: (order: any) => boolean, what: string) {
  return (await eventually(() => web.get(`/v1/orders/${id}`), (r) => r.status === 200 && until(r.body), what)).body;
}

async function onHand(locationId: string, sku: string): Promise<number> {
  const res = await ops.get(`/v1/availability?sku=${sku}&locationId=${locationId}`);
  return res.body.items[0].locations.find((l: { locationId: string }) => l.locationId === locationId)?.onHand ?? 0;
}

/** Picks every unit by SKU, packs one parcel, hands off. */
async function shipIt(id: string) {
  const f = await fulfillment(id);
  const scans = f.lines
    .map((l: { sku: string; quantity: number; picked: number; short: number }) => ({ barcode: l.sku, quantity: l.quantity - l.picked - l.short }))
    .filter((s: { quantity: number }) => s.quantity > 0);
  if (scans.length > 0) {
    const pick = await associate.post(`/v1/fulfillments/${id}/pick`, { scans });
    expect(pick.status, pick.text).toBe(200);
  }
  const packed = await associate.post(`/v1/fulfillments/${id}/pack`, { packages: [PARCEL] });
  expect(packed.status, packed.text).toBe(200);
  const shipped = await associate.post(`/v1/fulfillments/${id}/handoff`, {});
  expect(shipped.status, shipped.text).toBe(200);
  return shipped.body;
}

describe('a split order', () => {
  it('ships from two locations, is tracked to the door, captures per shipment and completes', async () => {
    const created = await web.post('/v1/orders?wait=routed', shipOrder('FF-SPLIT', [{ sku: 'SHOE', quantity: 1 }, { sku: 'SOCK', quantity: 2 }]));
    expect(created.status).toBe(201);
    const order = created.body;
    expect(order.fulfillments.map((f: { locationId: string }) => f.locationId).sort()).toEqual(['WH-SHOES', 'WH-SOCKS']);
    const shoes = order.fulfillments.find((f: { locationId: string }) => f.locationId === 'WH-SHOES');
    const socks = order.fulfillments.find((f: { locationId: string }) => f.locationId === 'WH-SOCKS');

    // The associate's queue, and nobody else's location.
    await fulfillment(shoes.id);
    const queue = await shoesOnly.get('/v1/locations/WH-SHOES/fulfillments');
    expect(queue.body.items.map((f: { id: string }) => f.id)).toContain(shoes.id);
    expect((await shoesOnly.get('/v1/locations/WH-SOCKS/fulfillments')).status).toBe(404);
    expect((await shoesOnly.get(`/v1/fulfillments/${socks.id}`)).status).toBe(404);

    // The shoe is picked by its GTIN, the socks by SKU.
    const picked = await shoesOnly.post(`/v1/fulfillments/${shoes.id}/pick`, { scans: [{ barcode: SHOE_GTIN, quantity: 1 }] });
    expect(picked.status, picked.text).toBe(200);
    expect(picked.body).toMatchObject({ status: 'picking', lines: [{ sku: 'SHOE', picked: 1, short: 0 }] });
    const packed = await shoesOnly.post(`/v1/fulfillments/${shoes.id}/pack`, { packages: [PARCEL] });
    expect(packed.status, packed.text).toBe(200);
    expect(packed.body).toMatchObject({ status: 'packed', carrier: expect.any(String), service: expect.any(String), trackingNumber: expect.any(String) });
    const handed = await shoesOnly.post(`/v1/fulfillments/${shoes.id}/handoff`, {});
    expect(handed.body.status).toBe('shipped');
    const half = await orderWhen(order.id, (o) => o.status === 'partially_shipped' && o.payment.captured > 0, 'partially shipped and captured');
    expect(half.lines.find((l: { lineId: string }) => l.lineId === '1')).toMatchObject({ shipped: 1 });
    expect(half.payment.captured).toBeGreaterThan(0);
    expect(half.payment.captured).toBeLessThan(order.payment.amount.amount);

    const socksShipped = await shipIt(socks.id);
    await orderWhen(order.id, (o) => o.status === 'shipped', 'shipped');

    // Tracking: in transit (twice: a repeat is harmless), then delivered.
    for (const f of [handed.body, socksShipped]) {
      const event = { trackingNumber: f.trackingNumber, status: 'in_transit', at: new Date().toISOString() };
      expect((await carrier.post(`/v1/carriers/${f.carrier}/events`, event)).status).toBe(202);
      expect((await carrier.post(`/v1/carriers/${f.carrier}/events`, event)).status).toBe(202);
    }
    await eventually(() => ops.get(`/v1/fulfillments/${shoes.id}`), (r) => r.body.status === 'in_transit', 'in transit');
    expect((await ops.get(`/v1/fulfillments/${shoes.id}`)).body.events.filter((e: { type: string }) => e.type === 'fulfillment.in_transit')).toHaveLength(1);
    expect((await carrier.post(`/v1/carriers/${handed.body.carrier}/events`, { trackingNumber: 'PC000000000000', status: 'delivered', at: new Date().toISOString() })).status).toBe(404);
    expect((await carrier.post('/v1/carriers/OtherCarrier/events', { trackingNumber: handed.body.trackingNumber, status: 'delivered', at: new Date().toISOString() })).status).toBe(404);
    // A delivery exception shows on the order, for ops.
    await carrier.post(`/v1/carriers/${socksShipped.carrier}/events`, { trackingNumber: socksShipped.trackingNumber, status: 'exception', at: new Date().toISOString(), detail: 'no access to building' });
    const flagged = await orderWhen(order.id, (o) => o.events.some((e: { type: string }) => e.type === 'order.delivery_exception'), 'delivery exception on the order');
    expect(flagged.events.find((e: { type: string }) => e.type === 'order.delivery_exception').detail).toMatchObject({ fulfillmentId: socks.id, carrierDetail: 'no access to building' });
    expect(flagged.events.map((e: { type: string }) => e.type)).toContain('order.delayed');
    for (const f of [handed.body, socksShipped]) {
      const delivered = await carrier.post(`/v1/carriers/${f.carrier}/events`, { trackingNumber: f.trackingNumber, status: 'delivered', at: new Date().toISOString() });
      expect(delivered.status).toBe(202);
    }

    const done = await orderWhen(order.id, (o) => o.status === 'completed', 'completed');
    expect(done.lines).toEqual([
      expect.objectContaining({ lineId: '1', quantity: 1, shipped: 1, cancelled: 0 }),
      expect.objectContaining({ lineId: '2', quantity: 2, shipped: 2, cancelled: 0 }),
    ]);
    // Two captures that add up to exactly what was authorized; nothing voided.
    expect(done.payment).toMatchObject({ captured: order.payment.amount.amount });
    const captures = await stack.db('payment_transactions').where({ order_id: order.id, kind: 'capture' });
    expect(captures).toHaveLength(2);
    // Stock left the building: on hand dropped, nothing reserved for this order any more.
    expect(await onHand('WH-SOCKS', 'SOCK')).toBe(18);
    const held = await stack.db('reservations').where({ order_id: order.id, state: 'held' });
    expect(held).toHaveLength(0);
    // The outbox carries the business events in order.
    // The outbox is written by the workflow's last publish, just after the status changes.
    const events = await eventually(() => ops.get(`/v1/events?orderId=${order.id}`), (r) => r.body.items.some((e: { type: string }) => e.type === 'order.completed'), 'outbox');
    const types = events.body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['order.routed', 'fulfillment.shipped', 'fulfillment.delivered', 'payment.captured', 'order.completed']));
    expect(types.indexOf('order.routed')).toBeLessThan(types.indexOf('order.completed'));
  });
});

describe('picking', () => {
  it('refuses a barcode that matches no line (422) and records nothing', async () => {
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('FF-WRONG', [{ sku: 'SHOE', quantity: 2 }]))).body;
    const id = order.fulfillments[0].id;
    await fulfillment(id);
    const wrong = await associate.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: SHOE_GTIN, quantity: 1 }, { barcode: 'SOCK', quantity: 1 }] });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([{ path: 'scans[1].barcode', message: expect.stringContaining('matches no line') }]);
    const badCheckDigit = SHOE_GTIN.slice(0, -1) + String((Number(SHOE_GTIN.at(-1)) + 1) % 10);
    const bad = await associate.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: badCheckDigit, quantity: 1 }] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].message).toContain('check digit');
    const tooMany = await associate.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'SHOE', quantity: 3 }] });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors[0].path).toBe('scans[0].quantity');
    const after = (await ops.get(`/v1/fulfillments/${id}`)).body;
    expect(after).toMatchObject({ status: 'pending', lines: [{ picked: 0, short: 0 }] });
    // Packing before every unit is picked is a state conflict.
    expect((await associate.post(`/v1/fulfillments/${id}/pack`, { packages: [PARCEL] })).status).toBe(409);
  });

  it('writes a short pick off and re-routes the short units without that location', async () => {
    const before = await onHand('WH-SHOES', 'SHOE');
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('FF-SHORT', [{ sku: 'SHOE', quantity: 3 }]))).body;
    const first = order.fulfillments[0];
    expect(first.locationId).toBe('WH-SHOES');
    await fulfillment(first.id);
    const res = await associate.post(`/v1/fulfillments/${first.id}/pick`, { scans: [{ barcode: 'SHOE', quantity: 2 }], shortages: [{ lineId: '1', quantity: 1 }] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.lines[0]).toMatchObject({ quantity: 3, picked: 2, short: 1 });
    // The missing unit left the books at WH-SHOES (written off) …
    expect(await onHand('WH-SHOES', 'SHOE')).toBe(before - 1);
    const ledger = await ops.get('/v1/inventory/WH-SHOES/SHOE/ledger');
    expect(ledger.body.items.some((e: { reason: string }) => e.reason === 'short_pick')).toBe(true);
    // … and was routed to another location.
    const rerouted = await orderWhen(order.id, (o) => o.events.some((e: { type: string }) => e.type === 'order.rerouted'), 're-routed');
    const second = rerouted.fulfillments[1];
    expect(second).toMatchObject({ locationId: 'WH-FAR', lines: [{ lineId: '1', quantity: 1 }] });
    expect(rerouted.fulfillments[0].lines).toEqual([{ lineId: '1', quantity: 2 }]);
    expect(rerouted.lines[0]).toMatchObject({ allocated: 3, cancelled: 0 });
    expect(rerouted.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['order.reroute_requested', 'order.rerouted']));
    await shipIt(first.id);
    await shipIt(second.id);
    await orderWhen(order.id, (o) => o.status === 'shipped', 'shipped');
  });
});

describe('exceptions at the location', () => {
  it('re-routes a fulfillment the store rejects', async () => {
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('FF-REJECT', [{ sku: 'SOCK', quantity: 1 }]))).body;
    const first = order.fulfillments[0];
    expect(first.locationId).toBe('WH-SOCKS');
    await fulfillment(first.id);
    expect((await associate.post(`/v1/fulfillments/${first.id}/reject`, { reason: '' })).status).toBe(422);
    const rejected = await associate.post(`/v1/fulfillments/${first.id}/reject`, { reason: 'flooded stock room' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    const rerouted = await orderWhen(order.id, (o) => o.fulfillments.length === 2, 're-routed');
    expect(rerouted.fulfillments[0].status).toBe('rejected');
    expect(rerouted.fulfillments[1]).toMatchObject({ locationId: 'WH-FAR', status: 'pending' });
    expect(rerouted.status).toBe('routed');
    const held = await stack.db('reservations').where({ order_id: order.id, state: 'held' });
    expect(held.map((r) => r.location_id)).toEqual(['WH-FAR']);
  });

  it('re-routes a fulfillment to a named location on an exception action, and refuses once packed', async () => {
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('FF-MOVE', [{ sku: 'HAT', quantity: 1 }]))).body;
    const first = order.fulfillments[0];
    expect(first.locationId).toBe('WH-SPARE');
    const bad = await exceptions.post(`/v1/orders/${order.id}/reroute`, { fulfillmentId: 'ful_nope', reason: 'x' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('fulfillmentId');
    await fulfillment(first.id);
    const moved = await exceptions.post(`/v1/orders/${order.id}/reroute`, { fulfillmentId: first.id, toLocationId: 'WH-FAR', reason: 'store short-staffed' });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.fulfillments.map((f: { locationId: string; status: string }) => [f.locationId, f.status])).toEqual([
      ['WH-SPARE', 'cancelled'],
      ['WH-FAR', 'pending'],
    ]);
    const event = moved.body.events.find((e: { type: string }) => e.type === 'order.rerouted');
    expect(event.detail).toMatchObject({ fromLocationId: 'WH-SPARE', reason: 'store short-staffed', by: expect.stringContaining('exceptions') });
    const second = moved.body.fulfillments[1];
    await fulfillment(second.id);
    await associate.post(`/v1/fulfillments/${second.id}/pick`, { scans: [{ barcode: 'HAT', quantity: 1 }] });
    await associate.post(`/v1/fulfillments/${second.id}/pack`, { packages: [PARCEL] });
    expect((await exceptions.post(`/v1/orders/${order.id}/reroute`, { fulfillmentId: second.id, reason: 'late' })).status).toBe(409);
  });
});

describe('order changes', () => {
  it('cancels some units: their stock is released, the rest ships, and only what shipped is charged', async () => {
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('FF-PARTIAL', [{ sku: 'SOCK', quantity: 3 }, { sku: 'SHOE', quantity: 1 }]))).body;
    expect((await exceptions.post(`/v1/orders/${order.id}/cancel`, { reason: 'x', lines: [{ lineId: '9', quantity: 1 }] })).status).toBe(422);
    expect((await exceptions.post(`/v1/orders/${order.id}/cancel`, { reason: 'x', lines: [{ lineId: '1', quantity: 4 }] })).status).toBe(422);
    const cancelled = await web.post(`/v1/orders/${order.id}/cancel`, { reason: 'customer changed their mind', lines: [{ lineId: '1', quantity: 2 }] });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.lines[0]).toMatchObject({ cancelled: 2 });
    const settled = await orderWhen(order.id, (o) => o.lines[0].allocated === 1, 'cancellation applied');
    expect(settled.status).not.toBe('cancelled');
    const sockReservations = await stack.db('reservations').where({ order_id: order.id, sku: 'SOCK', state: 'held' });
    expect(sockReservations.reduce((s, r) => s + r.quantity, 0)).toBe(1);
    for (const f of settled.fulfillments) await shipIt(f.id);
    for (const f of settled.fulfillments) {
      const shipped = (await ops.get(`/v1/fulfillments/${f.id}`)).body;
      await carrier.post(`/v1/carriers/${shipped.carrier}/events`, { trackingNumber: shipped.trackingNumber, status: 'delivered', at: new Date().toISOString() });
    }
    const done = await orderWhen(order.id, (o) => o.status === 'completed', 'completed');
    // 2 of 4 units' value shipped: half the authorization captured, the rest voided.
    expect(done.payment).toMatchObject({ captured: 2000, voided: 2000 });
    // A completed order cannot be cancelled any more.
    expect((await exceptions.post(`/v1/orders/${order.id}/cancel`, { reason: 'late' })).status).toBe(409);
  });

  it('cancels a whole line of a two-line fulfillment, leaving the other to ship', async () => {
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('FF-LINE', [{ sku: 'SHOE', quantity: 1 }, { sku: 'SHOE', quantity: 2 }]))).body;
    expect(order.fulfillments).toHaveLength(1);
    const id = order.fulfillments[0].id;
    await fulfillment(id);
    expect((await exceptions.post(`/v1/orders/${order.id}/cancel`, { reason: 'not needed', lines: [{ lineId: '2', quantity: 2 }] })).status).toBe(200);
    const applied = await eventually(() => ops.get(`/v1/fulfillments/${id}`), (r) => r.body.lines.find((l: { lineId: string }) => l.lineId === '2').quantity === 0, 'line cancelled at the location');
    expect(applied.body.status).toBe('pending');
    const held = await stack.db('reservations').where({ order_id: order.id, state: 'held' });
    expect(held.map((r) => [r.line_id, r.quantity])).toEqual([['1', 1]]);
    await shipIt(id);
    await orderWhen(order.id, (o) => o.status === 'shipped', 'shipped');
  });

  it('cancels a whole order before it ships, releasing every reservation', async () => {
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('FF-CANCEL', [{ sku: 'SHOE', quantity: 2 }]))).body;
    const res = await web.post(`/v1/orders/${order.id}/cancel`, { reason: 'duplicate order' });
    expect(res.status, res.text).toBe(200);
    const done = await orderWhen(order.id, (o) => o.status === 'cancelled', 'cancelled');
    expect(done.fulfillments[0].status).toBe('cancelled');
    expect(done.payment).toMatchObject({ voided: order.payment.amount.amount });
    expect(await stack.db('reservations').where({ order_id: order.id, state: 'held' })).toHaveLength(0);
  });

  it('changes the address until a label exists, then refuses with 409', async () => {
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('FF-ADDR', [{ sku: 'SHOE', quantity: 1 }]))).body;
    const newAddress = { shipTo: { line1: '1 N State St', city: 'Chicago', region: 'IL', postalCode: '60602', country: 'US', geo: { lat: 41.882, lon: -87.628 } } };
    expect((await web.post(`/v1/orders/${order.id}/address`, { shipTo: { line1: 'x' } })).status).toBe(422);
    const changed = await web.post(`/v1/orders/${order.id}/address`, newAddress);
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.shipTo.line1).toBe('1 N State St');
    const id = order.fulfillments[0].id;
    await fulfillment(id);
    await associate.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'SHOE', quantity: 1 }] });
    expect((await associate.post(`/v1/fulfillments/${id}/pack`, { packages: [PARCEL] })).status).toBe(200);
    await orderWhen(order.id, (o) => o.fulfillments[0].trackingNumber !== undefined, 'label known to the order');
    const refused = await exceptions.post(`/v1/orders/${order.id}/address`, newAddress);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('label');
    // Cancelled after packing: the stock goes back and the label is voided.
    expect((await web.post(`/v1/orders/${order.id}/cancel`, { reason: 'changed mind' })).status).toBe(200);
    await orderWhen(order.id, (o) => o.status === 'cancelled', 'cancelled');
    const label = await stack.db('shipping_labels').where({ fulfillment_id: id }).first();
    expect(label.voided_at).not.toBeNull();
    expect((await ops.get(`/v1/fulfillments/${id}`)).body.events.map((e: { type: string }) => e.type)).toContain('fulfillment.label_voided');
  });
});

/** The filled rectangles of a PDF's (Flate-compressed) content streams: pdfkit draws bars as `x y w h re`. */
function rectanglesOf(pdf: Buffer): { x: number; y: number; w: number; h: number }[] {
  const rects: { x: number; y: number; w: number; h: number }[] = [];
  const text = pdf.toString('latin1');
  const streams = /stream\r?\n([\s\S]*?)\r?\nendstream/g;
  for (let match = streams.exec(text); match; match = streams.exec(text)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const r of content.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re/g)) {
      rects.push({ x: Number(r[1]), y: Number(r[2]), w: Number(r[3]), h: Number(r[4]) });
    }
  }
  return rects;
}

describe('the shipping label', () => {
  it('is a 4×6 inch PDF that carries the tracking number as text and as a Code 128 barcode', async () => {
    const order = (await web.post('/v1/orders?wait=routed', shipOrder('FF-LABEL', [{ sku: 'SHOE', quantity: 1 }]))).body;
    const id = order.fulfillments[0].id;
    await fulfillment(id);
    expect((await associate.get(`/v1/fulfillments/${id}/label`)).status).toBe(404);
    await associate.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: SHOE_GTIN, quantity: 1 }] });
    const packed = (await associate.post(`/v1/fulfillments/${id}/pack`, { packages: [PARCEL] })).body;

    const res = await fetch(`${stack.url}/v1/fulfillments/${id}/label`, { headers: { authorization: `Bearer ${await stack.key('associate', { locationIds: ['WH-SHOES'] })}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());

    const document = await getDocument({ data: new Uint8Array(pdf), standardFontDataUrl: `${dirname(fileURLToPath(import.meta.resolve('pdfjs-dist/package.json')))}/standard_fonts/` }).promise;
    expect(document.numPages).toBe(1);
    const page = await document.getPage(1);
    const { width, height } = page.getViewport({ scale: 1 });
    expect([width, height]).toEqual([288, 432]);
    const text = (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
    expect(text).toContain(packed.trackingNumber);
    expect(text).toContain('233 S Wacker Dr');
    expect(text).toContain(packed.carrier.toUpperCase());

    // The bars, read back from the drawing, are the Code 128 symbol of the tracking number.
    const bars = rectanglesOf(pdf).filter((r) => Math.abs(Math.abs(r.h) - 70) < 0.01).sort((a, b) => a.x - b.x);
    const module = Math.min(...bars.map((b) => b.w));
    const widths: number[] = [];
    bars.forEach((bar, i) => {
      if (i > 0) widths.push(Math.round((bar.x - (bars[i - 1]!.x + bars[i - 1]!.w)) / module));
      widths.push(Math.round(bar.w / module));
    });
    expect(widths).toEqual(code128Modules(packed.trackingNumber));
    // Code 128: 11 modules per symbol character, 13 for the stop pattern.
    expect((widths.reduce((s, w) => s + w, 0) - 13) % 11).toBe(0);
  });
});

/** A fixed-offset zone whose local hour now lies in [from, to]: lets a test put a location before or after a cut-off. */
function zoneWithLocalHour(from: number, to: number): string {
  for (let offset = -12; offset <= 14; offset++) {
    const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
    if (hour >= from && hour <= to) return zone;
  }
  throw new Error(`no zone has a local hour in ${from}-${to}`);
}

describe('same day', () => {
  it('re-routes or downgrades a same-day fulfillment whose location missed the courier cut-off, as the profile says', async () => {
    const before = zoneWithLocalHour(8, 11);
    const after = zoneWithLocalHour(16, 21);
    const darkStore = (lat: number, lon: number, timezone: string) =>
      locationBody(lat, lon, { type: 'dark_store', timezone, capabilities: { ship: true, pickup: false, curbside: false, sameDay: true, returns: false } });
    await seedNetwork(ops, {
      locations: { 'DS-NEAR': darkStore(41.88, -87.637, before), 'DS-SECOND': darkStore(41.92, -87.66, before) },
      skus: ['BOOT'],
      stock: [
        ['DS-NEAR', 'BOOT', 5],
        ['DS-SECOND', 'BOOT', 5],
      ],
    });
    const profile = await ops.put('/v1/routing-profiles/web-same-day', { name: 'Web same day', appliesTo: { channels: ['web'], serviceLevels: ['same_day'] }, sameDayMissedCutoff: 'reroute' });
    expect(profile.status, profile.text).toBe(200);
    const sameDay = (id: string, channel: string) => ({ ...shipOrder(id, [{ sku: 'BOOT', quantity: 1 }], channel), serviceLevel: 'same_day', fulfillment: { ...shipOrder(id, []).fulfillment, method: 'same_day' } });

    const order = (await web.post('/v1/orders?wait=routed', sameDay('FF-SD-1', 'web'))).body;
    expect(order.fulfillments[0]).toMatchObject({ locationId: 'DS-NEAR', carrier: 'CityCourier' });
    const id = order.fulfillments[0].id;
    await fulfillment(id);
    await ops.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'BOOT', quantity: 1 }] });
    // The afternoon goes by at DS-NEAR: its local clock is now past the courier's 14:00 cut-off.
    expect((await ops.put('/v1/locations/DS-NEAR', darkStore(41.88, -87.637, after))).status).toBe(200);
    const missed = await ops.post(`/v1/fulfillments/${id}/pack`, { packages: [PARCEL] });
    expect(missed.status, missed.text).toBe(200);
    expect(missed.body.status).toBe('cancelled');
    const rerouted = await orderWhen(order.id, (o) => o.events.some((e: { type: string }) => e.type === 'order.rerouted'), 're-routed');
    expect(rerouted.fulfillments.map((f: { locationId: string; status: string }) => [f.locationId, f.status])).toEqual([
      ['DS-NEAR', 'cancelled'],
      ['DS-SECOND', 'pending'],
    ]);

    // Another channel, no such profile: the built-in one downgrades to the fastest next service.
    const app = client(stack, await stack.key('channel', { channel: 'app' }));
    const second = (await app.post('/v1/orders?wait=routed', sameDay('FF-SD-2', 'app'))).body;
    expect(second.fulfillments[0].locationId).toBe('DS-SECOND');
    const secondId = second.fulfillments[0].id;
    await fulfillment(secondId);
    await ops.post(`/v1/fulfillments/${secondId}/pick`, { scans: [{ barcode: 'BOOT', quantity: 1 }] });
    expect((await ops.put('/v1/locations/DS-SECOND', darkStore(41.92, -87.66, after))).status).toBe(200);
    const downgraded = await ops.post(`/v1/fulfillments/${secondId}/pack`, { packages: [PARCEL] });
    expect(downgraded.body).toMatchObject({ status: 'packed', service: 'express' });
    expect(downgraded.body.events.at(-1).detail).toMatchObject({ downgradedFrom: 'same_day' });
  });
});
