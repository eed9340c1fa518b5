// Orders: channels create them; every authorised role reads those it may see.
import { z } from 'zod';
import { text } from '../../domain/text.ts';
import { CreateOrderRequest, Order, OrderStatus, orderCrossFieldIssues } from '../../domain/orders/schemas.ts';
import { BoardTileId } from '../../domain/console/board.ts';
import { actsFor, canSeeOrder } from '../access.ts';
import { currentOrder, submitOrder } from '../../services/orders/intake.ts';
import { ProblemError, validationProblem, type FieldError } from '../problem.ts';
import { defineRoute, notFound } from '../route.ts';
import { providerOf } from '../../config/payments.ts';
import { STRIPE_PAYMENT_INTENT_ID } from '../../domain/payments/provider.ts';
import type { ApiDeps } from '../deps.ts';
import { problemResponses } from './common.ts';
import { chooseProfileFor, profileQuestion } from '../../domain/sourcing/profile-rules.ts';
import { orderMarketErrors } from '../../domain/markets/rules.ts';
import { orderValue } from '../../domain/orders/order-state.ts';
import { runAction } from '../workflow-updates.ts';
import {
  addressUpdate,
  cancelUpdate,
  holdUpdate,
  orderWorkflowId,
  releaseUpdate,
  rerouteUpdate,
  fulfillmentMethodUpdate,
} from '../../workflows/order/definitions.ts';
import { AddressRequest, CancelRequest, FulfillmentMethodRequest, HoldRequest, ReleaseRequest, RerouteRequest } from '../../domain/orders/actions.ts';
import type { UpdateDefinition } from '@temporalio/client';
import type { Role } from '../../domain/access/roles.ts';

async function referencedEntityErrors(deps: ApiDeps, order: CreateOrderRequest): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const known = await deps.network.existingSkus(order.lines.map((l) => l.sku));
  order.lines.forEach((line, index) => {
    if (!known.has(line.sku)) errors.push({ path: `lines[${index}].sku`, message: `unknown SKU ${line.sku}` });
  });
  // A channel paying through Stripe authorizes with a PaymentIntent: anything else could never be captured.
  if (providerOf(deps.payments, order.channel) === 'stripe' && !STRIPE_PAYMENT_INTENT_ID.test(order.payment.authorizationId)) {
    errors.push({ path: 'payment.authorizationId', message: `must be a Stripe PaymentIntent id (pi_…): channel ${order.channel} pays through Stripe` });
  }
  const market = await deps.markets.ofChannel(order.channel);
  if (market) {
    const [profiles, rules] = await Promise.all([deps.routing.listProfiles(), deps.routing.rules()]);
    const asked = { channel: order.channel, serviceLevel: order.serviceLevel, segment: order.customer.segment, orderValue: orderValue({ lines: order.lines, payment: order.payment }) };
    const { profile } = chooseProfileFor(profiles, rules.rules, profileQuestion(asked, market));
    errors.push(...orderMarketErrors(order, market, profile.crossBorder));
  }
  if (order.promiseId) {
    const promise = await deps.promises.get(order.promiseId);
    if (!promise || promise.channel !== order.channel) errors.push({ path: 'promiseId', message: `no promise ${order.promiseId} of channel ${order.channel}` });
  }
  const pickupId = order.fulfillment.pickupLocationId;
  if (pickupId && (order.fulfillment.method === 'pickup' || order.fulfillment.method === 'curbside')) {
    const location = await deps.network.getLocation(pickupId);
    const capability = order.fulfillment.method === 'pickup' ? 'pickup' : 'curbside';
    if (!location) {
      errors.push({ path: 'fulfillment.pickupLocationId', message: `unknown location ${pickupId}` });
    } else if (!location.active || !location.capabilities[capability]) {
      errors.push({ path: 'fulfillment.pickupLocationId', message: `location ${pickupId} does not offer ${capability}` });
    }
  }
  return errors;
}

