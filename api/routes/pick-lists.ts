// Batch picking: a pick list groups open fulfillments of one location into one walk (lines
// merged by SKU); a scan is shared out to the fulfillments in queue order, each share that
// fulfillment's own pick Update, so each fulfillment is then packed on its own.
import type { UpdateDefinition } from '@temporalio/client';
import { z } from 'zod';
import type { Principal } from '../../domain/access/roles.ts';
import { CreatePickListRequest, PickListScanRequest, scansOf, shareScans, walkLines } from '../../domain/fulfillments/pick-lists.ts';
import type { FulfillmentResource } from '../../domain/fulfillments/schemas.ts';
import { text } from '../../domain/text.ts';
import { newId } from '../../services/ids.ts';
import { fulfillmentWorkflowId, pickUpdate } from '../../workflows/fulfillment/definitions.ts';
import { requireLocation, worksAt } from '../access.ts';
import type { ApiDeps } from '../deps.ts';
import { ProblemError, validationProblem } from '../problem.ts';
import { defineRoute, notFound } from '../route.ts';
import { runAction } from '../workflow-updates.ts';
import { problemResponses } from './common.ts';
import { currentFulfillment } from '../current-fulfillment.ts';

const PickList = z.object({
  id: z.string(),
  locationId: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  complete: z.boolean().describe('Every line of every fulfillment picked (or short)'),
  fulfillments: z.array(z.object({ id: z.string(), status: z.string(), complete: z.boolean() })),
  lines: z.array(
    z.object({
      sku: z.string(),
      gtin: z.string().optional(),
      quantity: z.int(),
      picked: z.int(),
      short: z.int(),
      fulfillments: z.array(z.object({ fulfillmentId: z.string(), remaining: z.int() })),
    }),
  ),
});
type PickList = z.infer<typeof PickList>;

const PICKABLE = new Set(['pending', 'picking']);
const picked = (f: FulfillmentResource) => f.lines.every((l) => l.picked + l.short >= l.quantity);
/** Units still to pick, and nothing stops picking them. */
const pickable = (f: FulfillmentResource) => PICKABLE.has(f.status) && !f.onHold && !picked(f);

async function members(deps: ApiDeps, ids: readonly string[]): Promise<FulfillmentResource[]> {
  const found = await Promise.all(ids.map((id) => currentFulfillment(deps, id)));
  return found.filter((f): f is FulfillmentResource => f !== undefined);
}

function view(list: { id: string; locationId: string; createdAt: string; createdBy: string }, current: readonly FulfillmentResource[]): PickList {
  // Only the resource's own fields: the stored record also holds its members' ids.
  return {
    id: list.id,
    locationId: list.locationId,
    createdAt: list.createdAt,
    createdBy: list.createdBy,
    complete: current.every(picked),
    fulfillments: current.map((f) => ({ id: f.id, status: f.status, complete: picked(f) })),
    lines: walkLines(current),
  };
}

async function visibleList(deps: ApiDeps, principal: Principal, id: string) {
  const list = await deps.pickLists.get(id);
  if (!list || !worksAt(principal, list.locationId)) throw notFound('Pick list', id);
  return list;
}

