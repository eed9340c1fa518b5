// The plugin's mapping choices (docs/integrations/medusa.md), without Medusa or Fulcrum: the
// order Fulcrum is sent, the webhook check, the settings check, and what a Medusa order needs
// to say what its Fulcrum order says.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkOptions } from '../src/lib/options';
import { toFulcrumOrder, UnmappableOrder, type MedusaOrder } from '../src/lib/order-mapping';
import { planReconcile, type FulcrumOrder, type FulcrumReturn, type MedusaOrderState } from '../src/lib/reconcile-plan';
import { quietOrders } from '../src/lib/quiet';
import { verifyWebhook } from '../src/lib/signature';

const ORDER: MedusaOrder = {
  id: 'order_1',
  sales_channel_id: 'sc_1',
  email: 'ada@example.com',
  currency_code: 'usd',
  customer: { id: 'cus_1', first_name: 'Ada', last_name: 'Lovelace', phone: '+15550100' },
  shipping_address: { address_1: '1 Main St', city: 'Berlin', province: '', postal_code: '10115', country_code: 'de' },
  items: [{ id: 'ordli_1', variant_sku: 'MUG', quantity: { numeric: 2 }, unit_price: 19.99 }],
  shipping_methods: [{ data: { fulcrum_method: 'ship', service_level: 'express' } }],
  payment_collections: [{ payments: [{ id: 'pay_1', amount: '44.98' }] }],
};

describe('the order Fulcrum is sent', () => {
  it('carries lines in minor units, the service level, and the city as region where there is none', () => {
    const sent = toFulcrumOrder(ORDER, 'web');
    expect(sent.lines).toEqual([{ lineId: 'ordli_1', sku: 'MUG', quantity: 2, unitPrice: { amount: 1999, currency: 'USD' } }]);
    expect(sent.payment).toEqual({ authorizationId: 'pay_1', amount: { amount: 4498, currency: 'USD' } });
    expect(sent.serviceLevel).toBe('express');
    expect(sent.channelOrderId).toBe('order_1');
    expect(sent.fulfillment).toEqual({ method: 'ship', shipTo: { line1: '1 Main St', city: 'Berlin', region: 'Berlin', postalCode: '10115', country: 'DE' } });
  });

  it('uses the currency’s own digits (yen have none)', () => {
    const sent = toFulcrumOrder({ ...ORDER, currency_code: 'jpy', items: [{ id: 'i', variant_sku: 'MUG', quantity: 1, unit_price: 1500 }] }, 'web');
    expect(sent.lines[0]!.unitPrice).toEqual({ amount: 1500, currency: 'JPY' });
  });

  it('sends a pickup to the chosen store, and refuses what Fulcrum could not fulfil', () => {
    const pickup = toFulcrumOrder({ ...ORDER, shipping_methods: [{ data: { fulcrum_method: 'pickup', pickup_location_id: 'STORE-1' } }] }, 'web');
    expect(pickup.fulfillment).toEqual({ method: 'pickup', pickupLocationId: 'STORE-1' });
    expect(() => toFulcrumOrder({ ...ORDER, items: [{ id: 'i', variant_sku: null, quantity: 1, unit_price: 1 }] }, 'web')).toThrow(UnmappableOrder);
    expect(() => toFulcrumOrder({ ...ORDER, payment_collections: [] }, 'web')).toThrow(/no authorized payment/);
    expect(() => toFulcrumOrder({ ...ORDER, shipping_methods: [{ data: { fulcrum_method: 'pickup' } }] }, 'web')).toThrow(/pickup_location_id/);
  });
});

