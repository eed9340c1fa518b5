// Transfers between locations (ops): each is a transfer workflow; the API starts it,
// then drives it with Updates (ship, receive, cancel) and reads it with a query.
import { z } from 'zod';
import { text } from '../../domain/text.ts';
import type { UpdateDefinition } from '@temporalio/client';
import type { Principal } from '../../domain/access/roles.ts';
import { CreateTransferRequest, PickTransferRequest, ReceiveTransferRequest, ShipTransferRequest, Transfer, TransferStatus } from '../../domain/transfers/schemas.ts';
import type { ApiDeps } from '../deps.ts';
import { newId } from '../../services/ids.ts';
import { ProblemError, validationProblem, type FieldError } from '../problem.ts';
import { currentResource } from '../../services/current-resource.ts';
import { defineRoute, notFound } from '../route.ts';
import { runAction } from '../workflow-updates.ts';
import { requireLocation, worksAt } from '../access.ts';
import {
  cancelTransferUpdate,
  getTransferQuery,
  pickTransferUpdate,
  receiveTransferUpdate,
  shipTransferUpdate,
  transferWorkflowId,
  transferWorkflowType,
  waitForReservationUpdate,
} from '../../workflows/transfer/definitions.ts';
import { problemResponses } from './common.ts';

const TransferParams = z.object({ id: z.string().regex(/^trf_[a-z0-9]{1,60}$/, 'must be a transfer id such as trf_…') });
const LocationParams = z.object({ id: text(100) });

async function currentTransfer(deps: ApiDeps, id: string): Promise<Transfer> {
  const transfer = await currentResource(deps.temporal, transferWorkflowId(id), getTransferQuery, () => deps.transfers.get(id));
  if (!transfer) throw notFound('Transfer', id);
  return transfer;
}

/** A transfer the caller may see: an associate only at either end of it. */
async function visibleTransfer(deps: ApiDeps, principal: Principal, id: string): Promise<Transfer> {
  const transfer = await currentTransfer(deps, id);
  if (!worksAt(principal, transfer.fromLocationId) && !worksAt(principal, transfer.toLocationId)) throw notFound('Transfer', id);
  return transfer;
}

const actions = {
  pick: {
    update: pickTransferUpdate,
    body: PickTransferRequest,
    at: 'from',
    summary: 'Record barcode scans (SKU or GTIN) and shortages at the source; shortages write the units off there',
  },
  ship: {
    update: shipTransferUpdate,
    body: ShipTransferRequest.optional(),
    at: 'from',
    summary: 'Ship a reserved transfer (with the carrier and tracking number, or as a store run): the units leave the source and are in transit',
  },
  receive: {
    update: receiveTransferUpdate,
    body: ReceiveTransferRequest.optional(),
    at: 'to',
    summary: 'Receive an in-transit transfer, with the units counted per SKU (a short receipt records the rest as lost); on hand at the destination',
  },
  cancel: { update: cancelTransferUpdate, body: z.object({ reason: text(500) }).strict(), at: 'ops', summary: 'Cancel a transfer before it ships; its reservation is released' },
} as const;

function transferAction(name: keyof typeof actions) {
  const action = actions[name];
  return defineRoute({
    method: 'post',
    path: `/v1/transfers/{id}/${name}`,
    operationId: `${name}Transfer`,
    summary: action.summary,
    description: `Runs the transfer workflow's \`${name}\` Update with this body (workflow id \`transfer-<id>\`). 409 when the transfer's state does not allow it${name === 'cancel' ? ' (a pickup by transfer is cancelled through its order)' : ''}.${action.at === 'ops' ? '' : ` Associates at the ${action.at === 'from' ? 'source' : 'destination'} may call it.`}`,
    tag: 'Inventory',
    roles: action.at === 'ops' ? ['ops'] : ['associate', 'ops'],
    params: TransferParams,
    body: action.body,
    responses: { 200: { description: 'The transfer after the action', schema: Transfer }, ...problemResponses(401, 403, 404, 409, 422) },
    async handler({ params, body, principal, deps }) {
      const transfer = await visibleTransfer(deps, principal, params.id);
      if (action.at !== 'ops' && !worksAt(principal, action.at === 'from' ? transfer.fromLocationId : transfer.toLocationId)) {
        throw new ProblemError(403, `Only associates at ${action.at === 'from' ? transfer.fromLocationId : transfer.toLocationId} may ${name} this transfer.`);
      }
      const update = action.update as UpdateDefinition<Transfer, never>;
      return { status: 200, body: await runAction(deps.temporal, transferWorkflowId(params.id), update, body ?? {}, principal) };
    },
  });
}

