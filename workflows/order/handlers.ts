// What an order answers while it runs: its query and `?wait=routed`, the exception team's
// actions (hold, release, cancel, reroute, address — Updates validated inside the workflow),
// its fulfillments' status signals, and ops' "route the backorder now".
import { condition, setHandler } from '@temporalio/workflow';
import { actorName as by, type Actor } from '../../domain/access/actor.ts';
import { applyFulfillmentChange, recordFulfillmentNotices } from '../../domain/fulfillments/changes.ts';
import { holdPlaced, holdsReleased } from '../../domain/orders/progress.ts';
import { INVALID_STATE, refuse } from '../update-refusals.ts';
import { addressChangedSignal, cancelFulfillmentSignal, fulfillmentChangedSignal, orderHoldSignal, type CancelFulfillmentRequest } from '../fulfillment/definitions.ts';
import { open, signalChildren, withChild } from './children.ts';
import {
  addressUpdate,
  cancelUpdate,
  fulfillmentMethodUpdate,
  getOrderQuery,
  holdUpdate,
  releaseUpdate,
  rerouteUpdate,
  retryRoutingSignal,
  waitForRoutingUpdate,
  type FulfillmentMethodRequest,
  type ReleaseRequest,
} from './definitions.ts';
import { routeAndReserve } from './routing.ts';
import { nowIso, type OrderRun } from './run.ts';
import {
  BEFORE_PICKING,
  planCancellation,
  REROUTABLE,
  validateAddress,
  validateCancel,
  validateFulfillmentMethod,
  validateHold,
  validateRelease,
  validateReroute,
} from './validators.ts';

/** Registers every handler; called before the workflow's first await. */
export function registerOrderHandlers(run: OrderRun): void {
  setHandler(getOrderQuery, () => run.shown());
  setHandler(waitForRoutingUpdate, () => run.routingAnswered());
  registerHolds(run);
  registerChanges(run);
  setHandler(fulfillmentChangedSignal, (change) => {
    run.announced.add(change.fulfillment.id);
    const record = (type: string, detail: Record<string, unknown>) => run.event(type, detail);
    applyFulfillmentChange(run.order, run.progress, change, record);
    // A fulfillment met a failure retrying will not mend (its own read model, a stock write).
    if (change.needsAttention) run.needsAttention(change.needsAttention);
    recordFulfillmentNotices(run.order, change, record);
    run.progress.changed = true;
  });
  setHandler(retryRoutingSignal, () => {
    run.progress.retryRequested = true;
  });
}

function registerHolds(run: OrderRun): void {
  const { order } = run;
  setHandler(
    holdUpdate,
    async (body, actor) => {
      if (run.intake) await afterIntake(run);
      order.holds.push({ reason: body.reason.trim(), placedAt: nowIso() });
      holdPlaced(run.progress, Date.now());
      run.event('order.held', { reason: body.reason.trim(), by: by(actor) });
      await signalChildren(run, (c) => c.signal(orderHoldSignal, { onHold: true }), open);
      await run.publish();
      return run.shown();
    },
    { validator: (body, _actor?: Actor) => validateHold(order, body) },
  );
  setHandler(
    releaseUpdate,
    async (body, actor) => {
      if (run.intake) await afterIntake(run);
      releaseHolds(run, body?.reason, by(actor));
      await signalChildren(run, (c) => c.signal(orderHoldSignal, { onHold: false }), open);
      await run.publish();
      return run.shown();
    },
    { validator: (body?: ReleaseRequest, _actor?: Actor) => validateRelease(order, body) },
  );
}

function registerChanges(run: OrderRun): void {
  const { order } = run;
  const closed = () => run.progress.closed !== undefined;
  setHandler(
    cancelUpdate,
    async (body, actor) => {
      if (run.intake) await afterIntake(run);
      await cancelUnits(run, body.reason, by(actor), body.lines);
      await run.publish();
      return run.shown();
    },
    { validator: (body, _actor?: Actor) => validateCancel(order, body, closed()) },
  );
  setHandler(
    rerouteUpdate,
    async (body, actor) => {
      if (run.intake) await afterIntake(run);
      await reroute(run, body, by(actor));
      await run.publish();
      return run.shown();
    },
    { validator: (body, _actor?: Actor) => validateReroute(order, body, closed()) },
  );
  setHandler(
    addressUpdate,
    async (body, actor) => {
      if (run.intake) await afterIntake(run);
      order.shipTo = body.shipTo;
      run.event('order.address_changed', { by: by(actor) });
      await signalChildren(run, (c) => c.signal(addressChangedSignal, { shipTo: body.shipTo }), open);
      await run.publish();
      return run.shown();
    },
    { validator: (body, _actor?: Actor) => validateAddress(order, body, closed()) },
  );
  setHandler(
    fulfillmentMethodUpdate,
    async (body, actor) => {
      if (run.intake) await afterIntake(run);
      await changeMethod(run, body, by(actor));
      await run.publish();
      return run.shown();
    },
    { validator: (body, _actor?: Actor) => validateFulfillmentMethod(order, body, closed()) },
  );
}