describe('the webhook check', () => {
  const secret = 'whsec_test_secret_0123456789';
  const body = '{"id":"evt_1","type":"fulfillment.shipped","data":{"orderId":"ord_1"}}';
  const signed = (id: string, ts: number, payload = body) => `v1,${createHmac('sha256', secret).update(`${id}.${ts}.${payload}`).digest('base64')}`;
  const now = 1_800_000_000;

  it('accepts Fulcrum’s signature and refuses a changed body, another secret, an old delivery', () => {
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(now), 'webhook-signature': `v1,bogus ${signed('evt_1', now)}` };
    expect(verifyWebhook(secret, headers, body, now)).toEqual({ ok: true, id: 'evt_1' });
    expect(verifyWebhook(secret, headers, body.replace('ord_1', 'ord_2'), now).ok).toBe(false);
    expect(verifyWebhook('another', headers, body, now).ok).toBe(false);
    expect(verifyWebhook(secret, headers, body, now + 301)).toEqual({ ok: false, reason: 'webhook-timestamp is more than five minutes away' });
    expect(verifyWebhook(secret, { 'webhook-id': 'evt_1' }, body, now).ok).toBe(false);
  });
});

describe('the settings', () => {
  it('name what is wrong', () => {
    expect(() => checkOptions({})).toThrow(/url is required; apiKey is required; webhookSecret is required/);
    expect(() => checkOptions({ url: 'ftp://x', apiKey: 'k', webhookSecret: 's' })).toThrow(/url must be http/);
    expect(() => checkOptions({ url: 'http://x', apiKey: 'k', webhookSecret: 's', locations: { 'WH-1': 3 } })).toThrow(/locations must map/);
    expect(checkOptions({ url: 'http://fulcrum:3000/', apiKey: 'k', webhookSecret: 's' }).url).toBe('http://fulcrum:3000');
  });
});

describe('what a Medusa order needs to say what Fulcrum says', () => {
  const fulcrum = (over: Partial<FulcrumOrder> = {}): FulcrumOrder => ({
    id: 'ord_1',
    status: 'in_fulfillment',
    payment: { authorizationId: 'pay_1', amount: { amount: 6000, currency: 'USD' } },
    lines: [{ lineId: 'li_1', sku: 'MUG', quantity: 2, cancelled: 0, shipped: 0, returned: 0 }, { lineId: 'li_2', sku: 'TEE', quantity: 1, cancelled: 0, shipped: 0, returned: 0 }],
    fulfillments: [
      { id: 'ful_a', locationId: 'WH-A', method: 'ship', status: 'shipped', lines: [{ lineId: 'li_1', quantity: 2 }], carrier: 'ParcelCo', trackingNumber: 'T1' },
      { id: 'ful_b', locationId: 'WH-B', method: 'ship', status: 'pending', lines: [{ lineId: 'li_2', quantity: 1 }] },
    ],
    ...over,
  });
  const medusa = (over: Partial<MedusaOrderState> = {}): MedusaOrderState => ({
    id: 'order_1',
    status: 'pending',
    currency_code: 'usd',
    metadata: {},
    items: [{ id: 'li_1', quantity: 2 }, { id: 'li_2', quantity: 1 }],
    fulfillments: [],
    payments: [{ id: 'pay_1', captured: 0, refunded: 0 }],
    returns: [],
    ...over,
  });

  it('fulfils and ships what Fulcrum shipped (not what is still pending), and captures what Fulcrum captured', () => {
    const plan = planReconcile(fulcrum({ payment: { authorizationId: 'pay_1', amount: { amount: 6000, currency: 'USD' }, captured: 4000 } }), [], medusa());
    expect(plan).toEqual([
      { kind: 'fulfill', fulcrumFulfillmentId: 'ful_a', locationId: 'WH-A', items: [{ id: 'li_1', quantity: 2 }] },
      { kind: 'ship', fulcrumFulfillmentId: 'ful_a', items: [{ id: 'li_1', quantity: 2 }], trackingNumber: 'T1', carrier: 'ParcelCo' },
      { kind: 'capture', paymentId: 'pay_1', amount: 40 },
    ]);
  });

  it('does nothing once the Medusa order says it all (a repeated webhook is harmless)', () => {
    const done = medusa({ fulfillments: [{ id: 'f1', shipped_at: '2026-01-01', metadata: { fulcrum_fulfillment_id: 'ful_a' } }], payments: [{ id: 'pay_1', captured: 40, refunded: 0 }] });
    expect(planReconcile(fulcrum({ payment: { authorizationId: 'pay_1', amount: { amount: 6000, currency: 'USD' }, captured: 4000 } }), [], done)).toEqual([]);
  });

  it('cancels the order, or only the units Fulcrum cancelled, once', () => {
    expect(planReconcile(fulcrum({ status: 'cancelled', fulfillments: [] }), [], medusa())).toEqual([{ kind: 'cancel_order' }]);
    const partial = fulcrum({ fulfillments: [], lines: [{ lineId: 'li_1', sku: 'MUG', quantity: 2, cancelled: 1, shipped: 0, returned: 0 }] });
    expect(planReconcile(partial, [], medusa())).toEqual([{ kind: 'cancel_units', items: [{ id: 'li_1', quantity: 1 }], cancelled: { li_1: 1 } }]);
    expect(planReconcile(partial, [], medusa({ metadata: { fulcrum_cancelled: { li_1: 1 } } }))).toEqual([]);
  });

  it('receives the linked Medusa return, keeps a return made outside Medusa on the order, and refunds what Fulcrum refunded', () => {
    const returns: FulcrumReturn[] = [
      { id: 'ret_1', status: 'refunded', rma: 'RMA-1', lines: [{ lineId: 'li_1', quantity: 1, received: 1 }], refund: { amount: { amount: 2000, currency: 'USD' }, status: 'issued' } },
      { id: 'ret_2', status: 'received', rma: 'RMA-2', lines: [{ lineId: 'li_2', quantity: 1, received: 1 }] },
      { id: 'ret_3', status: 'open', rma: 'RMA-3', lines: [{ lineId: 'li_2', quantity: 1, received: 0 }] },
    ];
    const shipped = { fulfillments: [{ id: 'f1', shipped_at: 'x', metadata: { fulcrum_fulfillment_id: 'ful_a' } }], payments: [{ id: 'pay_1', captured: 60, refunded: 0 }] };
    const state = medusa({ ...shipped, metadata: { fulcrum_returns: { return_1: 'ret_1' } }, returns: [{ id: 'return_1', status: 'requested', items: [] }] });
    const order = fulcrum({ payment: { authorizationId: 'pay_1', amount: { amount: 6000, currency: 'USD' }, captured: 6000 } });
    expect(planReconcile(order, returns, state)).toEqual([
      { kind: 'receive_return', returnId: 'return_1', fulcrumReturnId: 'ret_1', items: [{ id: 'li_1', quantity: 1 }] },
      { kind: 'record_return', fulcrumReturnId: 'ret_2', items: [{ id: 'li_2', quantity: 1 }] },
      { kind: 'refund', paymentId: 'pay_1', amount: 20, note: 'Refunded by Fulcrum' },
    ]);
    const settled = medusa({ ...shipped, payments: [{ id: 'pay_1', captured: 60, refunded: 20 }], metadata: { fulcrum_returns: { return_1: 'ret_1' }, fulcrum_outside_returns: { ret_2: [] } }, returns: [{ id: 'return_1', status: 'received', items: [] }] });
    expect(planReconcile(order, returns, settled)).toEqual([]);
  });
});

