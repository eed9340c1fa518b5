// Markets over HTTP: a US market in dollars and a German one in euros. Money never mixes
// currencies (422 naming the field), routing stays within the order's market unless its
// profile allows cross-border, and the German orders ship with the market's own carriers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder, storeCaps } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let de: ReturnType<typeof client>;

const euro = (amount: number) => ({ amount, currency: 'EUR' });
const berlin = { name: 'Anna Schmidt', line1: 'Unter den Linden 1', city: 'Berlin', region: 'BE', postalCode: '10117', country: 'DE', geo: { lat: 52.517, lon: 13.389 } };
const usMarket = { name: 'United States', countries: ['US'], currency: 'USD', timezone: 'America/Chicago', channels: ['web'] };
const deMarket = { name: 'Germany', countries: ['DE', 'AT'], currency: 'EUR', timezone: 'Europe/Berlin', channels: ['web-de'], returnPolicy: { windowDays: 14 }, language: 'de' };

function germanOrder(id: string, lines: { sku: string; quantity: number }[], shipTo: Record<string, unknown> = berlin) {
  const order = shipOrder(id, lines, 'web-de');
  return {
    ...order,
    fulfillment: { method: 'ship', shipTo },
    lines: order.lines.map((l) => ({ ...l, unitPrice: euro(2500) })),
    payment: { ...order.payment, amount: euro(2500 * lines.reduce((s, l) => s + l.quantity, 0)) },
  };
}
const pathsOf = (res: { body: { errors: { path: string }[] } }) => res.body.errors.map((e) => e.path).sort();

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  de = client(stack, await stack.key('channel', { channel: 'web-de' }));
  expect((await ops.put('/v1/markets/us', usMarket)).status).toBe(200);
  expect((await ops.put('/v1/markets/de', deMarket)).status).toBe(200);
  await seedNetwork(ops, {
    locations: {
      'US-WH': locationBody(41.88, -87.64, { marketId: 'us', handlingCost: { amount: 150, currency: 'USD' } }),
      'DE-WH': locationBody(52.45, 13.3, { marketId: 'de', timezone: 'Europe/Berlin', handlingCost: euro(120) }),
      'DE-STORE': locationBody(48.137, 11.575, { marketId: 'de', timezone: 'Europe/Berlin', type: 'store', capabilities: storeCaps, handlingCost: euro(300) }),
      // Zürich, in no market: outside every order's market.
      'CH-WH': locationBody(47.37, 8.54, { timezone: 'Europe/Zurich' }),
    },
    skus: ['BIKE', 'RARE'],
    stock: [
      ['US-WH', 'BIKE', 5],
      ['DE-WH', 'BIKE', 5],
      ['CH-WH', 'RARE', 5],
    ],
  });
});
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