export const orderRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/orders',
    operationId: 'createOrder',
    // (channel, channelOrderId) is the order's identity: a retry while an earlier attempt holds its Idempotency-Key answers with the order.
    idempotentByItself: true,
    summary: 'Submit an order',
    description:
      'Idempotent on (channel, channelOrderId): a repeat returns the existing order with 200; a different body under the same pair is 409. ' +
      '`?wait=routed` returns once the routing decision exists (at most 10 s).',
    tag: 'Orders',
    roles: ['channel'],
    query: z.object({ wait: z.enum(['routed']).optional() }),
    body: CreateOrderRequest,
    bodyIssues: orderCrossFieldIssues,
    responses: {
      200: { description: 'The order already submitted under this channelOrderId', schema: Order },
      201: { description: 'Created', schema: Order },
      ...problemResponses(400, 401, 403, 409, 422),
    },
    async handler({ query, body, principal, deps }) {
      if (!actsFor(principal, body.channel)) {
        throw new ProblemError(403, `This key may only create orders of channel "${principal.channel}".`);
      }
      const errors = await referencedEntityErrors(deps, body);
      if (errors.length > 0) throw validationProblem(errors);
      const result = await submitOrder(deps, body, { waitForRouting: query.wait === 'routed' });
      if (result.outcome === 'authorization_taken') {
        // Only the channel that placed the holding order learns which it is.
        const holder = await deps.orders.get(result.orderId);
        const mine = holder && actsFor(principal, holder.channel);
        throw new ProblemError(409, 'This payment authorization already belongs to another order; an authorization pays for one order only.', {
          errors: [{ path: 'payment.authorizationId', message: 'is already used by another order' }],
          ...(mine ? { orderId: result.orderId } : {}),
        });
      }
      if (result.outcome === 'conflict') {
        throw new ProblemError(
          409,
          `Order ${body.channelOrderId} of channel ${body.channel} was already submitted with a different body.`,
          { orderId: result.existingOrderId },
        );
      }
      return {
        status: result.outcome === 'created' ? 201 : 200,
        body: result.order,
        headers: { Location: `/v1/orders/${result.order.id}` },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/orders/{id}',
    operationId: 'getOrder',
    summary: 'Get an order as its workflow holds it now',
    tag: 'Orders',
    roles: ['channel', 'associate', 'ops'],
    params: z.object({ id: text(100) }),
    responses: { 200: { description: 'The order', schema: Order }, ...problemResponses(401, 403, 404) },
    async handler({ params, principal, deps }) {
      const row = await deps.orders.get(params.id);
      if (!row || !canSeeOrder(principal, row)) throw notFound('Order', params.id);
      const order = await currentOrder(deps, row);
      if (!order) throw notFound('Order', params.id);
      return { status: 200, body: (await withReturnedUnits(deps, [order]))[0] };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/orders',
    operationId: 'listOrders',
    summary: 'List orders from the read model, newest first',
    description: 'A channel key sees its own channel only; an associate only orders with a fulfillment at one of its locations.',
    tag: 'Orders',
    roles: ['channel', 'associate', 'ops'],
    query: z.object({
      status: OrderStatus.optional(),
      needsAttention: z.enum(['true', 'false']).optional().describe('true: only orders where a step failed in a way retrying will not mend'),
      channel: text(64).optional(),
      locationId: text(64).optional(),
      channelOrderId: text(100).optional().describe('The channel\'s own order number (exact)'),
      tile: BoardTileId.optional().describe('Only the orders behind one tile of the ops board (GET /v1/board)'),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: text(200, { min: 0 }).optional(),
    }),
    responses: {
      200: { description: 'A page of orders', schema: z.object({ items: z.array(Order), nextCursor: z.string().optional() }) },
      ...problemResponses(401, 403, 422),
    },
    async handler({ query, principal, deps }) {
      const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
      if (query.cursor && !cursor) throw validationProblem([{ path: 'query.cursor', message: 'is not a cursor this API returned' }]);
      const rows = await deps.orders.list({
        ...(query.status ? { status: query.status } : {}),
        ...(query.needsAttention ? { needsAttention: query.needsAttention === 'true' } : {}),
        ...(principal.role === 'channel' ? { channel: principal.channel! } : query.channel ? { channel: query.channel } : {}),
        ...(query.locationId ? { locationId: query.locationId } : {}),
        ...(query.tile ? { tile: { id: query.tile, timezone: deps.businessTimezone } } : {}),
        ...(query.channelOrderId ? { channelOrderId: query.channelOrderId } : {}),
        ...(principal.role === 'associate' ? { locationIds: principal.locationIds ?? [] } : {}),
        limit: query.limit + 1,
        ...(cursor ? { cursor } : {}),
      });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        status: 200,
        body: {
          // The flag is written apart from the snapshot (which may be the step that failed).
          items: await withReturnedUnits(deps, page.flatMap((r) => (r.snapshot ? [r.needsAttention ? { ...r.snapshot, needsAttention: r.snapshot.needsAttention ?? r.needsAttention } : r.snapshot] : []))),
          ...(rows.length > query.limit && last ? { nextCursor: Buffer.from(`${last.createdAt}|${last.id}`).toString('base64url') } : {}),
        },
      };
    },
  }),
  exceptionAction('hold', HoldRequest, ['exceptions'], 'Put an order on hold (fraud check, address problem, …): nothing is routed, picked or shipped until released'),
  exceptionAction('release', ReleaseRequest, ['exceptions'], 'Release an order from hold: it carries on where it stood'),
  exceptionAction('cancel', CancelRequest, ['exceptions', 'channel'], 'Cancel the order, or some units of its lines: reservations are released and captured money for them refunded; 409 once shipped'),
  exceptionAction('reroute', RerouteRequest, ['exceptions'], 'Move a fulfillment that has not been packed to another location (or away from some)'),
  exceptionAction('address', AddressRequest, ['exceptions', 'channel'], 'Change the shipping address; 409 once a label exists'),
  exceptionAction(
    'fulfillment-method',
    FulfillmentMethodRequest,
    ['exceptions', 'channel'],
    'Change how the customer gets the order (ship, same day, pickup, curbside; another store or address) before picking starts: it is planned again; 409 once picking has started',
    { operationId: 'changeOrderFulfillmentMethod', check: pickupStoreTakes },
  ),
];

