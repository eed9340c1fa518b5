// Every built-in message renders in English and German with the variables its kind promises,
// leaves no tag behind, and escapes what it inserts into HTML (a customer's name is text).
import { describe, expect, it } from 'vitest';
import { defaultTemplate } from '../../domain/messages/defaults.ts';
import { MESSAGE_KINDS } from '../../domain/messages/kinds.ts';
import { renderMessage, templateErrors } from '../../domain/messages/render.ts';
import { sampleOrder } from '../../domain/messages/sample.ts';
import { messageView } from '../../domain/messages/view.ts';

const data = { reason: 'the carrier is late', expectedAt: '2026-12-24', rma: 'RMA-1', amount: { amount: 1990, currency: 'USD' }, pickupCode: '482913', pickupExpiresAt: '2026-12-10T18:00:00Z' };
const location = { id: 'STORE-1', name: 'Loop', type: 'store', geo: { lat: 41.88, lon: -87.63 }, timezone: 'America/Chicago', active: true, address: { line1: '1 N State St', city: 'Chicago', region: 'IL', postalCode: '60602', country: 'US' }, openingHours: [{ days: ['mon', 'sat'], open: '09:00', close: '20:00' }] } as never;

describe('the built-in customer messages', () => {
  for (const language of ['en', 'de']) {
    it(`render every kind in ${language}, every tag filled`, () => {
      for (const kind of MESSAGE_KINDS) {
        const { template, language: used } = defaultTemplate(kind, language);
        expect(used).toBe(language);
        expect(templateErrors(template)).toEqual([]);
        const rendered = renderMessage(template, messageView(kind, data, sampleOrder(), { language, location, trackingUrls: { ParcelCo: 'https://t.example/{trackingNumber}' } }));
        for (const part of Object.values(rendered)) expect(part, `${kind}/${language}`).not.toMatch(/\{\{|\}\}/);
        expect(rendered.subject, `${kind}/${language}`).toContain(kind === 'return_received' ? 'RMA-1' : kind === 'ready_for_pickup' ? 'Loop' : 'WEB-10042');
      }
    });
  }

  it('say what each kind is about, and escape the customer\'s text in HTML', () => {
    const order = { ...sampleOrder(), customer: { id: 'c', name: 'Zoë <b>&</b>' } } as ReturnType<typeof sampleOrder>;
    const render = (kind: (typeof MESSAGE_KINDS)[number], language = 'en') => renderMessage(defaultTemplate(kind, language).template, messageView(kind, data, order, { language, location, trackingUrls: { ParcelCo: 'https://t.example/{trackingNumber}' } }));
    expect(render('ready_for_pickup').text).toContain('Pickup code: 482913');
    expect(render('ready_for_pickup', 'de').text).toContain('Mo, Sa 09:00–20:00');
    expect(render('shipped').html).toContain('<a href="https://t.example/PA123456789012">PA123456789012</a>');
    expect(render('delayed').text).toContain('the carrier is late');
    expect(render('delayed', 'de').text).toContain('Donnerstag, 24. Dezember 2026');
    expect(render('refunded', 'de').subject).toContain('19,90 $');
    expect(render('order_confirmed').html).toContain('Zoë &lt;b&gt;&amp;&lt;/b&gt;');
    expect(render('order_confirmed').text).toContain('Zoë <b>&</b>');
    // A language without templates of its own is written in English.
    expect(defaultTemplate('shipped', 'pl').language).toBe('en');
  });
});
