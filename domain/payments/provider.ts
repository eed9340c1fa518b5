// The payment provider interface: the channel authorized the payment; Fulcrum captures
// what ships, voids what will not, refunds what comes back or expires. Every call carries
// an idempotency key made by the workflow, so a retried activity never moves money twice.
// Adapters live in activities/adapters/payments/: the built-in ledger (db/repositories/
// payments.ts) and Stripe, chosen per channel.
import type { Money } from '../money.ts';

export interface PaymentRequest {
  orderId: string;
  authorizationId: string;
  /** What the channel authorized; the provider never captures more. */
  authorized: Money;
  amount: Money;
  idempotencyKey: string;
  reference?: string;
  /** The order's channel, which chooses the provider (absent in requests made before providers were chosen per channel). */
  channel?: string;
}

export type PaymentResult =
  | { ok: true; transactionId: string; amount: Money }
  | { ok: false; reason: 'exceeds_authorization' | 'exceeds_captured' | 'currency_mismatch' }
  /** The provider itself refused (a declined capture, a cancelled PaymentIntent), saying why. */
  | { ok: false; reason: 'provider_refused'; detail: string };

export interface PaymentTotals {
  authorized: Money;
  captured: number;
  refunded: number;
  voided: number;
}

export interface PaymentProvider {
  capture(request: PaymentRequest): Promise<PaymentResult>;
  /** Releases the part of the authorization that will never be captured. */
  void(request: PaymentRequest): Promise<PaymentResult>;
  refund(request: PaymentRequest): Promise<PaymentResult>;
  totals(authorizationId: string): Promise<PaymentTotals | undefined>;
}

/** A Stripe PaymentIntent id, as a channel paying through Stripe gives it for `payment.authorizationId`. */
export const STRIPE_PAYMENT_INTENT_ID = /^pi_[A-Za-z0-9]{1,200}$/;
