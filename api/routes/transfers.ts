// Transfers between locations (ops): each is a transfer workflow; the API starts it,
// then drives it with Updates (ship, receive, cancel) and reads it with a query.
import { z } from 'zod';
import { text } from '../../domain/text.ts';
import { CreateTransferRequest, Transfer } from '../../domain/transfers/schemas.ts';
import type { ApiDeps } from '../deps.ts';
import { newId } from '../ids.ts';
import { ProblemError, validationProblem, type FieldError } from '../problem.ts';
import { currentResource } from '../current-resource.ts';
import { defineRoute, notFound } from '../route.ts';
import { withUpdateProblems } from '../workflow-updates.ts';
import {
  cancelTransferUpdate,
  getTransferQuery,
  receiveTransferUpdate,
  shipTransferUpdate,
  transferWorkflowId,
  transferWorkflowType,
  waitForReservationUpdate,
} from '../../workflows/transfer/definitions.ts';
import { problemResponses } from './common.ts';

const TransferParams = z.object({ id: z.string().regex(/^trf_[a-z0-9]{1,60}$/, 'must be a transfer id such as trf_…') });

async function currentTransfer(deps: ApiDeps, id: string): Promise<Transfer> {
  const transfer = await currentResource(deps.temporal, transferWorkflowId(id), getTransferQuery, () => deps.transfers.get(id));
  if (!transfer) throw notFound('Transfer', id);
  return transfer;
}

function transferAction(name: 'ship' | 'receive' | 'cancel', summary: string) {
  const update = { ship: shipTransferUpdate, receive: receiveTransferUpdate, cancel: cancelTransferUpdate }[name];
  return defineRoute({
    method: 'post',
    path: `/v1/transfers/{id}/${name}`,
    operationId: `${name}Transfer`,
    summary,
    tag: 'Inventory',
    roles: ['ops'],
    params: TransferParams,
    body: name === 'cancel' ? z.object({ reason: text(500) }).strict() : z.object({}).strict().optional(),
    responses: { 200: { description: 'The transfer after the action', schema: Transfer }, ...problemResponses(401, 403, 404, 409, 422) },
    async handler({ params, body, deps }) {
      if (!(await deps.transfers.get(params.id))) throw notFound('Transfer', params.id);
      const handle = deps.temporal.workflow.getHandle(transferWorkflowId(params.id));
      const reason = (body as { reason?: string } | undefined)?.reason ?? '';
      const transfer = await withUpdateProblems(() =>
        name === 'cancel' ? handle.executeUpdate(cancelTransferUpdate, { args: [{ reason }] }) : handle.executeUpdate(update as typeof shipTransferUpdate),
      );
      return { status: 200, body: transfer };
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
    roles: ['ops'],
    params: TransferParams,
    responses: { 200: { description: 'The transfer', schema: Transfer }, ...problemResponses(401, 403, 404) },
    async handler({ params, deps }) {
      return { status: 200, body: await currentTransfer(deps, params.id) };
    },
  }),
  transferAction('ship', 'Ship a reserved transfer: the units leave the source and are in transit'),
  transferAction('receive', 'Receive an in-transit transfer: the units are on hand at the destination'),
  transferAction('cancel', 'Cancel a transfer before it ships; its reservation is released'),
];
