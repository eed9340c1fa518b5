// Customer messages by email (issue 30), sent by SMTP to a local inbox (MailDev, from npm) and
// read back through its API: the German market's customer gets the confirmation, shipped
// (carrier and tracking link), refunded and pickup (code and opening hours) messages in German,
// UTF-8 subjects exactly as sent; each once, with the channel's sender and reply-to; a channel
// that opted out gets none of that kind; an operator's new template is used from then on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInbox, type InboxMessage, type RunningInbox } from '../../scripts/lib/maildev.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, pickupOrder, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { carrierClient, client, startTestStack, type TestStack } from '../support/stack.ts';

const euro = (amount: number) => ({ amount, currency: 'EUR' });
const berlin = { name: 'Jürgen Müller', line1: 'Unter den Linden 1', city: 'Berlin', region: 'BE', postalCode: '10117', country: 'DE', geo: { lat: 52.517, lon: 13.389 } };
const PARCEL = { weightGrams: 900, lengthCm: 30, widthCm: 20, heightCm: 10 };
const storeCaps = { ship: true, pickup: true, curbside: true, sameDay: false, returns: true };

let inbox: RunningInbox;
let stack: TestStack;
let ops: ReturnType<typeof client>;
let admin: ReturnType<typeof client>;
let de: ReturnType<typeof client>;

function germanOrder(id: string, email: string) {
  const order = shipOrder(id, [{ sku: 'ZELT', quantity: 1 }], 'web-de');
  return {
    ...order,
    customer: { ...order.customer, name: 'Jürgen Müller', email },
    fulfillment: { method: 'ship', shipTo: berlin },
    lines: order.lines.map((l) => ({ ...l, unitPrice: euro(4990) })),
    payment: { ...order.payment, amount: euro(4990) },
  };
}

/** The inbox's messages to one address, waiting until there are `count`. */
async function mailTo(address: string, count: number): Promise<InboxMessage[]> {
  return eventually(async () => (await inbox.messages()).filter((m) => m.to.some((t) => t.address === address)), (m) => m.length >= count, `${count} message(s) to ${address}`, 60_000);
}

async function shipAndDeliver(fulfillmentId: string): Promise<{ carrier: string; trackingNumber: string }> {
  for (const [action, body] of [['pick', { scans: [{ barcode: 'ZELT', quantity: 1 }] }], ['pack', { packages: [PARCEL] }], ['handoff', {}]] as const) {
    const res = await ops.post(`/v1/fulfillments/${fulfillmentId}/${action}`, body);
    expect(res.status, `${action}: ${res.text}`).toBe(200);
  }
  const f = (await ops.get(`/v1/fulfillments/${fulfillmentId}`)).body;
  const delivered = await carrierClient(stack).post(`/v1/carriers/${f.carrier}/events`, { trackingNumber: f.trackingNumber, status: 'delivered', at: new Date().toISOString() });
  expect(delivered.status, delivered.text).toBe(202);
  await eventually(async () => (await ops.get(`/v1/fulfillments/${fulfillmentId}`)).body.status, (s) => s === 'delivered', 'delivered', 60_000);
  return { carrier: f.carrier, trackingNumber: f.trackingNumber };
}

