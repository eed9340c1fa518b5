// Money movements for an order, through the configured payment provider. A refusal (more than
// authorized or captured) is not retried: it is reported to the workflow, which records it.
import { log } from '@temporalio/activity';
import type { PaymentProvider, PaymentRequest, PaymentResult } from '../../domain/payments/provider.ts';

export function createPaymentActivities(deps: { payments: PaymentProvider }) {
  return {
    async movePayment(input: { kind: 'capture' | 'void' | 'refund'; request: PaymentRequest }): Promise<PaymentResult> {
      const result = await deps.payments[input.kind](input.request);
      if (!result.ok) log.warn('payment refused', { orderId: input.request.orderId, kind: input.kind, reason: result.reason });
      return result;
    },
  };
}
