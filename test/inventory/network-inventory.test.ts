// Locations, SKUs, counts, availability and the ledger over real HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { locationBody } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  ops = client(stack, await stack.key('ops'));
});
afterAll(async () => stack?.close());
// Whatever a test did, stock, reservations and the ledger still agree.
afterEach(async () => expectInventoryConsistent(stack.db));

describe('locations', () => {
  it('creates with 201, updates with 200, and reads back', async () => {
    const body = locationBody(41.88, -87.63, { name: 'Loop store', type: 'store', priority: 3, handlingCost: { amount: 350, currency: 'USD' } });
    expect((await ops.put('/v1/locations/STORE-042', body)).status).toBe(201);
    const updated = await ops.put('/v1/locations/STORE-042', { ...body, active: false });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: 'STORE-042', active: false, geo: { lat: 41.88, lon: -87.63 }, priority: 3 });
    const got = await ops.get('/v1/locations/STORE-042');
    expect(got.body.active).toBe(false);
    expect((await ops.get('/v1/locations')).body.items.map((l: { id: string }) => l.id)).toContain('STORE-042');
  });

  it('shows channels the network without cost data', async () => {
    await ops.put('/v1/locations/WH-COST', locationBody(41, -87, { handlingCost: { amount: 150, currency: 'USD' }, dailyOrderCapacity: 10 }));
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    const res = await web.get('/v1/locations/WH-COST');
    expect(res.status).toBe(200);
    expect(res.body.handlingCost).toBeUndefined();
    expect(res.body.dailyOrderCapacity).toBeUndefined();
  });

  it('names each bad field of a location', async () => {
    const res = await ops.put('/v1/locations/WH-BAD', {
      ...locationBody(91, -87),
      type: 'castle',
      timezone: 'Mars/Olympus',
      capabilities: { ship: 'yes' },
      // Found by Schemathesis: an amount past the 32-bit column was a 500.
      handlingCost: { amount: 2_832_963_186, currency: 'USD' },
    });
    expect(res.status).toBe(422);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['type', 'timezone', 'geo.lat', 'capabilities.ship', 'capabilities.pickup', 'handlingCost.amount']));
    expect((await ops.get('/v1/locations/WH-BAD')).status).toBe(404);
  });

  it('keeps opening hours and names bad ones', async () => {
    const hours = [{ days: ['mon' as const, 'tue' as const, 'wed' as const, 'thu' as const, 'fri' as const], open: '09:00', close: '21:00' }];
    const ok = await ops.put('/v1/locations/STORE-HOURS', locationBody(41.9, -87.6, { type: 'store', openingHours: hours }));
    expect(ok.body.openingHours).toEqual(hours);
    const bad = await ops.put('/v1/locations/STORE-HOURS', locationBody(41.9, -87.6, { openingHours: [{ days: ['funday'], open: '25:00', close: '08:00' }] as never }));
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['openingHours[0].days[0]', 'openingHours[0].open']);
  });

  it('refuses an id that is not URL-safe', async () => {
    const res = await ops.put('/v1/locations/bad%20id', locationBody(1, 1));
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('path.id');
  });
});