beforeAll(async () => {
  inbox = await startInbox();
  Object.assign(process.env, { FULCRUM_SMTP_URL: inbox.smtpUrl, FULCRUM_MAIL_FROM: 'Fulcrum <orders@fulcrum.test>', FULCRUM_TRACKING_URLS: 'PaketPost=https://paketpost.example/track/{trackingNumber}' });
  stack = await startTestStack();
  ops = client(stack, await stack.key('ops'));
  admin = client(stack, stack.adminKey);
  de = client(stack, await stack.key('channel', { channel: 'web-de' }));
  expect((await ops.put('/v1/markets/de', { name: 'Deutschland', countries: ['DE'], currency: 'EUR', timezone: 'Europe/Berlin', channels: ['web-de'], language: 'de' })).status).toBe(200);
  const hours = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, open: '09:00', close: '20:00' }, { days: ['sat'] as const, open: '10:00', close: '18:00' }].map((h) => ({ ...h, days: [...h.days] }));
  await seedNetwork(ops, {
    locations: {
      'DE-WH': locationBody(52.45, 13.3, { marketId: 'de', timezone: 'Europe/Berlin' }),
      'DE-MITTE': { ...locationBody(52.52, 13.4, { marketId: 'de', timezone: 'Europe/Berlin', type: 'store', capabilities: storeCaps, name: 'Fulcrum Berlin-Mitte' }), openingHours: hours, address: { line1: 'Alexanderplatz 1', city: 'Berlin', region: 'BE', postalCode: '10178', country: 'DE' } },
    },
    skus: ['ZELT'],
    stock: [['DE-WH', 'ZELT', 20], ['DE-MITTE', 'ZELT', 5]],
  });
  expect((await admin.put('/v1/message-settings/web-de', { from: 'Zeltladen <bestellung@zeltladen.example>', replyTo: 'hilfe@zeltladen.example' })).status).toBe(200);
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await inbox?.stop();
});

