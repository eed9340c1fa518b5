// Returns from any channel: opened by the channel (for its own orders), a store associate
// (at its own location) or ops; received at any location that takes returns; refunded by
// the return workflow (`return-<id>`). Plus each channel's return policy.
import { randomBytes } from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/client';
import { z } from 'zod';
import { text } from '../../domain/text.ts';
import type { Principal } from '../../domain/access/roles.ts';
import { distanceKm } from '../../domain/geo.ts';
import type { Location } from '../../domain/network/schemas.ts';
import type { Order } from '../../domain/orders/schemas.ts';
import { checkReturnRequest, receiptDeadline, returnableUnits } from '../../domain/returns/rules.ts';
import { CreateReturnRequest, ReceiveReturnRequest, ReturnPolicy, ReturnResource, ReturnStatus, type ReturnWorkflowInput } from '../../domain/returns/schemas.ts';
import { cancelReturnUpdate, getReturnQuery, receiveReturnUpdate, returnWorkflowId, returnWorkflowType } from '../../workflows/return/definitions.ts';
import type { ApiDeps } from '../deps.ts';
import { newId } from '../../services/ids.ts';
import { currentOrder } from '../../services/orders/intake.ts';
import { ProblemError, validationProblem } from '../problem.ts';
import { currentResource } from '../../services/current-resource.ts';
import { defineRoute, notFound } from '../route.ts';
import { runAction } from '../workflow-updates.ts';
import { problemResponses } from './common.ts';

const Id = z.object({ id: text(100) });

/** The location a mail return goes to: the nearest active one that takes returns. */
function nearestReturnsLocation(locations: readonly Location[], from: Order['shipTo'] | undefined, fallback: string | undefined): Location | undefined {
  const candidates = locations.filter((l) => l.active && l.capabilities.returns);
  if (from?.geo) return [...candidates].sort((a, b) => distanceKm(a.geo, from.geo!) - distanceKm(b.geo, from.geo!))[0];
  return candidates.find((l) => l.id === fallback) ?? candidates[0];
}

function canSeeReturn(principal: Principal, r: ReturnResource): boolean {
  if (principal.role === 'channel') return r.channel === principal.channel;
  if (principal.role === 'associate') {
    const mine = principal.locationIds ?? [];
    return (r.locationId !== undefined && mine.includes(r.locationId)) || r.lines.some((l) => l.receipts.some((x) => mine.includes(x.locationId)));
  }
  return principal.role !== 'carrier';
}

async function currentReturn(deps: ApiDeps, id: string): Promise<ReturnResource | undefined> {
  // Registered before its workflow starts: an id the table does not know is no return.
  const stored = await deps.returns.get(id);
  if (!stored) return undefined;
  return currentResource(deps.temporal, returnWorkflowId(id), getReturnQuery, async () => stored);
}

async function visibleReturn(deps: ApiDeps, principal: Principal, id: string): Promise<ReturnResource> {
  const r = await currentReturn(deps, id);
  if (!r || !canSeeReturn(principal, r)) throw notFound('Return', id);
  return r;
}

