// Stock operations over real HTTP: adjustments, quarantine, feeds, channel allocation,
// transfers, compensation and reconciliation. The invariant check runs after every test.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../workflows/order/definitions.ts';
import { fulfillmentWorkflowId } from '../../workflows/fulfillment/definitions.ts';
import { locationBody, seedNetwork, shipOrder, storeCaps } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let marketplace: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  marketplace = client(stack, await stack.key('channel', { channel: 'marketplace' }));
  await seedNetwork(ops, {
    locations: {
      'WH-A': locationBody(41.88, -87.64),
      'WH-B': locationBody(41.52, -88.08),
      'STORE-C': locationBody(41.9, -87.65, { type: 'store', capabilities: storeCaps }),
    },
    skus: ['SKU-ADJ', 'SKU-Q', 'SKU-FEED', 'SKU-ALLOC', 'SKU-TRF', 'SKU-CXL', 'SKU-REC'],
    stock: [
      ['WH-A', 'SKU-ADJ', 10],
      ['WH-A', 'SKU-Q', 10],
      ['WH-A', 'SKU-ALLOC', 10],
      ['WH-B', 'SKU-ALLOC', 4],
      ['WH-A', 'SKU-TRF', 20],
      ['WH-A', 'SKU-CXL', 5],
      ['WH-A', 'SKU-REC', 5],
    ],
  });
});
afterEach(async () => expectInventoryConsistent(stack.db));
afterAll(async () => stack?.close());

async function level(locationId: string, sku: string) {
  const res = await ops.get(`/v1/availability?sku=${sku}&locationId=${locationId}`);
  return res.body.items[0].locations[0];
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('adjustments', () => {
  it('changes on-hand relatively and records the reason', async () => {
    const res = await ops.post('/v1/inventory/adjustments', { locationId: 'WH-A', sku: 'SKU-ADJ', delta: -3, reason: 'damaged in aisle 4' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ onHand: 7, available: 7 });
    const ledger = await ops.get('/v1/inventory/WH-A/SKU-ADJ/ledger?limit=1');
    expect(ledger.body.items[0]).toMatchObject({ reason: 'adjustment', reference: 'damaged in aisle 4', onHandDelta: -3 });
  });

  it('refuses to take on-hand below zero, changing nothing', async () => {
    const res = await ops.post('/v1/inventory/adjustments', { locationId: 'WH-A', sku: 'SKU-ADJ', delta: -100, reason: 'oops' });
    expect(res.status).toBe(409);
    expect((await level('WH-A', 'SKU-ADJ')).onHand).toBe(7);
  });

  it('applies a retried adjustment once under its Idempotency-Key', async () => {
    const headers = { 'Idempotency-Key': 'adj-found-2' };
    await ops.post('/v1/inventory/adjustments', { locationId: 'WH-A', sku: 'SKU-ADJ', delta: 2, reason: 'found' }, headers);
    await ops.post('/v1/inventory/adjustments', { locationId: 'WH-A', sku: 'SKU-ADJ', delta: 2, reason: 'found' }, headers);
    expect((await level('WH-A', 'SKU-ADJ')).onHand).toBe(9);
  });

  it('names bad fields: fractional or zero deltas, unknown places', async () => {
    const res = await ops.post('/v1/inventory/adjustments', { locationId: 'WH-A', sku: 'SKU-ADJ', delta: 1.5, reason: '' });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['delta', 'reason']);
    expect((await ops.post('/v1/inventory/adjustments', { locationId: 'WH-A', sku: 'SKU-ADJ', delta: 0, reason: 'x' })).body.errors[0].path).toBe('delta');
    const unknown = await ops.post('/v1/inventory/adjustments', { locationId: 'WH-Z', sku: 'SKU-Z', delta: 1, reason: 'x' });
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual(['locationId', 'sku']);
  });
});

