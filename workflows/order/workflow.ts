// The order workflow: one long-running execution per order. It screens the order against the
// hold rules, routes and reserves through activities, starts one child fulfillment workflow
// per planned shipment or pickup, follows their status signals, captures payment per
// shipment, re-routes what comes back (short picks, rejections, missed SLAs, exception
// reroutes), waits for backordered stock up to the promise date, and answers the exception
// actions (hold, release, cancel, reroute, address). Search attributes, memo and the read
// model (with the outbox) follow every change.
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import type { ScreeningResult } from '../../activities/orders/screen-order.ts';
import type { RouteOrderResult } from '../../activities/orders/route-order.ts';
import type { FulfillmentWorkflowInput } from '../../domain/fulfillments/schemas.ts';
import { ENDED_STATUSES } from '../../domain/fulfillments/state.ts';
import { allLinesSettled, captureTarget, derivedStatus, fulfillmentLocations, initialOrder, isActive, recordEvent, refreshLineCounts, unplacedLines, type OrderWorkflowInput } from '../../domain/orders/order-state.ts';
import type { Fulfillment, Order } from '../../domain/orders/schemas.ts';
import { FulfillmentLocationsKey, NeedsAttentionKey, OnHoldKey, OrderStatusKey } from '../search-attributes.ts';
import { orAttention } from '../needs-attention.ts';
import { afterDays } from '../../domain/shipping/local-time.ts';
import { INVALID_STATE, refuse } from '../update-refusals.ts';
import { outboxEventsSince } from '../outbox-events.ts';
import { actorName } from '../../domain/access/actor.ts';
import { addressChangedSignal, cancelFulfillmentSignal, fulfillmentWorkflowId, orderHoldSignal, type CancelFulfillmentRequest } from '../fulfillment/definitions.ts';
import { fulfillmentWorkflow } from '../fulfillment/workflow.ts';
import { planCancellation, REROUTABLE, validateAddress, validateCancel, validateHold, validateRelease, validateReroute } from './validators.ts';
import {
  addressUpdate,
  cancelUpdate,
  fulfillmentChangedSignal,
  getOrderQuery,
  holdUpdate,
  releaseUpdate,
  rerouteUpdate,
  retryRoutingSignal,
  waitForRoutingUpdate,
  type Actor,
  type ReleaseRequest,
} from './definitions.ts';

const { routeOrder, screenOrder } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const { saveOrderSnapshot, markOrderNeedsAttention, releaseOrderReservations, movePayment } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const HOUR = 3600_000;

function nowIso(): string {
  // Workflow time: deterministic on replay.
  return new Date().toISOString();
}

function newFulfillmentId(): string {
  return `ful_${uuid4().replace(/-/g, '').slice(0, 24)}`;
}

/** Servers without the contract's search attributes (Temporal's time-skipping test server) start orders with this memo. */
function searchAttributesEnabled(): boolean {
  return workflowInfo().memo?.['fulcrum.searchAttributes'] !== 'off';
}