describe('the net under the webhooks', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const order = (id: string, mirroredMinutesAgo: number | undefined, extra: Record<string, unknown> = {}, status = 'pending') => ({
    status,
    created_at: new Date(now.getTime() - 120 * 60_000),
    metadata: { fulcrum_order_id: id, ...(mirroredMinutesAgo !== undefined ? { fulcrum_mirrored_at: new Date(now.getTime() - mirroredMinutesAgo * 60_000).toISOString() } : {}), ...extra },
  });

  it('reads again the open orders no webhook mirrored for half an hour, quietest first, at most 20', () => {
    const orders = [
      order('ord_recent', 5),
      order('ord_quiet', 45),
      order('ord_never', undefined),
      order('ord_done', 90, { fulcrum_status: 'completed' }),
      order('ord_cancelled', 90, {}, 'canceled'),
      { status: 'pending', created_at: now, metadata: { fulcrum_sync: 'pending' } },
    ];
    expect(quietOrders(orders, now)).toEqual(['ord_never', 'ord_quiet']);
    const many = Array.from({ length: 30 }, (_, i) => order(`ord_${i}`, 40 + i));
    expect(quietOrders(many, now)).toHaveLength(20);
    expect(quietOrders(many, now)[0]).toBe('ord_29');
  });
});
