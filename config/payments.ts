// Which payment provider moves an order's money (issue 30): the built-in ledger, or Stripe,
// for every channel or channel by channel.
//
//   FULCRUM_PAYMENT_PROVIDER=builtin|stripe           the default for every channel (builtin)
//   FULCRUM_PAYMENT_PROVIDER_BY_CHANNEL=web=stripe,…  channels that differ from the default
//   STRIPE_SECRET_KEY                                 the account's secret key (needed once a channel uses Stripe)
//   STRIPE_API_URL                                    another API base (stripe-mock, an egress proxy); Stripe's own when unset
//   FULCRUM_STRIPE_MULTICAPTURE=true|false            the account has multicapture: split shipments capture in parts (false)
//   STRIPE_WEBHOOK_SECRET                             the signing secret of Stripe's webhook to POST /v1/payment-providers/stripe/events
import { choicesByKey, nonEmpty, oneOf } from './env.ts';

export const PAYMENT_PROVIDERS = ['builtin', 'stripe'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

export interface PaymentProviderConfig {
  defaultProvider: PaymentProviderName;
  byChannel: Record<string, PaymentProviderName>;
  stripe?: { secretKey: string; apiUrl?: string; multicapture: boolean };
  /** Unset: Stripe's webhooks are refused (401). */
  stripeWebhookSecret?: string;
}

export function loadPaymentProviderConfig(env: NodeJS.ProcessEnv): PaymentProviderConfig {
  const defaultProvider = oneOf(nonEmpty(env.FULCRUM_PAYMENT_PROVIDER) ?? 'builtin', PAYMENT_PROVIDERS, 'FULCRUM_PAYMENT_PROVIDER');
  const byChannel = choicesByKey(env.FULCRUM_PAYMENT_PROVIDER_BY_CHANNEL, 'FULCRUM_PAYMENT_PROVIDER_BY_CHANNEL', /^[A-Za-z0-9][\w.-]{0,63}$/, PAYMENT_PROVIDERS, 'channel=provider: web=stripe,pos=builtin');
  const secretKey = nonEmpty(env.STRIPE_SECRET_KEY);
  const usesStripe = defaultProvider === 'stripe' || Object.values(byChannel).includes('stripe');
  if (usesStripe && !secretKey) throw new Error('config: the Stripe payment provider needs STRIPE_SECRET_KEY');
  if (secretKey && !/^(sk|rk)_(test|live)_\w+$/.test(secretKey)) throw new Error('config: STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_… or rk_…)');
  const apiUrl = nonEmpty(env.STRIPE_API_URL);
  if (apiUrl && !/^https?:\/\/[^\s/]+\/?$/.test(apiUrl)) throw new Error(`config: STRIPE_API_URL must be an http(s) URL with no path, got "${apiUrl}"`);
  const multicapture = nonEmpty(env.FULCRUM_STRIPE_MULTICAPTURE) ?? 'false';
  if (multicapture !== 'true' && multicapture !== 'false') throw new Error(`config: FULCRUM_STRIPE_MULTICAPTURE must be true or false, got "${multicapture}"`);
  const webhookSecret = nonEmpty(env.STRIPE_WEBHOOK_SECRET);
  if (webhookSecret && !webhookSecret.startsWith('whsec_')) throw new Error('config: STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)');
  return {
    defaultProvider,
    byChannel,
    ...(secretKey ? { stripe: { secretKey, ...(apiUrl ? { apiUrl } : {}), multicapture: multicapture === 'true' } } : {}),
    ...(webhookSecret ? { stripeWebhookSecret: webhookSecret } : {}),
  };
}

/** The provider a channel's orders pay through. */
export function providerOf(config: Pick<PaymentProviderConfig, 'defaultProvider' | 'byChannel'>, channel: string | undefined): PaymentProviderName {
  return (channel !== undefined ? config.byChannel[channel] : undefined) ?? config.defaultProvider;
}
