// Carrier keys over HTTP (issue 28): a key speaks for its own carrier only, must name it, a key
// made before is refused until an admin binds it, and a parcel's events are deduplicated and
// bounded so no key can grow a fulfillment's history without end.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, type TestStack } from '../support/stack.ts';
import { shippedParcel, startTrustStack, type Api, type TrustStack } from '../support/trust-stack.ts';

let t: TrustStack;
let stack: TestStack;
let admin: Api;
let ops: Api;
let web: Api;
let newKey: TrustStack['newKey'];

async function setUp(options: { webhooks?: boolean } = {}) {
  t = await startTrustStack(options);
  ({ stack, admin, ops, web, newKey } = t);
}

beforeAll(async () => setUp());
afterAll(async () => stack?.close());
afterEach(async () => expectInventoryConsistent(stack.db));

describe('carrier keys', () => {
  it('speak for their own carrier only: a rival carrier cannot move another carrier’s parcel', async () => {
    const parcel = await shippedParcel(t, 'TB-CARRIER-1');
    const rivalName = parcel.carrier === 'ParcelCo' ? 'PostalService' : 'ParcelCo';
    const own = client(stack, (await newKey({ role: 'carrier', carrier: parcel.carrier })).key);
    const rival = client(stack, (await newKey({ role: 'carrier', carrier: rivalName })).key);
    const delivered = { trackingNumber: parcel.trackingNumber, status: 'delivered', at: new Date().toISOString() };

    // Through the parcel's own carrier's path or its own: the parcel is not there for the rival.
    expect((await rival.post(`/v1/carriers/${parcel.carrier}/events`, delivered)).status).toBe(404);
    expect((await rival.post(`/v1/carriers/${rivalName}/events`, delivered)).status).toBe(404);
    expect((await web.get(`/v1/orders/${parcel.orderId}`)).body.status).toBe('shipped');
    expect((await ops.get(`/v1/fulfillments/${parcel.fulfillmentId}`)).body.status).toBe('shipped');

    expect((await own.post(`/v1/carriers/${parcel.carrier}/events`, delivered)).status).toBe(202);
    await eventually(() => web.get(`/v1/orders/${parcel.orderId}`), (r) => r.body.status === 'completed', 'delivered by its own carrier', 30_000);
  });

  it('must name their carrier; a key made before is refused until an admin binds it', async () => {
    const nameless = await admin.post('/v1/api-keys', { name: 'who?', role: 'carrier' });
    expect(nameless.status).toBe(422);
    expect(nameless.body.errors.map((e: { path: string }) => e.path)).toContain('carrier');
    expect((await admin.post('/v1/api-keys', { name: 'ops with a carrier', role: 'ops', carrier: 'ParcelCo' })).status).toBe(422);

    const parcel = await shippedParcel(t, 'TB-CARRIER-LEGACY');
    // A carrier key from before carriers were named (no carrier in its row).
    const legacyKey = await stack.key('carrier');
    const legacy = client(stack, legacyKey);
    const event = { trackingNumber: parcel.trackingNumber, status: 'in_transit', at: new Date().toISOString() };
    const refused = await legacy.post(`/v1/carriers/${parcel.carrier}/events`, event);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/names no carrier/);
    const listed = (await admin.get('/v1/api-keys')).body.items.find((k: { name: string; needsCarrier?: boolean }) => k.needsCarrier);
    expect(listed).toBeDefined();
    expect((await admin.put(`/v1/api-keys/${listed.id}/carrier`, { carrier: parcel.carrier })).body).toMatchObject({ carrier: parcel.carrier });
    expect((await admin.put(`/v1/api-keys/${listed.id}/carrier`, { carrier: 'SomeoneElse' })).status).toBe(409);
    expect((await legacy.post(`/v1/carriers/${parcel.carrier}/events`, event)).status).toBe(202);
  });

  it('take a repeated event once and refuse a flood, so a parcel’s history stays bounded', async () => {
    const parcel = await shippedParcel(t, 'TB-CARRIER-FLOOD');
    const carrier = client(stack, (await newKey({ role: 'carrier', carrier: parcel.carrier })).key);
    const at = Date.now() - 60 * 60_000;
    const event = (minutes: number, location = 'Chicago hub') => ({ trackingNumber: parcel.trackingNumber, status: 'in_transit', location, at: new Date(at + minutes * 60_000).toISOString() });
    const first = await carrier.post(`/v1/carriers/${parcel.carrier}/events`, event(0));
    expect(first.status).toBe(202);
    expect(first.body.duplicate).toBeUndefined();
    // The same scan sent again, and with a carrier clock a couple of minutes off: taken, changing nothing.
    for (const again of [event(0), event(2), event(-3)]) {
      const res = await carrier.post(`/v1/carriers/${parcel.carrier}/events`, again);
      expect(res.status).toBe(202);
      expect(res.body.duplicate).toBe(true);
    }
    await eventually(() => ops.get(`/v1/fulfillments/${parcel.fulfillmentId}`), (r) => r.body.status === 'in_transit', 'in transit', 30_000);

    // Distinct scans, as fast as a script can send them: the parcel takes 30 in 10 minutes, then 429.
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<Api['post']>> | undefined;
    for (let i = 1; i <= 40; i++) {
      const res = await carrier.post(`/v1/carriers/${parcel.carrier}/events`, event(10 * i, `depot ${i}`));
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(29);
    expect(statuses.slice(29).every((s) => s === 429)).toBe(true);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await stack.db('carrier_events').where({ fulfillment_id: parcel.fulfillmentId }).count({ n: '*' }).first()).toMatchObject({ n: expect.toSatisfy((n: unknown) => Number(n) === 30) });
  });
});
