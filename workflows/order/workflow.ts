// The order workflow: one long-running execution per order. It holds the order's state,
// answers queries with it, routes and reserves through activities, and keeps the search
// attributes and the read model current on every change.
import {
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { addFulfillment, fulfillmentLocations, initialOrder, recordEvent, setStatus, type OrderWorkflowInput } from '../../domain/orders/order-state.ts';
import type { Order } from '../../domain/orders/schemas.ts';
import { INVALID_STATE, refuse, VALIDATION_ERROR } from '../update-refusals.ts';
import { FulfillmentLocationsKey, OnHoldKey, OrderStatusKey } from '../search-attributes.ts';
import {
  getOrderQuery,
  holdUpdate,
  releaseUpdate,
  waitForRoutingUpdate,
  type HoldRequest,
  type ReleaseRequest,
} from './definitions.ts';

const { routeOrder } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const { saveOrderSnapshot, releaseOrderReservations } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const TERMINAL_STATUSES: ReadonlySet<Order['status']> = new Set(['completed', 'cancelled']);

function nowIso(): string {
  // Workflow time: deterministic on replay.
  return new Date().toISOString();
}

function newFulfillmentId(): string {
  return `ful_${uuid4().replace(/-/g, '').slice(0, 24)}`;
}

/** The same checks the HTTP API's schema makes, so `temporal workflow update execute` is validated too. */
function validateHold(order: Order, body: HoldRequest | undefined): void {
  if (typeof body?.reason !== 'string' || body.reason.trim() === '' || body.reason.length > 500) {
    refuse(VALIDATION_ERROR, 'reason: must be a non-empty string of at most 500 characters');
  }
  if (TERMINAL_STATUSES.has(order.status)) refuse(INVALID_STATE, `A ${order.status} order cannot be put on hold.`);
}

export async function orderWorkflow(input: OrderWorkflowInput): Promise<Order> {
  const order = initialOrder(input);
  let revision = 0;
  /** The status to return to when the last hold is released. */
  let statusBeforeHold: Order['status'] = order.status;
  let pendingPublish = false;

  setHandler(getOrderQuery, () => order);
  setHandler(waitForRoutingUpdate, async () => {
    await condition(() => order.status !== 'received');
    return order;
  });
  setHandler(
    holdUpdate,
    async (body) => {
      const at = nowIso();
      if (order.holds.length === 0) statusBeforeHold = order.status;
      order.holds.push({ reason: body.reason, placedAt: at });
      setStatus(order, 'on_hold', at);
      recordEvent(order, at, 'order.held', { reason: body.reason });
      pendingPublish = true;
      await condition(() => !pendingPublish);
      return order;
    },
    { validator: (body) => validateHold(order, body) },
  );
  setHandler(
    releaseUpdate,
    async (body) => {
      const at = nowIso();
      order.holds = [];
      setStatus(order, statusBeforeHold, at);
      // The body may be missing when the Update is sent without input (e.g. from the CLI).
      const reason = (body as ReleaseRequest | undefined)?.reason;
      recordEvent(order, at, 'order.released', reason ? { reason } : {});
      pendingPublish = true;
      await condition(() => !pendingPublish);
      return order;
    },
    {
      validator: (body) => {
        const reason = (body as ReleaseRequest | undefined)?.reason;
        if (reason !== undefined && (typeof reason !== 'string' || reason.length > 500)) {
          refuse(VALIDATION_ERROR, 'reason: must be a string of at most 500 characters');
        }
        if (order.holds.length === 0) refuse(INVALID_STATE, 'The order is not on hold.');
      },
    },
  );

  /** Publishes the current state: search attributes for ops, the read model for lists. */
  async function publish(): Promise<void> {
    revision += 1;
    upsertSearchAttributes([
      { key: OrderStatusKey, value: order.status },
      { key: OnHoldKey, value: order.holds.length > 0 },
      { key: FulfillmentLocationsKey, value: fulfillmentLocations(order) },
    ]);
    await saveOrderSnapshot({ order, revision });
  }

  /** Publishes what the hold and release handlers changed (activities run from the main flow). */
  async function publishPending(): Promise<void> {
    if (!pendingPublish) return;
    await publish();
    pendingPublish = false;
  }

  try {
    await publish();
    // An order put on hold before routing is not routed (nor reserved) until released.
    while (order.holds.length > 0 || pendingPublish) {
      await condition(() => pendingPublish);
      await publishPending();
    }

    const routing = await routeOrder({
      orderId: order.id,
      channel: order.channel,
      attempt: 1,
      method: order.fulfillmentMethod,
      serviceLevel: order.serviceLevel,
      ...(order.shipTo?.geo ? { destination: order.shipTo.geo } : {}),
      ...(order.pickupLocationId ? { pickupLocationId: order.pickupLocationId } : {}),
      lines: order.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity })),
      excludeLocationIds: [],
    });

    const routedAt = nowIso();
    if (routing.kind === 'routed') {
      // Histories recorded before split shipments carry one location and its lines.
      const planned = routing.fulfillments ?? [{ locationId: routing.locationId, lines: routing.lines }];
      const fulfillmentIds: string[] = [];
      for (const shipment of planned) {
        const fulfillmentId = newFulfillmentId();
        fulfillmentIds.push(fulfillmentId);
        addFulfillment(order, {
          id: fulfillmentId,
          locationId: shipment.locationId,
          method: order.fulfillmentMethod,
          status: 'pending',
          lines: shipment.lines,
          ...('carrier' in shipment && shipment.carrier ? { carrier: shipment.carrier } : {}),
          ...('service' in shipment && shipment.service ? { service: shipment.service } : {}),
          ...('estimatedDelivery' in shipment && shipment.estimatedDelivery ? { estimatedDelivery: shipment.estimatedDelivery } : {}),
          ...('transferFromLocationId' in shipment && shipment.transferFromLocationId
            ? { transferFromLocationId: shipment.transferFromLocationId }
            : {}),
        });
      }
      setStatus(order, 'routed', routedAt);
      recordEvent(order, routedAt, 'order.routed', {
        ...(planned.length === 1 ? { fulfillmentId: fulfillmentIds[0], locationId: planned[0]!.locationId } : { fulfillmentIds, locationIds: planned.map((f) => f.locationId) }),
        ...(routing.backordered?.length ? { backordered: routing.backordered } : {}),
        stockSnapshotAt: routing.explanation.stockSnapshotAt,
      });
    } else {
      setStatus(order, 'backordered', routedAt);
      recordEvent(order, routedAt, 'order.backordered', {
        candidates: routing.explanation.candidates.length,
        stockSnapshotAt: routing.explanation.stockSnapshotAt,
      });
    }
    await publish();

    // Fulfillment progress (pick, pack, ship, pickup) and exception actions drive the
    // order from here; the workflow stays open until the order is completed or cancelled.
    while (!TERMINAL_STATUSES.has(order.status)) {
      await condition(() => pendingPublish || TERMINAL_STATUSES.has(order.status));
      await publishPending();
    }
  } catch (err) {
    // Compensation: whatever ends the order early (cancellation, a failure) gives its stock back.
    await CancellationScope.nonCancellable(async () => {
      await releaseOrderReservations({ orderId: order.id, reason: isCancellation(err) ? 'cancelled' : 'failed' });
      if (isCancellation(err)) {
        const at = nowIso();
        setStatus(order, 'cancelled', at);
        recordEvent(order, at, 'order.cancelled', { reason: 'workflow cancelled' });
        await publish();
      }
    });
    throw err;
  }
  return order;
}
