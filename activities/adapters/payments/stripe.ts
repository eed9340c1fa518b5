// Stripe as the payment provider, with Stripe's official SDK. The channel's authorization is a
// PaymentIntent created with `capture_method: manual`; its id (pi_…) is the order's
// `payment.authorizationId`. Fulcrum captures what ships, voids what will not, refunds what
// comes back — through the built-in ledger first, which enforces the limits (never more
// captured than authorized, never more refunded than captured; Stripe's own checks stand
// behind them), then Stripe, in the ledger's transaction: a refusal records nothing, and a
// crash after Stripe answered is retried with the same Stripe idempotency key (derived from
// the workflow's), which Stripe answers with what it did the first time.
//
// Split shipments. With multicapture (FULCRUM_STRIPE_MULTICAPTURE=true: the account has it and
// the channel creates PaymentIntents with `request_multicapture: if_available`), each shipment
// is a partial capture (`final_capture: false`) and the final void cancels the rest. Without
// it Stripe captures a PaymentIntent once: the first shipment's capture takes its amount and
// Stripe releases the rest of the authorization; a later shipment's capture is refused by
// Fulcrum, saying so (the order is put on hold), and the final void tells Stripe nothing.
import Stripe from 'stripe';
import type { Db } from '../../../db/knex.ts';
import { createLedgerPaymentProvider, ProviderRefused, type Kind } from '../../../db/repositories/payments.ts';
import { STRIPE_PAYMENT_INTENT_ID as PAYMENT_INTENT_ID, type PaymentProvider, type PaymentRequest, type PaymentTotals } from '../../../domain/payments/provider.ts';

export interface StripeOptions {
  secretKey: string;
  /** Another API base (stripe-mock in the tests, an egress proxy); Stripe's own when unset. */
  apiUrl?: string;
  multicapture: boolean;
  timeoutMs?: number;
}


export function stripeClient(options: Pick<StripeOptions, 'secretKey' | 'apiUrl' | 'timeoutMs'>): Stripe {
  const base = options.apiUrl ? new URL(options.apiUrl) : undefined;
  return new Stripe(options.secretKey, {
    maxNetworkRetries: 0,
    timeout: options.timeoutMs ?? 20_000,
    ...(base ? { host: base.hostname, port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)), protocol: base.protocol === 'https:' ? 'https' : 'http' } : {}),
  });
}

/** Stripe's refusals (a 4xx: the request or the card) are final; outages, 5xx and rate limits are retried. */
function refusalOf(err: unknown): ProviderRefused | undefined {
  if (!(err instanceof Stripe.errors.StripeError)) return undefined;
  if (err instanceof Stripe.errors.StripeRateLimitError || err instanceof Stripe.errors.StripeConnectionError || err instanceof Stripe.errors.StripeAPIError) return undefined;
  if (err.statusCode !== undefined && err.statusCode >= 500) return undefined;
  return new ProviderRefused(`Stripe refused: ${err.message}`.slice(0, 500));
}

export function createStripePaymentProvider(db: Db, options: StripeOptions, stripe: Stripe = stripeClient(options)): PaymentProvider {
  async function atStripe(kind: Kind, request: PaymentRequest, before: PaymentTotals): Promise<void> {
    if (!PAYMENT_INTENT_ID.test(request.authorizationId)) throw new ProviderRefused(`${request.authorizationId} is not a Stripe PaymentIntent id (pi_…)`);
    const idempotencyKey = `fulcrum:${request.idempotencyKey}`;
    try {
      if (kind === 'capture') {
        if (!options.multicapture && before.captured > 0) {
          throw new ProviderRefused('Stripe captures a PaymentIntent once without multicapture: this order\'s first capture released the rest of its authorization');
        }
        await stripe.paymentIntents.capture(request.authorizationId, { amount_to_capture: request.amount.amount, ...(options.multicapture ? { final_capture: false } : {}) }, { idempotencyKey });
      } else if (kind === 'refund') {
        await stripe.refunds.create({ payment_intent: request.authorizationId, amount: request.amount.amount, metadata: { fulcrum_order: request.orderId } }, { idempotencyKey });
      } else if (before.captured === 0 || options.multicapture) {
        // Nothing captured: the whole authorization is released. With multicapture, what was not captured.
        await stripe.paymentIntents.cancel(request.authorizationId, {}, { idempotencyKey });
      }
      // Without multicapture, after a capture Stripe already released the rest: nothing to tell it.
    } catch (err) {
      throw refusalOf(err) ?? err;
    }
  }
  return createLedgerPaymentProvider(db, { atProvider: atStripe });
}