export const pickListRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/locations/{id}/pick-lists',
    operationId: 'createPickList',
    summary: 'Group open fulfillments of a location into one pick walk (lines merged by SKU)',
    description: 'Without fulfillmentIds: the first maxFulfillments of the queue that still have units to pick and are not on hold. 409 when there is nothing to pick.',
    tag: 'Fulfillments',
    roles: ['associate', 'ops'],
    params: z.object({ id: text(100) }),
    body: CreatePickListRequest,
    responses: { 201: { description: 'The pick list', schema: PickList }, ...problemResponses(401, 403, 404, 409, 422) },
    async handler({ params, body, principal, deps }) {
      await requireLocation(deps, principal, params.id);
      let chosen: FulfillmentResource[];
      if (body.fulfillmentIds) {
        const ids = [...new Set(body.fulfillmentIds)];
        const found = await Promise.all(ids.map((id) => currentFulfillment(deps, id)));
        const errors = ids.flatMap((id, i) => {
          const f = found[i];
          if (!f || f.locationId !== params.id) return [{ path: `fulfillmentIds[${i}]`, message: `fulfillment ${id} is not at ${params.id}` }];
          if (!pickable(f)) return [{ path: `fulfillmentIds[${i}]`, message: `fulfillment ${id} has nothing to pick (${f.onHold ? 'on hold' : f.status})` }];
          return [];
        });
        if (errors.length > 0) throw validationProblem(errors);
        chosen = found as FulfillmentResource[];
      } else {
        // Chosen from the read model; only those are read from their workflows (the current state decides).
        const queue = await deps.fulfillments.queue(params.id, ['pending', 'picking'], 200);
        const candidates = queue.filter(pickable).slice(0, body.maxFulfillments);
        chosen = (await members(deps, candidates.map((f) => f.id))).filter(pickable);
      }
      if (chosen.length === 0) throw new ProblemError(409, `Nothing to pick at ${params.id} right now.`);
      const list = await deps.pickLists.create({ id: newId('pkl'), locationId: params.id, createdBy: `${principal.role}:${principal.name}`, fulfillmentIds: chosen.map((f) => f.id) });
      return { status: 201, body: view(list, chosen), headers: { Location: `/v1/pick-lists/${list.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/pick-lists/{id}',
    operationId: 'getPickList',
    summary: 'A pick list with its merged lines and each fulfillment’s progress',
    tag: 'Fulfillments',
    roles: ['associate', 'ops'],
    params: z.object({ id: text(100) }),
    responses: { 200: { description: 'The pick list', schema: PickList }, ...problemResponses(401, 403, 404) },
    async handler({ params, principal, deps }) {
      const list = await visibleList(deps, principal, params.id);
      return { status: 200, body: view(list, await members(deps, list.fulfillmentIds)) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/pick-lists/{id}/scans',
    operationId: 'scanPickList',
    summary: 'Scans on the walk, `{ scans: [{ barcode, quantity }] }` (or one as `{ barcode, quantity }`): their units go to the list’s fulfillments in queue order (each their own pick)',
    description: 'A barcode (SKU or GTIN) matching no line, or more units than the list still needs, is 422 naming the scan, and nothing is recorded. Send an Idempotency-Key so a retried request counts once.',
    tag: 'Fulfillments',
    roles: ['associate', 'ops'],
    params: z.object({ id: text(100) }),
    body: PickListScanRequest,
    responses: { 200: { description: 'The pick list after the scan', schema: PickList }, ...problemResponses(401, 403, 404, 409, 422) },
    async handler({ params, body, principal, deps }) {
      const list = await visibleList(deps, principal, params.id);
      const current = (await members(deps, list.fulfillmentIds)).filter((f) => PICKABLE.has(f.status) && !f.onHold);
      const scans = scansOf(body);
      const shared = shareScans(current, scans.map((s) => s.scan));
      if (!shared.ok) throw validationProblem([{ path: scans[shared.index]!.path, message: shared.message }]);
      const update = pickUpdate as unknown as UpdateDefinition<FulfillmentResource, never>;
      for (const { scan, sku, shares } of shared.shared) {
        for (const { fulfillmentId, quantity } of shares) {
          await runAction(deps.temporal, fulfillmentWorkflowId(fulfillmentId), update, { scans: [{ barcode: sku, quantity }] }, principal);
        }
        await deps.pickLists.recordScan({ pickListId: list.id, barcode: scan.barcode, quantity: scan.quantity, shares, by: `${principal.role}:${principal.name}` });
      }
      return { status: 200, body: view(list, await members(deps, list.fulfillmentIds)) };
    },
  }),
];
