// Ship fulfillments end to end over HTTP: associates pick with barcode scans, pack (label
// bought), hand off; carriers post tracking events; the order captures payment per shipment
// and completes. Exceptions on the way: wrong barcodes, short picks, rejections, partial
// cancels, address changes, reroutes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { shipOrder } from '../support/fixtures.ts';
import { PARCEL, SHOE_GTIN, setUpShipNetwork } from './ship-network.ts';

let t: Awaited<ReturnType<typeof setUpShipNetwork>>;
beforeAll(async () => {
  t = await setUpShipNetwork();
});
afterAll(async () => t?.stack.close());
afterEach(async () => expectInventoryConsistent(t.stack.db));

describe('a split order', () => {
  it('ships from two locations, is tracked to the door, captures per shipment and completes', async () => {
    const created = await t.web.post('/v1/orders?wait=routed', shipOrder('FF-SPLIT', [{ sku: 'SHOE', quantity: 1 }, { sku: 'SOCK', quantity: 2 }]));
    expect(created.status).toBe(201);
    const order = created.body;
    expect(order.fulfillments.map((f: { locationId: string }) => f.locationId).sort()).toEqual(['WH-SHOES', 'WH-SOCKS']);
    const shoes = order.fulfillments.find((f: { locationId: string }) => f.locationId === 'WH-SHOES');
    const socks = order.fulfillments.find((f: { locationId: string }) => f.locationId === 'WH-SOCKS');

    // The associate's queue, and nobody else's location.
    await t.fulfillment(shoes.id);
    const queue = await t.shoesOnly.get('/v1/locations/WH-SHOES/fulfillments');
    expect(queue.body.items.map((f: { id: string }) => f.id)).toContain(shoes.id);
    expect((await t.shoesOnly.get('/v1/locations/WH-SOCKS/fulfillments')).status).toBe(404);
    expect((await t.shoesOnly.get(`/v1/fulfillments/${socks.id}`)).status).toBe(404);

    // The shoe is picked by its GTIN, the socks by SKU.
    const picked = await t.shoesOnly.post(`/v1/fulfillments/${shoes.id}/pick`, { scans: [{ barcode: SHOE_GTIN, quantity: 1 }] });
    expect(picked.status, picked.text).toBe(200);
    expect(picked.body).toMatchObject({ status: 'picking', lines: [{ sku: 'SHOE', picked: 1, short: 0 }] });
    const packed = await t.shoesOnly.post(`/v1/fulfillments/${shoes.id}/pack`, { packages: [PARCEL] });
    expect(packed.status, packed.text).toBe(200);
    expect(packed.body).toMatchObject({ status: 'packed', carrier: expect.any(String), service: expect.any(String), trackingNumber: expect.any(String) });
    const handed = await t.shoesOnly.post(`/v1/fulfillments/${shoes.id}/handoff`, {});
    expect(handed.body.status).toBe('shipped');
    const half = await t.orderWhen(order.id, (o) => o.status === 'partially_shipped' && o.payment.captured > 0, 'partially shipped and captured');
    expect(half.lines.find((l: { lineId: string }) => l.lineId === '1')).toMatchObject({ shipped: 1 });
    expect(half.payment.captured).toBeGreaterThan(0);
    expect(half.payment.captured).toBeLessThan(order.payment.amount.amount);

    const socksShipped = await t.shipIt(socks.id);
    await t.orderWhen(order.id, (o) => o.status === 'shipped', 'shipped');

    // Tracking: in transit (twice: a repeat is harmless), then delivered.
    for (const f of [handed.body, socksShipped]) {
      const event = { trackingNumber: f.trackingNumber, status: 'in_transit', at: new Date().toISOString() };
      expect((await t.carrier.post(`/v1/carriers/${f.carrier}/events`, event)).status).toBe(202);
      expect((await t.carrier.post(`/v1/carriers/${f.carrier}/events`, event)).status).toBe(202);
    }
    await eventually(() => t.ops.get(`/v1/fulfillments/${shoes.id}`), (r) => r.body.status === 'in_transit', 'in transit');
    expect((await t.ops.get(`/v1/fulfillments/${shoes.id}`)).body.events.filter((e: { type: string }) => e.type === 'fulfillment.in_transit')).toHaveLength(1);
    expect((await t.carrier.post(`/v1/carriers/${handed.body.carrier}/events`, { trackingNumber: 'PC000000000000', status: 'delivered', at: new Date().toISOString() })).status).toBe(404);
    expect((await t.carrier.post('/v1/carriers/OtherCarrier/events', { trackingNumber: handed.body.trackingNumber, status: 'delivered', at: new Date().toISOString() })).status).toBe(404);
    // A delivery exception shows on the order, for ops.
    await t.carrier.post(`/v1/carriers/${socksShipped.carrier}/events`, { trackingNumber: socksShipped.trackingNumber, status: 'exception', at: new Date().toISOString(), detail: 'no access to building' });
    const flagged = await t.orderWhen(order.id, (o) => o.events.some((e: { type: string }) => e.type === 'order.delivery_exception'), 'delivery exception on the order');
    expect(flagged.events.find((e: { type: string }) => e.type === 'order.delivery_exception').detail).toMatchObject({ fulfillmentId: socks.id, carrierDetail: 'no access to building' });
    expect(flagged.events.map((e: { type: string }) => e.type)).toContain('order.delayed');
    for (const f of [handed.body, socksShipped]) {
      const delivered = await t.carrier.post(`/v1/carriers/${f.carrier}/events`, { trackingNumber: f.trackingNumber, status: 'delivered', at: new Date().toISOString() });
      expect(delivered.status).toBe(202);
    }

    const done = await t.orderWhen(order.id, (o) => o.status === 'completed', 'completed');
    expect(done.lines).toEqual([
      expect.objectContaining({ lineId: '1', quantity: 1, shipped: 1, cancelled: 0 }),
      expect.objectContaining({ lineId: '2', quantity: 2, shipped: 2, cancelled: 0 }),
    ]);
    // Two captures that add up to exactly what was authorized; nothing voided.
    expect(done.payment).toMatchObject({ captured: order.payment.amount.amount });
    const captures = await t.stack.db('payment_transactions').where({ order_id: order.id, kind: 'capture' });
    expect(captures).toHaveLength(2);
    // Stock left the building: on hand dropped, nothing reserved for this order any more.
    expect(await t.onHand('WH-SOCKS', 'SOCK')).toBe(18);
    const held = await t.stack.db('reservations').where({ order_id: order.id, state: 'held' });
    expect(held).toHaveLength(0);
    // The outbox carries the business events in order.
    // The outbox is written by the workflow's last publish, just after the status changes.
    const events = await eventually(() => t.ops.get(`/v1/events?orderId=${order.id}`), (r) => r.body.items.some((e: { type: string }) => e.type === 'order.completed'), 'outbox');
    const types = events.body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['order.routed', 'fulfillment.shipped', 'fulfillment.delivered', 'payment.captured', 'order.completed']));
    expect(types.indexOf('order.routed')).toBeLessThan(types.indexOf('order.completed'));
  });
});

