// Route and reserve: the sourcing engine plans where the unplaced units go and reserves them
// (the routeOrder activity); each planned shipment becomes a fulfillment workflow; what
// cannot be placed waits as backordered.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import type { RouteOrderResult } from '../../activities/orders/route-order.ts';
import { orderValue, unplacedLines } from '../../domain/orders/order-state.ts';
import type { RoutingKind } from '../../domain/orders/progress.ts';
import { orAttention } from '../needs-attention.ts';
import { startFulfillment } from './children.ts';
import type { OrderRun } from './run.ts';

const routing = {
  task: proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '30 seconds' } }),
  /** Intake routes within the order's first workflow task (workflows/order/intake.ts). */
  local: proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '30 seconds' } }),
};

export interface RoutingOptions {
  exclude?: string[];
  only?: string[];
  detail?: Record<string, unknown>;
  /** Run the routing activity in the worker, within the workflow task (intake only). */
  local?: boolean;
}

/** Routes every unplaced unit and starts a fulfillment workflow per planned shipment. */
export async function routeAndReserve(run: OrderRun, kind: RoutingKind, options: RoutingOptions = {}): Promise<void> {
  const { order, progress } = run;
  const lines = unplacedLines(order);
  if (lines.length === 0) return;
  progress.routingAttempt += 1;
  progress.lastRoutingAt = Date.now();
  const { routeOrder } = options.local ? routing.local : routing.task;
  const result: RouteOrderResult | undefined = await orAttention(
    () =>
      routeOrder({
        orderId: order.id,
        channel: order.channel,
        attempt: progress.routingAttempt,
        method: order.fulfillmentMethod,
        serviceLevel: order.serviceLevel,
        ...(order.shipTo?.geo ? { destination: order.shipTo.geo } : {}),
        ...(order.pickupLocationId ? { pickupLocationId: order.pickupLocationId } : {}),
        lines,
        ...(order.customer.segment !== undefined ? { segment: order.customer.segment } : {}),
        orderValue: orderValue(order),
        excludeLocationIds: [...new Set([...progress.excluded, ...(options.exclude ?? [])])],
        ...(options.only ? { onlyLocationIds: options.only } : {}),
        // The promise counts for the first decision only: later rounds route on what is there then.
        ...(order.promiseId && kind === 'initial' ? { promiseId: order.promiseId } : {}),
        ...(run.fast ? { withSetup: true } : {}),
      }),
    (failure) => run.needsAttention(failure),
    undefined,
  );
  progress.routed = true;
  // Not routable for a reason retrying will not mend: the units wait like backordered ones.
  if (!result) return;
  const started: { fulfillmentId: string; locationId: string }[] = [];
  for (const shipment of result.kind === 'routed' ? result.fulfillments : []) started.push(await startFulfillment(run, shipment));
  recordDecision(run, kind, started, result, options.detail);
}

/** The routing events: routed, re-routed or backordered, and delayed when units must wait. */
function recordDecision(run: OrderRun, kind: RoutingKind, started: { fulfillmentId: string; locationId: string }[], result: RouteOrderResult, detail?: Record<string, unknown>): void {
  const backordered = unplacedLines(run.order);
  const common = {
    ...detail,
    ...(started.length === 1 ? { fulfillmentId: started[0]!.fulfillmentId, locationId: started[0]!.locationId } : {}),
    ...(started.length > 1 ? { fulfillmentIds: started.map((s) => s.fulfillmentId), locationIds: started.map((s) => s.locationId) } : {}),
    ...(backordered.length ? { backordered } : {}),
    stockSnapshotAt: result.explanation.stockSnapshotAt,
  };
  if (kind === 'reroute') run.event('order.rerouted', common);
  else if (started.length > 0) run.event('order.routed', common);
  else if (kind === 'initial') run.event('order.backordered', { ...common, candidates: result.explanation.candidates.length });
  if (backordered.length > 0 && kind !== 'backorder') run.event('order.delayed', { reason: 'some units are waiting for stock', backordered });
}
