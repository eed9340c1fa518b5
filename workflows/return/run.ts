// One return workflow's state — the return resource and its receipts — and how it is
// published (the read model and outbox), plus sending an exchange's replacement order.
import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { initialReturn } from '../../domain/returns/registration.ts';
import type { ReturnResource, ReturnWorkflowInput } from '../../domain/returns/schemas.ts';
import { orAttention } from '../needs-attention.ts';
import { outboxEventsSince } from '../outbox-events.ts';

export const { saveReturnSnapshot, buyReturnLabel, placeExchangeOrder, movePayment } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['NoCarrierService', 'UnknownLocation'] },
});

export class ReturnRun {
  readonly r: ReturnResource;
  receipts = 0;
  busy = false;
  /** The label (mail) and an up-front exchange are done: the API may answer the caller. */
  opened = false;
  private revision = 0;
  private published = 0;

  constructor(readonly input: ReturnWorkflowInput) {
    // The receipt deadline counts calendar days at the location (workflows started before: 24-hour days).
    this.r = initialReturn(input, input.locationTimezone && patched('receipt-deadline-in-local-days') ? input.locationTimezone : undefined);
  }

  record(type: string, detail: Record<string, unknown>): void {
    const at = new Date().toISOString();
    this.r.events.push({ at, type, detail });
    this.r.updatedAt = at;
  }

  async publish(): Promise<void> {
    const { r } = this;
    this.revision += 1;
    const revision = this.revision;
    const from = this.published;
    const events = outboxEventsSince(r, from, { returnId: r.id, orderId: r.orderId, rma: r.rma, status: r.status });
    this.published = r.events.length;
    // A read model that refuses the data for good: recorded on the return, which goes on.
    await orAttention(() => saveReturnSnapshot({ returnResource: r, revision, events }), (failure) => {
      this.published = Math.min(this.published, from);
      this.record('return.needs_attention', failure);
    }, undefined);
  }

  /** An exchange: the replacement goes out as a new order (once). */
  async sendExchange(): Promise<void> {
    const { r, input } = this;
    if (!input.request.replacementLines || r.exchangeOrderId) return;
    r.exchangeOrderId = await placeExchangeOrder({ returnId: r.id, rma: r.rma, order: input.order, lines: input.request.replacementLines });
    this.record('return.exchange_ordered', { exchangeOrderId: r.exchangeOrderId, lines: input.request.replacementLines });
  }
}
