// The payment provider interface: the channel authorized the payment; Fulcrum captures
// what ships, voids what will not, refunds what comes back or expires. Every call carries
// an idempotency key made by the workflow, so a retried activity never moves money twice.
import type { Money } from '../money.ts';

export interface PaymentRequest {
  orderId: string;
  authorizationId: string;
  /** What the channel authorized; the provider never captures more. */
  authorized: Money;
  amount: Money;
  idempotencyKey: string;
  reference?: string;
}

export type PaymentResult =
  | { ok: true; transactionId: string; amount: Money }
  | { ok: false; reason: 'exceeds_authorization' | 'exceeds_captured' | 'currency_mismatch' };

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
