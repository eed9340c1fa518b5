// Payment follows the fulfillments: capture what has shipped (or waits at the counter),
// refund what came back, and at the end void what was never taken.
import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { captureTarget } from '../../domain/orders/order-state.ts';
import { holdPlaced } from '../../domain/orders/progress.ts';
import { orderHoldSignal } from '../fulfillment/definitions.ts';
import { orAttention } from '../needs-attention.ts';
import { open, signalChildren } from './children.ts';
import { nowIso, type OrderRun } from './run.ts';

const { movePayment } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

type Movement = 'capture' | 'refund' | 'void';

/** One movement at the provider, idempotent on the order's payment sequence; false when it did not happen. */
async function move(run: OrderRun, kind: Movement, amount: number): Promise<boolean> {
  const { order } = run;
  const p = order.payment;
  run.paymentSeq += 1;
  const seq = run.paymentSeq;
  const result = await orAttention(
    () =>
      movePayment({
        kind,
        request: {
          orderId: order.id,
          channel: order.channel,
          authorizationId: p.authorizationId,
          authorized: p.amount,
          amount: { amount, currency: p.amount.currency },
          idempotencyKey: `${order.id}:payment:${seq}`,
        },
      }),
    (failure) => run.needsAttention(failure),
    undefined,
  );
  if (!result) return false;
  if (!result.ok) {
    run.event('payment.refused', { kind, amount, reason: result.reason, ...(result.reason === 'provider_refused' ? { detail: result.detail } : {}) });
    if (kind === 'capture' && result.reason === 'provider_refused' && patched('hold-on-refused-capture')) await holdForPayment(run, `The payment provider refused to capture: ${result.detail}`);
    return false;
  }
  run.event(kind === 'capture' ? 'payment.captured' : kind === 'refund' ? 'payment.refunded' : 'payment.voided', { amount: { amount, currency: p.amount.currency } });
  return true;
}

/** The provider refused to take the money for what shipped: exceptions decide (release, or cancel what is left). */
async function holdForPayment(run: OrderRun, reason: string): Promise<void> {
  const { order } = run;
  if (order.holds.some((h) => h.reason === reason)) return;
  order.holds.push({ reason, placedAt: nowIso() });
  holdPlaced(run.progress, Date.now());
  run.event('order.held', { reason, by: 'payment provider' });
  await signalChildren(run, (c) => c.signal(orderHoldSignal, { onHold: true }), open);
}

/** Captures what has gone (or waits at the counter), refunds what came back; at the end (`final`) voids the rest. */
export async function captureWhatShipped(run: OrderRun, final: boolean): Promise<void> {
  const p = run.order.payment;
  const captured = p.captured ?? 0;
  const refunded = p.refunded ?? 0;
  const voided = p.voided ?? 0;
  const authorized = p.amount.amount;
  const target = captureTarget(run.order);
  const net = captured - refunded;
  if (target > net) {
    const amount = Math.min(target - net, authorized - captured - voided);
    if (amount > 0 && (await move(run, 'capture', amount))) p.captured = captured + amount;
  } else if (target < net) {
    const amount = net - target;
    if (await move(run, 'refund', amount)) p.refunded = refunded + amount;
  }
  if (final) {
    const rest = authorized - (p.captured ?? 0) - voided;
    if (rest > 0 && (await move(run, 'void', rest))) p.voided = voided + rest;
  }
}