describe('quarantine', () => {
  it('moves units out of sellable stock, back again, or disposes of them', async () => {
    const moved = await ops.post('/v1/inventory/quarantine', { locationId: 'WH-A', sku: 'SKU-Q', quantity: 4, reason: 'water damage' });
    expect(moved.body).toMatchObject({ onHand: 6, quarantined: 4, available: 6 });
    const restocked = await ops.post('/v1/inventory/quarantine', { locationId: 'WH-A', sku: 'SKU-Q', quantity: 1, reason: 'dried out', action: 'restock' });
    expect(restocked.body).toMatchObject({ onHand: 7, quarantined: 3 });
    const disposed = await ops.post('/v1/inventory/quarantine', { locationId: 'WH-A', sku: 'SKU-Q', quantity: 3, reason: 'scrap', action: 'dispose' });
    expect(disposed.body).toMatchObject({ onHand: 7, quarantined: 0 });
    const tooMany = await ops.post('/v1/inventory/quarantine', { locationId: 'WH-A', sku: 'SKU-Q', quantity: 1, reason: 'x', action: 'dispose' });
    expect(tooMany.status).toBe(409);
  });
});

describe('feeds', () => {
  it('applies a snapshot, and skips items older than what was already applied', async () => {
    const first = await ops.post('/v1/inventory/feeds', {
      source: 'erp',
      asOf: '2026-11-01T10:00:00Z',
      items: [
        { locationId: 'WH-A', sku: 'SKU-FEED', onHand: 30 },
        { locationId: 'WH-B', sku: 'SKU-FEED', onHand: 12 },
      ],
    });
    expect(first.body).toMatchObject({ applied: 2, skipped: 0 });
    const stale = await ops.post('/v1/inventory/feeds', {
      source: 'pos',
      asOf: '2026-11-01T09:00:00Z',
      items: [
        { locationId: 'WH-A', sku: 'SKU-FEED', onHand: 1 },
        { locationId: 'STORE-C', sku: 'SKU-FEED', onHand: 3 },
      ],
    });
    expect(stale.body).toMatchObject({ applied: 1, skipped: 1, skippedItems: [{ index: 0, locationId: 'WH-A', sku: 'SKU-FEED', lastAppliedAsOf: '2026-11-01T10:00:00.000Z' }] });
    expect((await level('WH-A', 'SKU-FEED')).onHand).toBe(30);
    expect((await level('STORE-C', 'SKU-FEED')).onHand).toBe(3);
    const ledger = await ops.get('/v1/inventory/WH-B/SKU-FEED/ledger');
    expect(ledger.body.items[0]).toMatchObject({ reason: 'feed', onHandDelta: 12, reference: 'erp@2026-11-01T10:00:00.000Z' });
  });

  it('applies 10,000 items in one call', async () => {
    const skus = Array.from({ length: 5000 }, (_, i) => `SKU-BULK-${i}`);
    await stack.db('skus').insert(skus.map((sku) => ({ sku, name: sku, weight_grams: 1 })));
    const items = skus.flatMap((sku, i) => [
      { locationId: 'WH-A', sku, onHand: i % 50 },
      { locationId: 'WH-B', sku, onHand: (i * 7) % 30 },
    ]);
    const res = await ops.post('/v1/inventory/feeds', { source: 'erp', asOf: '2026-11-02T00:00:00Z', items });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ applied: 10_000, skipped: 0 });
    expect((await level('WH-B', 'SKU-BULK-4999')).onHand).toBe((4999 * 7) % 30);
  });

  it('refuses a feed with a malformed or unknown item as a whole, changing nothing', async () => {
    const before = await level('WH-A', 'SKU-FEED');
    const res = await ops.post('/v1/inventory/feeds', {
      source: 'erp',
      asOf: '2026-11-03T00:00:00Z',
      items: [
        { locationId: 'WH-A', sku: 'SKU-FEED', onHand: 99 },
        { locationId: 'WH-A', sku: 'SKU-FEED', onHand: -1 },
        { locationId: 'WH-NOPE', sku: 'SKU-FEED', onHand: 1 },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('items[1].onHand');
    const unknown = await ops.post('/v1/inventory/feeds', {
      source: 'erp',
      asOf: '2026-11-03T00:00:00Z',
      items: [
        { locationId: 'WH-A', sku: 'SKU-FEED', onHand: 99 },
        { locationId: 'WH-NOPE', sku: 'SKU-FEED', onHand: 1 },
        { locationId: 'WH-A', sku: 'SKU-FEED', onHand: 98 },
      ],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual(['items[1].locationId', 'items[2]']);
    expect(await level('WH-A', 'SKU-FEED')).toEqual(before);
    expect((await ops.post('/v1/inventory/feeds', { source: 'erp', asOf: 'yesterday', items: [] })).body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['asOf', 'items']);
  });
});

describe('channel allocation', () => {
  it("limits a channel's availability and routing to its locations and share", async () => {
    const set = await ops.put('/v1/channels/marketplace/allocation', { locationIds: ['WH-A'], sharePercent: 50 });
    expect(set.body).toEqual({ channel: 'marketplace', locationIds: ['WH-A'], sharePercent: 50 });

    const seen = await marketplace.get('/v1/availability?sku=SKU-ALLOC');
    expect(seen.body.items[0].locations).toEqual([expect.objectContaining({ locationId: 'WH-A', available: 5 })]);
    expect(seen.body.items[0].total.available).toBe(5);
    const webSees = await web.get('/v1/availability?sku=SKU-ALLOC');
    expect(webSees.body.items[0].total.available).toBe(14);

    const tooMuch = await marketplace.post('/v1/orders?wait=routed', shipOrder('M-ALLOC-1', [{ sku: 'SKU-ALLOC', quantity: 6 }], 'marketplace'));
    expect(tooMuch.body.status).toBe('backordered');
    const fits = await marketplace.post('/v1/orders?wait=routed', shipOrder('M-ALLOC-2', [{ sku: 'SKU-ALLOC', quantity: 5 }], 'marketplace'));
    expect(fits.body.status).toBe('routed');
    expect(fits.body.fulfillments[0].locationId).toBe('WH-A');
    // The web channel is unrestricted: the rest of WH-A is still there for it.
    expect((await level('WH-A', 'SKU-ALLOC')).available).toBe(5);
  });

  it('lets a channel read only its own allocation', async () => {
    expect((await marketplace.get('/v1/channels/marketplace/allocation')).status).toBe(200);
    expect((await marketplace.get('/v1/channels/web/allocation')).status).toBe(404);
    expect((await ops.put('/v1/channels/web/allocation', { locationIds: ['WH-NOPE'], sharePercent: 101 })).body.errors.map((e: { path: string }) => e.path)).toEqual(['sharePercent']);
  });
});

describe('transfers', () => {
  it('reserves at the source, shows the units incoming at the destination, then on hand there', async () => {
    const created = await ops.post('/v1/transfers', {
      fromLocationId: 'WH-A',
      toLocationId: 'STORE-C',
      lines: [{ sku: 'SKU-TRF', quantity: 8 }],
      expectedAt: '2030-01-01T12:00:00Z',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'reserved', fromLocationId: 'WH-A', toLocationId: 'STORE-C' });
    const id = created.body.id;
    expect(await level('WH-A', 'SKU-TRF')).toMatchObject({ onHand: 20, reserved: 8, available: 12 });

    const shipped = await ops.post(`/v1/transfers/${id}/ship`);
    expect(shipped.body.status).toBe('in_transit');
    expect(await level('WH-A', 'SKU-TRF')).toMatchObject({ onHand: 12, reserved: 0 });
    const incoming = await ops.get('/v1/availability?sku=SKU-TRF&locationId=STORE-C');
    expect(incoming.body.items[0].locations).toEqual([
      expect.objectContaining({ locationId: 'STORE-C', onHand: 0, available: 0, incoming: 8, incomingExpectedAt: '2030-01-01T12:00:00.000Z' }),
    ]);
    expect((await ops.post(`/v1/transfers/${id}/ship`)).status).toBe(409);

    const received = await ops.post(`/v1/transfers/${id}/receive`);
    expect(received.body).toMatchObject({ status: 'received', lines: [{ sku: 'SKU-TRF', quantity: 8, shipped: 8, received: 8 }] });
    expect(await level('STORE-C', 'SKU-TRF')).toMatchObject({ onHand: 8, incoming: 0 });
    expect((await ops.get(`/v1/transfers/${id}`)).body.status).toBe('received');
  });

  it('refuses a transfer the source cannot cover with 409', async () => {
    const res = await ops.post('/v1/transfers', {
      fromLocationId: 'WH-B',
      toLocationId: 'STORE-C',
      lines: [{ sku: 'SKU-TRF', quantity: 1 }],
      expectedAt: '2030-01-01T12:00:00Z',
    });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('SKU-TRF');
  });

  it('releases the reservation when a transfer is cancelled before shipping', async () => {
    const created = await ops.post('/v1/transfers', {
      fromLocationId: 'WH-A',
      toLocationId: 'WH-B',
      lines: [{ sku: 'SKU-TRF', quantity: 2 }],
      expectedAt: '2030-01-01T12:00:00Z',
    });
    expect((await level('WH-A', 'SKU-TRF')).reserved).toBe(2);
    const cancelled = await ops.post(`/v1/transfers/${created.body.id}/cancel`, { reason: 'not needed' });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await level('WH-A', 'SKU-TRF')).reserved).toBe(0);
    expect((await ops.post(`/v1/transfers/${created.body.id}/cancel`, {})).status).toBe(422);
  });

  it('names bad transfer fields', async () => {
    const res = await ops.post('/v1/transfers', { fromLocationId: 'WH-A', toLocationId: 'WH-A', lines: [{ sku: 'SKU-TRF', quantity: 0 }], expectedAt: 'soon' });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['expectedAt', 'lines[0].quantity', 'toLocationId']);
    expect((await ops.get('/v1/transfers/trf_unknown')).status).toBe(404);
  });
});

