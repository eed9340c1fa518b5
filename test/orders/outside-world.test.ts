// One German order through every outside system at once (issue 30): a real Karrio buys the label
// (its generic carrier priced like the German market's cards) and reports delivery by webhook,
// Stripe's stripe-mock takes the capture and the refund, and the customer's inbox (MailDev)
// receives the confirmation, shipped, return received and refunded emails, in German.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EUR_DEMO_CARRIER_SERVICES } from '../../domain/shipping/carrier-services.ts';
import { addWebhook, connectCarriers, injectTrackingEvent, trackShipment } from '../../scripts/lib/karrio-carriers.ts';
import { startKarrio, type RunningKarrio } from '../../scripts/lib/karrio.ts';
import { startInbox, type RunningInbox } from '../../scripts/lib/maildev.ts';
import { startStripeMock, type RunningStripeMock } from '../../scripts/lib/stripe-mock.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

const SECRET = `whsec_${'o'.repeat(24)}`;
const euro = (amount: number) => ({ amount, currency: 'EUR' });
const berlin = { name: 'Jürgen Müller', line1: 'Unter den Linden 1', city: 'Berlin', region: 'BE', postalCode: '10117', country: 'DE', geo: { lat: 52.517, lon: 13.389 } };
const warehouse = { name: 'Zeltladen Lager', line1: 'Am Borsigturm 100', city: 'Berlin', region: 'BE', postalCode: '13507', country: 'DE' };

let karrio: RunningKarrio;
let mock: RunningStripeMock;
let inbox: RunningInbox;
let stack: TestStack;
let ops: ReturnType<typeof client>;
let de: ReturnType<typeof client>;

beforeAll(async () => {
  [karrio, mock, inbox] = await Promise.all([startKarrio(), startStripeMock(), startInbox()]);
  await connectCarriers(karrio, EUR_DEMO_CARRIER_SERVICES, ['DE']);
  Object.assign(process.env, {
    FULCRUM_CARRIER_GATEWAY_BY_MARKET: 'de=karrio',
    KARRIO_URL: karrio.url,
    KARRIO_API_KEY: karrio.apiKey,
    FULCRUM_KARRIO_WEBHOOK_SECRET: SECRET,
    FULCRUM_PAYMENT_PROVIDER_BY_CHANNEL: 'web-de=stripe',
    STRIPE_SECRET_KEY: 'sk_test_fulcrum',
    STRIPE_API_URL: mock.url,
    FULCRUM_SMTP_URL: inbox.smtpUrl,
  });
  stack = await startTestStack();
  await addWebhook(karrio, `${stack.url}/v1/carrier-gateways/karrio/events`, SECRET);
  ops = client(stack, await stack.key('ops'));
  de = client(stack, await stack.key('channel', { channel: 'web-de' }));
  expect((await ops.put('/v1/markets/de', { name: 'Deutschland', countries: ['DE'], currency: 'EUR', timezone: 'Europe/Berlin', channels: ['web-de'], language: 'de' })).status).toBe(200);
  await seedNetwork(ops, { locations: { 'DE-LAGER': { ...locationBody(52.58, 13.28, { marketId: 'de', timezone: 'Europe/Berlin' }), address: warehouse } }, skus: ['ZELT'], stock: [['DE-LAGER', 'ZELT', 10]] });
}, 300_000);
afterAll(async () => {
  await stack?.close();
  await Promise.all([karrio?.stop(), mock?.stop(), inbox?.stop()]);
});

