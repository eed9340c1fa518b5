// Delivery promises over HTTP: the options for a cart from live stock, refusals naming the
// field, concurrent carts holding the last units (never more than there are), an order placed
// with a held promise taking its stock over, and a released hold giving it back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder, storeCaps } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { recordHistories } from '../support/record-history.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;

const destination = { name: 'Ada', line1: '233 S Wacker Dr', city: 'Chicago', region: 'IL', postalCode: '60606', country: 'US', geo: { lat: 41.8789, lon: -87.6359 } };
const pickupNear = { lat: 41.89, lon: -87.63 };

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  await seedNetwork(ops, {
    locations: {
      'P-WH': locationBody(41.88, -87.64, { handlingCost: { amount: 150, currency: 'USD' } }),
      'P-STORE': locationBody(41.891, -87.631, { type: 'store', capabilities: storeCaps, handlingCost: { amount: 300, currency: 'USD' } }),
      'P-FAR-STORE': locationBody(42.9, -87.9, { type: 'store', capabilities: storeCaps }),
    },
    skus: ['TENT', 'MUG', 'LAMP', 'LAST'],
    stock: [
      ['P-WH', 'TENT', 20],
      ['P-WH', 'MUG', 20],
      ['P-WH', 'LAMP', 20],
      ['P-STORE', 'TENT', 5],
      ['P-STORE', 'MUG', 5],
      ['P-STORE', 'LAMP', 5],
      ['P-WH', 'LAST', 3],
    ],
  });
});
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

const cart = [
  { sku: 'TENT', quantity: 1 },
  { sku: 'MUG', quantity: 2 },
  { sku: 'LAMP', quantity: 1 },
];
const pathsOf = (res: { body: { errors: { path: string }[] } }) => res.body.errors.map((e) => e.path).sort();
const heldAt = async (sku: string, locationId: string) => {
  const res = await ops.get(`/v1/availability?sku=${sku}&locationId=${locationId}`);
  return res.body.items[0].locations.find((l: { locationId: string }) => l.locationId === locationId).reserved as number;
};

