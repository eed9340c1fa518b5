// Payments through Stripe (issue 30), against Stripe's own stripe-mock (node scripts/bootstrap.mjs
// --stripe-mock): the web channel pays through Stripe, so what ships is captured on its
// PaymentIntent, what comes back refunded, what will never ship cancelled; a split shipment
// without multicapture is refused by Fulcrum before Stripe (and the order held, saying why);
// Stripe's signed webhooks hold a disputed order. stripe-mock keeps no state: it proves each
// request is one Stripe accepts; the limits are Fulcrum's, tested here on its ledger.
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeMock, type RunningStripeMock } from '../../scripts/lib/stripe-mock.ts';
import { eventually } from '../support/eventually.ts';
import { recordHistories } from '../support/record-history.ts';
import { createStripePaymentProvider } from '../../activities/adapters/payments/stripe.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { carrierClient, client, startTestStack, type TestStack } from '../support/stack.ts';

const WEBHOOK_SECRET = 'whsec_fulcrum_test_secret';
const PARCEL = { weightGrams: 900, lengthCm: 30, widthCm: 20, heightCm: 10 };

let mock: RunningStripeMock;
let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
let exceptions: ReturnType<typeof client>;

/** What stripe-mock was asked for this PaymentIntent: `METHOD path data`. */
function asked(pi: string): string[] {
  return mock
    .requests()
    .filter((r) => r.path.includes(pi) || r.data.includes(pi))
    .map((r) => `${r.method} ${r.path} ${r.data}`.trim());
}

function stripeOrder(id: string, lines: { sku: string; quantity: number; lineId?: string }[]) {
  const body = shipOrder(id, lines);
  body.payment.authorizationId = `pi_${id.replace(/[^A-Za-z0-9]/g, '')}`;
  return body;
}

/** Picks, packs and hands off a fulfillment. */
async function ship(fulfillmentId: string, sku: string, quantity: number): Promise<void> {
  for (const [action, body] of [['pick', { scans: [{ barcode: sku, quantity }] }], ['pack', { packages: [PARCEL] }], ['handoff', {}]] as const) {
    const res = await ops.post(`/v1/fulfillments/${fulfillmentId}/${action}`, body);
    expect(res.status, `${action}: ${res.text}`).toBe(200);
  }
}

