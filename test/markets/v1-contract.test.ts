// A client written against the contract as shared/api.md writes it (issue 28): routing
// explanations carry `pareto`, pick-list scans come as `{ scans: [...] }`, and once markets
// exist a location saved without `marketId` joins its country's market, so the channel's
// orders route there as before markets; one no market covers is saved with a warning.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { locationBody, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, type TestStack } from '../support/stack.ts';
import { startTrustStack, type Api, type TrustStack } from '../support/trust-stack.ts';

let t: TrustStack;
let stack: TestStack;
let ops: Api;
let web: Api;

beforeAll(async () => {
  t = await startTrustStack();
  ({ stack, ops, web } = t);
});
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

describe('the contract’s own forms', () => {
  it('explains routing with `pareto` (keeping `tradeoffs`), and takes pick-list scans as `{ scans: [...] }` (keeping one scan)', async () => {
    const a = (await web.post('/v1/orders?wait=routed', shipOrder('TB-FORMS-A', [{ sku: 'TB-PEN', quantity: 2 }]))).body;
    const b = (await web.post('/v1/orders?wait=routed', shipOrder('TB-FORMS-B', [{ sku: 'TB-PEN', quantity: 1 }]))).body;
    const explanation = (await ops.get(`/v1/orders/${a.id}/routing`)).body.items[0].explanation;
    expect(explanation.pareto.length).toBeGreaterThan(0);
    expect(explanation.pareto.filter((p: { chosen: boolean }) => p.chosen)).toHaveLength(1);
    expect(explanation.pareto[0]).toEqual({ locations: expect.any(Array), cost: expect.any(Number), estimatedDelivery: expect.any(String), co2eGrams: expect.any(Number), chosen: expect.any(Boolean) });
    expect(explanation.tradeoffs.map((t: { deliveryBy: string }) => t.deliveryBy)).toEqual(explanation.pareto.map((p: { estimatedDelivery: string }) => p.estimatedDelivery));

    const ids = [a.fulfillments[0].id, b.fulfillments[0].id];
    for (const id of ids) await eventually(() => ops.get(`/v1/fulfillments/${id}`), (r) => r.status === 200, 'fulfillment read model', 30_000);
    const list = (await ops.post('/v1/locations/TB-WH/pick-lists', { fulfillmentIds: ids })).body;
    const refused = await ops.post(`/v1/pick-lists/${list.id}/scans`, { scans: [{ barcode: 'TB-PEN', quantity: 1 }, { barcode: 'NOT-HERE', quantity: 1 }] });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual(['scans[1].barcode']);
    expect((await ops.get(`/v1/pick-lists/${list.id}`)).body.lines[0].picked).toBe(0);
    const scanned = await ops.post(`/v1/pick-lists/${list.id}/scans`, { scans: [{ barcode: 'TB-PEN', quantity: 1 }, { barcode: 'TB-PEN', quantity: 1 }] });
    expect(scanned.status, scanned.text).toBe(200);
    expect(scanned.body.lines[0].picked).toBe(2);
    const single = await ops.post(`/v1/pick-lists/${list.id}/scans`, { barcode: 'TB-PEN' });
    expect(single.body.lines[0].picked).toBe(3);
    for (const order of [a, b]) await web.post(`/v1/orders/${order.id}/cancel`, { reason: 'test done' });
  });
});

// Last in this file: from here on markets exist, as in a deployment that added them later.
describe('a v1 client’s locations, once markets exist', () => {
  it('join the market of their country, so its channels’ orders route there as before markets', async () => {
    expect((await ops.put('/v1/markets/tb-us', { name: 'United States', countries: ['US'], currency: 'USD', timezone: 'America/Chicago', channels: ['tb-v1'] })).status).toBe(200);
    // Exactly as the contract writes it: no marketId, no address.
    const saved = await ops.put('/v1/locations/TB-V1', locationBody(41.87, -87.65));
    expect(saved.status).toBe(201);
    expect(saved.body.marketId).toBe('tb-us');
    expect(saved.body.warnings).toBeUndefined();
    await ops.put('/v1/inventory/TB-V1/TB-PEN', { onHand: 5 });
    const v1 = client(stack, await stack.key('channel', { channel: 'tb-v1' }));
    const order = await v1.post('/v1/orders?wait=routed', shipOrder('TB-V1-1', [{ sku: 'TB-PEN', quantity: 2 }], 'tb-v1'));
    expect(order.status).toBe(201);
    expect(order.body.status).toBe('routed');
    expect(order.body.fulfillments.map((f: { locationId: string }) => f.locationId)).toEqual(['TB-V1']);
    // An update as the contract writes it keeps the market.
    expect((await ops.put('/v1/locations/TB-V1', locationBody(41.87, -87.65, { name: 'Renamed' }))).body).toMatchObject({ marketId: 'tb-us', name: 'Renamed' });
    // By address country first, then by position.
    expect((await ops.put('/v1/locations/TB-V1-ADDR', locationBody(0, -160, { address: { line1: '1 Main St', city: 'Honolulu', region: 'HI', postalCode: '96813', country: 'US' } }))).body.marketId).toBe('tb-us');
    await v1.post(`/v1/orders/${order.body.id}/cancel`, { reason: 'test done' });
    await eventually(() => v1.get(`/v1/orders/${order.body.id}`), (r) => r.body.status === 'cancelled', 'cancelled', 30_000);
  });

  it('say so when no market covers them', async () => {
    const lagos = await ops.put('/v1/locations/TB-LAGOS', locationBody(6.45, 3.38));
    expect(lagos.status).toBe(201);
    expect(lagos.body.marketId).toBeUndefined();
    expect(lagos.body.warnings).toEqual([expect.stringMatching(/No market covers this location \(country NG\)/)]);
    // It still serves the channels in no market (web has keys here), so the board does not list it …
    const tile = async () => (await ops.get('/v1/board')).body.networkTiles.find((t: { id: string }) => t.id === 'locations_serving_no_channel');
    expect((await tile()).locationIds).not.toContain('TB-LAGOS');
    // … but a location in a market that no channel sells in serves nobody, and the board says so.
    expect((await ops.put('/v1/markets/tb-ng', { name: 'Nigeria', countries: ['NG'], currency: 'NGN', timezone: 'Africa/Lagos', channels: [] })).status).toBe(200);
    expect((await ops.put('/v1/locations/TB-LAGOS-2', locationBody(6.46, 3.39))).body.marketId).toBe('tb-ng');
    expect(await tile()).toMatchObject({ label: 'Locations serving no channel', level: 'warning', locationIds: expect.arrayContaining(['TB-LAGOS-2']) });
    expect((await tile()).locationIds).not.toContain('TB-V1');
  });
});