describe('markets', () => {
  it('refuse what would mix currencies or markets, naming the field', async () => {
    expect(pathsOf(await ops.put('/v1/markets/de', { ...deMarket, channels: ['web-de', 'web'] }))).toEqual(['channels[1]']);
    expect(pathsOf(await ops.put('/v1/markets/de', { ...deMarket, currency: 'CHF' }))).toEqual(['currency']);
    const usdService = { carrier: 'X', service: 'y', level: 'standard', currency: 'USD', cutoffHour: 17, zones: [{ maxKm: 100, transitDays: 1, rates: [{ maxGrams: 1000, amount: 500 }] }] };
    expect(pathsOf(await ops.put('/v1/markets/de', { ...deMarket, carrierServices: [usdService] }))).toEqual(['carrierServices[0].currency']);
    expect(pathsOf(await ops.put('/v1/markets/de', { ...deMarket, routingProfileId: 'nope' }))).toEqual(['routingProfileId']);
    expect(pathsOf(await ops.put('/v1/locations/DE-2', locationBody(50.1, 8.7, { marketId: 'de', handlingCost: { amount: 100, currency: 'USD' } })))).toEqual(['handlingCost.currency']);
    expect(pathsOf(await ops.put('/v1/locations/DE-2', locationBody(50.1, 8.7, { marketId: 'fr' })))).toEqual(['marketId']);
    expect((await ops.get('/v1/markets/de')).body).toMatchObject({ version: 1, currency: 'EUR', channels: ['web-de'] });
    // The market's return window applies to its channels without a policy of their own.
    expect((await ops.get('/v1/return-policies/web-de')).body).toMatchObject({ windowDays: 14 });
    expect((await ops.get('/v1/return-policies/web')).body).toMatchObject({ windowDays: 30 });

    // A German order in dollars, or to France, is refused and starts nothing.
    const dollars = { ...germanOrder('DE-USD', [{ sku: 'BIKE', quantity: 1 }]), payment: { authorizationId: 'pay', amount: { amount: 2500, currency: 'USD' } } };
    dollars.lines = dollars.lines.map((l) => ({ ...l, unitPrice: { amount: 2500, currency: 'USD' } }));
    expect(pathsOf(await de.post('/v1/orders', dollars))).toEqual(['lines[0].unitPrice.currency', 'payment.amount.currency']);
    expect(pathsOf(await de.post('/v1/orders', germanOrder('DE-FR', [{ sku: 'BIKE', quantity: 1 }], { ...berlin, city: 'Paris', region: 'IDF', postalCode: '75001', country: 'FR', geo: { lat: 48.86, lon: 2.35 } })))).toEqual([
      'fulfillment.shipTo.country',
    ]);
    expect((await ops.get('/v1/orders?channel=web-de')).body.items).toEqual([]);
  });

  it("route a German order within its market, with the market's carriers, in euros", async () => {
    const order = await de.post('/v1/orders?wait=routed', germanOrder('DE-1', [{ sku: 'BIKE', quantity: 1 }]));
    expect(order.status, order.text).toBe(201);
    expect(order.body.fulfillments[0]).toMatchObject({ locationId: 'DE-WH', carrier: 'PaketPost' });
    const [decision] = (await ops.get(`/v1/orders/${order.body.id}/routing`)).body.items;
    expect(decision.explanation.candidates).toContainEqual({ locationId: 'US-WH', excluded: "outside the order's market de" });

    // Its label speaks the market's language.
    const fulfillmentId = order.body.fulfillments[0].id;
    await eventually(() => ops.get(`/v1/fulfillments/${fulfillmentId}`), (r) => r.status === 200, 'fulfillment');
    expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/pick`, { scans: [{ barcode: 'BIKE', quantity: 1 }] })).status).toBe(200);
    expect((await ops.post(`/v1/fulfillments/${fulfillmentId}/pack`, { packages: [{ weightGrams: 9000, lengthCm: 120, widthCm: 30, heightCm: 70 }] })).status).toBe(200);
    const pdf = await fetch(`${stack.url}/v1/fulfillments/${fulfillmentId}/label`, { headers: { authorization: `Bearer ${await stack.key('ops')}` } });
    const dir = mkdtempSync(join(tmpdir(), 'fulcrum-de-label-'));
    writeFileSync(join(dir, 'label.pdf'), Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'label.pdf'), '-'], { encoding: 'utf8' });
    for (const words of ['ABSENDER', 'EMPFÄNGER', 'PAKET 1 VON 1 - 9.00 KG', 'Anna Schmidt', 'PAKETPOST']) expect(text).toContain(words);

    const promise = await de.post('/v1/promises', { channel: 'web-de', destination: berlin, lines: [{ sku: 'BIKE', quantity: 1 }], serviceLevels: ['standard'] });
    expect(promise.body.options[0]).toMatchObject({ locationIds: ['DE-WH'], cost: { currency: 'EUR' } });
    expect(promise.body.options[0].shipments[0].carrier).toBe('PaketPost');
    // A cart's value in dollars is refused too.
    const dollars = await de.post('/v1/promises', { channel: 'web-de', destination: berlin, lines: [{ sku: 'BIKE', quantity: 1 }], orderValue: { amount: 2500, currency: 'USD' } });
    expect(pathsOf(dollars)).toEqual(['orderValue.currency']);
  });

  it('keep an order whose stock is only abroad waiting, until a profile allows cross-border', async () => {
    const waiting = await de.post('/v1/orders?wait=routed', germanOrder('DE-RARE-1', [{ sku: 'RARE', quantity: 1 }]));
    expect(waiting.body.status).toBe('backordered');
    expect((await ops.put('/v1/routing-profiles/de-cross-border', { name: 'Germany, cross-border', appliesTo: { channels: ['web-de'] }, crossBorder: true })).status).toBe(200);
    const routed = await de.post('/v1/orders?wait=routed', germanOrder('DE-RARE-2', [{ sku: 'RARE', quantity: 1 }]));
    expect(routed.body.fulfillments.map((f: { locationId: string }) => f.locationId)).toEqual(['CH-WH']);
    // The profile allows shipping outside the market's countries too.
    const france = await de.post('/v1/orders', germanOrder('DE-FR-2', [{ sku: 'BIKE', quantity: 1 }], { ...berlin, city: 'Paris', region: 'IDF', postalCode: '75001', country: 'FR', geo: { lat: 48.86, lon: 2.35 } }));
    expect(france.status, france.text).toBe(201);
    expect((await de.post(`/v1/orders/${waiting.body.id}/cancel`, { reason: 'test done' })).status).toBe(200);
  });

  it('keep the orders of a channel in no market to the locations in no market', async () => {
    const app = client(stack, await stack.key('channel', { channel: 'app' }));
    // The bikes are all in the US and German markets' warehouses: none for this channel.
    const bike = await app.post('/v1/orders?wait=routed', shipOrder('APP-BIKE', [{ sku: 'BIKE', quantity: 1 }], 'app'));
    expect(bike.body.status).toBe('backordered');
    const [decision] = (await ops.get(`/v1/orders/${bike.body.id}/routing`)).body.items;
    const reasons = Object.fromEntries(decision.explanation.candidates.map((c: { locationId: string; excluded?: string }) => [c.locationId, c.excluded]));
    expect(reasons['US-WH']).toBe("in market us, while the order's channel is in no market");
    expect(reasons['DE-WH']).toBe("in market de, while the order's channel is in no market");
    // Zürich is in no market: it serves them.
    const zurich = { name: 'Urs Meier', line1: 'Bahnhofstrasse 1', city: 'Zürich', region: 'ZH', postalCode: '8001', country: 'CH', geo: { lat: 47.37, lon: 8.54 } };
    const rare = await app.post('/v1/orders?wait=routed', { ...shipOrder('APP-RARE', [{ sku: 'RARE', quantity: 1 }], 'app'), fulfillment: { method: 'ship', shipTo: zurich } });
    expect(rare.body.fulfillments.map((f: { locationId: string }) => f.locationId)).toEqual(['CH-WH']);
    expect((await app.post(`/v1/orders/${bike.body.id}/cancel`, { reason: 'test done' })).status).toBe(200);
  });
});