describe('SKUs', () => {
  it('accepts a valid GTIN and refuses a wrong check digit', async () => {
    expect((await ops.put('/v1/skus/SKU-1', { name: 'Shoe', gtin: '4006381333931', weightGrams: 800 })).status).toBe(201);
    const bad = await ops.put('/v1/skus/SKU-2', { name: 'Sock', gtin: '4006381333932', weightGrams: 50 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('gtin');
    const taken = await ops.put('/v1/skus/SKU-3', { name: 'Twin', gtin: '4006381333931', weightGrams: 50 });
    expect(taken.status).toBe(422);
    expect(taken.body.errors[0].message).toContain('SKU-1');
    expect((await ops.get('/v1/skus/SKU-1')).body).toMatchObject({ sku: 'SKU-1', gtin: '4006381333931', weightGrams: 800 });
  });
});

describe('inventory', () => {
  beforeAll(async () => {
    await ops.put('/v1/locations/WH-1', locationBody(41, -87));
    await ops.put('/v1/locations/WH-2', locationBody(42, -88));
    await ops.put('/v1/skus/SKU-INV', { name: 'Counted thing', weightGrams: 100 });
  });

  it('sets counts, sums availability across locations and writes the ledger', async () => {
    expect((await ops.put('/v1/inventory/WH-1/SKU-INV', { onHand: 12, safetyStock: 2 })).body).toMatchObject({ onHand: 12, safetyStock: 2, reserved: 0, available: 10 });
    await ops.put('/v1/inventory/WH-2/SKU-INV', { onHand: 5 });
    await ops.put('/v1/inventory/WH-1/SKU-INV', { onHand: 9 });

    const availability = await ops.get('/v1/availability?sku=SKU-INV');
    expect(availability.body.items[0]).toEqual({
      sku: 'SKU-INV',
      total: { onHand: 14, reserved: 0, safetyStock: 2, available: 12, incoming: 0 },
      locations: [
        { locationId: 'WH-1', onHand: 9, reserved: 0, safetyStock: 2, available: 7, incoming: 0 },
        { locationId: 'WH-2', onHand: 5, reserved: 0, safetyStock: 0, available: 5, incoming: 0 },
      ],
    });
    const ledger = await ops.get('/v1/inventory/WH-1/SKU-INV/ledger');
    expect(ledger.body.items.map((e: { onHandDelta: number; onHandAfter: number }) => [e.onHandDelta, e.onHandAfter])).toEqual([
      [-3, 9],
      [12, 12],
    ]);
  });

  it('never shows negative availability', async () => {
    await ops.put('/v1/inventory/WH-2/SKU-INV', { onHand: 1, safetyStock: 4 });
    const res = await ops.get('/v1/availability?sku=SKU-INV&locationId=WH-2');
    expect(res.body.items[0].locations[0].available).toBe(0);
  });

  it('applies a count once per Idempotency-Key', async () => {
    const headers = { 'Idempotency-Key': 'count-42' };
    await ops.put('/v1/inventory/WH-1/SKU-INV', { onHand: 20 }, headers);
    await ops.put('/v1/inventory/WH-1/SKU-INV', { onHand: 20 }, headers);
    const ledger = await ops.get('/v1/inventory/WH-1/SKU-INV/ledger?limit=5');
    expect(ledger.body.items.filter((e: { onHandAfter: number }) => e.onHandAfter === 20)).toHaveLength(1);
  });

  it('refuses negative or fractional counts and unknown places, changing nothing', async () => {
    const before = await ops.get('/v1/availability?sku=SKU-INV');
    const negative = await ops.put('/v1/inventory/WH-1/SKU-INV', { onHand: -1 });
    expect(negative.status).toBe(422);
    expect(negative.body.errors[0].path).toBe('onHand');
    expect((await ops.put('/v1/inventory/WH-1/SKU-INV', { onHand: 1.5 })).status).toBe(422);
    expect((await ops.put('/v1/inventory/WH-NOPE/SKU-INV', { onHand: 1 })).status).toBe(404);
    expect((await ops.put('/v1/inventory/WH-1/SKU-NOPE', { onHand: 1 })).status).toBe(404);
    expect((await ops.get('/v1/availability?sku=SKU-INV')).body).toEqual(before.body);
  });

  it('names unknown SKUs and locations in an availability query', async () => {
    const res = await ops.get('/v1/availability?sku=SKU-INV&sku=SKU-NOPE&locationId=WH-NOPE');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: 'query.sku[1]', message: 'unknown SKU SKU-NOPE' },
      { path: 'query.locationId', message: 'unknown location WH-NOPE' },
    ]);
    expect((await ops.get('/v1/availability')).status).toBe(422);
  });

  it('lets channels read availability but not counts', async () => {
    const web = client(stack, await stack.key('channel', { channel: 'web' }));
    expect((await web.get('/v1/availability?sku=SKU-INV')).status).toBe(200);
    expect((await web.put('/v1/inventory/WH-1/SKU-INV', { onHand: 1 })).status).toBe(403);
    expect((await web.get('/v1/inventory/WH-1/SKU-INV/ledger')).status).toBe(403);
  });
});