/**
 * The customer changes how they get the order before picking starts: its fulfillments are
 * cancelled (stock released, as a re-route does), the order takes the new method, address or
 * store, and every unit is planned again. Should a fulfillment have started picking in the
 * meantime, its siblings' units are planned again the old way and the change is refused.
 */
async function changeMethod(run: OrderRun, body: FulfillmentMethodRequest, who: string): Promise<void> {
  const { order, progress } = run;
  await condition(() => !progress.routingBusy);
  progress.routingBusy = true;
  try {
    const moving = order.fulfillments.filter((f) => BEFORE_PICKING.has(f.status)).map((f) => f.id);
    const reason = body.reason?.trim() || `the customer chose ${body.method}`;
    for (const id of moving) await withChild(run, id, (c) => c.signal(cancelFulfillmentSignal, { reason, by: who, rerouted: true }));
    const statusOf = (id: string) => run.order.fulfillments.find((f) => f.id === id)!.status;
    await condition(() => moving.every((id) => !REROUTABLE.has(statusOf(id))));
    const kept = moving.find((id) => statusOf(id) !== 'cancelled');
    if (kept) {
      await routeAndReserve(run, 'reroute', { detail: { reason: 'fulfillment method change refused', by: who } });
      refuse(INVALID_STATE, `Fulfillment ${kept} is already ${statusOf(kept)}; the method was not changed.`);
    }
    const from = { method: order.fulfillmentMethod, ...(order.pickupLocationId ? { pickupLocationId: order.pickupLocationId } : {}) };
    order.fulfillmentMethod = body.method;
    if (body.method === 'ship' || body.method === 'same_day') {
      if (body.shipTo) order.shipTo = body.shipTo;
      delete order.pickupLocationId;
    } else {
      order.pickupLocationId = body.pickupLocationId!;
    }
    if (body.method === 'same_day') order.serviceLevel = 'same_day';
    else if (body.serviceLevel) order.serviceLevel = body.serviceLevel;
    else if (order.serviceLevel === 'same_day') order.serviceLevel = 'standard';
    run.event('order.fulfillment_method_changed', { from, to: { method: body.method, ...(order.pickupLocationId ? { pickupLocationId: order.pickupLocationId } : {}) }, reason, by: who });
    await routeAndReserve(run, 'reroute', { detail: { reason: `fulfillment method changed to ${body.method}`, by: who } });
  } finally {
    progress.routingBusy = false;
  }
}

/** The exception team moves a fulfillment elsewhere: it is cancelled (if not gone yet), then its units are routed again. */
async function reroute(run: OrderRun, body: { fulfillmentId: string; toLocationId?: string; excludeLocationIds?: string[]; reason: string }, who: string): Promise<void> {
  const { progress } = run;
  // The signal handler replaces the order's view of a fulfillment on every change: look it up afresh.
  const current = () => run.order.fulfillments.find((f) => f.id === body.fulfillmentId)!;
  const from = current();
  await condition(() => !progress.routingBusy);
  progress.routingBusy = true;
  try {
    await withChild(run, from.id, (c) => c.signal(cancelFulfillmentSignal, { reason: body.reason, by: who, rerouted: true }));
    await condition(() => !REROUTABLE.has(current().status));
    if (current().status !== 'cancelled') refuse(INVALID_STATE, `Fulfillment ${from.id} is already ${current().status}; it was not re-routed.`);
    await routeAndReserve(run, 'reroute', {
      exclude: [from.locationId, ...(body.excludeLocationIds ?? [])],
      ...(body.toLocationId ? { only: [body.toLocationId] } : {}),
      detail: { fulfillmentId: from.id, fromLocationId: from.locationId, reason: body.reason, by: who },
    });
  } finally {
    progress.routingBusy = false;
  }
}

/** An action arriving during intake waits for it: intake's commands stay its own (workflows/order/intake.ts). */
function afterIntake(run: OrderRun): Promise<void> {
  return condition(() => !run.intake);
}

export function releaseHolds(run: OrderRun, reason: string | undefined, who: string): void {
  run.order.holds = [];
  holdsReleased(run.progress);
  run.event('order.released', { ...(reason ? { reason } : {}), by: who });
}

/** Cancels units: unplaced ones at once, the rest by telling their fulfillments (which release the stock). */
export async function cancelUnits(run: OrderRun, reason: string, who: string, lines?: { lineId: string; quantity: number }[]): Promise<void> {
  const { order } = run;
  const plan = planCancellation(order, lines);
  for (const [lineId, quantity] of plan.byLine) order.lines.find((l) => l.lineId === lineId)!.cancelled += quantity;
  const whole = lines === undefined;
  run.event(whole ? 'order.cancel_requested' : 'order.lines_cancelled', { reason, by: who, lines: [...plan.byLine].map(([lineId, quantity]) => ({ lineId, quantity })) });
  await Promise.all(
    [...plan.byFulfillment].map(([fulfillmentId, cancel]) => {
      const request: CancelFulfillmentRequest = { reason, by: who, ...(cancel.whole ? {} : { lines: cancel.lines }) };
      return withChild(run, fulfillmentId, (c) => c.signal(cancelFulfillmentSignal, request));
    }),
  );
  run.progress.changed = true;
}
