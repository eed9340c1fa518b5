// Orders: channels create them; every authorised role reads those it may see.
import { z } from 'zod';
import type { Principal } from '../../domain/access/roles.ts';
import { CreateOrderRequest, Order, orderCrossFieldIssues } from '../../domain/orders/schemas.ts';
import type { OrderRow } from '../../db/repositories/orders.ts';
import { currentOrder, submitOrder } from '../order-intake.ts';
import { ProblemError, validationProblem, type FieldError } from '../problem.ts';
import { defineRoute, notFound } from '../route.ts';
import type { ApiDeps } from '../deps.ts';
import { problemResponses } from './common.ts';
import { withUpdateProblems } from '../workflow-updates.ts';
import { holdUpdate, orderWorkflowId, releaseUpdate } from '../../workflows/order/definitions.ts';

/** Another channel's order, or one at another store, is 404: its existence is not disclosed. */
export function canSeeOrder(principal: Principal, row: OrderRow): boolean {
  switch (principal.role) {
    case 'channel':
      return row.channel === principal.channel;
    case 'associate':
      return row.fulfillmentLocations.some((id) => principal.locationIds?.includes(id));
    case 'carrier':
      return false;
    default:
      return true;
  }
}

async function referencedEntityErrors(deps: ApiDeps, order: CreateOrderRequest): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const known = await deps.network.existingSkus(order.lines.map((l) => l.sku));
  order.lines.forEach((line, index) => {
    if (!known.has(line.sku)) errors.push({ path: `lines[${index}].sku`, message: `unknown SKU ${line.sku}` });
  });
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
      if (principal.role === 'channel' && body.channel !== principal.channel) {
        throw new ProblemError(403, `This key may only create orders of channel "${principal.channel}".`);
      }
      const errors = await referencedEntityErrors(deps, body);
      if (errors.length > 0) throw validationProblem(errors);
      const result = await submitOrder(deps, body, { waitForRouting: query.wait === 'routed' });
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
    params: z.object({ id: z.string().min(1).max(100) }),
    responses: { 200: { description: 'The order', schema: Order }, ...problemResponses(401, 403, 404) },
    async handler({ params, principal, deps }) {
      const row = await deps.orders.get(params.id);
      if (!row || !canSeeOrder(principal, row)) throw notFound('Order', params.id);
      const order = await currentOrder(deps, row);
      if (!order) throw notFound('Order', params.id);
      return { status: 200, body: order };
    },
  }),
  holdAction('hold', 'Put an order on hold (fraud check, address problem, …); an order held before routing is not routed until released'),
  holdAction('release', 'Release an order from hold: it carries on where it stood'),
];

function holdAction(name: 'hold' | 'release', summary: string) {
  return defineRoute({
    method: 'post',
    path: `/v1/orders/{id}/${name}`,
    operationId: `${name}Order`,
    summary,
    description: `Runs the order workflow's \`${name}\` Update with this body, so \`temporal workflow update execute --name ${name}\` does the same. 409 when the order's state does not allow it.`,
    tag: 'Orders',
    roles: ['exceptions'],
    params: z.object({ id: z.string().min(1).max(100) }),
    body: name === 'hold' ? z.object({ reason: z.string().trim().min(1).max(500) }).strict() : z.object({ reason: z.string().max(500).optional() }).strict(),
    responses: { 200: { description: 'The order after the action', schema: Order }, ...problemResponses(401, 403, 404, 409, 422) },
    async handler({ params, body, principal, deps }) {
      const row = await deps.orders.get(params.id);
      if (!row || !canSeeOrder(principal, row)) throw notFound('Order', params.id);
      const handle = deps.temporal.workflow.getHandle(orderWorkflowId(row.id));
      const order = await withUpdateProblems(() =>
        name === 'hold'
          ? handle.executeUpdate(holdUpdate, { args: [body as { reason: string }] })
          : handle.executeUpdate(releaseUpdate, { args: [body as { reason?: string }] }),
      );
      return { status: 200, body: order };
    },
  });
}
