// Webhooks against a real local HTTP receiver: signed deliveries, in order per order, still
// arriving after the receiver was down for a while; the delivery log and re-send.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventMatches } from '../../db/repositories/webhooks.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

const SECRET = 'whsec_test_0123456789abcdef';

interface Received {
  path: string;
  id: string;
  type: string;
  orderId?: string;
  signatureValid: boolean;
}

let stack: TestStack;
let admin: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let exceptions: ReturnType<typeof client>;
let server: Server;
let receiverUrl: string;
let down = false;
let refused = 0;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (down) {
        refused += 1;
        res.writeHead(503).end();
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw) as { id: string; type: string; createdAt: string; data: { orderId?: string } };
      const expected = `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;
      // Standard Webhooks: v1,<base64 HMAC of "<webhook-id>.<webhook-timestamp>.<body>">, a fresh timestamp, the event's id.
      const [id, timestamp] = [String(req.headers['webhook-id']), String(req.headers['webhook-timestamp'])];
      const standard = `v1,${createHmac('sha256', SECRET).update(`${id}.${timestamp}.${raw}`).digest('base64')}`;
      const standardValid = req.headers['webhook-signature'] === standard && id === body.id && Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
      received.push({ path: req.url ?? '', id: body.id, type: body.type, ...(body.data.orderId ? { orderId: body.data.orderId } : {}), signatureValid: req.headers['x-signature'] === expected && standardValid });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  stack = await startTestStack();
  admin = client(stack, stack.adminKey);
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  exceptions = client(stack, await stack.key('exceptions'));
  await seedNetwork(client(stack, await stack.key('ops')), { locations: { WH: locationBody(41.88, -87.64) }, skus: ['CAP'], stock: [['WH', 'CAP', 100]] });
});
afterEach(async () => expectInventoryConsistent(stack.db));
afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('webhook patterns', () => {
  it('match with * over any run of characters', () => {
    expect(eventMatches(['order.*'], 'order.routed')).toBe(true);
    expect(eventMatches(['order.*'], 'fulfillment.shipped')).toBe(false);
    expect(eventMatches(['*'], 'return.refunded')).toBe(true);
    expect(eventMatches(['fulfillment.shipped'], 'fulfillment.shipped_late')).toBe(false);
  });
});

describe('webhooks', () => {
  it('are admin-only and validated', async () => {
    expect((await web.post('/v1/webhooks', { url: receiverUrl, events: ['*'], secret: SECRET })).status).toBe(403);
    const bad = await admin.post('/v1/webhooks', { url: 'ftp://x', events: ['Order Routed'], secret: 'short' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['events[0]', 'secret', 'url']);
  });

  it('deliver signed events in order per order, and keep delivering after the receiver was down', async () => {
    const sub = await admin.post('/v1/webhooks', { url: receiverUrl, events: ['order.*', 'payment.*'], secret: SECRET });
    expect(sub.status, sub.text).toBe(201);
    expect(sub.body).not.toHaveProperty('secret');

    // The receiver is down while three orders are placed, held, released and cancelled.
    down = true;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const order = (await web.post('/v1/orders?wait=routed', shipOrder(`WH-${i}`, [{ sku: 'CAP', quantity: 1 }]))).body;
      ids.push(order.id);
      await exceptions.post(`/v1/orders/${order.id}/hold`, { reason: 'check' });
      await exceptions.post(`/v1/orders/${order.id}/release`, {});
      await web.post(`/v1/orders/${order.id}/cancel`, { reason: 'changed mind' });
    }
    await eventually(async () => refused, (n) => n >= 3, 'refused deliveries while down');
    down = false;

    // Every order's events arrive, once each at least, signed, in the order they happened.
    const outbox = async (orderId: string) =>
      ((await admin.get(`/v1/events?orderId=${orderId}&limit=500`)).body.items as { eventId: string; type: string }[]).filter((e) => eventMatches(['order.*', 'payment.*'], e.type));
    for (const orderId of ids) {
      const events = await eventually(() => outbox(orderId), (list) => list.some((e) => e.type === 'order.cancelled'), `${orderId} cancelled`);
      const expected = events.map((e) => e.eventId);
      const got = await eventually(
        async () => [...new Set(received.filter((r) => r.orderId === orderId).map((r) => r.id))],
        (list) => expected.every((id: string) => list.includes(id)),
        `deliveries of ${orderId}`,
        20_000,
      );
      expect(got.slice(0, expected.length)).toEqual(expected);
      const types = received.filter((r) => r.orderId === orderId).map((r) => r.type);
      expect(types).toEqual(expect.arrayContaining(['order.routed', 'order.held', 'order.released', 'order.cancelled', 'payment.voided']));
    }
    expect(received.every((r) => r.signatureValid)).toBe(true);

    const log = await admin.get(`/v1/webhooks/${sub.body.id}/deliveries?limit=500`);
    expect(log.body.items.every((d: { status: string }) => d.status === 'delivered')).toBe(true);
    expect(log.body.items.some((d: { attempts: number }) => d.attempts > 1)).toBe(true);

    // Re-send one delivery: it arrives again.
    const first = log.body.items.at(-1);
    const before = received.filter((r) => r.id === first.eventId).length;
    expect((await admin.post(`/v1/webhooks/${sub.body.id}/deliveries/${first.id}/resend`, {})).status).toBe(202);
    await eventually(async () => received.filter((r) => r.id === first.eventId).length, (n) => n === before + 1, 're-sent delivery');

    // Unsubscribed: nothing new arrives there, while another subscription still gets the next order.
    expect((await admin.delete(`/v1/webhooks/${sub.body.id}`)).status).toBe(204);
    const other = (await admin.post('/v1/webhooks', { url: `${receiverUrl}?sub=other`, events: ['order.routed'], secret: SECRET })).body;
    expect((await admin.get('/v1/webhooks')).body.items.map((w: { id: string }) => w.id)).toEqual([other.id]);
    const after = (await web.post('/v1/orders?wait=routed', shipOrder('WH-after', [{ sku: 'CAP', quantity: 1 }]))).body;
    await eventually(async () => received.filter((r) => r.orderId === after.id && r.path.includes('sub=other')), (list) => list.length === 1, 'delivery to the other subscription');
    expect(received.filter((r) => r.orderId === after.id && !r.path.includes('sub=other'))).toEqual([]);
  });
});