export const transferRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/transfers',
    operationId: 'createTransfer',
    summary: 'Move stock between locations',
    description:
      'Reserves the units at the source, then waits for `ship` (stock leaves the source and shows as incoming at the destination) and `receive` (on hand at the destination). 409 when the source lacks the stock.',
    tag: 'Inventory',
    roles: ['ops'],
    body: CreateTransferRequest,
    responses: {
      201: { description: 'Created and reserved', schema: Transfer },
      ...problemResponses(401, 403, 409, 422),
    },
    async handler({ body, deps }) {
      const [locations, skus] = await Promise.all([
        deps.network.existingLocationIds([body.fromLocationId, body.toLocationId]),
        deps.network.existingSkus(body.lines.map((l) => l.sku)),
      ]);
      const errors: FieldError[] = [];
      for (const field of ['fromLocationId', 'toLocationId'] as const) {
        if (!locations.has(body[field])) errors.push({ path: field, message: `unknown location ${body[field]}` });
      }
      body.lines.forEach((l, i) => {
        if (!skus.has(l.sku)) errors.push({ path: `lines[${i}].sku`, message: `unknown SKU ${l.sku}` });
      });
      if (errors.length > 0) throw validationProblem(errors);

      const transferId = newId('trf');
      const handle = await deps.temporal.workflow.start(transferWorkflowType, {
        workflowId: transferWorkflowId(transferId),
        taskQueue: deps.taskQueue,
        args: [{ transferId, createdAt: new Date().toISOString(), request: body }],
        staticSummary: `transfer ${body.fromLocationId} → ${body.toLocationId}`,
      });
      const transfer = await handle.executeUpdate(waitForReservationUpdate);
      if (transfer.status === 'rejected') {
        throw new ProblemError(409, String(transfer.events.at(-1)?.detail.reason ?? 'The source lacks the stock.'), { transferId });
      }
      return { status: 201, body: transfer, headers: { Location: `/v1/transfers/${transferId}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/transfers/{id}',
    operationId: 'getTransfer',
    summary: 'Get a transfer',
    tag: 'Inventory',
    roles: ['associate', 'ops'],
    params: TransferParams,
    responses: { 200: { description: 'The transfer', schema: Transfer }, ...problemResponses(401, 403, 404) },
    async handler({ params, principal, deps }) {
      return { status: 200, body: await visibleTransfer(deps, principal, params.id) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/locations/{id}/transfers',
    operationId: 'listLocationTransfers',
    summary: "A location's transfers: outbound (to pick and ship) or inbound (to receive)",
    description: 'Newest first. Without `status`, the open ones (reserved to pick and ship, in transit to receive). Pickups by transfer appear here with their orderId.',
    tag: 'Inventory',
    roles: ['associate', 'ops'],
    params: LocationParams,
    query: z.object({
      direction: z.enum(['outbound', 'inbound']).default('outbound'),
      status: TransferStatus.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(200),
    }),
    responses: { 200: { description: 'The transfers', schema: z.object({ items: z.array(Transfer) }) }, ...problemResponses(401, 403, 404, 422) },
    async handler({ params, query, principal, deps }) {
      await requireLocation(deps, principal, params.id);
      const statuses = query.status ? [query.status] : query.direction === 'outbound' ? ['reserved'] : ['in_transit'];
      return { status: 200, body: { items: await deps.transfers.ofLocation(params.id, { direction: query.direction, statuses, limit: query.limit }) } };
    },
  }),
  ...(Object.keys(actions) as (keyof typeof actions)[]).map(transferAction),
];