describe('picking', () => {
  it('refuses a barcode that matches no line (422) and records nothing', async () => {
    const order = (await t.web.post('/v1/orders?wait=routed', shipOrder('FF-WRONG', [{ sku: 'SHOE', quantity: 2 }]))).body;
    const id = order.fulfillments[0].id;
    await t.fulfillment(id);
    const wrong = await t.associate.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: SHOE_GTIN, quantity: 1 }, { barcode: 'SOCK', quantity: 1 }] });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([{ path: 'scans[1].barcode', message: expect.stringContaining('matches no line') }]);
    const badCheckDigit = SHOE_GTIN.slice(0, -1) + String((Number(SHOE_GTIN.at(-1)) + 1) % 10);
    const bad = await t.associate.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: badCheckDigit, quantity: 1 }] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].message).toContain('check digit');
    const tooMany = await t.associate.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'SHOE', quantity: 3 }] });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors[0].path).toBe('scans[0].quantity');
    const after = (await t.ops.get(`/v1/fulfillments/${id}`)).body;
    expect(after).toMatchObject({ status: 'pending', lines: [{ picked: 0, short: 0 }] });
    // Packing before every unit is picked is a state conflict.
    expect((await t.associate.post(`/v1/fulfillments/${id}/pack`, { packages: [PARCEL] })).status).toBe(409);
  });

  it('writes a short pick off and re-routes the short units without that location', async () => {
    const before = await t.onHand('WH-SHOES', 'SHOE');
    const order = (await t.web.post('/v1/orders?wait=routed', shipOrder('FF-SHORT', [{ sku: 'SHOE', quantity: 3 }]))).body;
    const first = order.fulfillments[0];
    expect(first.locationId).toBe('WH-SHOES');
    await t.fulfillment(first.id);
    const res = await t.associate.post(`/v1/fulfillments/${first.id}/pick`, { scans: [{ barcode: 'SHOE', quantity: 2 }], shortages: [{ lineId: '1', quantity: 1 }] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.lines[0]).toMatchObject({ quantity: 3, picked: 2, short: 1 });
    // The missing unit left the books at WH-SHOES (written off) …
    expect(await t.onHand('WH-SHOES', 'SHOE')).toBe(before - 1);
    const ledger = await t.ops.get('/v1/inventory/WH-SHOES/SHOE/ledger');
    expect(ledger.body.items.some((e: { reason: string }) => e.reason === 'short_pick')).toBe(true);
    // … and was routed to another location.
    const rerouted = await t.orderWhen(order.id, (o) => o.events.some((e: { type: string }) => e.type === 'order.rerouted'), 're-routed');
    const second = rerouted.fulfillments[1];
    expect(second).toMatchObject({ locationId: 'WH-FAR', lines: [{ lineId: '1', quantity: 1 }] });
    expect(rerouted.fulfillments[0].lines).toEqual([{ lineId: '1', quantity: 2 }]);
    expect(rerouted.lines[0]).toMatchObject({ allocated: 3, cancelled: 0 });
    expect(rerouted.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['order.reroute_requested', 'order.rerouted']));
    await t.shipIt(first.id);
    await t.shipIt(second.id);
    await t.orderWhen(order.id, (o) => o.status === 'shipped', 'shipped');
  });
});