/** A pickup or curbside store must exist, be active and offer that method. */
async function pickupStoreTakes(deps: ApiDeps, body: FulfillmentMethodRequest): Promise<void> {
  if (!body.pickupLocationId) return;
  const location = await deps.network.getLocation(body.pickupLocationId);
  const capability = body.method === 'curbside' ? 'curbside' : 'pickup';
  if (!location) throw validationProblem([{ path: 'pickupLocationId', message: `no location ${body.pickupLocationId}` }]);
  if (!location.active || !location.capabilities[capability]) throw validationProblem([{ path: 'pickupLocationId', message: `${body.pickupLocationId} does not offer ${body.method}${location.active ? '' : ' (inactive)'}` }]);
}

/** Units received back by returns (the order workflow may have closed long before they came). */
async function withReturnedUnits(deps: ApiDeps, orders: Order[]): Promise<Order[]> {
  const returned = await deps.returns.returnedByLine(orders.map((o) => o.id));
  return orders.map((order) => {
    const lines = returned.get(order.id);
    return lines ? { ...order, lines: order.lines.map((l) => ({ ...l, returned: lines.get(l.lineId) ?? 0 })) } : order;
  });
}

function decodeCursor(raw: string): { createdAt: string; id: string } | undefined {
  const [createdAt, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) return undefined;
  return { createdAt, id };
}

const updates = { hold: holdUpdate, release: releaseUpdate, cancel: cancelUpdate, reroute: rerouteUpdate, address: addressUpdate, 'fulfillment-method': fulfillmentMethodUpdate } as const;

function exceptionAction<B extends z.ZodType>(
  name: keyof typeof updates,
  body: B,
  roles: Role[],
  summary: string,
  options: { operationId?: string; check?: (deps: ApiDeps, body: z.infer<B>) => Promise<void> } = {},
) {
  return defineRoute({
    method: 'post',
    path: `/v1/orders/{id}/${name}`,
    operationId: options.operationId ?? `${name}Order`,
    summary,
    description: `Runs the order workflow's \`${name}\` Update with this body, so \`temporal workflow update execute --name ${name}\` does the same. 409 when the order's state does not allow it.`,
    tag: 'Orders',
    roles,
    params: z.object({ id: text(100) }),
    body,
    responses: { 200: { description: 'The order after the action', schema: Order }, ...problemResponses(401, 403, 404, 409, 422) },
    async handler({ params, body: request, principal, deps }) {
      const row = await deps.orders.get(params.id);
      if (!row || !canSeeOrder(principal, row)) throw notFound('Order', params.id);
      await options.check?.(deps, request);
      return { status: 200, body: await runAction<Order>(deps.temporal, orderWorkflowId(row.id), updates[name] as UpdateDefinition<Order, never>, request, principal) };
    },
  });
}
