// The promise that matters most: concurrent orders never oversell. 200 orders race over
// real HTTP (one connection each) for 10 units spread over 3 locations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  await seedNetwork(ops, {
    locations: {
      'WH-1': locationBody(41.88, -87.64),
      'WH-2': locationBody(41.52, -88.08),
      'WH-3': locationBody(42.05, -87.68),
    },
    skus: ['SKU-HOT', 'SKU-BUNDLE'],
    stock: [
      ['WH-1', 'SKU-HOT', 4],
      ['WH-2', 'SKU-HOT', 3],
      ['WH-3', 'SKU-HOT', 3],
      ['WH-1', 'SKU-BUNDLE', 4],
      ['WH-2', 'SKU-BUNDLE', 3],
      ['WH-3', 'SKU-BUNDLE', 3],
    ],
  });
});
afterAll(async () => stack?.close());

/** Posts the orders all at once, then waits (by polling, with a deadline) for every routing decision. */
async function raceOrders(bodies: ReturnType<typeof shipOrder>[]) {
  const created = await Promise.all(bodies.map((body) => web.post('/v1/orders', body)));
  expect(created.every((r) => r.status === 201)).toBe(true);
  const ids = created.map((r) => r.body.id as string);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const rows = await stack.db('orders').whereIn('id', ids).whereIn('status', ['routed', 'backordered']).select('id');
    if (rows.length === ids.length || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return Promise.all(ids.map(async (id) => (await web.get(`/v1/orders/${id}`)).body));
}

async function reservedBy(sku: string) {
  const res = await ops.get(`/v1/availability?sku=${sku}`);
  return res.body.items[0] as { total: { reserved: number; available: number }; locations: { locationId: string; onHand: number; reserved: number }[] };
}

describe('concurrent orders', () => {
  it('reserve exactly the 10 units there are when 200 orders race for them', async () => {
    const orders = await raceOrders(Array.from({ length: 200 }, (_, i) => shipOrder(`HOT-${i}`, [{ sku: 'SKU-HOT', quantity: 1 }])));
    const statuses = orders.map((o) => o.status);
    expect(statuses.filter((s) => s === 'routed')).toHaveLength(10);
    expect(statuses.filter((s) => s === 'backordered')).toHaveLength(190);

    const stock = await reservedBy('SKU-HOT');
    expect(stock.total).toMatchObject({ reserved: 10, available: 0 });
    for (const location of stock.locations) expect(location.reserved).toBe(location.onHand);
    await expectInventoryConsistent(stack.db);
  });

  it('count two lines of one order for the same SKU together (the bundle case)', async () => {
    const orders = await raceOrders(
      Array.from({ length: 200 }, (_, i) =>
        shipOrder(`BUNDLE-${i}`, [
          { sku: 'SKU-BUNDLE', quantity: 1 },
          { sku: 'SKU-BUNDLE', quantity: 1 },
        ]),
      ),
    );
    const routed = orders.filter((o) => o.status === 'routed');
    // Each order needs 2 units; shipments may split across locations, so all 10 units serve 5 orders.
    expect(routed).toHaveLength(5);
    expect(orders.filter((o) => o.status === 'backordered')).toHaveLength(195);
    for (const order of routed) {
      const lines = order.fulfillments.flatMap((f: { lines: { lineId: string; quantity: number }[] }) => f.lines);
      expect(lines.reduce((sum: number, l: { quantity: number }) => sum + l.quantity, 0)).toBe(2);
      expect(order.lines.map((l: { allocated: number }) => l.allocated)).toEqual([1, 1]);
    }
    const stock = await reservedBy('SKU-BUNDLE');
    expect(stock.total.reserved).toBe(10);
    for (const location of stock.locations) expect(location.reserved).toBeLessThanOrEqual(location.onHand);
    await expectInventoryConsistent(stack.db);
  });
});
