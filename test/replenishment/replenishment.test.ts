// Replenishment over HTTP: policies, the proposals a planning run makes from forecasts and
// stock (each with its reason in numbers; rebalancing and the source before buying), approval
// (a transfer starts; a purchase is announced), supersession by the next run, auto-approval.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork } from '../support/fixtures.ts';
import { recordHistories } from '../support/record-history.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const utc = (lat: number, lon: number) => locationBody(lat, lon, { timezone: 'UTC' });

interface Proposal {
  id: string;
  locationId: string;
  sku: string;
  kind: 'transfer' | 'purchase';
  fromLocationId: string | null;
  supplier: string | null;
  quantity: number;
  status: string;
  transferId: string | null;
  reason: Record<string, number | string>;
}

async function planningRun() {
  const started = await ops.post('/v1/planning/runs', {});
  expect(started.status).toBe(202);
  const result = await stack.api.deps.temporal.workflow.getHandle(started.body.workflowId, started.body.runId).result();
  return { workflowId: started.body.workflowId as string, result };
}

const proposals = async (query: string): Promise<Proposal[]> => {
  const res = await ops.get(`/v1/replenishment/proposals?${query}`);
  expect(res.status).toBe(200);
  return res.body.items;
};

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  await seedNetwork(ops, {
    locations: { 'R-DC': utc(41.88, -87.64), 'R-S1': utc(41.9, -87.65), 'R-S2': utc(41.8, -87.6) },
    skus: ['RP-1', 'RP-2'],
    stock: [['R-DC', 'RP-1', 500], ['R-S1', 'RP-1', 2], ['R-S2', 'RP-1', 300], ['R-DC', 'RP-2', 5]],
  });
  const days = (sku: string, locationId: string, quantity: number) => Array.from({ length: 60 }, (_, i) => ({ sku, locationId, date: daysAgo(60 - i), quantity }));
  expect((await ops.post('/v1/demand-history', { items: [...days('RP-1', 'R-S1', 10), ...days('RP-1', 'R-S2', 2), ...days('RP-2', 'R-DC', 20)] })).status).toBe(200);
});
afterAll(async () => stack?.close());

