// Fulfillments: each location's work queue and the associates' actions (pick, pack, handoff,
// reject, ready, collect, arrived), each the fulfillment workflow's Update of the same name;
// the label PDF; carriers' tracking events.
import type { UpdateDefinition } from '@temporalio/client';
import { z } from 'zod';
import { text } from '../../domain/text.ts';
import type { Principal, Role } from '../../domain/access/roles.ts';
import {
  ArrivedRequest,
  CollectRequest,
  FulfillmentResource,
  PackRequest,
  PickRequest,
  RejectRequest,
  TrackingEventRequest,
} from '../../domain/fulfillments/schemas.ts';
import { FulfillmentStatus } from '../../domain/orders/schemas.ts';
import {
  arrivedUpdate,
  collectUpdate,
  fulfillmentWorkflowId,
  handoffUpdate,
  packUpdate,
  pickUpdate,
  readyUpdate,
  rejectUpdate,
} from '../../workflows/fulfillment/definitions.ts';
import type { ApiDeps } from '../deps.ts';
import { defineRoute, notFound } from '../route.ts';
import { ProblemError } from '../problem.ts';
import { runAction } from '../workflow-updates.ts';
import { requireLocation, worksAt } from '../access.ts';
import { currentFulfillment, withLabels } from '../current-fulfillment.ts';
import { deliverTrackingEvent } from '../tracking-events.ts';
import { collectWithinAllowance } from '../pickup-code-guard.ts';
import { problemResponses } from './common.ts';
import { LabelQuery, labelResponse, labelResult } from '../label-formats.ts';

const OPEN_STATUSES: FulfillmentStatus[] = ['awaiting_transfer', 'pending', 'picking', 'packed', 'ready_for_pickup'];
const Id = z.object({ id: text(100) });


/** A fulfillment the caller may act on: an associate only at its locations, a channel only for its orders. */
async function visibleFulfillment(deps: ApiDeps, principal: Principal, id: string): Promise<FulfillmentResource> {
  const f = await currentFulfillment(deps, id);
  if (!f || !worksAt(principal, f.locationId)) throw notFound('Fulfillment', id);
  if (principal.role === 'channel') {
    const order = await deps.orders.get(f.orderId);
    if (!order || order.channel !== principal.channel) throw notFound('Fulfillment', id);
  }
  return f;
}

const actions = {
  pick: { update: pickUpdate, body: PickRequest, summary: 'Record barcode scans (SKU or GTIN) and shortages; a barcode matching no line is 422 and nothing is recorded; shortages write stock off and re-route the short units' },
  pack: { update: packUpdate, body: PackRequest, summary: 'Pack: rate-shop the carrier services for the cheapest that keeps the promise and buy the label' },
  handoff: { update: handoffUpdate, body: z.object({}).strict(), summary: 'Hand the parcels to the carrier: shipped, stock committed, payment captured for this shipment' },
  reject: { update: rejectUpdate, body: RejectRequest, summary: 'The location cannot fulfil this: its stock is released and the order re-routes elsewhere' },
  ready: { update: readyUpdate, body: z.object({}).strict(), summary: 'Pickup orders: ready at the counter; the customer gets a pickup code and the pickup window starts' },
  collect: { update: collectUpdate, body: CollectRequest, summary: 'The customer collected the order (with the right pickup code; a wrong one is 422 with triesLeft; after 5 wrong codes in 15 minutes, 429 with Retry-After)' },
  arrived: { update: arrivedUpdate, body: ArrivedRequest, summary: 'Curbside: the customer is outside; the fulfillment goes to the top of the queue' },
} as const;

function fulfillmentAction(name: keyof typeof actions) {
  const action = actions[name];
  const roles: Role[] = name === 'arrived' ? ['associate', 'ops', 'channel'] : ['associate', 'ops'];
  return defineRoute({
    method: 'post',
    path: `/v1/fulfillments/{id}/${name}`,
    operationId: `${name}Fulfillment`,
    summary: action.summary,
    description: `Runs the fulfillment workflow's \`${name}\` Update with this body (workflow id \`fulfillment-<id>\`). 409 when the fulfillment's state does not allow it.`,
    tag: 'Fulfillments',
    roles,
    params: Id,
    body: action.body,
    responses: { 200: { description: 'The fulfillment after the action', schema: FulfillmentResource }, ...problemResponses(401, 403, 404, 409, 422, ...(name === 'collect' ? [429] : [])) },
    async handler({ params, body, principal, deps }) {
      const f = await visibleFulfillment(deps, principal, params.id);
      const update = action.update as UpdateDefinition<FulfillmentResource, never>;
      const run = () => runAction(deps.temporal, fulfillmentWorkflowId(params.id), update, body, principal);
      return { status: 200, body: await withLabels(deps, name === 'collect' ? await collectWithinAllowance(deps, f, run) : await run()) };
    },
  });
}

