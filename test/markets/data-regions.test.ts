// Data regions: a market whose `dataRegion` is eu-central has its customers' Temporal payloads
// (order, fulfillment with its label, return, promise) sealed with that region's own key, read
// back from the raw histories the Temporal server holds; the other markets keep the
// deployment's key. A region without a key is refused.
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptionCodec, parsePayloadKeys, parseRegionKeys } from '../../services/temporal/payload-codec.ts';
import { payloadCodec } from '../../services/temporal/options.ts';
import { fulfillmentWorkflowId } from '../../workflows/fulfillment/definitions.ts';
import { orderWorkflowId } from '../../workflows/order/definitions.ts';
import { promiseHoldWorkflowId } from '../../workflows/promise/definitions.ts';
import { returnWorkflowId } from '../../workflows/return/definitions.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { client, startTestStack, type TestStack, carrierClient } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;

const euro = (amount: number) => ({ amount, currency: 'EUR' });
const berlin = { name: 'Ljudmila Ковалёва', line1: 'Unter den Linden 1', city: 'Berlin', region: 'BE', postalCode: '10117', country: 'DE', geo: { lat: 52.517, lon: 13.389 } };
const deMarket = { name: 'Germany', countries: ['DE'], currency: 'EUR', timezone: 'Europe/Berlin', channels: ['web-de'], dataRegion: 'eu-central' };

function germanOrder(id: string) {
  const order = shipOrder(id, [{ sku: 'BIKE', quantity: 1 }], 'web-de');
  return { ...order, fulfillment: { method: 'ship', shipTo: berlin }, lines: order.lines.map((l) => ({ ...l, unitPrice: euro(2500) })), payment: { ...order.payment, amount: euro(2500) } };
}

/** Picks, packs, hands off and delivers an order's one fulfillment, then opens a mail return of it. */
async function deliverAndReturn(channel: ReturnType<typeof client>, order: { id: string; fulfillments: { id: string }[] }): Promise<string> {
  const id = order.fulfillments[0]!.id;
  await eventually(() => ops.get(`/v1/fulfillments/${id}`), (r) => r.status === 200, 'fulfillment saved');
  expect((await ops.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'BIKE', quantity: 1 }] })).status).toBe(200);
  const packed = (await ops.post(`/v1/fulfillments/${id}/pack`, { packages: [{ weightGrams: 2500, lengthCm: 40, widthCm: 30, heightCm: 20 }] })).body;
  await ops.post(`/v1/fulfillments/${id}/handoff`, {});
  const carrier = carrierClient(stack);
  await carrier.post(`/v1/carriers/${packed.carrier}/events`, { trackingNumber: packed.trackingNumber, status: 'delivered', at: new Date().toISOString() });
  await eventually(() => channel.get(`/v1/orders/${order.id}`), (r) => r.body.status === 'completed', 'delivered');
  const opened = await channel.post('/v1/returns', { orderId: order.id, method: 'mail', lines: [{ lineId: '1', quantity: 1, reason: 'too big' }] });
  expect(opened.status, opened.text).toBe(201);
  return opened.body.id;
}

/** Every payload of a raw history (what the Temporal server stores), search attributes aside (never encoded, like headers and the SDK's markers). */
function payloadsIn(value: unknown, out: Payload[] = [], key = ''): Payload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array || key === 'searchAttributes') return out;
  const candidate = value as Payload;
  if (candidate.metadata && 'data' in candidate) out.push(candidate);
  else for (const [k, v] of Object.entries(value)) payloadsIn(v, out, k);
  return out;
}
const keyIdOf = (p: Payload) => Buffer.from(p.metadata?.['encryption-key-id'] ?? []).toString();

/** The keys that sealed the histories' payloads; the plain ones (tracing headers, patch and activity markers) as text. */
async function keyIdsOf(workflowIds: string[]): Promise<{ keyIds: Set<string>; payloads: Payload[]; plain: string }> {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const raw = new Client({ connection });
    const payloads: Payload[] = [];
    for (const id of workflowIds) payloads.push(...payloadsIn(await raw.workflow.getHandle(id).fetchHistory()));
    const sealed = payloads.filter(keyIdOf);
    const plain = payloads.filter((p) => !keyIdOf(p)).map((p) => Buffer.from(p.data ?? []).toString()).join('\n');
    return { keyIds: new Set(sealed.map(keyIdOf)), payloads: sealed, plain };
  } finally {
    await connection.close();
  }
}

beforeAll(async () => {
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  expect((await ops.put('/v1/markets/us', { name: 'United States', countries: ['US'], currency: 'USD', timezone: 'America/Chicago', channels: ['web'] })).status).toBe(200);
  await seedNetwork(ops, {
    locations: { 'US-WH': locationBody(41.88, -87.64, { marketId: 'us' }) },
    skus: ['BIKE'],
    stock: [['US-WH', 'BIKE', 5]],
  });
});
afterAll(async () => stack?.close());

