// Which payment provider a channel pays through and how its settings are read; Stripe against
// stripe-mock is test/orders/stripe-payments.test.ts.
import { describe, expect, it } from 'vitest';
import { loadPaymentProviderConfig, providerOf } from '../../config/payments.ts';

describe('payment provider settings', () => {
  it('default to the built-in ledger, and take Stripe for every channel or channel by channel', () => {
    expect(loadPaymentProviderConfig({})).toEqual({ defaultProvider: 'builtin', byChannel: {} });
    const some = loadPaymentProviderConfig({ FULCRUM_PAYMENT_PROVIDER_BY_CHANNEL: 'web=stripe, pos=builtin', STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' });
    expect(some).toEqual({ defaultProvider: 'builtin', byChannel: { web: 'stripe', pos: 'builtin' }, stripe: { secretKey: 'sk_test_abc', multicapture: false }, stripeWebhookSecret: 'whsec_abc' });
    expect([providerOf(some, 'web'), providerOf(some, 'pos'), providerOf(some, 'app'), providerOf(some, undefined)]).toEqual(['stripe', 'builtin', 'builtin', 'builtin']);
    expect(loadPaymentProviderConfig({ FULCRUM_PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'rk_live_abc', FULCRUM_STRIPE_MULTICAPTURE: 'true', STRIPE_API_URL: 'http://127.0.0.1:12111' }).stripe).toEqual({
      secretKey: 'rk_live_abc',
      apiUrl: 'http://127.0.0.1:12111',
      multicapture: true,
    });
  });

  it('refuse what cannot work, naming the variable', () => {
    expect(() => loadPaymentProviderConfig({ FULCRUM_PAYMENT_PROVIDER: 'paypal' })).toThrow(/FULCRUM_PAYMENT_PROVIDER must be one of builtin, stripe/);
    expect(() => loadPaymentProviderConfig({ FULCRUM_PAYMENT_PROVIDER_BY_CHANNEL: 'web=stripe' })).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => loadPaymentProviderConfig({ FULCRUM_PAYMENT_PROVIDER_BY_CHANNEL: 'web:stripe' })).toThrow(/FULCRUM_PAYMENT_PROVIDER_BY_CHANNEL/);
    expect(() => loadPaymentProviderConfig({ STRIPE_SECRET_KEY: 'pk_test_abc' })).toThrow(/STRIPE_SECRET_KEY must be a Stripe secret/);
    expect(() => loadPaymentProviderConfig({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_API_URL: 'http://mock/v1' })).toThrow(/STRIPE_API_URL/);
    expect(() => loadPaymentProviderConfig({ FULCRUM_STRIPE_MULTICAPTURE: 'yes' })).toThrow(/FULCRUM_STRIPE_MULTICAPTURE/);
    expect(() => loadPaymentProviderConfig({ STRIPE_WEBHOOK_SECRET: 'secret' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
  });
});
