// Receiving a return: the goods are taken in at whichever location receives them (sellable
// back on hand, the rest quarantined), then refunded through the payment provider — or, for
// an exchange, the replacement is sent instead.
import { ActivityFailure, ApplicationFailure, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { actorName, type Actor } from '../../domain/access/actor.ts';
import type { FieldError } from '../../domain/errors.ts';
import { refundFor } from '../../domain/returns/rules.ts';
import type { Condition, ReceiveReturnRequest } from '../../domain/returns/schemas.ts';
import { requestSchemas } from '../request-schemas.ts';
import { INVALID_STATE, refuse, refuseFields, VALIDATION_ERROR } from '../update-refusals.ts';
import { checkBody } from '../validate-body.ts';
import { receiveReturnUpdate } from './definitions.ts';
import { movePayment, type ReturnRun } from './run.ts';

const { receiveReturnStock } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['LocationCannotReceive'] },
});

const CONDITION_RANK: Record<Condition, number> = { sellable: 0, damaged: 1, defective: 2 };

function receiptErrors(run: ReturnRun, body: ReceiveReturnRequest): FieldError[] {
  const errors: FieldError[] = [];
  const taking = new Map<string, number>();
  body.lines.forEach((l, i) => {
    const line = run.r.lines.find((x) => x.lineId === l.lineId);
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

export function registerReceive(run: ReturnRun): void {
  const { r } = run;
  setHandler(
    receiveReturnUpdate,
    async (body, actor) => {
      run.busy = true;
      try {
        await takeIn(run, body, actorName(actor));
        await run.publish();
        await refund(run);
        r.status = 'refunded';
        run.record('return.refunded', { amount: r.refund!.amount, refundStatus: r.refund!.status });
        await run.publish();
        return r;
      } finally {
        run.busy = false;
      }
    },
    {
      validator: (body, _actor?: Actor) => {
        if (r.status !== 'open' || run.busy) refuse(INVALID_STATE, `A ${r.status} return cannot be received.`);
        const errors = receiptErrors(run, checkBody(requestSchemas.returns().ReceiveReturnRequest, body));
        if (errors.length > 0) refuseFields(errors);
      },
    },
  );
}

/** The goods go into the receiving location's stock, by condition; the return records each receipt. */
async function takeIn(run: ReturnRun, body: ReceiveReturnRequest, who: string): Promise<void> {
  const { r } = run;
  run.receipts += 1;
  try {
    await receiveReturnStock({
      returnId: r.id,
      receipt: run.receipts,
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
  run.record('return.received', { locationId: body.locationId, lines: body.lines, by: who });
}

/**
 * The refund: what came back, at its price less the order's discount, pro rata. An exchange
 * is an even swap: the replacement is sent instead.
 */
async function refund(run: ReturnRun): Promise<void> {
  const { r, input } = run;
  const { order } = input;
  const currency = order.payment.amount.currency;
  if (input.request.replacementLines) {
    await run.sendExchange();
    r.refund = { amount: { amount: 0, currency }, status: 'none' };
    return;
  }
  const amount = refundFor(order, new Map(r.lines.map((l) => [l.lineId, l.received])));
  const money = { amount, currency };
  if (amount === 0) {
    r.refund = { amount: money, status: 'none' };
    return;
  }
  const result = await movePayment({
    kind: 'refund',
    request: {
      orderId: order.id,
      channel: order.channel,
      authorizationId: order.payment.authorizationId,
      authorized: order.payment.amount,
      amount: money,
      idempotencyKey: `${r.id}:refund:${run.receipts}`,
      reference: r.rma,
    },
  });
  r.refund = { amount: money, status: result.ok ? 'issued' : 'refused' };
  if (!result.ok) run.record('return.refund_refused', { amount: money, reason: result.reason, ...(result.reason === 'provider_refused' ? { detail: result.detail } : {}) });
}
