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

describe('routing rules', () => {
  const pathsOf = (res: { body: { errors: { path: string }[] } }) => res.body.errors.map((e) => e.path).sort();
  const withCustomer = (order: ReturnType<typeof shipOrder>, segment?: string, currency = 'USD') => ({
    ...order,
    customer: { ...order.customer, ...(segment ? { segment } : {}) },
    lines: order.lines.map((l) => ({ ...l, unitPrice: { ...l.unitPrice, currency } })),
    payment: { ...order.payment, amount: { ...order.payment.amount, currency } },
  });
  const decisionOf = async (id: string) => (await ops.get(`/v1/orders/${id}/routing`)).body.items.at(-1);

  it('refuse a rule naming no condition or an unknown profile, naming the field, and change nothing', async () => {
    expect((await ops.get('/v1/routing-rules')).body).toEqual({ version: 0, rules: [] });
    const res = await ops.put('/v1/routing-rules', { rules: [{ when: { segment: 'vip' }, profileId: 'nope' }, { when: {}, profileId: 'web-standard' }] });
    expect(res.status).toBe(422);
    expect(pathsOf(res)).toEqual(['rules[1].when']);
    const unknown = await ops.put('/v1/routing-rules', { rules: [{ when: { segment: 'vip' }, profileId: 'nope' }] });
    expect(unknown.status).toBe(422);
    expect(pathsOf(unknown)).toEqual(['rules[0].profileId']);
    const money = await ops.put('/v1/routing-rules', { rules: [{ when: { orderValueAtLeast: { amount: 1.5, currency: 'usd' } }, profileId: 'web-standard' }] });
    expect(pathsOf(money)).toEqual(['rules[0].when.orderValueAtLeast.amount', 'rules[0].when.orderValueAtLeast.currency']);
    expect((await ops.get('/v1/routing-rules')).body.version).toBe(0);
    expect((await web.put('/v1/routing-rules', { rules: [] })).status).toBe(403);
  });

  it('choose the profile by customer segment and order value, first match winning, and say which rule in the explanation', async () => {
    expect((await ops.put('/v1/routing-profiles/one-box', { name: 'One box', maxSplits: 0 })).status).toBe(200);
    const saved = await ops.put('/v1/routing-rules', {
      rules: [
        { when: { segment: 'vip' }, profileId: 'one-box' },
        { when: { orderValueAtLeast: { amount: 5000, currency: 'USD' } }, profileId: 'one-box' },
      ],
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, rules: [{ profileId: 'one-box' }, { profileId: 'one-box' }] });

    // A VIP's shoe and socks ship in one box from far away, where the split would have been cheaper.
    const vip = await web.post('/v1/orders?wait=routed', withCustomer(shipOrder('RULE-VIP', [{ sku: 'SHOE', quantity: 1 }, { sku: 'SOCK', quantity: 2 }]), 'vip'));
    expect(vip.body.fulfillments.map((f: { locationId: string }) => f.locationId)).toEqual(['WH-FAR']);
    expect(await decisionOf(vip.body.id)).toMatchObject({ profileId: 'one-box', explanation: { profileChosenBy: 'rule 1 (segment vip), rules version 1' } });

    // 3 shoes and 2 socks at 10.00 each: 50.00 meets the second rule.
    const big = await web.post('/v1/orders?wait=routed', withCustomer(shipOrder('RULE-BIG', [{ sku: 'SHOE', quantity: 3 }, { sku: 'SOCK', quantity: 2 }])));
    expect(big.body.fulfillments.map((f: { locationId: string }) => f.locationId)).toEqual(['WH-FAR']);
    expect((await decisionOf(big.body.id)).explanation.profileChosenBy).toBe('rule 2 (order value at least 5000 USD), rules version 1');

    // Below the value, or the same value in another currency: the channel's profile, split.
    for (const [id, currency] of [['RULE-SMALL', 'USD'], ['RULE-EUR', 'EUR']] as const) {
      const lines = id === 'RULE-SMALL' ? [{ sku: 'SHOE', quantity: 1 }, { sku: 'SOCK', quantity: 2 }] : [{ sku: 'SHOE', quantity: 3 }, { sku: 'SOCK', quantity: 2 }];
      const order = await web.post('/v1/orders?wait=routed', withCustomer(shipOrder(id, lines), 'regular', currency));
      expect(order.body.fulfillments.map((f: { locationId: string }) => f.locationId).sort()).toEqual(['WH-SHOES', 'WH-SOCKS']);
      expect(await decisionOf(order.body.id)).toMatchObject({ profileId: 'web-standard', explanation: { profileChosenBy: 'appliesTo (channel and service level), rules version 1' } });
    }
    expect((await ops.put('/v1/routing-rules', { rules: [] })).body.version).toBe(2);
  });
});
