// Routing that learns, over HTTP: a cheap location that keeps rejecting its fulfillments is
// learned as unreliable by the planning run (GET /v1/locations/{id}/performance, smoothed so a
// location with no history stands at the network's rate), and a profile that weighs
// `reliability` routes around it and says why in the explanation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
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
      'P-CHEAP': locationBody(41.9, -87.65, { handlingCost: { amount: 150, currency: 'USD' } }),
      'P-GOOD': locationBody(41.91, -87.66, { handlingCost: { amount: 180, currency: 'USD' } }),
      'P-NEW': locationBody(45.0, -93.2, { handlingCost: { amount: 900, currency: 'USD' } }),
    },
    skus: ['P-1'],
    stock: [['P-CHEAP', 'P-1', 100], ['P-GOOD', 'P-1', 100], ['P-NEW', 'P-1', 100]],
  });
});
afterAll(async () => stack?.close());

async function routed(channelOrderId: string) {
  const res = await web.post('/v1/orders?wait=routed', shipOrder(channelOrderId, [{ sku: 'P-1', quantity: 1 }]));
  expect(res.status).toBe(201);
  return res.body as { id: string; fulfillments: { id: string; locationId: string }[] };
}

async function planningRun() {
  const started = await ops.post('/v1/planning/runs', {});
  return stack.api.deps.temporal.workflow.getHandle(started.body.workflowId, started.body.runId).result();
}

describe('routing that learns', () => {
  it('shows a location with no history at the network prior', async () => {
    const res = await ops.get('/v1/locations/P-NEW/performance');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ locationId: 'P-NEW', fulfillments: 0, computedAt: null, complete: { trials: 0, smoothed: 0.95 }, onTime: { trials: 0, smoothed: 0.9 } });
    expect(res.body.reliability).toBeCloseTo(0.95 * 0.95 * 0.9, 9);
    expect((await ops.get('/v1/locations/NOWHERE/performance')).status).toBe(404);
    expect((await web.get('/v1/locations/P-NEW/performance')).status).toBe(403);
  });

  it('learns from rejections, and a reliability-weighing profile routes around the location', async () => {
    // The cheapest location takes every order and rejects four of six; the rejected re-route.
    const orders = [];
    for (let i = 0; i < 6; i++) orders.push(await routed(`PERF-${i}`));
    expect(orders.every((o) => o.fulfillments[0]!.locationId === 'P-CHEAP')).toBe(true);
    for (const o of orders.slice(0, 4)) {
      expect((await ops.post(`/v1/fulfillments/${o.fulfillments[0]!.id}/reject`, { reason: 'cannot find it' })).status).toBe(200);
      await eventually(async () => (await web.get(`/v1/orders/${o.id}`)).body, (b) => b.fulfillments.some((f: { locationId: string }) => f.locationId === 'P-GOOD'));
    }

    const result = await planningRun();
    expect(result.performance).toMatchObject({ fulfillments: 10, locations: 3 });
    const cheap = (await ops.get('/v1/locations/P-CHEAP/performance')).body;
    const good = (await ops.get('/v1/locations/P-GOOD/performance')).body;
    // The four rejections are known at once; the rest are not picked yet, so say nothing so far.
    expect(cheap).toMatchObject({ fulfillments: 6, rejections: { trials: 4, count: 4 }, complete: { trials: 4, count: 0 } });
    expect(good).toMatchObject({ fulfillments: 4, complete: { trials: 0 } });
    expect(cheap.computedAt).not.toBeNull();
    // Smoothed towards the network's rate: worse than the good location, yet not the raw 0 of 4.
    expect(cheap.reliability).toBeLessThan(good.reliability);
    expect(cheap.complete.smoothed).toBeGreaterThan(0.4);

    // The default profile still picks the cheapest; one weighing reliability does not.
    expect((await routed('PERF-STATIC')).fulfillments[0]!.locationId).toBe('P-CHEAP');
    expect((await ops.put('/v1/routing-profiles/learning', { name: 'Learning', appliesTo: { channels: ['web'] }, weights: { cost: 1, reliability: 3 } })).status).toBeLessThan(300);
    const learning = await routed('PERF-LEARNING');
    expect(learning.fulfillments[0]!.locationId).toBe('P-GOOD');
    const decision = (await ops.get(`/v1/orders/${learning.id}/routing`)).body.items.at(-1);
    expect(decision.explanation.chosen).toMatch(/likely on time and complete/);
    expect(decision.explanation.candidates).toContainEqual(expect.objectContaining({ locationId: 'P-CHEAP', reliability: Math.round(cheap.reliability * 1000) / 1000 }));
  });
});
