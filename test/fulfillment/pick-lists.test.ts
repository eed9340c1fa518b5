// Batch picking over HTTP: a pick list groups a location's open fulfillments into one walk,
// its scans are shared out in queue order as each fulfillment's own pick, a retried scan
// (same Idempotency-Key) counts once, and each fulfillment is then packed on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await seedNetwork(client(stack, await stack.key('ops')), {
    locations: { 'WH-1': locationBody(41.88, -87.64), 'WH-2': locationBody(40.71, -74.0) },
    skus: ['MUG', 'TEA'],
    stock: [['WH-1', 'MUG', 50], ['WH-1', 'TEA', 50]],
  });
});
afterAll(async () => stack?.close());

describe('pick lists', () => {
  it('walks three fulfillments as one, sharing scans out in queue order', async () => {
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    const picker = client(stack, await stack.key('associate', { locationIds: ['WH-1'] }));
    const elsewhere = client(stack, await stack.key('associate', { locationIds: ['WH-2'] }));
    const ids: string[] = [];
    for (const [n, lines] of [[1, [{ sku: 'MUG', quantity: 2 }]], [2, [{ sku: 'MUG', quantity: 1 }, { sku: 'TEA', quantity: 1 }]], [3, [{ sku: 'TEA', quantity: 2 }]]] as const) {
      const order = (await web.post('/v1/orders?wait=routed', shipOrder(`PKL-${n}`, [...lines]))).body;
      ids.push(order.fulfillments[0].id);
    }
    const created = await picker.post('/v1/locations/WH-1/pick-lists', { maxFulfillments: 10 });
    expect(created.status, created.text).toBe(201);
    const list = created.body;
    // The documented resource and nothing else (its stored record also lists the member ids).
    expect(Object.keys(list).sort()).toEqual(['complete', 'createdAt', 'createdBy', 'fulfillments', 'id', 'lines', 'locationId']);
    expect(list.fulfillments.map((f: { id: string }) => f.id)).toEqual(ids);
    expect(list.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity])).toEqual([['MUG', 3], ['TEA', 3]]);
    expect((await elsewhere.get(`/v1/pick-lists/${list.id}`)).status).toBe(404);

    // Wrong barcode, or more than the walk needs: 422 naming the field, nothing recorded.
    const wrong = await picker.post(`/v1/pick-lists/${list.id}/scans`, { barcode: 'SPOON' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].path).toBe('barcode');
    expect((await picker.post(`/v1/pick-lists/${list.id}/scans`, { barcode: 'TEA', quantity: 4 })).status).toBe(422);

    // Three mugs: two to the first order, one to the second; a retry of the same scan counts once.
    const key = { 'idempotency-key': 'scan-mug-1' };
    const mugs = await picker.post(`/v1/pick-lists/${list.id}/scans`, { barcode: 'MUG', quantity: 3 }, key);
    expect(mugs.status, mugs.text).toBe(200);
    expect((await picker.post(`/v1/pick-lists/${list.id}/scans`, { barcode: 'MUG', quantity: 3 }, key)).status).toBe(200);
    const picked = async (id: string) => (await picker.get(`/v1/fulfillments/${id}`)).body.lines.map((l: { sku: string; picked: number }) => `${l.sku}:${l.picked}`);
    expect(await picked(ids[0]!)).toEqual(['MUG:2']);
    expect(await picked(ids[1]!)).toEqual(['MUG:1', 'TEA:0']);

    const tea = await picker.post(`/v1/pick-lists/${list.id}/scans`, { barcode: 'TEA', quantity: 3 });
    expect(tea.body.complete).toBe(true);
    expect(await picked(ids[1]!)).toEqual(['MUG:1', 'TEA:1']);
    expect(await picked(ids[2]!)).toEqual(['TEA:2']);
    expect((await picker.get(`/v1/pick-lists/${list.id}`)).body.fulfillments.every((f: { complete: boolean; status: string }) => f.complete && f.status === 'picking')).toBe(true);

    // Each is then packed on its own.
    const packed = await picker.post(`/v1/fulfillments/${ids[0]}/pack`, { packages: [{ weightGrams: 1000, lengthCm: 20, widthCm: 20, heightCm: 10 }] });
    expect(packed.status, packed.text).toBe(200);
    expect(packed.body.status).toBe('packed');
    // Nothing left to pick: a new list is 409.
    expect((await picker.post('/v1/locations/WH-1/pick-lists', {})).status).toBe(409);
    await expectInventoryConsistent(stack.db);
  });

  it('refuses named fulfillments that are not at the location or have nothing to pick, naming each', async () => {
    const picker = client(stack, await stack.key('associate', { locationIds: ['WH-1'] }));
    const res = await picker.post('/v1/locations/WH-1/pick-lists', { fulfillmentIds: ['ful_nope'] });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: 'fulfillmentIds[0]', message: 'fulfillment ful_nope is not at WH-1' }]);
  });
});
