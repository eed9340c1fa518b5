// Opening a return: the location it goes to, the channel's policy and window, the RMA, the
// registration (one at a time per order, so two returns cannot ask for more than was
// delivered), then the return workflow — answered once it has issued the label.
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FulfillmentsRepository } from '../../db/repositories/fulfillments.ts';
import type { NetworkRepository } from '../../db/repositories/network.ts';
import type { ReturnsRepository } from '../../db/repositories/returns.ts';
import type { FieldError } from '../../domain/errors.ts';
import type { Location } from '../../domain/network/schemas.ts';
import type { Order } from '../../domain/orders/schemas.ts';
import { initialReturn, nearestReturnsLocation, returnWorkflowInput } from '../../domain/returns/registration.ts';
import { checkReturnRequest, returnableUnits } from '../../domain/returns/rules.ts';
import type { CreateReturnRequest, ReturnResource } from '../../domain/returns/schemas.ts';
import { getReturnQuery, returnWorkflowId, returnWorkflowType, waitForOpenedUpdate } from '../../workflows/return/definitions.ts';
import { newId } from '../ids.ts';

export interface OpenReturnDeps {
  network: NetworkRepository;
  returns: ReturnsRepository;
  fulfillments: FulfillmentsRepository;
  temporal: Client;
  taskQueue: string;
}

export type OpenReturnResult =
  | { ok: true; resource: ReturnResource }
  | { ok: false; status: 409 | 422; detail: string; errors?: FieldError[] };

/** How long the caller waits for a mail return's label (the workflow's first activity). */
const LABEL_WAIT_MS = 5_000;

async function chooseLocation(deps: OpenReturnDeps, order: Order, request: CreateReturnRequest): Promise<{ location: Location; locations: Location[] } | OpenReturnResult> {
  const locations = await deps.network.listLocations();
  if (request.locationId) {
    const location = locations.find((l) => l.id === request.locationId);
    if (!location || !location.active || !location.capabilities.returns) {
      return { ok: false, status: 422, detail: 'The location does not take returns.', errors: [{ path: 'locationId', message: `location ${request.locationId} does not take returns` }] };
    }
    return { location, locations };
  }
  const location = nearestReturnsLocation(locations, order.shipTo, order.pickupLocationId);
  return location ? { location, locations } : { ok: false, status: 409, detail: 'No location takes returns.' };
}

async function unknownReplacementSkus(deps: OpenReturnDeps, request: CreateReturnRequest): Promise<FieldError[]> {
  if (!request.replacementLines) return [];
  const known = await deps.network.existingSkus(request.replacementLines.map((l) => l.sku));
  return request.replacementLines.flatMap((l, i) => (known.has(l.sku) ? [] : [{ path: `replacementLines[${i}].sku`, message: `unknown SKU ${l.sku}` }]));
}

export async function openReturn(deps: OpenReturnDeps, order: Order, request: CreateReturnRequest): Promise<OpenReturnResult> {
  const chosen = await chooseLocation(deps, order, request);
  if ('ok' in chosen) return chosen;
  const { location, locations } = chosen;
  const unknown = await unknownReplacementSkus(deps, request);
  if (unknown.length > 0) return { ok: false, status: 422, detail: 'Unknown replacement SKUs.', errors: unknown };

  const policy = await deps.returns.policy(order.channel);
  const fulfillments = await deps.fulfillments.ofOrder(order.id);
  const rma = `RMA-${randomBytes(5).toString('hex').toUpperCase()}`;
  const input = returnWorkflowInput({ returnId: newId('ret'), rma, createdAt: new Date().toISOString(), request, location, policy, order });
  const initial = initialReturn(input, location.timezone);
  const timezoneOf = (id: string) => locations.find((l) => l.id === id)?.timezone;
  const verdict = await deps.returns.register(initial, (asked) => checkReturnRequest(order, request, returnableUnits(fulfillments, asked, policy.windowDays, Date.now(), timezoneOf)));
  if (!verdict.ok) return verdict;
  const handle = await deps.temporal.workflow.start(returnWorkflowType, {
    workflowId: returnWorkflowId(input.returnId),
    taskQueue: deps.taskQueue,
    args: [input],
    staticSummary: `Return ${rma} of ${order.channel} order ${order.channelOrderId}`,
  });
  // A mail return's label is bought by the workflow's first activity: answer once it is there.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), LABEL_WAIT_MS);
  try {
    const opened = await deps.temporal.withAbortSignal(controller.signal, () => handle.executeUpdate(waitForOpenedUpdate));
    return { ok: true, resource: opened };
  } catch {
    return { ok: true, resource: await handle.query(getReturnQuery).catch(() => initial) };
  } finally {
    clearTimeout(timer);
  }
}
