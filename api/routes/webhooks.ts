// Webhook subscriptions (admin): which events go to which URL, signed with the subscriber's
// secret; each subscription's delivery log, and a re-send action.
import { z } from 'zod';
import { PRINTABLE, text, TEXT_RULE } from '../../domain/text.ts';
import { newId } from '../../services/ids.ts';
import { checkTarget } from '../../services/webhooks/outbound.ts';
import { validationProblem } from '../problem.ts';
import { MAX_PATTERN_STARS, starCount } from '../../domain/webhooks/event-pattern.ts';
import { defineRoute, notFound } from '../route.ts';
import { problemResponses } from './common.ts';

const EventPattern = z
  .string()
  .regex(/^[a-z_*][a-z_.*]{0,99}$/, 'must be an event type such as order.routed, with * matching any run of characters')
  .refine((p) => starCount(p) <= MAX_PATTERN_STARS, `must have at most ${MAX_PATTERN_STARS} *`);

const Subscription = z.object({ id: z.string(), url: z.string(), events: z.array(z.string()), createdAt: z.string() });
const Delivery = z.object({
  id: z.int(),
  subscriptionId: z.string(),
  eventSequence: z.int(),
  eventId: z.string(),
  eventType: z.string(),
  orderId: z.string().nullable(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.int(),
  lastStatusCode: z.int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
const Id = z.object({ id: text(100) });

export const webhookRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/webhooks',
    operationId: 'createWebhook',
    summary: 'Subscribe a URL to events (from now on)',
    description:
      'Each delivery is a POST of `{ id, type, createdAt, data }` with `X-Signature: sha256=<hex HMAC-SHA256 of the raw body with the secret>`, ' +
      'retried with exponential backoff for up to 24 hours until a 2xx, at least once and in order per order. ' +
      'The URL\'s host must resolve to public addresses only (not loopback, private, link-local or metadata, unique-local, carrier-grade NAT, multicast or reserved; ' +
      'checked here and again at each delivery, which connects to the address it checked) unless FULCRUM_WEBHOOK_ALLOW_HOSTS allows it: 422 naming `url` otherwise. ' +
      'Redirects are not followed (a 3xx is a failed delivery), and at most 4 KiB of an answer is read. An event pattern has at most 8 `*`.',
    tag: 'Webhooks',
    roles: ['admin'],
    body: z
      .object({
        url: z.url({ protocol: /^https?$/ }).max(2000).regex(PRINTABLE, TEXT_RULE),
        events: z.array(EventPattern).min(1).max(50),
        secret: text(200, { min: 16 }),
      })
      .strict(),
    responses: { 201: { description: 'The subscription (the secret is not shown again)', schema: Subscription }, ...problemResponses(401, 403, 422) },
    async handler({ body, deps }) {
      const target = await checkTarget(new URL(body.url), deps.webhookTargets);
      if (!target.ok) throw validationProblem([{ path: 'url', message: target.reason }]);
      const sub = await deps.webhooks.create({ id: newId('whk'), url: body.url, events: body.events, secret: body.secret });
      return { status: 201, body: sub, headers: { Location: `/v1/webhooks/${sub.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/webhooks',
    operationId: 'listWebhooks',
    summary: 'Webhook subscriptions',
    tag: 'Webhooks',
    roles: ['admin'],
    responses: { 200: { description: 'Subscriptions', schema: z.object({ items: z.array(Subscription) }) }, ...problemResponses(401, 403) },
    async handler({ deps }) {
      return { status: 200, body: { items: await deps.webhooks.list() } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/webhooks/{id}',
    operationId: 'deleteWebhook',
    summary: 'Unsubscribe: nothing more is delivered',
    tag: 'Webhooks',
    roles: ['admin'],
    params: Id,
    responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404) },
    async handler({ params, deps }) {
      if (!(await deps.webhooks.remove(params.id))) throw notFound('Webhook', params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: "A subscription's delivery log, newest first",
    tag: 'Webhooks',
    roles: ['admin'],
    params: Id,
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    responses: { 200: { description: 'Deliveries', schema: z.object({ items: z.array(Delivery) }) }, ...problemResponses(401, 403, 404, 422) },
    async handler({ params, query, deps }) {
      if (!(await deps.webhooks.exists(params.id))) throw notFound('Webhook', params.id);
      return { status: 200, body: { items: await deps.webhooks.deliveries(params.id, query.limit) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}/resend',
    operationId: 'resendWebhookDelivery',
    summary: 'Deliver an event again (and retry it for another 24 hours)',
    tag: 'Webhooks',
    roles: ['admin'],
    params: z.object({ id: text(100), deliveryId: z.coerce.number().int().min(1) }),
    body: z.object({}).strict(),
    responses: { 202: { description: 'Queued', schema: z.object({ deliveryId: z.int(), status: z.literal('pending') }) }, ...problemResponses(401, 403, 404) },
    async handler({ params, deps }) {
      if (!(await deps.webhooks.resend(params.id, params.deliveryId))) throw notFound('Delivery', String(params.deliveryId));
      return { status: 202, body: { deliveryId: params.deliveryId, status: 'pending' as const } };
    },
  }),
];