describe('data regions', () => {
  it('refuse a region the deployment has no key for, naming dataRegion', async () => {
    const res = await ops.put('/v1/markets/de', { ...deMarket, dataRegion: 'mars-north' });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['dataRegion']);
    expect((await ops.get('/v1/markets/de')).status).toBe(404);
  });

  it("seal a regional market's orders, fulfillments, returns and promises with the region's key, and the others with the deployment's", async () => {
    expect((await ops.put('/v1/markets/de', deMarket)).status).toBe(200);
    await seedNetwork(ops, { locations: { 'DE-WH': locationBody(52.45, 13.3, { marketId: 'de', timezone: 'Europe/Berlin' }) }, skus: ['BIKE'], stock: [['DE-WH', 'BIKE', 5]] });
    const de = client(stack, await stack.key('channel', { channel: 'web-de' }));
    const web = client(stack, await stack.key('channel', { channel: 'web' }));

    const german = (await de.post('/v1/orders?wait=routed', germanOrder('DE-1'))).body;
    const american = (await web.post('/v1/orders?wait=routed', shipOrder('US-1', [{ sku: 'BIKE', quantity: 1 }]))).body;
    expect(german.fulfillments).toHaveLength(1);
    const held = await de.post('/v1/promises', { channel: 'web-de', destination: berlin, lines: [{ sku: 'BIKE', quantity: 1 }], serviceLevels: ['standard'], hold: { minutes: 10 } });
    expect(held.status).toBe(201);

    // Labels bought with the customer's address, delivery, and a return with its own label.
    const germanReturn = await deliverAndReturn(de, german);
    const americanReturn = await deliverAndReturn(web, american);

    const germanWorkflows = [orderWorkflowId(german.id), fulfillmentWorkflowId(german.fulfillments[0].id), returnWorkflowId(germanReturn), promiseHoldWorkflowId(held.body.id)];
    const americanWorkflows = [orderWorkflowId(american.id), fulfillmentWorkflowId(american.fulfillments[0].id), returnWorkflowId(americanReturn)];

    const germanKeys = await keyIdsOf(germanWorkflows);
    expect([...germanKeys.keyIds]).toEqual(['eu']);
    expect(germanKeys.plain).not.toMatch(/Ljudmila|Linden/);
    expect([...(await keyIdsOf(americanWorkflows)).keyIds]).toEqual(['test']);

    // Only a holder of the region's key opens them; with it, the customer is there.
    const ring = parsePayloadKeys(stack.payloadKeys);
    const withoutRegion = new EncryptionCodec(new Map([['test', ring.get('test')!]]), 'test');
    await expect(withoutRegion.decode(germanKeys.payloads.slice(0, 1))).rejects.toThrow(/unknown key eu/);
    const opened = await payloadCodec({ payloadKeys: stack.payloadKeys, payloadKeyId: undefined })!.decode(germanKeys.payloads);
    expect(opened.map((p) => Buffer.from(p.data ?? []).toString()).join('\n')).toContain('Ljudmila Ковалёва');
    // The API, which holds the key, reads the order as usual.
    expect((await de.get(`/v1/orders/${german.id}`)).body.shipTo.name).toBe('Ljudmila Ковалёва');
  });

  it('never falls back to the deployment key for a region this process has no key for', async () => {
    const ring = parsePayloadKeys(stack.payloadKeys);
    const json = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"name":"Ljudmila"}') };
    const noRegionKey = new EncryptionCodec(new Map([['test', ring.get('test')!]]), 'test', { regions: new Map(), resolve: async () => 'eu-central' });
    await expect(noRegionKey.encode([json], { type: 'workflow', namespace: 'default', workflowId: 'order-x' })).rejects.toThrow(/no payload key for data region eu-central/);
    // Once a workflow's payloads were opened with a region's key, its new ones are sealed with it too.
    const regional = new EncryptionCodec(ring, 'test', { regions: parseRegionKeys(stack.payloadRegionKeys) });
    const sealed = await regional.encode([json], { type: 'workflow', namespace: 'default', workflowId: 'order-y' });
    expect(keyIdOf(sealed[0]!)).toBe('test');
    const byRegion = new EncryptionCodec(ring, 'test', { regions: parseRegionKeys(stack.payloadRegionKeys), resolve: async () => 'eu-central' });
    const euSealed = await byRegion.encode([json], { type: 'workflow', namespace: 'default', workflowId: 'order-y' });
    await regional.decode(euSealed, { type: 'workflow', namespace: 'default', workflowId: 'order-y' });
    expect(keyIdOf((await regional.encode([json], { type: 'activity', namespace: 'default', workflowId: 'order-y', isLocal: false }))[0]!)).toBe('eu');
  });
});