describe('delivery promises', () => {
  it('offer ship options by level and pickup at the near store, each with its date, cost, CO₂e and splits', async () => {
    const before = Date.now();
    const res = await web.post('/v1/promises', { channel: 'web', destination, pickupNear, lines: cart });
    expect(res.status, res.text).toBe(201);
    const ids = res.body.options.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining(['ship:standard', 'ship:express', 'pickup:P-STORE']));
    expect(ids).not.toContain('pickup:P-FAR-STORE'); // beyond 50 km
    const standard = res.body.options.find((o: { id: string }) => o.id === 'ship:standard');
    expect(standard).toMatchObject({ method: 'ship', serviceLevel: 'standard', locationIds: ['P-WH'], splitCount: 1, cost: { currency: 'USD' } });
    expect(standard.estimatedDelivery).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(standard.cost.amount).toBeGreaterThan(150);
    expect(standard.co2eGrams).toBeGreaterThan(0);
    const pickup = res.body.options.find((o: { id: string }) => o.id === 'pickup:P-STORE');
    expect(pickup).toMatchObject({ method: 'pickup', locationIds: ['P-STORE'], splitCount: 1 });
    // Always open: ready after the store's two-hour pick time.
    const ready = Date.parse(pickup.readyAt) - before;
    expect(ready).toBeGreaterThanOrEqual(119 * 60_000);
    expect(ready).toBeLessThanOrEqual(125 * 60_000);
    expect(res.body.hold).toBeUndefined();
    expect(res.body.unavailable).toEqual([]);
    expect((await web.get(`/v1/promises/${res.body.id}`)).body.options).toEqual(res.body.options);
  });

  it('refuse a bad cart naming the field, and another channel', async () => {
    expect(pathsOf(await web.post('/v1/promises', { channel: 'web', lines: cart }))).toEqual(['destination']);
    expect(pathsOf(await web.post('/v1/promises', { channel: 'web', destination, lines: [{ sku: 'NOPE', quantity: 1 }] }))).toEqual(['lines[0].sku']);
    expect(pathsOf(await web.post('/v1/promises', { channel: 'web', destination, lines: [cart[0], cart[0]] }))).toEqual(['lines[1].sku']);
    expect(pathsOf(await web.post('/v1/promises', { channel: 'web', destination, lines: cart, hold: { minutes: 61 } }))).toEqual(['hold.minutes']);
    expect(pathsOf(await web.post('/v1/promises', { channel: 'web', destination, lines: cart, hold: { minutes: 5, optionId: 'pickup:P-STORE' } }))).toEqual(['hold.optionId']);
    expect((await web.post('/v1/promises', { channel: 'app', destination, lines: cart })).status).toBe(403);
    const app = client(stack, await stack.key('channel', { channel: 'app' }));
    const mine = await web.post('/v1/promises', { channel: 'web', destination, lines: cart });
    expect((await app.get(`/v1/promises/${mine.body.id}`)).status).toBe(404);
  });

  it('let concurrent carts hold the last units, never more than there are', async () => {
    const carts = await Promise.all(
      Array.from({ length: 6 }, () => web.post('/v1/promises', { channel: 'web', destination, lines: [{ sku: 'LAST', quantity: 1 }], serviceLevels: ['standard'], hold: { minutes: 15 } })),
    );
    expect(carts.map((c) => c.status)).toEqual(Array(6).fill(201));
    const states = carts.map((c) => c.body.hold.state).sort();
    expect(states).toEqual(['held', 'held', 'held', 'unavailable', 'unavailable', 'unavailable']);
    expect(await heldAt('LAST', 'P-WH')).toBe(3);
    for (const c of carts.filter((x) => x.body.hold.state === 'held')) expect(Date.parse(c.body.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    // A cart after them is told there is nothing to promise.
    const late = await web.post('/v1/promises', { channel: 'web', destination, lines: [{ sku: 'LAST', quantity: 1 }] });
    expect(late.body.options).toEqual([]);

    // An order with a held promise takes its stock over; the released cart gives its unit back.
    const held = carts.filter((c) => c.body.hold.state === 'held');
    const order = await web.post('/v1/orders?wait=routed', { ...shipOrder('PROMISED-1', [{ sku: 'LAST', quantity: 1 }]), promiseId: held[0]!.body.id });
    expect(order.status, order.text).toBe(201);
    expect(order.body).toMatchObject({ status: 'routed', promiseId: held[0]!.body.id });
    expect(order.body.fulfillments[0].locationId).toBe('P-WH');
    const [decision] = (await ops.get(`/v1/orders/${order.body.id}/routing`)).body.items;
    expect(decision.explanation.chosen).toContain(`promise ${held[0]!.body.id}, option ship:standard), its held stock taken over`);
    expect((await web.get(`/v1/promises/${held[0]!.body.id}`)).body.hold).toEqual({ optionId: 'ship:standard', state: 'used', orderId: order.body.id });
    expect(await heldAt('LAST', 'P-WH')).toBe(3);
    await recordHistories(stack, { 'order-placed-with-held-promise': `order-${order.body.id}` });

    const released = await web.post(`/v1/promises/${held[1]!.body.id}/release`, {});
    expect(released.body.hold.state).toBe('released');
    expect((await web.post(`/v1/promises/${held[1]!.body.id}/release`, {})).status).toBe(409);
    expect(await heldAt('LAST', 'P-WH')).toBe(2);
    // A used promise is not taken twice: the second order routes on what is left.
    const again = await web.post('/v1/orders?wait=routed', { ...shipOrder('PROMISED-2', [{ sku: 'LAST', quantity: 1 }]), promiseId: held[0]!.body.id });
    expect(again.body.status).toBe('routed');
    expect(await heldAt('LAST', 'P-WH')).toBe(3);
    const third = await web.post('/v1/orders?wait=routed', { ...shipOrder('PROMISED-3', [{ sku: 'LAST', quantity: 1 }]), promiseId: held[2]!.body.id });
    expect(third.body.status).toBe('routed');
    expect(await heldAt('LAST', 'P-WH')).toBe(3);
    const none = await web.post('/v1/orders?wait=routed', shipOrder('PROMISED-4', [{ sku: 'LAST', quantity: 1 }]));
    expect(none.body.status).toBe('backordered');
  });

  it("choose the profile a routing rule gives the cart's value, as routing will", async () => {
    expect((await ops.put('/v1/routing-profiles/big-carts', { name: 'Big carts', appliesTo: { channels: ['app'] } })).status).toBe(200);
    expect((await ops.put('/v1/routing-rules', { rules: [{ when: { orderValueAtLeast: { amount: 100_000, currency: 'USD' } }, profileId: 'big-carts' }] })).status).toBe(200);
    try {
      const quote = (orderValue: number) => web.post('/v1/promises', { channel: 'web', destination, lines: cart, serviceLevels: ['standard'], orderValue: { amount: orderValue, currency: 'USD' } });
      // The promise service reads rules at most 5 s old.
      await eventually(() => quote(150_000), (r) => r.body.options[0]?.profileId === 'big-carts', 'the new rule in quotes', 15_000);
      expect((await quote(9_900)).body.options[0].profileId).not.toBe('big-carts');
    } finally {
      expect((await ops.put('/v1/routing-rules', { rules: [] })).status).toBe(200);
    }
  });

  it('route an order placed with a promise it was not held for to that plan while the stock is there, and refuse an unknown promise', async () => {
    const quote = await web.post('/v1/promises', { channel: 'web', pickupNear, lines: cart });
    const pickup = { ...shipOrder('PROMISED-PICKUP', cart), fulfillment: { method: 'pickup', pickupLocationId: 'P-STORE' }, promiseId: quote.body.id };
    const order = await web.post('/v1/orders?wait=routed', pickup);
    expect(order.body.fulfillments.map((f: { locationId: string }) => f.locationId)).toEqual(['P-STORE']);
    const [decision] = (await ops.get(`/v1/orders/${order.body.id}/routing`)).body.items;
    expect(decision.explanation.chosen).toContain('option pickup:P-STORE), reserved afresh');
    const unknown = await web.post('/v1/orders', { ...shipOrder('PROMISED-X', cart), promiseId: 'prm_nope' });
    expect(pathsOf(unknown)).toEqual(['promiseId']);
  });
});