export const fulfillmentRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/locations/{id}/fulfillments',
    operationId: 'listLocationFulfillments',
    summary: "A location's work queue",
    description: 'Curbside customers already outside come first, then the oldest work. Without `status`, every open fulfillment (awaiting a transfer, pending, picking, packed, ready for pickup).',
    tag: 'Fulfillments',
    roles: ['associate', 'ops'],
    params: Id,
    query: z.object({ status: FulfillmentStatus.optional(), limit: z.coerce.number().int().min(1).max(500).default(200) }),
    responses: { 200: { description: 'The queue', schema: z.object({ items: z.array(FulfillmentResource) }) }, ...problemResponses(401, 403, 404, 422) },
    async handler({ params, query, principal, deps }) {
      await requireLocation(deps, principal, params.id);
      const items = await deps.fulfillments.queue(params.id, query.status ? [query.status] : OPEN_STATUSES, query.limit);
      return { status: 200, body: { items } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/fulfillments/{id}',
    operationId: 'getFulfillment',
    summary: 'A fulfillment as its workflow holds it now',
    tag: 'Fulfillments',
    roles: ['associate', 'ops'],
    params: Id,
    responses: { 200: { description: 'The fulfillment', schema: FulfillmentResource }, ...problemResponses(401, 403, 404) },
    async handler({ params, principal, deps }) {
      return { status: 200, body: await withLabels(deps, await visibleFulfillment(deps, principal, params.id)) };
    },
  }),
  ...(Object.keys(actions) as (keyof typeof actions)[]).map(fulfillmentAction),
  defineRoute({
    method: 'get',
    path: '/v1/fulfillments/{id}/label',
    operationId: 'getFulfillmentLabel',
    summary: 'The shipping label, one per package: 4×6 inch PDF, or ZPL II for thermal printers (?format=zpl); the tracking number as a Code 128 barcode',
    tag: 'Fulfillments',
    roles: ['associate', 'ops'],
    params: Id,
    query: LabelQuery,
    responses: { 200: labelResponse, ...problemResponses(401, 403, 404) },
    async handler({ params, query, principal, deps }) {
      await visibleFulfillment(deps, principal, params.id);
      return labelResult(deps, params.id, query.format, 'Label of fulfillment');
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/carriers/{carrier}/events',
    operationId: 'postCarrierEvent',
    summary: 'A tracking event from a carrier; repeats are harmless',
    description:
      'A carrier key speaks for its own carrier only: another carrier\'s path or tracking number is 404, as is an unknown one. The fulfillment becomes in_transit, then delivered; exceptions are surfaced to ops as events. ' +
      'A repeat (same status and location within 5 minutes of carrier time) is accepted and changes nothing; a parcel takes at most 30 events in 10 minutes and 200 in all (429 beyond).',
    tag: 'Carriers',
    roles: ['carrier'],
    params: z.object({ carrier: text(64) }),
    body: TrackingEventRequest,
    responses: {
      202: {
        description: 'Accepted (duplicate: true when it repeats an event already taken: same status and location within 5 minutes of carrier time)',
        schema: z.object({ fulfillmentId: z.string(), trackingNumber: z.string(), status: z.string(), duplicate: z.boolean().optional() }),
      },
      ...problemResponses(401, 403, 404, 422, 429),
    },
    async handler({ params, body, principal, deps }) {
      if (principal.role === 'carrier' && !principal.carrier) {
        throw new ProblemError(403, `This carrier key names no carrier (it was made before keys did): an admin binds it with PUT /v1/api-keys/${principal.keyId}/carrier.`);
      }
      // Another carrier's parcels are not there for this key, whatever the path says.
      if (principal.role === 'carrier' && params.carrier.toLowerCase() !== principal.carrier!.toLowerCase()) throw notFound('Tracking number', body.trackingNumber);
      const f = await deps.fulfillments.byTrackingNumber(body.trackingNumber);
      if (!f || f.carrier?.toLowerCase() !== params.carrier.toLowerCase()) throw notFound('Tracking number', body.trackingNumber);
      const accepted = { fulfillmentId: f.id, trackingNumber: body.trackingNumber, status: body.status };
      const { duplicate } = await deliverTrackingEvent(deps, { fulfillmentId: f.id, carrier: f.carrier, source: principal.keyId }, body);
      if (duplicate) return { status: 202, body: { ...accepted, duplicate: true } };
      return { status: 202, body: accepted };
    },
  }),
];
