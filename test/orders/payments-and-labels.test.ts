// The side effects that move money or buy things happen once, whatever retries: the built-in
// payment provider's limits and idempotency, and one label per fulfillment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabelActivities } from '../../activities/fulfillment/label.ts';
import { createCarrierGateways } from '../../activities/adapters/carriers/index.ts';
import type { Db } from '../../db/knex.ts';
import { createLabelsRepository } from '../../db/repositories/labels.ts';
import { createNetworkRepository } from '../../db/repositories/network.ts';
import { createLedgerPaymentProvider } from '../../db/repositories/payments.ts';
import { createRoutingRepository } from '../../db/repositories/routing.ts';
import { createBusinessMetrics } from '../../services/telemetry/business-metrics.ts';
import { locationBody } from '../support/fixtures.ts';
import { createTestDatabase } from '../support/stack.ts';

let db: Db;
beforeAll(async () => {
  ({ db } = await createTestDatabase());
});
afterAll(async () => db?.destroy());

const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('the built-in payment provider', () => {
  it('never captures more than authorized nor refunds more than captured, and repeats a key harmlessly', async () => {
    const payments = createLedgerPaymentProvider(db);
    const base = { orderId: 'ord_pay1', authorizationId: 'auth_1', authorized: usd(5000) };
    expect(await payments.capture({ ...base, amount: usd(3000), idempotencyKey: 'k1' })).toMatchObject({ ok: true });
    // The same key again (a retried activity) returns the first result and moves nothing.
    expect(await payments.capture({ ...base, amount: usd(3000), idempotencyKey: 'k1' })).toMatchObject({ ok: true });
    expect(await payments.capture({ ...base, amount: usd(2500), idempotencyKey: 'k2' })).toEqual({ ok: false, reason: 'exceeds_authorization' });
    expect(await payments.refund({ ...base, amount: usd(3500), idempotencyKey: 'k3' })).toEqual({ ok: false, reason: 'exceeds_captured' });
    expect(await payments.refund({ ...base, amount: usd(1000), idempotencyKey: 'k4' })).toMatchObject({ ok: true });
    expect(await payments.void({ ...base, amount: usd(2000), idempotencyKey: 'k5' })).toMatchObject({ ok: true });
    expect(await payments.capture({ ...base, amount: usd(1), idempotencyKey: 'k6' })).toEqual({ ok: false, reason: 'exceeds_authorization' });
    expect(await payments.capture({ ...base, amount: { amount: 1, currency: 'EUR' }, idempotencyKey: 'k7' })).toEqual({ ok: false, reason: 'currency_mismatch' });
    expect(await payments.totals('auth_1')).toEqual({ authorized: usd(5000), captured: 3000, refunded: 1000, voided: 2000 });
    expect(await db('payment_transactions').where({ authorization_id: 'auth_1' })).toHaveLength(3);
  });

  it('lets concurrent captures take at most the authorization between them', async () => {
    const payments = createLedgerPaymentProvider(db);
    const base = { orderId: 'ord_pay2', authorizationId: 'auth_2', authorized: usd(1000) };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => payments.capture({ ...base, amount: usd(100), idempotencyKey: `c${i}` }).catch(() => ({ ok: false }))));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect((await payments.totals('auth_2'))?.captured).toBe(1000);
  });
});

describe('shipping labels', () => {
  it('are bought once per fulfillment: a retried purchase returns the same label', async () => {
    const network = createNetworkRepository(db);
    await network.upsertLocation('WH-L', locationBody(41.88, -87.64));
    const buy = createLabelActivities({ labels: createLabelsRepository(db), network, routing: createRoutingRepository(db), metrics: createBusinessMetrics(), gateways: createCarrierGateways({ defaultGateway: 'builtin', byMarket: {} }) }).buyShippingLabel;
    const input = {
      orderId: 'ord_l1',
      fulfillmentId: 'ful_l1',
      locationId: 'WH-L',
      serviceLevel: 'standard' as const,
      shipTo: { line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US', geo: { lat: 39.78, lon: -89.65 } },
      recipient: 'Ada',
      packages: [{ weightGrams: 800, lengthCm: 20, widthCm: 15, heightCm: 10 }],
    };
    const first = await buy(input);
    const again = await buy({ ...input, packages: [{ weightGrams: 9000, lengthCm: 50, widthCm: 40, heightCm: 30 }] });
    expect(again).toEqual(first);
    expect(await db('shipping_labels').where({ fulfillment_id: 'ful_l1' })).toHaveLength(1);
    await expect(buy({ ...input, fulfillmentId: 'ful_l2', packages: [{ weightGrams: 70_000, lengthCm: 100, widthCm: 100, heightCm: 100 }] })).rejects.toThrow(/no carrier service/);
  });
});