describe('customer messages', () => {
  it('tells a German customer of the order, the parcel and the refund, in German, once each', async () => {
    const order = (await de.post('/v1/orders?wait=routed', germanOrder('DE-MAIL-1', 'juergen@example.de'))).body;
    const { trackingNumber } = await shipAndDeliver(order.fulfillments[0].id);
    const opened = await de.post('/v1/returns', { orderId: order.id, method: 'mail', lines: [{ lineId: '1', quantity: 1, reason: 'zu klein' }] });
    expect(opened.status, opened.text).toBe(201);
    const received = await ops.post(`/v1/returns/${opened.body.id}/receive`, { locationId: 'DE-WH', lines: [{ lineId: '1', quantity: 1, condition: 'sellable' }] });
    expect(received.status, received.text).toBe(200);

    const mail = await mailTo('juergen@example.de', 4);
    // The inbox lists by arrival, to the second: compared as a set; the order's own list below is in event order.
    const subjects = mail.map((m) => m.subject).sort();
    expect(subjects).toEqual([
      'Ihre Bestellung DE-MAIL-1 ist bestätigt',
      'Ihre Bestellung DE-MAIL-1 ist unterwegs',
      `Ihre Rücksendung ${opened.body.rma} ist bei uns eingegangen`,
      'Ihre Erstattung über 49,90 € zur Bestellung DE-MAIL-1',
    ].sort());
    const confirmed = mail.find((m) => m.subject.endsWith('ist bestätigt'));
    const shipped = mail.find((m) => m.subject.endsWith('ist unterwegs'));
    expect(confirmed!.from).toEqual([{ address: 'bestellung@zeltladen.example', name: 'Zeltladen' }]);
    expect(await inbox.source(confirmed!.id)).toMatch(/^Reply-To: hilfe@zeltladen\.example\r?$/m);
    expect(confirmed!.text).toContain('Guten Tag Jürgen Müller');
    expect(confirmed!.text).toContain('Gesamt: 49,90\u00a0€');
    expect(shipped!.text).toContain(`Sendungsnummer: ${trackingNumber}`);
    expect(shipped!.html).toContain(`href="https://paketpost.example/track/${trackingNumber}"`);
    // One per event: nothing more arrives, and the order lists them as sent.
    const listed = (await ops.get(`/v1/orders/${order.id}/messages`)).body.items;
    expect(listed.map((m: { event: string; status: string; language: string }) => `${m.event}:${m.status}:${m.language}`)).toEqual(['order_confirmed:sent:de', 'shipped:sent:de', 'return_received:sent:de', 'refunded:sent:de']);
    expect(new Set(mail.map((m) => m.headers['message-id'])).size).toBe(4);
  }, 240_000);

  it('gives a pickup customer the code and the store\'s opening hours', async () => {
    const body = pickupOrder('DE-PICKUP', 'DE-MITTE', [{ sku: 'ZELT', quantity: 1 }]);
    const order = (
      await de.post('/v1/orders?wait=routed', {
        ...body,
        channel: 'web-de',
        customer: { ...body.customer, name: 'Jürgen Müller', email: 'abholung@example.de' },
        lines: body.lines.map((l: object) => ({ ...l, unitPrice: euro(4990) })),
        payment: { ...body.payment, amount: euro(4990) },
      })
    ).body;
    const id = order.fulfillments[0].id;
    expect((await ops.post(`/v1/fulfillments/${id}/pick`, { scans: [{ barcode: 'ZELT', quantity: 1 }] })).status).toBe(200);
    expect((await ops.post(`/v1/fulfillments/${id}/ready`, {})).status).toBe(200);
    const ready = (await mailTo('abholung@example.de', 2)).find((m) => m.subject.includes('Abholung'));
    expect(ready!.subject).toBe('Ihre Bestellung DE-PICKUP liegt zur Abholung bereit: Fulcrum Berlin-Mitte');
    const code = (await ops.get(`/v1/orders/${order.id}`)).body.fulfillments[0].pickupCode;
    expect(ready!.text).toContain(`Abholcode: ${code}`);
    expect(ready!.text).toContain('Alexanderplatz 1, 10178 Berlin');
    expect(ready!.text).toContain('Mo, Di, Mi, Do, Fr 09:00–20:00');
  }, 180_000);

  it('uses an operator\'s new template from then on, previews drafts, and sends nothing a channel opted out of', async () => {
    const draft = { subject: 'Danke, {{customerName}}! Bestellung {{orderNumber}}', text: 'Wir packen schon: {{#lines}}{{quantity}}× {{title}} {{/lines}}', html: '<p>Wir packen schon, {{customerName}}</p>' };
    const preview = await ops.post('/v1/message-templates/order_confirmed/de/preview', { template: draft });
    expect(preview.body).toMatchObject({ subject: 'Danke, Ada Lovelace! Bestellung WEB-10042', text: 'Wir packen schon: 2× TEE-BLK-M 1× CAP-RED ' });
    const broken = await ops.put('/v1/message-templates/order_confirmed/de', { ...draft, html: '<p>{{#lines}}</p>' });
    expect(broken.status).toBe(422);
    expect(broken.body.errors[0].path).toBe('html');
    const saved = await ops.put('/v1/message-templates/order_confirmed/de', draft);
    expect(saved.body).toMatchObject({ version: 1, language: 'de' });
    expect((await ops.get('/v1/message-templates/order_confirmed/de')).body).toMatchObject({ version: 1, subject: draft.subject });

    const order = (await de.post('/v1/orders?wait=routed', germanOrder('DE-MAIL-2', 'zweite@example.de'))).body;
    const [confirmed] = await mailTo('zweite@example.de', 1);
    expect(confirmed!.subject).toBe('Danke, Jürgen Müller! Bestellung DE-MAIL-2');

    expect((await admin.put('/v1/message-settings/web-de', { optOut: ['order_confirmed', 'cancelled'] })).status).toBe(200);
    const quiet = (await de.post('/v1/orders?wait=routed', germanOrder('DE-MAIL-3', 'dritte@example.de'))).body;
    const listed = await eventually(async () => (await ops.get(`/v1/orders/${quiet.id}/messages`)).body.items, (items) => items.length === 1 && items[0].status !== 'pending', 'the skipped message', 60_000);
    expect(listed[0]).toMatchObject({ event: 'order_confirmed', status: 'skipped', lastError: 'channel web-de sends its own order_confirmed messages' });
    expect((await inbox.messages()).filter((m) => m.to.some((t) => t.address === 'dritte@example.de'))).toEqual([]);
    expect(order.id).toBeDefined();
  }, 180_000);
});
