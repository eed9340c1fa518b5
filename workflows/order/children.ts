// The order's fulfillments as child workflows: started one per planned shipment, told of
// holds, cancellations and address changes once they run.
import { condition, ParentClosePolicy, patched, startChild, uuid4 } from '@temporalio/workflow';
import type { RoutedFulfillment } from '../../activities/orders/route-order.ts';
import type { FulfillmentWorkflowInput } from '../../domain/fulfillments/schemas.ts';
import { ENDED_STATUSES, plannedFulfillment } from '../../domain/fulfillments/state.ts';
import type { Fulfillment } from '../../domain/orders/schemas.ts';
import { fulfillmentWorkflowId } from '../fulfillment/definitions.ts';
import { fulfillmentWorkflow } from '../fulfillment/workflow.ts';
import { nowIso, type FulfillmentChild, type OrderRun } from './run.ts';

/** A fulfillment still being worked (not delivered, collected, expired, rejected or cancelled). */
export const open = (f: Fulfillment) => !ENDED_STATUSES.has(f.status);

function newFulfillmentId(): string {
  return `ful_${uuid4().replace(/-/g, '').slice(0, 24)}`;
}

/** Sends to the fulfillments that pass `which`, each once its workflow has started. */
export function signalChildren(run: OrderRun, send: (child: FulfillmentChild) => Promise<void>, which: (f: Fulfillment) => boolean): Promise<void[]> {
  return Promise.all(run.order.fulfillments.filter(which).map((f) => withChild(run, f.id, send)));
}

/**
 * Sends to a fulfillment's workflow at once when it has started (so the commands keep their
 * order), else once it has.
 */
export function withChild<T>(run: OrderRun, fulfillmentId: string, send: (child: FulfillmentChild) => Promise<T>): Promise<T | undefined> {
  const child = run.children.get(fulfillmentId);
  if (child) return send(child);
  return startedChild(run, fulfillmentId).then((started) => (started ? send(started) : undefined));
}

/**
 * The handle of a fulfillment's workflow. An action can arrive in the same workflow task as
 * the child's start (Updates are handled before the start resolves): it then waits for the
 * start instead of leaving the child untold, which left a cancelled order waiting forever.
 */
async function startedChild(run: OrderRun, fulfillmentId: string): Promise<FulfillmentChild | undefined> {
  if (!run.children.has(fulfillmentId) && run.order.fulfillments.some((f) => f.id === fulfillmentId) && patched('signal-children-once-started')) {
    await condition(() => run.children.has(fulfillmentId));
  }
  return run.children.get(fulfillmentId);
}

/** Adds a planned shipment to the order and starts its fulfillment workflow. */
export async function startFulfillment(run: OrderRun, shipment: RoutedFulfillment): Promise<{ fulfillmentId: string; locationId: string }> {
  const { order } = run;
  const fulfillmentId = newFulfillmentId();
  const planned = {
    ...(shipment.estimatedDelivery ? { estimatedDelivery: shipment.estimatedDelivery } : {}),
    ...(shipment.co2eGrams !== undefined ? { co2eGrams: shipment.co2eGrams } : {}),
    ...(shipment.transferFromLocationId ? { transferFromLocationId: shipment.transferFromLocationId } : {}),
  };
  order.fulfillments.push({
    id: fulfillmentId,
    locationId: shipment.locationId,
    method: order.fulfillmentMethod,
    status: 'pending',
    lines: shipment.lines,
    ...(shipment.carrier ? { carrier: shipment.carrier } : {}),
    ...(shipment.service ? { service: shipment.service } : {}),
    ...planned,
  });
  const childInput: FulfillmentWorkflowInput = {
    fulfillmentId,
    orderId: order.id,
    channel: order.channel,
    locationId: shipment.locationId,
    method: order.fulfillmentMethod,
    serviceLevel: order.serviceLevel,
    createdAt: nowIso(),
    lines: shipment.lines.map((l) => ({
      ...l,
      sku: order.lines.find((ol) => ol.lineId === l.lineId)!.sku,
      reservationKey: shipment.reservations!.find((r) => r.lineId === l.lineId)!.reservationKey,
    })),
    ...(order.shipTo ? { shipTo: order.shipTo } : {}),
    onHold: order.holds.length > 0,
    recipient: order.customer.name,
    ...planned,
    ...(shipment.transferExpectedAt ? { transferExpectedAt: shipment.transferExpectedAt } : {}),
    ...(run.fast ? firstState(shipment) : {}),
  };
  if (childInput.firstStateSaved) run.firstStates.set(fulfillmentId, plannedFulfillment({ ...childInput, setup: childInput.setup!, pickDueAt: childInput.pickDueAt! }));
  run.children.set(
    fulfillmentId,
    await startChild(fulfillmentWorkflow, {
      workflowId: fulfillmentWorkflowId(fulfillmentId),
      args: [childInput],
      // Cancelling the order cancels its fulfillments, which give their stock back.
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    }),
  );
  return { fulfillmentId, locationId: shipment.locationId };
}

/**
 * Fast intake: the child gets its setup from routing and, unless a transfer brings its units
 * first, its pick due time; the order then writes its first state with the routed snapshot.
 */
function firstState(shipment: RoutedFulfillment): Partial<FulfillmentWorkflowInput> {
  const { setup } = shipment;
  if (!setup) return {};
  if (shipment.transferFromLocationId) return { setup };
  return { setup, pickDueAt: new Date(Date.now() + setup.pickSlaMinutes * 60_000).toISOString(), firstStateSaved: true };
}