async function signedPost(event: object, secret = WEBHOOK_SECRET) {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return fetch(`${stack.url}/v1/payment-providers/stripe/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });
}

beforeAll(async () => {
  mock = await startStripeMock();
  Object.assign(process.env, { FULCRUM_PAYMENT_PROVIDER_BY_CHANNEL: 'web=stripe', STRIPE_SECRET_KEY: 'sk_test_fulcrum', STRIPE_API_URL: mock.url, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  exceptions = client(stack, await stack.key('exceptions'));
  await seedNetwork(ops, {
    locations: { 'WH-S': locationBody(41.88, -87.63), 'WH-T': locationBody(41.9, -87.7) },
    skus: ['MUG', 'LAMP'],
    stock: [['WH-S', 'MUG', 50], ['WH-T', 'LAMP', 50]],
  });
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await mock?.stop();
});

describe('the Stripe payment provider', () => {
  it('captures what ships on the PaymentIntent and refunds a return, and refuses an authorization that is not one', async () => {
    const refused = await web.post('/v1/orders', shipOrder('S-NOT-PI', [{ sku: 'MUG', quantity: 1 }]));
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'payment.authorizationId' })]);

    const order = (await web.post('/v1/orders?wait=routed', stripeOrder('S-SHIP', [{ sku: 'MUG', quantity: 2 }]))).body;
    await ship(order.fulfillments[0].id, 'MUG', 2);
    const captured = await eventually(async () => (await ops.get(`/v1/orders/${order.id}`)).body, (o) => o.payment.captured === 2000, 'the capture', 60_000);
    expect(captured.events.map((e: { type: string }) => e.type)).toContain('payment.captured');
    expect(asked('pi_SSHIP')).toEqual(['POST /v1/payment_intents/pi_SSHIP/capture map[amount_to_capture:2000]']);
    const shipped = (await ops.get(`/v1/fulfillments/${order.fulfillments[0].id}`)).body;
    const delivered = await carrierClient(stack).post(`/v1/carriers/${shipped.carrier}/events`, { trackingNumber: shipped.trackingNumber, status: 'delivered', at: new Date().toISOString() });
    expect(delivered.status, delivered.text).toBe(202);
    await eventually(async () => (await ops.get(`/v1/fulfillments/${shipped.id}`)).body.status, (s) => s === 'delivered', 'delivered', 60_000);

    const opened = await web.post('/v1/returns', { orderId: order.id, method: 'in_store', locationId: 'WH-S', lines: [{ lineId: '1', quantity: 1, reason: 'chipped' }] });
    expect(opened.status, opened.text).toBe(201);
    const received = await ops.post(`/v1/returns/${opened.body.id}/receive`, { locationId: 'WH-S', lines: [{ lineId: '1', quantity: 1, condition: 'damaged' }] });
    expect(received.status, received.text).toBe(200);
    await eventually(async () => (await web.get(`/v1/returns/${opened.body.id}`)).body.refund?.status, (s) => s === 'issued', 'the refund', 60_000);
    expect(asked('pi_SSHIP').at(-1)).toMatch(/^POST \/v1\/refunds map\[.*amount:1000.*payment_intent:pi_SSHIP.*\]$/);
  }, 180_000);

  it('cancels the PaymentIntent of an order that will never ship', async () => {
    const order = (await web.post('/v1/orders?wait=routed', stripeOrder('S-CANCEL', [{ sku: 'MUG', quantity: 1 }]))).body;
    const cancelled = await exceptions.post(`/v1/orders/${order.id}/cancel`, { reason: 'customer asked' });
    expect(cancelled.status, cancelled.text).toBe(200);
    await eventually(async () => asked('pi_SCANCEL'), (a) => a.length > 0, 'the cancel at Stripe', 60_000);
    expect(asked('pi_SCANCEL')).toEqual(['POST /v1/payment_intents/pi_SCANCEL/cancel map[]']);
  }, 120_000);

  it('without multicapture, captures the first shipment of a split order and holds the order when the second cannot be captured', async () => {
    const order = (await web.post('/v1/orders?wait=routed', stripeOrder('S-SPLIT', [{ sku: 'MUG', quantity: 1 }, { sku: 'LAMP', quantity: 1, lineId: '2' }]))).body;
    expect(order.fulfillments).toHaveLength(2);
    const [first, second] = order.fulfillments as { id: string; locationId: string }[];
    await ship(first!.id, first!.locationId === 'WH-S' ? 'MUG' : 'LAMP', 1);
    await eventually(async () => (await ops.get(`/v1/orders/${order.id}`)).body.payment.captured, (c) => c === 1000, 'the first capture', 60_000);
    await ship(second!.id, second!.locationId === 'WH-S' ? 'MUG' : 'LAMP', 1);
    const held = await eventually(async () => (await ops.get(`/v1/orders/${order.id}`)).body, (o) => o.holds.length > 0, 'the hold', 60_000);
    expect(held.holds[0].reason).toMatch(/refused to capture: Stripe captures a PaymentIntent once without multicapture/);
    expect(held.payment.captured).toBe(1000);
    // Stripe was asked once: the second capture was refused before it.
    expect(asked('pi_SSPLIT')).toEqual(['POST /v1/payment_intents/pi_SSPLIT/capture map[amount_to_capture:1000]']);
    await recordHistories(stack, { 'order-capture-refused-held': `order-${order.id}` });
  }, 180_000);

  it('holds an order whose payment is disputed, once, and takes only signed events', async () => {
    const order = (await web.post('/v1/orders?wait=routed', stripeOrder('S-DISPUTE', [{ sku: 'MUG', quantity: 1 }]))).body;
    const dispute = {
      id: 'evt_dispute_1',
      object: 'event',
      type: 'charge.dispute.created',
      data: { object: { id: 'dp_1', object: 'dispute', payment_intent: 'pi_SDISPUTE', reason: 'fraudulent', amount: 1000, currency: 'usd' } },
    };
    expect((await signedPost(dispute, 'whsec_somebody_else')).status).toBe(401);
    expect((await ops.get(`/v1/orders/${order.id}`)).body.holds).toEqual([]);
    const taken = await signedPost(dispute);
    expect(await taken.json()).toMatchObject({ orderId: order.id, held: true });
    const again = await signedPost(dispute);
    expect(await again.json()).toMatchObject({ duplicate: true });
    const held = (await ops.get(`/v1/orders/${order.id}`)).body;
    expect(held.holds.map((h: { reason: string }) => h.reason)).toEqual(['The payment was disputed at Stripe (fraudulent, 1000 USD)']);
    const unknown = await signedPost({ ...dispute, id: 'evt_dispute_2', data: { object: { ...dispute.data.object, payment_intent: 'pi_nobody' } } });
    expect(await unknown.json()).toMatchObject({ ignored: 'no order draws on this PaymentIntent' });
  }, 120_000);

  it('with multicapture, captures each shipment in part and cancels the rest; a repeated movement asks Stripe once', async () => {
    const provider = createStripePaymentProvider(stack.db, { secretKey: 'sk_test_fulcrum', apiUrl: mock.url, multicapture: true });
    const request = (key: string, amount: number) => ({ orderId: 'ord_multi', authorizationId: 'pi_MULTI', authorized: { amount: 3000, currency: 'USD' }, amount: { amount, currency: 'USD' }, idempotencyKey: key });
    expect(await provider.capture(request('m:1', 1000))).toMatchObject({ ok: true });
    expect(await provider.capture(request('m:1', 1000))).toMatchObject({ ok: true });
    expect(await provider.capture(request('m:2', 500))).toMatchObject({ ok: true });
    expect(await provider.capture(request('m:3', 5000))).toEqual({ ok: false, reason: 'exceeds_authorization' });
    expect(await provider.void(request('m:4', 1500))).toMatchObject({ ok: true });
    expect(await provider.totals('pi_MULTI')).toMatchObject({ captured: 1500, voided: 1500 });
    expect(asked('pi_MULTI')).toEqual([
      'POST /v1/payment_intents/pi_MULTI/capture map[amount_to_capture:1000 final_capture:false]',
      'POST /v1/payment_intents/pi_MULTI/capture map[amount_to_capture:500 final_capture:false]',
      'POST /v1/payment_intents/pi_MULTI/cancel map[]',
    ]);
  }, 60_000);

  it('answers a declined capture as refused and records nothing; an outage is thrown to be retried', async () => {
    const declined = new Stripe.errors.StripeCardError({ type: 'card_error', message: 'Your card was declined.', code: 'card_declined' });
    const unreachable = new Stripe.errors.StripeConnectionError({ type: 'api_error', message: 'An error occurred with our connection to Stripe.' });
    let next: Error = declined;
    const failing = { paymentIntents: { capture: async () => Promise.reject(next) } } as unknown as Stripe;
    const provider = createStripePaymentProvider(stack.db, { secretKey: 'sk_test_fulcrum', multicapture: false }, failing);
    const request = { orderId: 'ord_declined', authorizationId: 'pi_DECLINED', authorized: { amount: 1000, currency: 'USD' }, amount: { amount: 1000, currency: 'USD' }, idempotencyKey: 'd:1' };
    expect(await provider.capture(request)).toEqual({ ok: false, reason: 'provider_refused', detail: 'Stripe refused: Your card was declined.' });
    expect(await provider.totals('pi_DECLINED')).toBeUndefined();
    next = unreachable;
    await expect(provider.capture(request)).rejects.toThrow('connection to Stripe');
    expect(await provider.totals('pi_DECLINED')).toBeUndefined();
  });
});
