// Stripe's webhooks (POST /v1/payment-providers/stripe/events): a disputed charge, or a
// PaymentIntent cancelled outside Fulcrum, puts the order that draws on it on hold with the
// reason, for the exceptions team to decide. The signature (Stripe-Signature, HMAC of the raw
// body with STRIPE_WEBHOOK_SECRET, five minutes' tolerance) is checked by Stripe's SDK before
// anything is read. Repeats change nothing (the same hold is not placed twice); events for
// PaymentIntents no order draws on, or that Fulcrum itself cancelled, are acknowledged and
// ignored, so Stripe does not retry them for days.
import type Router from '@koa/router';
import Stripe from 'stripe';
import { holdUpdate, orderWorkflowId } from '../../workflows/order/definitions.ts';
import { currentOrder } from '../../services/orders/intake.ts';
import { voidedByFulcrum } from '../../db/repositories/payments.ts';
import { readJsonBody } from '../body.ts';
import type { ApiDeps } from '../deps.ts';
import { ProblemError } from '../problem.ts';
import { withUpdateProblems } from '../workflow-updates.ts';
import { STRIPE_PAYMENT_INTENT_ID as PAYMENT_INTENT_ID } from '../../domain/payments/provider.ts';

export const STRIPE_EVENTS_PATH = '/v1/payment-providers/stripe/events';

/** The order's hold for a Stripe event, or undefined when the event asks nothing of Fulcrum. */
function holdFor(event: Stripe.Event): { paymentIntent: string; reason: string; cancelled?: true } | undefined {
  if (event.type === 'charge.dispute.created') {
    const dispute = event.data.object;
    const pi = typeof dispute.payment_intent === 'string' ? dispute.payment_intent : dispute.payment_intent?.id;
    return pi ? { paymentIntent: pi, reason: `The payment was disputed at Stripe (${dispute.reason}, ${dispute.amount} ${dispute.currency.toUpperCase()})` } : undefined;
  }
  if (event.type === 'payment_intent.canceled') {
    const intent = event.data.object;
    return { paymentIntent: intent.id, reason: `The payment was cancelled at Stripe (${intent.cancellation_reason ?? 'no reason given'})`, cancelled: true };
  }
  return undefined;
}

export function mountPaymentProviderRoutes(router: Router, deps: ApiDeps): void {
  router.post(STRIPE_EVENTS_PATH, async (ctx) => {
    const secret = deps.stripeWebhookSecret;
    if (!secret) throw new ProblemError(401, 'This deployment takes no Stripe webhooks: set STRIPE_WEBHOOK_SECRET to the endpoint\'s signing secret.');
    const { raw } = await readJsonBody(ctx, 512 * 1024);
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(raw, ctx.get('stripe-signature'), secret);
    } catch {
      throw new ProblemError(401, 'Stripe-Signature does not sign this body with the webhook secret this deployment trusts (or is older than five minutes).');
    }
    const answer = (body: Record<string, unknown>) => {
      ctx.status = 200;
      ctx.body = { event: event.id, type: event.type, ...body };
    };
    const hold = holdFor(event);
    if (!hold || !PAYMENT_INTENT_ID.test(hold.paymentIntent)) return answer({ ignored: 'nothing to tell an order' });
    const orderId = await deps.orders.orderOfAuthorization(hold.paymentIntent);
    if (!orderId) return answer({ ignored: 'no order draws on this PaymentIntent' });
    // Fulcrum cancels the PaymentIntent itself when it voids what will not be captured.
    if (hold.cancelled && (await voidedByFulcrum(deps.db, hold.paymentIntent))) return answer({ orderId, ignored: 'Fulcrum cancelled it' });
    const row = await deps.orders.get(orderId);
    const order = row ? await currentOrder(deps, row) : undefined;
    if (!order) return answer({ ignored: 'the order is gone' });
    if (order.holds.some((h) => h.reason === hold.reason)) return answer({ orderId: order.id, held: true, duplicate: true });
    if (order.status === 'completed' || order.status === 'cancelled') return answer({ orderId: order.id, ignored: `the order is ${order.status}` });
    const handle = deps.temporal.workflow.getHandle(orderWorkflowId(order.id));
    await withUpdateProblems(() => handle.executeUpdate(holdUpdate, { args: [{ reason: hold.reason }, { by: 'stripe:webhook' }] }));
    return answer({ orderId: order.id, held: true });
  });
}

/** The endpoint in the OpenAPI document (it authenticates by Stripe's signature, not an API key). */
export const paymentProviderPaths = {
  [STRIPE_EVENTS_PATH]: {
    post: {
      operationId: 'postStripeEvent',
      summary: "Stripe's webhook: disputes and cancellations put the order on hold",
      description:
        'Authenticated by `Stripe-Signature` (STRIPE_WEBHOOK_SECRET), not an API key. `charge.dispute.created` and `payment_intent.canceled` (when Fulcrum did not cancel it) hold the order that draws on the PaymentIntent, with the reason. ' +
        'Repeats change nothing; other events, and PaymentIntents no order draws on, are acknowledged and ignored.',
      tags: ['Payments'],
      security: [],
      parameters: [{ name: 'Stripe-Signature', in: 'header', required: true, schema: { type: 'string' } }],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['id', 'type', 'data'], properties: { id: { type: 'string' }, type: { type: 'string' }, data: { type: 'object' } } } } } },
      responses: {
        200: { description: 'Taken (the order held) or ignored, saying why' },
        401: { description: 'Not signed with the webhook secret', content: { 'application/problem+json': { schema: { type: 'object' } } } },
        409: { description: 'The order can no longer be held', content: { 'application/problem+json': { schema: { type: 'object' } } } },
        413: { description: 'Body too large', content: { 'application/problem+json': { schema: { type: 'object' } } } },
      },
    },
  },
};
