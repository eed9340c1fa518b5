// The payment providers a deployment runs, and which one a channel's orders pay through
// (config/payments.ts). A request made before providers were chosen per channel names no
// channel: it goes to the default.
import { providerOf, type PaymentProviderConfig, type PaymentProviderName } from '../../../config/payments.ts';
import type { Db } from '../../../db/knex.ts';
import { createLedgerPaymentProvider } from '../../../db/repositories/payments.ts';
import type { PaymentProvider, PaymentRequest } from '../../../domain/payments/provider.ts';
import { createStripePaymentProvider } from './stripe.ts';

export function createPaymentProviders(db: Db, config: PaymentProviderConfig): PaymentProvider {
  const providers: Partial<Record<PaymentProviderName, PaymentProvider>> = {
    builtin: createLedgerPaymentProvider(db),
    ...(config.stripe ? { stripe: createStripePaymentProvider(db, config.stripe) } : {}),
  };
  const of = (request: PaymentRequest): PaymentProvider => {
    const name = providerOf(config, request.channel);
    const provider = providers[name];
    if (!provider) throw new Error(`the ${name} payment provider is not configured (STRIPE_SECRET_KEY)`);
    return provider;
  };
  return {
    capture: (request) => of(request).capture(request),
    void: (request) => of(request).void(request),
    refund: (request) => of(request).refund(request),
    // Every provider keeps its totals in the same ledger.
    totals: (authorizationId) => providers.builtin!.totals(authorizationId),
  };
}
