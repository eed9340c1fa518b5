// Returns from any channel: opened by the channel (for its own orders), a store associate
// (at its own location) or ops; received at any location that takes returns; refunded by
// the return workflow (`return-<id>`). Plus each channel's return policy.
import type { UpdateDefinition } from '@temporalio/client';
import { z } from 'zod';
import { actsFor } from '../access.ts';
import { text } from '../../domain/text.ts';
import type { Principal } from '../../domain/access/roles.ts';
import { CreateReturnRequest, ReceiveReturnRequest, ReturnPolicy, ReturnResource, ReturnStatus } from '../../domain/returns/schemas.ts';
import { cancelReturnUpdate, getReturnQuery, receiveReturnUpdate, returnWorkflowId } from '../../workflows/return/definitions.ts';
import type { ApiDeps } from '../deps.ts';
import { openReturn } from '../../services/returns/open-return.ts';
import { currentOrder } from '../../services/orders/intake.ts';
import { ProblemError, validationProblem } from '../problem.ts';
import { currentResource } from '../../services/current-resource.ts';
import { defineRoute, notFound } from '../route.ts';
import { runAction } from '../workflow-updates.ts';
import { problemResponses } from './common.ts';
import { LabelQuery, labelResponse, labelResult } from '../label-formats.ts';

const Id = z.object({ id: text(100) });

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
      if (!row || !actsFor(principal, row.channel)) throw notFound('Order', body.orderId);
      if (principal.role === 'associate' && (!body.locationId || !(principal.locationIds ?? []).includes(body.locationId))) {
        throw new ProblemError(403, 'An associate opens returns at one of its own locations (locationId).');
      }
      const order = await currentOrder(deps, row);
      if (!order) throw notFound('Order', body.orderId);

      const opened = await openReturn(deps, order, body);
      if (!opened.ok) {
        if (opened.status === 422) throw validationProblem(opened.errors ?? [], opened.detail);
        throw new ProblemError(409, opened.detail);
      }
      return { status: 201, body: opened.resource, headers: { Location: `/v1/returns/${opened.resource.id}` } };
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
    summary: 'The prepaid return label of a mail return (4×6 PDF, or ZPL II with ?format=zpl)',
    tag: 'Returns',
    roles: ['channel', 'associate', 'ops'],
    params: Id,
    query: LabelQuery,
    responses: { 200: labelResponse, ...problemResponses(401, 403, 404) },
    async handler({ params, query, principal, deps }) {
      await visibleReturn(deps, principal, params.id);
      return labelResult(deps, params.id, query.format, 'Label of return');
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
      if (!actsFor(principal, params.channel)) throw new ProblemError(404, `No return policy for channel ${params.channel}.`);
      return { status: 200, body: await deps.returns.policy(params.channel) };
    },
  }),
];