describe('a German order through Karrio, Stripe and email', () => {
  it('is labelled by Karrio, captured and refunded by Stripe, delivered by Karrio\'s webhook, and the customer hears each step in German', async () => {
    const body = shipOrder('DE-WORLD-1', [{ sku: 'ZELT', quantity: 1 }], 'web-de');
    const order = (
      await de.post('/v1/orders?wait=routed', {
        ...body,
        customer: { ...body.customer, name: 'Jürgen Müller', email: 'juergen@example.de' },
        fulfillment: { method: 'ship', shipTo: berlin },
        lines: body.lines.map((l) => ({ ...l, unitPrice: euro(8990) })),
        payment: { authorizationId: 'pi_DEWORLD1', amount: euro(8990) },
      })
    ).body;
    const id = order.fulfillments[0].id;
    expect((await ops.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'ZELT', quantity: 1 }] })).status).toBe(200);
    const packed = await ops.post(`/v1/fulfillments/${id}/pack`, { packages: [{ weightGrams: 4200, lengthCm: 60, widthCm: 20, heightCm: 20 }] });
    expect(packed.status, packed.text).toBe(200);
    expect(packed.body.labels[0]).toMatchObject({ gateway: 'karrio', carrier: packed.body.carrier, cost: { currency: 'EUR' } });
    expect((await ops.post(`/v1/fulfillments/${id}/handoff`, {})).status).toBe(200);
    await eventually(async () => (await ops.get(`/v1/orders/${order.id}`)).body.payment.captured, (c) => c === 8990, 'the capture', 60_000);
    expect(mock.requests().map((r) => `${r.method} ${r.path} ${r.data}`)).toContain('POST /v1/payment_intents/pi_DEWORLD1/capture map[amount_to_capture:8990]');

    const shipments = await karrio.rest<{ results: { id: string; reference: string }[] }>('GET', `/v1/shipments?reference=${id}`);
    const tracker = await trackShipment(karrio, shipments.results.find((s) => s.reference === id)!.id);
    await injectTrackingEvent(karrio, tracker, 'delivered', { date: new Date().toISOString().slice(0, 10), time: '11:00', description: 'Zugestellt', location: 'Berlin' });
    await eventually(async () => (await ops.get(`/v1/fulfillments/${id}`)).body.status, (s) => s === 'delivered', 'delivered by Karrio', 60_000);

    const opened = await de.post('/v1/returns', { orderId: order.id, method: 'mail', lines: [{ lineId: '1', quantity: 1, reason: 'zu klein' }] });
    expect(opened.status, opened.text).toBe(201);
    const returnLabel = await eventually(async () => (await de.get(`/v1/returns/${opened.body.id}`)).body.label, (l) => l !== undefined, 'the return label', 60_000);
    const returnShipments = await karrio.rest<{ results: { reference: string; tracking_number: string }[] }>('GET', `/v1/shipments?reference=${opened.body.id}`);
    expect(returnLabel.trackingNumber).toBe(returnShipments.results.find((s) => s.reference === opened.body.id)!.tracking_number);
    expect((await ops.post(`/v1/returns/${opened.body.id}/receive`, { locationId: 'DE-LAGER', lines: [{ lineId: '1', quantity: 1, condition: 'sellable' }] })).status).toBe(200);
    await eventually(async () => (await de.get(`/v1/returns/${opened.body.id}`)).body.refund?.status, (s) => s === 'issued', 'the refund', 60_000);
    expect(mock.requests().some((r) => r.path === '/v1/refunds' && r.data.includes('payment_intent:pi_DEWORLD1') && r.data.includes('amount:8990'))).toBe(true);

    const mail = await eventually(async () => (await inbox.messages()).filter((m) => m.to.some((t) => t.address === 'juergen@example.de')), (m) => m.length >= 4, 'four emails', 60_000);
    expect(mail.map((m) => m.subject).sort()).toEqual(
      [
        'Ihre Bestellung DE-WORLD-1 ist bestätigt',
        'Ihre Bestellung DE-WORLD-1 ist unterwegs',
        `Ihre Rücksendung ${opened.body.rma} ist bei uns eingegangen`,
        'Ihre Erstattung über 89,90 € zur Bestellung DE-WORLD-1',
      ].sort(),
    );
    expect(mail.find((m) => m.subject.endsWith('unterwegs'))!.text).toContain(`Sendungsnummer: ${packed.body.trackingNumber}`);
  }, 300_000);
});