describe('reservations cannot leak', () => {
  it("releases an order's reservation when its workflow is cancelled", async () => {
    const order = await web.post('/v1/orders?wait=routed', shipOrder('W-CXL', [{ sku: 'SKU-CXL', quantity: 3 }]));
    expect((await level('WH-A', 'SKU-CXL')).reserved).toBe(3);
    await stack.api.deps.temporal.workflow.getHandle(orderWorkflowId(order.body.id)).cancel();
    const after = await waitFor(() => level('WH-A', 'SKU-CXL'), (l) => l.reserved === 0);
    expect(after).toMatchObject({ reserved: 0, available: 5 });
    const cancelled = await waitFor(() => web.get(`/v1/orders/${order.body.id}`), (r) => r.body.status === 'cancelled');
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('reconciliation releases the reservation of a workflow that closed without compensating', async () => {
    const order = await web.post('/v1/orders?wait=routed', shipOrder('W-REC', [{ sku: 'SKU-REC', quantity: 2 }]));
    // Terminated child first, then the order: nothing is left running to give the stock back.
    await stack.api.deps.temporal.workflow.getHandle(fulfillmentWorkflowId(order.body.fulfillments[0].id)).terminate('simulated loss');
    await stack.api.deps.temporal.workflow.getHandle(orderWorkflowId(order.body.id)).terminate('simulated loss');
    expect((await level('WH-A', 'SKU-REC')).reserved).toBe(2);

    const report = await stack.api.deps.temporal.workflow.execute('reservationReconciliationWorkflow', {
      workflowId: `reconcile-${order.body.id}`,
      taskQueue: stack.taskQueue,
      args: [{ minAgeSeconds: 0 }],
    });
    expect(report).toMatchObject({ releasedOwners: [order.body.id], releasedReservations: 1, drift: [] });
    expect((await level('WH-A', 'SKU-REC')).reserved).toBe(0);
  });
});
