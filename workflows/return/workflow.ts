// The return workflow: one per return (`return-<id>`). It issues the RMA (and a prepaid label
// for mail returns), waits for the goods with an expiry timer, takes them in at whichever
// location receives them (sellable back on hand, the rest quarantined), refunds what came
// back through the payment provider, and sends an exchange's replacement as a new order.
import { ActivityFailure, allHandlersFinished, ApplicationFailure, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { receiptDeadline, refundFor } from '../../domain/returns/rules.ts';
import { ReceiveReturnRequest, type Condition, type ReturnResource, type ReturnWorkflowInput } from '../../domain/returns/schemas.ts';
import type { FieldError } from '../../domain/errors.ts';
import { actorName, type Actor } from '../../domain/access/actor.ts';
import { INVALID_STATE, refuse, refuseFields, VALIDATION_ERROR } from '../update-refusals.ts';
import { checkBody } from '../validate-body.ts';
import { outboxEventsSince } from '../outbox-events.ts';
import { orAttention } from '../needs-attention.ts';
import { cancelReturnUpdate, getReturnQuery, receiveReturnUpdate } from './definitions.ts';

const { saveReturnSnapshot, buyReturnLabel, placeExchangeOrder, movePayment } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['NoCarrierService', 'UnknownLocation'] },
});
const { receiveReturnStock } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['LocationCannotReceive'] },
});

const CONDITION_RANK: Record<Condition, number> = { sellable: 0, damaged: 1, defective: 2 };