export const returnRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/returns',
    operationId: 'createReturn',
    summary: 'Open a return (RMA; a prepaid label for mail returns)',
    description:
      'More than was delivered or collected minus what is already being returned: 422 naming the line. Outside the channel’s return window: 409. ' +
      'With `replacementLines` it is an exchange: the replacement is sent as a new order when the return is received (at once if the channel’s policy says so) and the returned units are not refunded.',
    tag: 'Returns',
    roles: ['channel', 'associate', 'ops'],
    body: CreateReturnRequest,
    responses: { 201: { description: 'The return', schema: ReturnResource }, ...problemResponses(401, 403, 404, 409, 422) },
    async handler({ body, principal, deps }) {
      const row = await deps.orders.get(body.orderId);
      if (!row || (principal.role === 'channel' && row.channel !== principal.channel)) throw notFound('Order', body.orderId);
      if (principal.role === 'associate' && (!body.locationId || !(principal.locationIds ?? []).includes(body.locationId))) {
        throw new ProblemError(403, 'An associate opens returns at one of its own locations (locationId).');
      }
      const order = await currentOrder(deps, row);
      if (!order) throw notFound('Order', body.orderId);

      const locations = await deps.network.listLocations();
      let location: Location | undefined;
      if (body.locationId) {
        location = locations.find((l) => l.id === body.locationId);
        if (!location || !location.active || !location.capabilities.returns) {
          throw validationProblem([{ path: 'locationId', message: `location ${body.locationId} does not take returns` }]);
        }
      } else {
        location = nearestReturnsLocation(locations, order.shipTo, order.pickupLocationId);
        if (!location) throw new ProblemError(409, 'No location takes returns.');
      }
      if (body.replacementLines) {
        const known = await deps.network.existingSkus(body.replacementLines.map((l) => l.sku));
        const unknown = body.replacementLines.map((l, i) => ({ l, i })).filter(({ l }) => !known.has(l.sku));
        if (unknown.length > 0) throw validationProblem(unknown.map(({ l, i }) => ({ path: `replacementLines[${i}].sku`, message: `unknown SKU ${l.sku}` })));
      }

      const policy = await deps.returns.policy(order.channel);
      const fulfillments = await deps.fulfillments.ofOrder(order.id);
      const id = newId('ret');
      const rma = `RMA-${randomBytes(5).toString('hex').toUpperCase()}`;
      const createdAt = new Date().toISOString();
      const input: ReturnWorkflowInput = {
        returnId: id,
        rma,
        createdAt,
        request: body,
        locationId: location.id,
        locationTimezone: location.timezone,
        policy,
        order: {
          id: order.id,
          channel: order.channel,
          channelOrderId: order.channelOrderId,
          customer: { id: order.customer.id, name: order.customer.name },
          ...(order.shipTo ? { shipTo: order.shipTo } : {}),
          fulfillment: {
            method: order.fulfillmentMethod,
            ...(order.shipTo ? { shipTo: order.shipTo } : {}),
            ...(order.pickupLocationId ? { pickupLocationId: order.pickupLocationId } : {}),
          },
          serviceLevel: order.serviceLevel,
          payment: { authorizationId: order.payment.authorizationId, amount: order.payment.amount },
          lines: order.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice })),
        },
      };
      const initial: ReturnResource = {
        id,
        orderId: order.id,
        channel: order.channel,
        status: 'open',
        rma,
        method: body.method,
        locationId: location.id,
        lines: body.lines.map((l) => ({ lineId: l.lineId, sku: order.lines.find((x) => x.lineId === l.lineId)?.sku ?? '', quantity: l.quantity, reason: l.reason, received: 0, receipts: [] })),
        expiresAt: receiptDeadline(createdAt, policy.receiptDays, location.timezone),
        createdAt,
        updatedAt: createdAt,
        events: [],
      };
      const verdict = await deps.returns.register(initial, (asked) => checkReturnRequest(order, body, returnableUnits(fulfillments, asked, policy.windowDays, Date.now(), (id) => locations.find((l) => l.id === id)?.timezone)));
      if (!verdict.ok) {
        if (verdict.status === 422) throw validationProblem(verdict.errors ?? [], verdict.detail);
        throw new ProblemError(409, verdict.detail);
      }
      const handle = await deps.temporal.workflow.start(returnWorkflowType, {
        workflowId: returnWorkflowId(id),
        taskQueue: deps.taskQueue,
        args: [input],
        staticSummary: `Return ${rma} of ${order.channel} order ${order.channelOrderId}`,
      });
      // A mail return's label is bought by the workflow's first activity: give it a moment.
      let resource = initial;
      const deadline = Date.now() + 5_000;
      do {
        resource = await handle.query(getReturnQuery).catch(() => resource);
        if (body.method !== 'mail' || resource.label || !order.shipTo) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      } while (Date.now() < deadline);
      return { status: 201, body: resource, headers: { Location: `/v1/returns/${id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/returns',
    operationId: 'listReturns',
    summary: 'Returns, newest first (a channel sees its own; an associate those expected at its locations)',
    description: 'Page with `before` (the last id seen).',
    tag: 'Returns',
    roles: ['channel', 'associate', 'ops'],
    query: z.object({
      orderId: text(100).optional(),
      status: ReturnStatus.optional(),
      before: text(100).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    responses: { 200: { description: 'Returns', schema: z.object({ items: z.array(ReturnResource) }) }, ...problemResponses(401, 403, 422) },
    async handler({ query, principal, deps }) {
      const items = await deps.returns.list({
        ...query,
        ...(principal.role === 'channel' ? { channel: principal.channel! } : {}),
        ...(principal.role === 'associate' ? { locationIds: principal.locationIds ?? [] } : {}),
      });
      return { status: 200, body: { items } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/returns/{id}',
    operationId: 'getReturn',
    summary: 'A return as its workflow holds it now',
    tag: 'Returns',
    roles: ['channel', 'associate', 'ops'],
    params: Id,
    responses: { 200: { description: 'The return', schema: ReturnResource }, ...problemResponses(401, 403, 404) },
    async handler({ params, principal, deps }) {
      return { status: 200, body: await visibleReturn(deps, principal, params.id) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/returns/{id}/label',
    operationId: 'getReturnLabel',
    summary: 'The prepaid return label of a mail return (4×6 PDF)',
    tag: 'Returns',
    roles: ['channel', 'associate', 'ops'],
    params: Id,
    responses: { 200: { description: 'The label', contentType: 'application/pdf' }, ...problemResponses(401, 403, 404) },
    async handler({ params, principal, deps }) {
      await visibleReturn(deps, principal, params.id);
      const pdf = await deps.labels.pdf(params.id);
      if (!pdf) throw notFound('Label of return', params.id);
      return { status: 200, body: pdf, contentType: 'application/pdf' };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/returns/{id}/receive',
    operationId: 'receiveReturn',
    summary: 'Receive returned units at any location that takes returns: sellable back on hand, damaged or defective quarantined; the refund follows',
    description: "Runs the return workflow's `receive` Update with this body.",
    tag: 'Returns',
    roles: ['associate', 'ops'],
    params: Id,
    body: ReceiveReturnRequest,
    responses: { 200: { description: 'The return after the receipt', schema: ReturnResource }, ...problemResponses(401, 403, 404, 409, 422) },
    async handler({ params, body, principal, deps }) {
      const r = await currentReturn(deps, params.id);
      if (!r || principal.role === 'carrier') throw notFound('Return', params.id);
      if (principal.role === 'associate' && !(principal.locationIds ?? []).includes(body.locationId)) {
        throw new ProblemError(403, `This key does not work at ${body.locationId}.`);
      }
      return { status: 200, body: await runAction(deps.temporal, returnWorkflowId(params.id), receiveReturnUpdate as UpdateDefinition<ReturnResource, never>, body, principal) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/returns/{id}/cancel',
    operationId: 'cancelReturn',
    summary: 'Cancel an open return',
    tag: 'Returns',
    roles: ['channel', 'exceptions'],
    params: Id,
    body: z.object({}).strict(),
    responses: { 200: { description: 'The cancelled return', schema: ReturnResource }, ...problemResponses(401, 403, 404, 409) },
    async handler({ params, principal, deps }) {
      await visibleReturn(deps, principal, params.id);
      return { status: 200, body: await runAction(deps.temporal, returnWorkflowId(params.id), cancelReturnUpdate as UpdateDefinition<ReturnResource, never>, {}, principal) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/return-policies/{channel}',
    operationId: 'putReturnPolicy',
    summary: "A channel's return policy: window, receipt deadline, exchanges before receipt",
    tag: 'Returns',
    roles: ['ops'],
    params: z.object({ channel: text(64) }),
    body: ReturnPolicy,
    responses: { 200: { description: 'The policy', schema: ReturnPolicy }, ...problemResponses(401, 403, 422) },
    async handler({ params, body, deps }) {
      return { status: 200, body: await deps.returns.setPolicy(params.channel, body) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/return-policies/{channel}',
    operationId: 'getReturnPolicy',
    summary: "A channel's return policy (the default when none is set: 30 days, 30 days to send it, exchanges on receipt)",
    tag: 'Returns',
    roles: ['ops', 'channel'],
    params: z.object({ channel: text(64) }),
    responses: { 200: { description: 'The policy', schema: ReturnPolicy }, ...problemResponses(401, 403, 404) },
    async handler({ params, principal, deps }) {
      // A channel reads its own policy only; another channel's is not there for it.
      if (principal.role === 'channel' && principal.channel !== params.channel) throw new ProblemError(404, `No return policy for channel ${params.channel}.`);
      return { status: 200, body: await deps.returns.policy(params.channel) };
    },
  }),
];