describe('replenishment', () => {
  it('refuses a bad policy naming each field, and an unknown location', async () => {
    const bad = await ops.put('/v1/replenishment/policies/R-S1', { serviceLevel: 1.2, leadTimeDays: -1, reviewPeriodDays: 7 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['leadTimeDays', 'serviceLevel']);
    const self = await ops.put('/v1/replenishment/policies/R-S1', { sku: 'NOPE', serviceLevel: 0.95, leadTimeDays: 2, reviewPeriodDays: 7, sourceLocationId: 'R-S1' });
    expect(self.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['sku', 'sourceLocationId']);
    expect((await ops.put('/v1/replenishment/policies/NOWHERE', { serviceLevel: 0.95, leadTimeDays: 2, reviewPeriodDays: 7 })).status).toBe(404);
    expect((await ops.get('/v1/replenishment/policies/R-S1')).body.items).toEqual([]);
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    expect((await web.get('/v1/replenishment/proposals')).status).toBe(403);
  });

  it('sets policies: a default per location, one per SKU, removable', async () => {
    for (const store of ['R-S1', 'R-S2']) {
      const res = await ops.put(`/v1/replenishment/policies/${store}`, { serviceLevel: 0.95, leadTimeDays: 2, reviewPeriodDays: 7, sourceLocationId: 'R-DC' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ locationId: store, sku: null, serviceMeasure: 'fill_rate', sourceLocationId: 'R-DC', autoApprove: false });
    }
    expect((await ops.put('/v1/replenishment/policies/R-DC', { serviceLevel: 0.98, leadTimeDays: 10, reviewPeriodDays: 14, supplier: 'Acme Outdoor', multiple: 12, minQuantity: 100 })).status).toBe(200);
    expect((await ops.put('/v1/replenishment/policies/R-DC', { sku: 'RP-1', serviceLevel: 0.9, leadTimeDays: 10, reviewPeriodDays: 14 })).status).toBe(200);
    expect((await ops.get('/v1/replenishment/policies/R-DC')).body.items.map((p: { sku: string | null }) => p.sku)).toEqual([null, 'RP-1']);
    expect((await ops.delete('/v1/replenishment/policies/R-DC?sku=RP-1')).status).toBe(204);
    expect((await ops.delete('/v1/replenishment/policies/R-DC?sku=RP-1')).status).toBe(404);
  });

  it('proposes from forecasts and stock, with the reason in numbers: the source before buying, nothing for the overstocked', async () => {
    const { workflowId, result } = await planningRun();
    await recordHistories(stack, { 'planning-replenishment': workflowId });
    expect(result.replenishment).toMatchObject({ proposed: 2, transfers: 1, purchases: 1, autoApproved: 0 });
    const [s1] = await proposals('locationId=R-S1');
    expect(s1).toMatchObject({ sku: 'RP-1', kind: 'transfer', fromLocationId: 'R-DC', status: 'proposed', transferId: null });
    // 10 a day: 30 over the lead time and the night, 70 over the review period, plus safety stock.
    expect(s1!.reason).toMatchObject({ demandOverLeadTime: 30, demandOverReviewPeriod: 70, onHand: 2, reserved: 0, incoming: 0, inventoryPosition: 2, serviceLevel: 0.95, serviceMeasure: 'fill_rate' });
    expect(s1!.reason.orderUpTo).toBeCloseTo(100 + (s1!.reason.safetyStock as number), 1);
    expect(s1!.quantity).toBe(s1!.reason.shortfall);
    expect(s1!.quantity).toBe(Math.ceil((s1!.reason.orderUpTo as number) - 2));
    expect(await proposals('locationId=R-S2')).toEqual([]);
    const [dc] = await proposals('locationId=R-DC');
    expect(dc).toMatchObject({ sku: 'RP-2', kind: 'purchase', supplier: 'Acme Outdoor' });
    expect(dc!.quantity % 12).toBe(0);
    expect(dc!.quantity).toBeGreaterThanOrEqual(Math.max(100, dc!.reason.shortfall as number));
  });

  it('approves a transfer (the transfer workflow starts, once) and a purchase (announced as an event)', async () => {
    const [s1] = await proposals('locationId=R-S1&status=proposed');
    const approved = await ops.post(`/v1/replenishment/proposals/${s1!.id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', transferId: expect.stringMatching(/^trf_/) });
    const again = await ops.post(`/v1/replenishment/proposals/${s1!.id}/approve`, {});
    expect(again.body.transferId).toBe(approved.body.transferId);
    const transfer = await eventually(async () => (await ops.get(`/v1/transfers/${approved.body.transferId}`)).body, (t) => t.status === 'reserved');
    expect(transfer).toMatchObject({ fromLocationId: 'R-DC', toLocationId: 'R-S1', lines: [expect.objectContaining({ sku: 'RP-1', quantity: s1!.quantity })] });

    const [dc] = await proposals('locationId=R-DC&status=proposed');
    expect((await ops.post(`/v1/replenishment/proposals/${dc!.id}/approve`, {})).status).toBe(200);
    expect((await ops.post(`/v1/replenishment/proposals/${dc!.id}/approve`, {})).status).toBe(200);
    const events = (await ops.get('/v1/events?type=replenishment.purchase_proposed')).body.items;
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ proposalId: dc!.id, locationId: 'R-DC', sku: 'RP-2', quantity: dc!.quantity, supplier: 'Acme Outdoor' });
    expect((await ops.post('/v1/replenishment/proposals/rpl_nope/approve', {})).status).toBe(404);
  });

  it('counts what is coming: the next run proposes nothing already on its way, and supersedes what was not approved', async () => {
    expect((await ops.put('/v1/replenishment/policies/R-DC', { sku: 'RP-1', serviceLevel: 0.9, leadTimeDays: 10, reviewPeriodDays: 14, supplier: 'Acme Outdoor' })).status).toBe(200);
    await planningRun();
    // The transfer and the purchase approved are incoming: neither location is proposed again.
    const open = await proposals('status=proposed');
    expect(open.filter((p) => (p.locationId === 'R-S1' && p.sku === 'RP-1') || (p.locationId === 'R-DC' && p.sku === 'RP-2'))).toEqual([]);
    // An open proposal made stale by a later run is refused.
    await ops.post('/v1/inventory/adjustments', { locationId: 'R-S2', sku: 'RP-1', delta: -299, reason: 'shrink' });
    await planningRun();
    const [s2] = await proposals('locationId=R-S2&status=proposed');
    expect(s2).toMatchObject({ kind: 'transfer', fromLocationId: 'R-DC' });
    expect(s2!.reason).toMatchObject({ onHand: 1 });
    await planningRun();
    expect((await ops.post(`/v1/replenishment/proposals/${s2!.id}/approve`, {})).status).toBe(409);
  });

  it('approves by itself under a policy that says so', async () => {
    expect((await ops.put('/v1/replenishment/policies/R-S2', { serviceLevel: 0.95, leadTimeDays: 2, reviewPeriodDays: 7, sourceLocationId: 'R-DC', autoApprove: true })).status).toBe(200);
    const { result } = await planningRun();
    expect(result.replenishment.autoApproved).toBeGreaterThanOrEqual(1);
    const [s2] = await proposals('locationId=R-S2&status=approved');
    expect(s2).toMatchObject({ kind: 'transfer', transferId: expect.stringMatching(/^trf_/) });
    expect(await eventually(async () => (await ops.get(`/v1/transfers/${s2!.transferId}`)).body.status, (s) => s === 'reserved')).toBe('reserved');
  });
});