export async function orderWorkflow(input: OrderWorkflowInput): Promise<Order> {
  const order = initialOrder(input);
  const withSearchAttributes = searchAttributesEnabled();
  let revision = 0;
  /** The newest revision the read model holds, and the first that showed a routing decision. */
  let savedRevision = 0;
  let routedRevision: number | undefined;
  /** Fulfillments that have published themselves (they are in their location's queue). */
  const announced = new Set<string>();
  /** Positions of `order.needs_attention` events not yet flagged in the read model. */
  const attentionEvents: number[] = [];
  let publishedEvents = 0;
  let memo = '';
  let routed = false;
  let routingAttempt = 0;
  let routingBusy = false;
  let lastRoutingAt = 0;
  let rerouteNeeded = false;
  let retryRequested = false;
  let dirty = false;
  let terminal: 'completed' | 'cancelled' | undefined;
  let policy: ScreeningResult['policy'] | undefined;
  let heldSince: number | undefined;
  let holdEscalated = false;
  let paymentSeq = 0;
  /** Locations that short-picked, rejected or missed their SLA for this order: not asked again. */
  const excluded = new Set<string>();
  const children = new Map<string, ChildWorkflowHandle<typeof fulfillmentWorkflow>>();
  const by = actorName;

  function refresh(): void {
    refreshLineCounts(order);
    order.status = terminal ?? (order.holds.length > 0 ? 'on_hold' : derivedStatus(order, routed));
  }

  function event(type: string, detail: Record<string, unknown>): void {
    recordEvent(order, nowIso(), type, detail);
  }

  /** Publishes the current state: search attributes and memo for ops, the read model and outbox for everyone. */
  async function publish(): Promise<void> {
    refresh();
    revision += 1;
    if (withSearchAttributes) {
      upsertSearchAttributes([
        { key: OrderStatusKey, value: order.status },
        { key: OnHoldKey, value: order.holds.length > 0 },
        { key: FulfillmentLocationsKey, value: fulfillmentLocations(order) },
      ]);
    }
    const summary = orderSummary(order);
    if (summary !== memo) {
      memo = summary;
      upsertMemo({ summary });
    }
    const events = outboxEvents(publishedEvents);
    const upTo = order.events.length;
    const saving = revision;
    if (routedRevision === undefined && order.status !== 'received') routedRevision = saving;
    // Events count as published once written: after a failure the next snapshot carries them.
    if (await orAttention(() => saveOrderSnapshot({ order: shown(), revision: saving, events }).then(() => true), needsAttention, false)) {
      publishedEvents = Math.max(publishedEvents, upTo);
      savedRevision = Math.max(savedRevision, saving);
    }
    await markNeedsAttention();
  }

  function outboxEvents(from: number) {
    return outboxEventsSince({ id: order.id, orderId: order.id, events: order.events }, from, {
      orderId: order.id,
      channel: order.channel,
      channelOrderId: order.channelOrderId,
      status: order.status,
    });
  }

  /**
   * A step failed in a way retrying will not mend: the order keeps its state and goes on, and
   * ops see it (the NeedsAttention search attribute, needsAttention on the order, the event;
   * the read model's flag is written by the next publish).
   */
  function needsAttention(failure: { activity: string; reason: string }): void {
    const first = !order.needsAttention;
    if (!first && order.needsAttention!.activity === failure.activity) return;
    if (first) order.needsAttention = { ...failure, since: nowIso() };
    event('order.needs_attention', failure);
    attentionEvents.push(order.events.length - 1);
    if (withSearchAttributes) upsertSearchAttributes([{ key: NeedsAttentionKey, value: true }]);
  }

  /** The flag and its events go to the read model apart from the snapshot, which may be what keeps failing. */
  async function markNeedsAttention(): Promise<void> {
    while (attentionEvents.length > 0) {
      const [recorded] = outboxEvents(attentionEvents.shift()!).slice(0, 1);
      await orAttention(() => markOrderNeedsAttention({ orderId: order.id, needsAttention: order.needsAttention!, event: recorded! }), () => undefined, undefined);
    }
  }

  function signalChildren(send: (child: ChildWorkflowHandle<typeof fulfillmentWorkflow>) => Promise<void>, which: (f: Fulfillment) => boolean): Promise<void[]> {
    return Promise.all(order.fulfillments.filter(which).map((f) => withChild(f.id, send)));
  }

  /**
   * Sends to a fulfillment's workflow at once when it has started (so the commands keep their
   * order), else once it has.
   */
  function withChild<T>(fulfillmentId: string, send: (child: ChildWorkflowHandle<typeof fulfillmentWorkflow>) => Promise<T>): Promise<T | undefined> {
    const child = children.get(fulfillmentId);
    if (child) return send(child);
    return startedChild(fulfillmentId).then((started) => (started ? send(started) : undefined));
  }

  /**
   * The handle of a fulfillment's workflow. An action can arrive in the same workflow task as
   * the child's start (Updates are handled before the start resolves): it then waits for the
   * start instead of leaving the child untold, which left a cancelled order waiting forever.
   */
  async function startedChild(fulfillmentId: string): Promise<ChildWorkflowHandle<typeof fulfillmentWorkflow> | undefined> {
    if (!children.has(fulfillmentId) && order.fulfillments.some((f) => f.id === fulfillmentId) && patched('signal-children-once-started')) {
      await condition(() => children.has(fulfillmentId));
    }
    return children.get(fulfillmentId);
  }
  const open = (f: Fulfillment) => !ENDED_STATUSES.has(f.status);

  /**
   * The order as callers see it: a fulfillment is shown once its workflow has started, so
   * every fulfillment id the API shows can be acted on at once (a re-route's new fulfillment
   * is in the order's state a moment before its child exists).
   */
  function shown(): Order {
    if (order.fulfillments.every((f) => children.has(f.id))) return order;
    return { ...order, fulfillments: order.fulfillments.filter((f) => children.has(f.id)) };
  }

  setHandler(getOrderQuery, () => shown());
  setHandler(waitForRoutingUpdate, async () => {
    await condition(() => order.status !== 'received');
    if (patched('routing-answer-after-read-models')) {
      // Answer once the decision is in the read models too: the order in the lists, each
      // fulfillment in its location's queue. Bounded, so a stuck child cannot hold the caller.
      await condition(() => routedRevision !== undefined && savedRevision >= routedRevision && order.fulfillments.every((f) => announced.has(f.id)), '5 seconds');
    }
    return shown();
  });

  setHandler(
    holdUpdate,
    async (body, actor) => {
      order.holds.push({ reason: body.reason.trim(), placedAt: nowIso() });
      heldSince ??= Date.now();
      event('order.held', { reason: body.reason.trim(), by: by(actor) });
      await signalChildren((c) => c.signal(orderHoldSignal, { onHold: true }), open);
      await publish();
      return shown();
    },
    { validator: (body, _actor?: Actor) => validateHold(order, body) },
  );

  setHandler(
    releaseUpdate,
    async (body, actor) => {
      releaseHolds(body?.reason, by(actor));
      await signalChildren((c) => c.signal(orderHoldSignal, { onHold: false }), open);
      await publish();
      return shown();
    },
    { validator: (body?: ReleaseRequest, _actor?: Actor) => validateRelease(order, body) },
  );

  setHandler(
    cancelUpdate,
    async (body, actor) => {
      await cancelUnits(body.reason, by(actor), body.lines);
      await publish();
      return shown();
    },
    { validator: (body, _actor?: Actor) => validateCancel(order, body, terminal !== undefined) },
  );

  setHandler(
    rerouteUpdate,
    async (body, actor) => {
      // The signal handler replaces the order's view of a fulfillment on every change: look it up afresh.
      const current = () => order.fulfillments.find((f) => f.id === body.fulfillmentId)!;
      const from = current();
      await condition(() => !routingBusy);
      routingBusy = true;
      try {
        await withChild(from.id, (c) => c.signal(cancelFulfillmentSignal, { reason: body.reason, by: by(actor), rerouted: true }));
        await condition(() => !REROUTABLE.has(current().status));
        if (current().status !== 'cancelled') refuse(INVALID_STATE, `Fulfillment ${from.id} is already ${current().status}; it was not re-routed.`);
        await route('reroute', {
          exclude: [from.locationId, ...(body.excludeLocationIds ?? [])],
          ...(body.toLocationId ? { only: [body.toLocationId] } : {}),
          detail: { fulfillmentId: from.id, fromLocationId: from.locationId, reason: body.reason, by: by(actor) },
        });
      } finally {
        routingBusy = false;
      }
      await publish();
      return shown();
    },
    { validator: (body, _actor?: Actor) => validateReroute(order, body, terminal !== undefined) },
  );

  setHandler(
    addressUpdate,
    async (body, actor) => {
      order.shipTo = body.shipTo;
      event('order.address_changed', { by: by(actor) });
      await signalChildren((c) => c.signal(addressChangedSignal, { shipTo: body.shipTo }), open);
      await publish();
      return shown();
    },
    { validator: (body, _actor?: Actor) => validateAddress(order, body, terminal !== undefined) },
  );

  setHandler(fulfillmentChangedSignal, (change) => {
    announced.add(change.fulfillment.id);
    const index = order.fulfillments.findIndex((f) => f.id === change.fulfillment.id);
    if (index >= 0) {
      // The planned carrier and service stand until the label names the real ones.
      const planned = order.fulfillments[index]!;
      order.fulfillments[index] = { ...(planned.carrier ? { carrier: planned.carrier, service: planned.service } : {}), ...change.fulfillment };
      if (change.fulfillment.status === 'expired' && planned.status !== 'expired') {
        // Not collected in time: those units are cancelled (and refunded), not routed again.
        for (const l of change.fulfillment.lines) order.lines.find((line) => line.lineId === l.lineId)!.cancelled += l.quantity;
        event('order.lines_cancelled', { reason: 'pickup window expired', fulfillmentId: change.fulfillment.id, lines: change.fulfillment.lines, by: 'system' });
      }
    }
    if (change.reroute) {
      const exclude = change.reroute.excludeLocationId === undefined ? change.fulfillment.locationId : change.reroute.excludeLocationId;
      if (exclude !== null) excluded.add(exclude);
      rerouteNeeded = true;
      event('order.reroute_requested', { fulfillmentId: change.fulfillment.id, locationId: change.fulfillment.locationId, reason: change.reroute.reason });
    }
    // A fulfillment met a failure retrying will not mend (its own read model, a stock write).
    if (change.needsAttention) needsAttention(change.needsAttention);
    if (change.notice) {
      event(change.notice.type, change.notice.detail);
      // Customer-facing: the shop may tell the customer (through its webhook) the parcel is late.
      if (change.notice.type === 'order.delivery_exception') event('order.delayed', { reason: 'carrier delivery exception', fulfillmentId: change.fulfillment.id });
    }
    if (change.cancelRefused) {
      for (const refused of change.cancelRefused.lines) {
        const line = order.lines.find((l) => l.lineId === refused.lineId);
        if (line) line.cancelled = Math.max(0, line.cancelled - refused.quantity);
      }
      event('order.cancel_too_late', { fulfillmentId: change.fulfillment.id, lines: change.cancelRefused.lines, reason: change.cancelRefused.reason });
    }
    dirty = true;
  });
  setHandler(retryRoutingSignal, () => {
    retryRequested = true;
  });

  function releaseHolds(reason: string | undefined, who: string): void {
    order.holds = [];
    heldSince = undefined;
    holdEscalated = false;
    event('order.released', { ...(reason ? { reason } : {}), by: who });
  }

  /** Cancels units: unplaced ones at once, the rest by telling their fulfillments (which release the stock). */
  async function cancelUnits(reason: string, who: string, lines?: { lineId: string; quantity: number }[]): Promise<void> {
    const plan = planCancellation(order, lines);
    for (const [lineId, quantity] of plan.byLine) order.lines.find((l) => l.lineId === lineId)!.cancelled += quantity;
    const whole = lines === undefined;
    event(whole ? 'order.cancel_requested' : 'order.lines_cancelled', { reason, by: who, lines: [...plan.byLine].map(([lineId, quantity]) => ({ lineId, quantity })) });
    await Promise.all(
      [...plan.byFulfillment].map(([fulfillmentId, cancel]) => {
        const request: CancelFulfillmentRequest = { reason, by: who, ...(cancel.whole ? {} : { lines: cancel.lines }) };
        return withChild(fulfillmentId, (c) => c.signal(cancelFulfillmentSignal, request));
      }),
    );
    dirty = true;
  }

  /** Routes every unplaced unit and starts a fulfillment workflow per planned shipment. */
  async function route(kind: 'initial' | 'backorder' | 'reroute', options: { exclude?: string[]; only?: string[]; detail?: Record<string, unknown> } = {}): Promise<void> {
    const lines = unplacedLines(order);
    if (lines.length === 0) return;
    routingAttempt += 1;
    lastRoutingAt = Date.now();
    const result: RouteOrderResult | undefined = await orAttention(() => routeOrder({
      orderId: order.id,
      channel: order.channel,
      attempt: routingAttempt,
      method: order.fulfillmentMethod,
      serviceLevel: order.serviceLevel,
      ...(order.shipTo?.geo ? { destination: order.shipTo.geo } : {}),
      ...(order.pickupLocationId ? { pickupLocationId: order.pickupLocationId } : {}),
      lines,
      excludeLocationIds: [...new Set([...excluded, ...(options.exclude ?? [])])],
      ...(options.only ? { onlyLocationIds: options.only } : {}),
    }), needsAttention, undefined);
    routed = true;
    // Not routable for a reason retrying will not mend: the units wait like backordered ones.
    if (!result) return;
    const placed = result.kind === 'routed' ? result.fulfillments : [];
    const started: { fulfillmentId: string; locationId: string }[] = [];
    for (const shipment of placed) {
      const fulfillmentId = newFulfillmentId();
      const view: Fulfillment = {
        id: fulfillmentId,
        locationId: shipment.locationId,
        method: order.fulfillmentMethod,
        status: 'pending',
        lines: shipment.lines,
        ...(shipment.carrier ? { carrier: shipment.carrier } : {}),
        ...(shipment.service ? { service: shipment.service } : {}),
        ...(shipment.estimatedDelivery ? { estimatedDelivery: shipment.estimatedDelivery } : {}),
        ...(shipment.transferFromLocationId ? { transferFromLocationId: shipment.transferFromLocationId } : {}),
      };
      order.fulfillments.push(view);
      started.push({ fulfillmentId, locationId: shipment.locationId });
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
        ...(shipment.estimatedDelivery ? { estimatedDelivery: shipment.estimatedDelivery } : {}),
        ...(shipment.transferFromLocationId ? { transferFromLocationId: shipment.transferFromLocationId } : {}),
        ...(shipment.transferExpectedAt ? { transferExpectedAt: shipment.transferExpectedAt } : {}),
      };
      children.set(
        fulfillmentId,
        await startChild(fulfillmentWorkflow, {
          workflowId: fulfillmentWorkflowId(fulfillmentId),
          args: [childInput],
          // Cancelling the order cancels its fulfillments, which give their stock back.
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        }),
      );
    }
    const backordered = unplacedLines(order);
    const common = {
      ...options.detail,
      ...(started.length === 1 ? { fulfillmentId: started[0]!.fulfillmentId, locationId: started[0]!.locationId } : {}),
      ...(started.length > 1 ? { fulfillmentIds: started.map((s) => s.fulfillmentId), locationIds: started.map((s) => s.locationId) } : {}),
      ...(backordered.length ? { backordered } : {}),
      stockSnapshotAt: result.explanation.stockSnapshotAt,
    };
    if (kind === 'reroute') event('order.rerouted', common);
    else if (started.length > 0) event('order.routed', common);
    else if (kind === 'initial') event('order.backordered', { ...common, candidates: result.explanation.candidates.length });
    if (backordered.length > 0 && kind !== 'backorder') event('order.delayed', { reason: 'some units are waiting for stock', backordered });
  }

  /** Captures what has gone (or waits at the counter), refunds what came back; at the end voids the rest. */
  async function settlePayment(final: boolean): Promise<void> {
    const p = order.payment;
    const captured = p.captured ?? 0;
    const refunded = p.refunded ?? 0;
    const voided = p.voided ?? 0;
    const authorized = p.amount.amount;
    const target = captureTarget(order);
    const net = captured - refunded;
    const move = async (kind: 'capture' | 'refund' | 'void', amount: number) => {
      paymentSeq += 1;
      const result = await orAttention(
        () =>
          movePayment({
            kind,
            request: { orderId: order.id, authorizationId: p.authorizationId, authorized: p.amount, amount: { amount, currency: p.amount.currency }, idempotencyKey: `${order.id}:payment:${paymentSeq}` },
          }),
        needsAttention,
        undefined,
      );
      if (!result) return false;
      if (!result.ok) {
        event('payment.refused', { kind, amount, reason: result.reason });
        return false;
      }
      event(kind === 'capture' ? 'payment.captured' : kind === 'refund' ? 'payment.refunded' : 'payment.voided', { amount: { amount, currency: p.amount.currency } });
      return true;
    };
    if (target > net) {
      const amount = Math.min(target - net, authorized - captured - voided);
      if (amount > 0 && (await move('capture', amount))) p.captured = captured + amount;
    } else if (target < net) {
      const amount = net - target;
      if (await move('refund', amount)) p.refunded = refunded + amount;
    }
    if (final) {
      const rest = authorized - (p.captured ?? 0) - voided;
      if (rest > 0 && (await move('void', rest))) p.voided = voided + rest;
    }
  }

  function msUntil(at: number): number {
    return Math.max(1, at - Date.now());
  }

  /** The next timer the order is waiting for: hold escalation or auto-cancel, backorder re-check or promise. */
  function nextDeadline(): { at: number; what: 'escalate' | 'auto_cancel' | 'recheck' | 'promise' } | undefined {
    if (!policy) return undefined;
    if (order.holds.length > 0 && heldSince !== undefined) {
      if (!holdEscalated) return { at: heldSince + policy.holdEscalateAfterHours * HOUR, what: 'escalate' };
      return { at: heldSince + policy.holdAutoCancelAfterHours * HOUR, what: 'auto_cancel' };
    }
    if (routed && unplacedLines(order).length > 0) {
      // Calendar days where the order is counted (a day across a daylight-saving change is 23 or 25 hours).
      const zone = policy.timezone && patched('promise-in-local-days') ? policy.timezone : undefined;
      const promise = afterDays(new Date(order.createdAt), policy.backorderPromiseDays, zone).getTime();
      const recheck = lastRoutingAt + policy.backorderRecheckMinutes * 60_000;
      return recheck < promise ? { at: recheck, what: 'recheck' } : { at: promise, what: 'promise' };
    }
    return undefined;
  }

  const readyToRoute = () =>
    order.holds.length === 0 && !routingBusy && terminal === undefined && (!routed || rerouteNeeded || retryRequested) && unplacedLines(order).length > 0;
  const readyToClose = () => allLinesSettled(order) && order.fulfillments.every((f) => ENDED_STATUSES.has(f.status));

  try {
    await publish();
    const screening = await orAttention(
      () => screenOrder({ customerId: order.customer.id, orderValue: order.payment.amount, ...(order.pickupLocationId ? { pickupLocationId: order.pickupLocationId } : {}) }),
      needsAttention,
      undefined,
    );
    policy = screening?.policy;
    for (const reason of screening?.holdReasons ?? []) {
      order.holds.push({ reason, placedAt: nowIso() });
      heldSince ??= Date.now();
      event('order.held', { reason, by: 'hold-rule' });
    }
    if ((screening?.holdReasons.length ?? 0) > 0) await publish();

    while (terminal === undefined) {
      const deadline = nextDeadline();
      const woke = () => dirty || readyToRoute() || (readyToClose() && !routingBusy);
      const signalled = deadline ? await condition(woke, msUntil(deadline.at)) : (await condition(woke), true);
      if (!signalled && deadline) {
        if (deadline.what === 'escalate') {
          holdEscalated = true;
          event('order.hold_escalated', { heldSince: new Date(heldSince!).toISOString(), reasons: order.holds.map((h) => h.reason) });
        } else if (deadline.what === 'auto_cancel') {
          const reason = `on hold for ${policy!.holdAutoCancelAfterHours} hours without release`;
          releaseHolds(reason, 'system');
          await cancelUnits(reason, 'system');
        } else if (deadline.what === 'recheck') {
          retryRequested = true;
        } else {
          const expired = unplacedLines(order);
          for (const l of expired) order.lines.find((line) => line.lineId === l.lineId)!.cancelled += l.quantity;
          event('order.backorder_expired', { lines: expired.map(({ lineId, quantity }) => ({ lineId, quantity })), promiseDays: policy!.backorderPromiseDays });
        }
        dirty = true;
      }
      if (readyToRoute()) {
        routingBusy = true;
        try {
          const kind = !routed ? 'initial' : rerouteNeeded ? 'reroute' : 'backorder';
          rerouteNeeded = false;
          retryRequested = false;
          await route(kind, kind === 'reroute' ? { detail: { excluded: [...excluded] } } : {});
        } finally {
          routingBusy = false;
        }
        dirty = true;
      }
      if (dirty || (readyToClose() && !routingBusy)) {
        dirty = false;
        refresh();
        await settlePayment(false);
        if (readyToClose() && !routingBusy) {
          terminal = order.lines.some((l) => l.cancelled < l.quantity) ? 'completed' : 'cancelled';
          await settlePayment(true);
          event(terminal === 'completed' ? 'order.completed' : 'order.cancelled', {});
        }
        await publish();
      }
    }
    await condition(allHandlersFinished);
  } catch (err) {
    // Compensation: whatever ends the order early (cancellation, a failure) gives its stock back.
    await CancellationScope.nonCancellable(async () => {
      await orAttention(() => releaseOrderReservations({ orderId: order.id, reason: isCancellation(err) ? 'cancelled' : 'failed' }), needsAttention, undefined);
      if (isCancellation(err)) {
        terminal = 'cancelled';
        event('order.cancelled', { reason: 'workflow cancelled' });
        await settlePayment(true);
        await publish();
      }
    });
    throw err;
  }
  return order;
}

function orderSummary(order: Order): string {
  const units = order.lines.reduce((s, l) => s + l.quantity, 0);
  const where = [...new Set(order.fulfillments.filter(isActive).map((f) => f.locationId))].join(', ') || 'not placed';
  const hold = order.holds.length > 0 ? ` — on hold: ${order.holds.map((h) => h.reason).join('; ')}` : '';
  return `${order.channel} ${order.channelOrderId}: ${order.status}, ${units} unit(s), ${order.fulfillmentMethod} from ${where}${hold}`;
}