export async function returnWorkflow(input: ReturnWorkflowInput): Promise<ReturnResource> {
  const { request, order } = input;
  const r: ReturnResource = {
    id: input.returnId,
    orderId: order.id,
    channel: order.channel,
    status: 'open',
    rma: input.rma,
    method: request.method,
    locationId: input.locationId,
    lines: request.lines.map((l) => ({ lineId: l.lineId, sku: order.lines.find((ol) => ol.lineId === l.lineId)!.sku, quantity: l.quantity, reason: l.reason, received: 0, receipts: [] })),
    ...(request.replacementLines ? { replacementLines: request.replacementLines } : {}),
    expiresAt: receiptDeadline(input.createdAt, input.policy.receiptDays, input.locationTimezone && patched('receipt-deadline-in-local-days') ? input.locationTimezone : undefined),
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    events: [{ at: input.createdAt, type: 'return.opened', detail: { rma: input.rma, method: request.method, locationId: input.locationId } }],
  };
  let revision = 0;
  let published = 0;
  let receipts = 0;
  let busy = false;

  function record(type: string, detail: Record<string, unknown>): void {
    const at = new Date().toISOString();
    r.events.push({ at, type, detail });
    r.updatedAt = at;
  }

  async function publish(): Promise<void> {
    revision += 1;
    const from = published;
    const events = outboxEventsSince(r, from, { returnId: r.id, orderId: r.orderId, rma: r.rma, status: r.status });
    published = r.events.length;
    // A read model that refuses the data for good: recorded on the return, which goes on.
    await orAttention(() => saveReturnSnapshot({ returnResource: r, revision, events }), (failure) => {
      published = Math.min(published, from);
      record('return.needs_attention', failure);
    }, undefined);
  }

  async function sendExchange(): Promise<void> {
    if (!request.replacementLines || r.exchangeOrderId) return;
    r.exchangeOrderId = await placeExchangeOrder({ returnId: r.id, rma: r.rma, order, lines: request.replacementLines });
    record('return.exchange_ordered', { exchangeOrderId: r.exchangeOrderId, lines: request.replacementLines });
  }

  function receiptErrors(body: ReceiveReturnRequest): FieldError[] {
    const errors: FieldError[] = [];
    const taking = new Map<string, number>();
    body.lines.forEach((l, i) => {
      const line = r.lines.find((x) => x.lineId === l.lineId);
      if (!line) {
        errors.push({ path: `lines[${i}].lineId`, message: `the return has no line ${l.lineId}` });
        return;
      }
      taking.set(l.lineId, (taking.get(l.lineId) ?? 0) + l.quantity);
      if (taking.get(l.lineId)! > line.quantity - line.received) {
        errors.push({ path: `lines[${i}].quantity`, message: `line ${l.lineId} expects ${line.quantity - line.received} more unit(s)` });
      }
    });
    return errors;
  }

  setHandler(getReturnQuery, () => r);

  setHandler(
    receiveReturnUpdate,
    async (body, actor) => {
      busy = true;
      try {
        const who = actorName(actor);
        receipts += 1;
        try {
          await receiveReturnStock({
            returnId: r.id,
            receipt: receipts,
            locationId: body.locationId,
            lines: body.lines.map((l) => ({ ...l, sku: r.lines.find((x) => x.lineId === l.lineId)!.sku })),
            actor: who,
          });
        } catch (err) {
          if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'LocationCannotReceive') {
            refuse(VALIDATION_ERROR, `locationId: ${err.cause.message}`);
          }
          throw err;
        }
        for (const l of body.lines) {
          const line = r.lines.find((x) => x.lineId === l.lineId)!;
          line.received += l.quantity;
          line.receipts.push({ locationId: body.locationId, quantity: l.quantity, condition: l.condition });
          if (!line.condition || CONDITION_RANK[l.condition] > CONDITION_RANK[line.condition]) line.condition = l.condition;
        }
        r.status = 'received';
        record('return.received', { locationId: body.locationId, lines: body.lines, by: who });
        await publish();

        // The refund: what came back, at its price less the order's discount, pro rata.
        // An exchange is an even swap: the replacement is sent instead.
        if (request.replacementLines) {
          await sendExchange();
          r.refund = { amount: { amount: 0, currency: order.payment.amount.currency }, status: 'none' };
        } else {
          const amount = refundFor(order, new Map(r.lines.map((l) => [l.lineId, l.received])));
          const money = { amount, currency: order.payment.amount.currency };
          if (amount === 0) {
            r.refund = { amount: money, status: 'none' };
          } else {
            const result = await movePayment({
              kind: 'refund',
              request: { orderId: order.id, authorizationId: order.payment.authorizationId, authorized: order.payment.amount, amount: money, idempotencyKey: `${r.id}:refund:${receipts}`, reference: r.rma },
            });
            r.refund = { amount: money, status: result.ok ? 'issued' : 'refused' };
            if (!result.ok) record('return.refund_refused', { amount: money, reason: result.reason });
          }
        }
        r.status = 'refunded';
        record('return.refunded', { amount: r.refund.amount, refundStatus: r.refund.status });
        await publish();
        return r;
      } finally {
        busy = false;
      }
    },
    {
      validator: (body, _actor?: Actor) => {
        if (r.status !== 'open' || busy) refuse(INVALID_STATE, `A ${r.status} return cannot be received.`);
        const errors = receiptErrors(checkBody(ReceiveReturnRequest, body));
        if (errors.length > 0) refuseFields(errors);
      },
    },
  );

  setHandler(
    cancelReturnUpdate,
    async (_body, actor) => {
      r.status = 'cancelled';
      record('return.cancelled', { by: actorName(actor) });
      await publish();
      return r;
    },
    {
      validator: (_body?: unknown, _actor?: Actor) => {
        if (r.status !== 'open' || busy) refuse(INVALID_STATE, `A ${r.status} return cannot be cancelled.`);
      },
    },
  );

  await publish();
  if (request.method === 'mail' && order.shipTo) {
    const label = await buyReturnLabel({ returnId: r.id, rma: r.rma, orderId: order.id, locationId: input.locationId, from: order.shipTo, customerName: order.customer.name });
    r.label = { carrier: label.carrier, service: label.service, trackingNumber: label.trackingNumber };
    record('return.label_created', { carrier: label.carrier, trackingNumber: label.trackingNumber });
  }
  if (input.policy.exchangeBeforeReceipt) await sendExchange();
  await publish();

  const settled = await condition(() => r.status !== 'open', Math.max(1, Date.parse(r.expiresAt) - Date.now()));
  if (!settled && r.status === 'open' && !busy) {
    r.status = 'expired';
    record('return.expired', { reason: `nothing received within ${input.policy.receiptDays} days; nothing refunded` });
    await publish();
  }
  await condition(allHandlersFinished);
  return r;
}
