// Routing through the API: versioned profiles, split shipments, and the explanation of
// every decision at GET /v1/orders/{id}/routing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
  const handling = (amount: number) => ({ handlingCost: { amount, currency: 'USD' } });
  await seedNetwork(ops, {
    locations: {
      'WH-SHOES': locationBody(41.88, -87.64, handling(150)),
      'WH-SOCKS': locationBody(41.9, -87.7, handling(150)),
      'WH-CLOSED': locationBody(41.88, -87.63, { ...handling(100), active: false }),
      // Atlanta: one 1.5 kg parcel costs 1035 to ship plus 1500 handling = 2535, against two local
      // parcels (618 + 150) + (640 + 150) + the 200 split penalty = 1758.
      'WH-FAR': locationBody(33.75, -84.39, handling(1500)),
    },
    skus: ['SHOE', 'SOCK'],
    stock: [
      ['WH-SHOES', 'SHOE', 10],
      ['WH-SOCKS', 'SOCK', 10],
      ['WH-CLOSED', 'SHOE', 10],
      ['WH-CLOSED', 'SOCK', 10],
      ['WH-FAR', 'SHOE', 10],
      ['WH-FAR', 'SOCK', 10],
    ],
  });
});
afterAll(async () => stack?.close());
// Whatever a test did, stock, reservations and the ledger still agree.
afterEach(async () => expectInventoryConsistent(stack.db));

describe('routing profiles', () => {
  it('keep every save as a new version', async () => {
    const first = await ops.put('/v1/routing-profiles/web-standard', { name: 'Web', appliesTo: { channels: ['web'] }, maxSplits: 1, splitPenalty: 100 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: 'web-standard', version: 1, maxSplits: 1, weights: { cost: 1 } });
    const second = await ops.put('/v1/routing-profiles/web-standard', { name: 'Web', appliesTo: { channels: ['web'] }, maxSplits: 1, splitPenalty: 200 });
    expect(second.body.version).toBe(2);
    expect((await ops.get('/v1/routing-profiles/web-standard')).body).toMatchObject({ version: 2, splitPenalty: 200 });
    expect((await ops.get('/v1/routing-profiles')).body.items).toHaveLength(1);
    const versions = await stack.db('routing_profile_versions').where({ id: 'web-standard' });
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
  });

  it('name each bad field of a profile, and change nothing', async () => {
    const res = await ops.put('/v1/routing-profiles/web-standard', { name: 'Web', maxSplits: 11, weights: { cost: -1, speed: 2 } });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['maxSplits', 'weights.cost', 'weights.speed']);
    expect((await ops.get('/v1/routing-profiles/web-standard')).body.version).toBe(2);
    expect((await web.put('/v1/routing-profiles/web-standard', { name: 'x' })).status).toBe(403);
  });
});

describe('routing decisions', () => {
  it('split an order across two nearby warehouses rather than ship it whole from far away, and explain why', async () => {
    const order = await web.post('/v1/orders?wait=routed', shipOrder('SPLIT-1', [{ sku: 'SHOE', quantity: 1 }, { sku: 'SOCK', quantity: 2 }]));
    expect(order.body.status).toBe('routed');
    expect(order.body.fulfillments.map((f: { locationId: string }) => f.locationId).sort()).toEqual(['WH-SHOES', 'WH-SOCKS']);
    expect(order.body.fulfillments[0].carrier).toBeDefined();
    expect(order.body.fulfillments[0].estimatedDelivery).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const routing = await web.get(`/v1/orders/${order.body.id}/routing`);
    expect(routing.status).toBe(200);
    const [decision] = routing.body.items;
    expect(decision).toMatchObject({ attempt: 1, profileId: 'web-standard', profileVersion: 2 });
    expect(decision.explanation.candidates).toContainEqual({ locationId: 'WH-CLOSED', excluded: 'location inactive' });
    expect(decision.explanation.chosen).toMatch(/^WH-SHOES \+ WH-SOCKS fills the whole order at cost 1758/);
    expect(decision.explanation.chosen).toContain('next best WH-FAR');
    expect(decision.plan.totalCost).toBe(1758);
    expect(Date.parse(decision.explanation.evaluatedAt)).not.toBeNaN();
    await expectInventoryConsistent(stack.db);
  });

  it("hide another channel's routing behind a 404", async () => {
    const order = await web.post('/v1/orders', shipOrder('SPLIT-2', [{ sku: 'SHOE', quantity: 1 }]));
    const marketplace = client(stack, await stack.key('channel', { channel: 'marketplace' }));
    expect((await marketplace.get(`/v1/orders/${order.body.id}/routing`)).status).toBe(404);
    expect((await ops.get(`/v1/orders/${order.body.id}/routing`)).status).toBe(200);
  });
});