describe('exceptions at the location', () => {
  it('re-routes a fulfillment the store rejects', async () => {
    const order = (await t.web.post('/v1/orders?wait=routed', shipOrder('FF-REJECT', [{ sku: 'SOCK', quantity: 1 }]))).body;
    const first = order.fulfillments[0];
    expect(first.locationId).toBe('WH-SOCKS');
    await t.fulfillment(first.id);
    expect((await t.associate.post(`/v1/fulfillments/${first.id}/reject`, { reason: '' })).status).toBe(422);
    const rejected = await t.associate.post(`/v1/fulfillments/${first.id}/reject`, { reason: 'flooded stock room' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    const rerouted = await t.orderWhen(order.id, (o) => o.fulfillments.length === 2, 're-routed');
    expect(rerouted.fulfillments[0].status).toBe('rejected');
    expect(rerouted.fulfillments[1]).toMatchObject({ locationId: 'WH-FAR', status: 'pending' });
    expect(rerouted.status).toBe('routed');
    const held = await t.stack.db('reservations').where({ order_id: order.id, state: 'held' });
    expect(held.map((r) => r.location_id)).toEqual(['WH-FAR']);
  });

  it('re-routes a fulfillment to a named location on an exception action, and refuses once packed', async () => {
    const order = (await t.web.post('/v1/orders?wait=routed', shipOrder('FF-MOVE', [{ sku: 'HAT', quantity: 1 }]))).body;
    const first = order.fulfillments[0];
    expect(first.locationId).toBe('WH-SPARE');
    const bad = await t.exceptions.post(`/v1/orders/${order.id}/reroute`, { fulfillmentId: 'ful_nope', reason: 'x' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('fulfillmentId');
    await t.fulfillment(first.id);
    const moved = await t.exceptions.post(`/v1/orders/${order.id}/reroute`, { fulfillmentId: first.id, toLocationId: 'WH-FAR', reason: 'store short-staffed' });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.fulfillments.map((f: { locationId: string; status: string }) => [f.locationId, f.status])).toEqual([
      ['WH-SPARE', 'cancelled'],
      ['WH-FAR', 'pending'],
    ]);
    const event = moved.body.events.find((e: { type: string }) => e.type === 'order.rerouted');
    expect(event.detail).toMatchObject({ fromLocationId: 'WH-SPARE', reason: 'store short-staffed', by: expect.stringContaining('exceptions') });
    const second = moved.body.fulfillments[1];
    await t.fulfillment(second.id);
    await t.associate.post(`/v1/fulfillments/${second.id}/pick`, { scans: [{ barcode: 'HAT', quantity: 1 }] });
    await t.associate.post(`/v1/fulfillments/${second.id}/pack`, { packages: [PARCEL] });
    expect((await t.exceptions.post(`/v1/orders/${order.id}/reroute`, { fulfillmentId: second.id, reason: 'late' })).status).toBe(409);
  });
});

describe('order changes', () => {
  it('cancels some units: their stock is released, the rest ships, and only what shipped is charged', async () => {
    const order = (await t.web.post('/v1/orders?wait=routed', shipOrder('FF-PARTIAL', [{ sku: 'SOCK', quantity: 3 }, { sku: 'SHOE', quantity: 1 }]))).body;
    expect((await t.exceptions.post(`/v1/orders/${order.id}/cancel`, { reason: 'x', lines: [{ lineId: '9', quantity: 1 }] })).status).toBe(422);
    expect((await t.exceptions.post(`/v1/orders/${order.id}/cancel`, { reason: 'x', lines: [{ lineId: '1', quantity: 4 }] })).status).toBe(422);
    const cancelled = await t.web.post(`/v1/orders/${order.id}/cancel`, { reason: 'customer changed their mind', lines: [{ lineId: '1', quantity: 2 }] });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.lines[0]).toMatchObject({ cancelled: 2 });
    const settled = await t.orderWhen(order.id, (o) => o.lines[0].allocated === 1, 'cancellation applied');
    expect(settled.status).not.toBe('cancelled');
    const sockReservations = await t.stack.db('reservations').where({ order_id: order.id, sku: 'SOCK', state: 'held' });
    expect(sockReservations.reduce((s, r) => s + r.quantity, 0)).toBe(1);
    for (const f of settled.fulfillments) await t.shipIt(f.id);
    for (const f of settled.fulfillments) {
      const shipped = (await t.ops.get(`/v1/fulfillments/${f.id}`)).body;
      await t.carrier.post(`/v1/carriers/${shipped.carrier}/events`, { trackingNumber: shipped.trackingNumber, status: 'delivered', at: new Date().toISOString() });
    }
    const done = await t.orderWhen(order.id, (o) => o.status === 'completed', 'completed');
    // 2 of 4 units' value shipped: half the authorization captured, the rest voided.
    expect(done.payment).toMatchObject({ captured: 2000, voided: 2000 });
    // A completed order cannot be cancelled any more.
    expect((await t.exceptions.post(`/v1/orders/${order.id}/cancel`, { reason: 'late' })).status).toBe(409);
  });

  it('cancels a whole line of a two-line fulfillment, leaving the other to ship', async () => {
    const order = (await t.web.post('/v1/orders?wait=routed', shipOrder('FF-LINE', [{ sku: 'SHOE', quantity: 1 }, { sku: 'SHOE', quantity: 2 }]))).body;
    expect(order.fulfillments).toHaveLength(1);
    const id = order.fulfillments[0].id;
    await t.fulfillment(id);
    expect((await t.exceptions.post(`/v1/orders/${order.id}/cancel`, { reason: 'not needed', lines: [{ lineId: '2', quantity: 2 }] })).status).toBe(200);
    const applied = await eventually(() => t.ops.get(`/v1/fulfillments/${id}`), (r) => r.body.lines.find((l: { lineId: string }) => l.lineId === '2').quantity === 0, 'line cancelled at the location');
    expect(applied.body.status).toBe('pending');
    const held = await t.stack.db('reservations').where({ order_id: order.id, state: 'held' });
    expect(held.map((r) => [r.line_id, r.quantity])).toEqual([['1', 1]]);
    await t.shipIt(id);
    await t.orderWhen(order.id, (o) => o.status === 'shipped', 'shipped');
  });

  it('cancels a whole order before it ships, releasing every reservation', async () => {
    const order = (await t.web.post('/v1/orders?wait=routed', shipOrder('FF-CANCEL', [{ sku: 'SHOE', quantity: 2 }]))).body;
    const res = await t.web.post(`/v1/orders/${order.id}/cancel`, { reason: 'duplicate order' });
    expect(res.status, res.text).toBe(200);
    const done = await t.orderWhen(order.id, (o) => o.status === 'cancelled', 'cancelled');
    expect(done.fulfillments[0].status).toBe('cancelled');
    expect(done.payment).toMatchObject({ voided: order.payment.amount.amount });
    expect(await t.stack.db('reservations').where({ order_id: order.id, state: 'held' })).toHaveLength(0);
  });

  it('changes the address until a label exists, then refuses with 409', async () => {
    const order = (await t.web.post('/v1/orders?wait=routed', shipOrder('FF-ADDR', [{ sku: 'SHOE', quantity: 1 }]))).body;
    const newAddress = { shipTo: { line1: '1 N State St', city: 'Chicago', region: 'IL', postalCode: '60602', country: 'US', geo: { lat: 41.882, lon: -87.628 } } };
    expect((await t.web.post(`/v1/orders/${order.id}/address`, { shipTo: { line1: 'x' } })).status).toBe(422);
    const changed = await t.web.post(`/v1/orders/${order.id}/address`, newAddress);
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.shipTo.line1).toBe('1 N State St');
    const id = order.fulfillments[0].id;
    await t.fulfillment(id);
    await t.associate.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'SHOE', quantity: 1 }] });
    expect((await t.associate.post(`/v1/fulfillments/${id}/pack`, { packages: [PARCEL] })).status).toBe(200);
    await t.orderWhen(order.id, (o) => o.fulfillments[0].trackingNumber !== undefined, 'label known to the order');
    const refused = await t.exceptions.post(`/v1/orders/${order.id}/address`, newAddress);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('label');
    // Cancelled after packing: the stock goes back and the label is voided.
    expect((await t.web.post(`/v1/orders/${order.id}/cancel`, { reason: 'changed mind' })).status).toBe(200);
    await t.orderWhen(order.id, (o) => o.status === 'cancelled', 'cancelled');
    const label = await t.stack.db('shipping_labels').where({ fulfillment_id: id }).first();
    expect(label.voided_at).not.toBeNull();
    expect((await t.ops.get(`/v1/fulfillments/${id}`)).body.events.map((e: { type: string }) => e.type)).toContain('fulfillment.label_voided');
  });
});

/** The filled rectangles of a PDF's (Flate-compressed) content streams: pdfkit draws bars as `x y w h re`. */