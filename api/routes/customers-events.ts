// Flagged customers (a hold rule: their new orders wait for review) and the outbox of business
// events, readable by ops (webhooks deliver the same events).
import { z } from 'zod';
import { text } from '../../domain/text.ts';
import { defineRoute, notFound } from '../route.ts';
import { ChannelName } from '../../domain/identifiers.ts';
import { customerSearchValue } from '../../services/orders/customer-search.ts';
import { problemResponses } from './common.ts';

const CustomerFlag = z.object({ customerId: z.string(), reason: z.string(), flaggedBy: z.string().nullable(), createdAt: z.string() });
const CustomerId = z.object({ id: text(128) });

export const customerAndEventRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/customers/{id}/temporal-search',
    operationId: 'customerTemporalSearch',
    summary: "What to filter a customer's orders by in the Temporal UI",
    description:
      "The CustomerId search attribute is a keyed hash of the channel and the customer's id (search attributes are visible in clear to whoever can list workflows); this gives its value and the query to paste into the Temporal UI or `temporal workflow list --query`.",
    tag: 'Exceptions',
    roles: ['ops'],
    params: CustomerId,
    query: z.object({ channel: ChannelName }),
    responses: {
      200: { description: 'The search attribute', schema: z.object({ searchAttribute: z.literal('CustomerId'), value: z.string(), query: z.string() }) },
      ...problemResponses(401, 403, 422),
    },
    async handler({ params, query }) {
      const value = customerSearchValue(query.channel, params.id);
      return { status: 200, body: { searchAttribute: 'CustomerId' as const, value, query: `CustomerId = '${value}'` } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/customers/{id}/flag',
    operationId: 'flagCustomer',
    summary: "Flag a customer: their new orders go on hold for review",
    tag: 'Exceptions',
    roles: ['exceptions'],
    params: CustomerId,
    body: z.object({ reason: text(500, { trim: true }) }).strict(),
    responses: { 200: { description: 'The flag', schema: CustomerFlag }, ...problemResponses(401, 403, 422) },
    async handler({ params, body, principal, deps }) {
      return { status: 200, body: await deps.customers.setFlag(params.id, body.reason, `${principal.role}:${principal.name}`) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/customers/{id}/flag',
    operationId: 'unflagCustomer',
    summary: 'Clear a customer flag',
    tag: 'Exceptions',
    roles: ['exceptions'],
    params: CustomerId,
    responses: { 204: { description: 'Cleared' }, ...problemResponses(401, 403, 404) },
    async handler({ params, deps }) {
      if (!(await deps.customers.clearFlag(params.id))) throw notFound('Customer flag', params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/events',
    operationId: 'listEvents',
    summary: 'Business events from the outbox, in the order they happened',
    description: 'Page with `after` (the last `sequence` seen). Besides the business events of orders, fulfillments, returns and transfers, ops alerts arrive here and to webhooks as `alert.webhook_failing`, `alert.order_past_sla`, `alert.order_needs_attention`, `alert.inventory_drift` and `alert.channel_sync_behind` (docs/deploy.md#alerts).',
    tag: 'Events',
    roles: ['ops'],
    query: z.object({
      orderId: text(100).optional(),
      type: text(100).optional(),
      after: z.coerce.number().int().min(0).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    responses: {
      200: {
        description: 'Events',
        schema: z.object({
          items: z.array(z.object({ sequence: z.int(), eventId: z.string(), type: z.string(), orderId: z.string().nullable(), data: z.record(z.string(), z.unknown()), createdAt: z.string() })),
        }),
      },
      ...problemResponses(401, 403, 422),
    },
    async handler({ query, deps }) {
      return { status: 200, body: { items: await deps.outbox.list(query) } };
    },
  }),
];
