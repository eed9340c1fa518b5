// Demand history over HTTP: past days imported from an ERP (validated, all or nothing,
// idempotent per SKU, location, channel and day), and the daily series a forecast reads -
// Fulcrum's own orders counted where they are fulfilled, cancellations out, imported days
// replacing the orders' for their channel, stock-out days marked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  // UTC, so "today" here is the location's day too.
  await seedNetwork(ops, { locations: { 'WH-D': locationBody(41.88, -87.64, { timezone: 'UTC' }) }, skus: ['DEM-1', 'DEM-2'], stock: [['WH-D', 'DEM-1', 50], ['WH-D', 'DEM-2', 50]] });
});
afterAll(async () => stack?.close());

const series = async (query: string) => ops.get(`/v1/demand-history?${query}`);

describe('demand history', () => {
  it('refuses an import naming each bad item, and writes nothing', async () => {
    const bad = await ops.post('/v1/demand-history', {
      items: [
        { sku: 'DEM-1', locationId: 'WH-D', date: daysAgo(3), quantity: 4 },
        { sku: 'NOPE', locationId: 'WH-D', date: daysAgo(3), quantity: 4 },
        { sku: 'DEM-1', locationId: 'WH-D', date: daysAgo(3), quantity: 5 },
        { sku: 'DEM-1', locationId: 'WH-D', date: '2026-02-30', quantity: 1 },
        { sku: 'DEM-1', locationId: 'WH-D', date: daysAgo(-2), quantity: 1 },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['items[3].date']);
    const semantic = await ops.post('/v1/demand-history', {
      items: [
        { sku: 'DEM-1', locationId: 'WH-D', date: daysAgo(3), quantity: 4 },
        { sku: 'NOPE', locationId: 'WH-D', date: daysAgo(3), quantity: 4 },
        { sku: 'DEM-1', locationId: 'WH-D', date: daysAgo(3), quantity: 5 },
        { sku: 'DEM-1', locationId: 'WH-D', date: daysAgo(-2), quantity: 1 },
      ],
    });
    expect(semantic.status).toBe(422);
    expect(semantic.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['items[1].sku', 'items[2]', 'items[3].date']);
    expect((await web.post('/v1/demand-history', { items: [{ sku: 'DEM-1', locationId: 'WH-D', date: daysAgo(3), quantity: 4 }] })).status).toBe(403);
    const days = (await series(`sku=DEM-1&locationId=WH-D&from=${daysAgo(3)}&to=${daysAgo(3)}`)).body.days;
    expect(days).toEqual([{ date: daysAgo(3), quantity: 0, stockout: false, source: 'orders' }]);
  });

  it('imports past days idempotently: the same day again replaces it', async () => {
    const items = [
      { sku: 'DEM-2', locationId: 'WH-D', channel: 'web', date: daysAgo(2), quantity: 7 },
      { sku: 'DEM-2', locationId: 'WH-D', channel: 'store', date: daysAgo(2), quantity: 1 },
      { sku: 'DEM-2', locationId: 'WH-D', date: daysAgo(1), quantity: 0, stockout: true },
    ];
    expect((await ops.post('/v1/demand-history', { items })).body).toEqual({ imported: 3 });
    expect((await ops.post('/v1/demand-history', { items })).body).toEqual({ imported: 3 });
    const read = await series(`sku=DEM-2&locationId=WH-D&from=${daysAgo(2)}&to=${daysAgo(1)}`);
    expect(read.body).toMatchObject({ sku: 'DEM-2', locationId: 'WH-D', channel: null });
    expect(read.body.days).toEqual([
      { date: daysAgo(2), quantity: 8, stockout: false, source: 'import' },
      { date: daysAgo(1), quantity: 0, stockout: true, source: 'import' },
    ]);
    expect((await series(`sku=DEM-2&locationId=WH-D&channel=web&from=${daysAgo(2)}&to=${daysAgo(2)}`)).body.days[0].quantity).toBe(7);
    await ops.post('/v1/demand-history', { items: [{ ...items[0], quantity: 9 }] });
    expect((await series(`sku=DEM-2&locationId=WH-D&from=${daysAgo(2)}&to=${daysAgo(2)}`)).body.days[0].quantity).toBe(10);
  });

  it('counts each order line at the location that fulfils it, without what was cancelled', async () => {
    const first = await web.post('/v1/orders?wait=routed', shipOrder('DEM-O1', [{ sku: 'DEM-1', quantity: 2 }]));
    const second = await web.post('/v1/orders?wait=routed', shipOrder('DEM-O2', [{ sku: 'DEM-1', quantity: 3 }]));
    expect([first.body.status, second.body.status]).toEqual(['routed', 'routed']);
    const todayOf = async () => (await series(`sku=DEM-1&locationId=WH-D&from=${today}&to=${today}`)).body.days[0];
    expect(await eventually(todayOf, (d) => d.quantity === 5)).toEqual({ date: today, quantity: 5, stockout: false, source: 'orders' });
    expect((await web.post(`/v1/orders/${second.body.id}/cancel`, { reason: 'changed mind' })).status).toBe(200);
    expect((await eventually(todayOf, (d) => d.quantity === 2)).quantity).toBe(2);
    // An imported day replaces the orders' for its channel.
    await ops.post('/v1/demand-history', { items: [{ sku: 'DEM-1', locationId: 'WH-D', channel: 'web', date: today, quantity: 11 }] });
    expect(await todayOf()).toEqual({ date: today, quantity: 11, stockout: false, source: 'import' });
  });

  it('marks a day the location had none to sell as a stock-out', async () => {
    expect((await ops.put('/v1/inventory/WH-D/DEM-2', { onHand: 0 })).status).toBe(200);
    const day = (await series(`sku=DEM-2&locationId=WH-D&from=${today}&to=${today}`)).body.days[0];
    expect(day).toEqual({ date: today, quantity: 0, stockout: true, source: 'orders' });
  });

  it('refuses a window that ends before it starts or is too long, naming `to`, and an unknown location', async () => {
    const backwards = await series(`sku=DEM-1&locationId=WH-D&from=${today}&to=${daysAgo(1)}`);
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors).toEqual([{ path: 'query.to', message: 'is before from' }]);
    const long = await series(`sku=DEM-1&locationId=WH-D&from=2020-01-01&to=${today}`);
    expect(long.status).toBe(422);
    expect(long.body.errors[0].path).toBe('query.to');
    const ancient = await series(`sku=DEM-1&locationId=WH-D&from=0001-01-01&to=2999-12-31`);
    expect(ancient.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.from']);
    expect((await series(`sku=DEM-1&locationId=NOWHERE&from=${today}&to=${today}`)).body.errors).toEqual([{ path: 'query.locationId', message: 'unknown location NOWHERE' }]);
  });
});
