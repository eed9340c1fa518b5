// The fulfillment workflow: one shipment or pickup of an order at one location, a child of
// the order workflow. Associates drive it with Updates (pick, pack, handoff, ready, collect,
// reject, arrived); carriers with tracking signals; timers enforce the location's pick SLA and
// the pickup window. A pickup by transfer first waits (awaiting_transfer) for the transfer it
// runs as its child to bring the units from the source; the store works it once received.
// Every change is published to the read model (the location's work queue) and signalled to
// the order.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
  ParentClosePolicy,
  ChildWorkflowCancellationType,
} from '@temporalio/workflow';
import type { FulfillmentSetup } from '../../activities/fulfillment/stock.ts';
import type { Activities } from '../../activities/index.ts';
import { applyPick, pickComplete } from '../../domain/fulfillments/picking.ts';
import {
  ArrivedRequest,
  CollectRequest,
  PackRequest,
  PickRequest,
  RejectRequest,
  type FulfillmentResource,
  type FulfillmentWorkflowInput,
} from '../../domain/fulfillments/schemas.ts';
import { ENDED_STATUSES, LEFT_BUILDING, initialFulfillment, orderView } from '../../domain/fulfillments/state.ts';
import type { FulfillmentStatus } from '../../domain/orders/schemas.ts';
import { INVALID_STATE, refuse, refuseFields, VALIDATION_ERROR } from '../update-refusals.ts';
import { checkBody } from '../validate-body.ts';
import { outboxEventsSince } from '../outbox-events.ts';
import { orAttention } from '../needs-attention.ts';
import { addLocalDays } from '../../domain/shipping/local-time.ts';
import { receiptReservationKey } from '../../domain/inventory/reservation-keys.ts';
import { quantitiesBySku, TRANSFER_ENDED, type Transfer } from '../../domain/transfers/schemas.ts';
import { orderNeedsSignal, orderTransferId, transferProgressSignal, transferWorkflowId } from '../transfer/definitions.ts';
import { transferWorkflow } from '../transfer/workflow.ts';
import {
  actorName,
  addressChangedSignal,
  arrivedUpdate,
  cancelFulfillmentSignal,
  collectUpdate,
  getFulfillmentQuery,
  handoffUpdate,
  orderHoldSignal,
  packUpdate,
  pickUpdate,
  readyUpdate,
  rejectUpdate,
  trackingEventSignal,
  type Actor,
  type CancelFulfillmentRequest,
  fulfillmentChangedSignal,
  type FulfillmentChange,
} from './definitions.ts';

const { prepareFulfillment, saveFulfillmentSnapshot, writeOffShortPick, releaseReservedUnits, releaseFulfillmentStock, commitFulfillmentStock, voidShippingLabel } =
  proxyActivities<Activities>({ startToCloseTimeout: '15 seconds', retry: { initialInterval: '1 second', maximumInterval: '30 seconds' } });

const { buyShippingLabel } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['NoCarrierService', 'UnknownLocation', 'SameDayCutoffMissed'] },
});

const HOUR = 3600_000;

function nowIso(): string {
  return new Date().toISOString();
}

export async function fulfillmentWorkflow(input: FulfillmentWorkflowInput): Promise<FulfillmentResource> {
  const f = initialFulfillment(input);
  const reservationKeys = new Map(input.lines.map((l) => [l.lineId, l.reservationKey]));
  let shipTo = input.shipTo;
  let pickupCode: string | undefined;
  /** When the order went ready at the counter: the pickup reminders count from it. */
  let readyAtMs: number | undefined;
  let revision = 0;
  let publishedEvents = 0;
  let busy = false;
  let pickNumber = 0;
  let pendingChange: Omit<FulfillmentChange, 'fulfillment'> = {};
  let dirty = false;
  // Assigned once prepareFulfillment returns; Update validators may run before that.
  // eslint-disable-next-line prefer-const
  let setup: FulfillmentSetup | undefined;
  /** Data for the outbox that associates must not see in the resource (the customer's pickup code). */
  const privateEventData = new Map<number, Record<string, unknown>>();
  const seenTracking = new Set<string>();
  const ended = () => ENDED_STATUSES.has(f.status);
  /** Pickup by transfer (workflows started before it existed work at the store at once). */
  const viaTransfer = input.transferFromLocationId !== undefined && patched('pickup-by-transfer');
  /** The transfer as it last told us, and what of it this fulfillment has acted on. */
  let transfer: Transfer | undefined;
  let transferChanged = false;
  const transferSeen = { shipped: false, overdue: false, received: false };
  const transferId = orderTransferId(input.fulfillmentId);
  /** The keys the units of a line may be reserved under: at the source, and at the store once received. */
  const everyKey = () => [...input.lines.map((l) => l.reservationKey), ...(viaTransfer ? input.lines.map((l) => receiptReservationKey(f.orderId, l.lineId, f.locationId, transferId)) : [])];

  function record(type: string, detail: Record<string, unknown>, privateData?: Record<string, unknown>): void {
    const at = nowIso();
    f.events.push({ at, type, detail });
    f.updatedAt = at;
    if (privateData) privateEventData.set(f.events.length - 1, privateData);
  }

  function setStatus(status: FulfillmentStatus, type: string, detail: Record<string, unknown> = {}, privateData?: Record<string, unknown>): void {
    f.status = status;
    record(type, { status, ...detail }, privateData);
  }

  /** Read model + outbox, then the order hears about it. */
  async function publish(): Promise<void> {
    revision += 1;
    const firstFresh = publishedEvents;
    const fresh = outboxEventsSince(f, publishedEvents, { fulfillmentId: f.id, orderId: f.orderId, locationId: f.locationId, method: f.method }, (index) => privateEventData.get(index));
    publishedEvents = f.events.length;
    const saved = await orAttention(() => saveFulfillmentSnapshot({ fulfillment: f, revision, events: fresh }).then(() => true), needsAttention, false);
    // After a failure the next snapshot carries these events again.
    if (!saved) publishedEvents = Math.min(publishedEvents, firstFresh);
    const change: FulfillmentChange = { fulfillment: orderView(f, { pickupCode, ...pickExtra() }), ...pendingChange };
    pendingChange = {};
    const parent = workflowInfo().parent;
    if (!parent) return;
    try {
      await getExternalWorkflowHandle(parent.workflowId).signal(fulfillmentChangedSignal, change);
    } catch (err) {
      // The order has closed (e.g. it was terminated): there is nobody left to tell.
      log.warn('could not signal the order', { orderId: f.orderId, error: String(err) });
    }
  }

  /**
   * A window of whole days ends at the same local clock time at the store (72 hours is three
   * calendar days, one of which may have 23 or 25 hours); any other length is a duration.
   */
  function pickupWindowEnd(policy: FulfillmentSetup): Date {
    const hours = policy.pickupWindowHours;
    if (policy.timezone && hours % 24 === 0 && patched('pickup-window-in-local-days')) return addLocalDays(new Date(), policy.timezone, hours / 24);
    return new Date(Date.now() + hours * HOUR);
  }

  /** A failure retrying will not mend: recorded here, and the order (which ops watch) is told. */
  function needsAttention(failure: { activity: string; reason: string }): void {
    record('fulfillment.needs_attention', failure);
    pendingChange.needsAttention = failure;
  }

  function pickExtra() {
    return {
      ...(input.estimatedDelivery ? { estimatedDelivery: input.estimatedDelivery } : {}),
      ...(input.transferFromLocationId ? { transferFromLocationId: input.transferFromLocationId } : {}),
    };
  }

  /**
   * Updates run one at a time, and only once the fulfillment has started (its location's
   * barcodes and SLA are known): an associate may act on an id the moment the API shows it.
   */
  async function exclusive<T>(work: () => Promise<T>): Promise<T> {
    await condition(() => !busy && setup !== undefined);
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  }

  function requireStatus(allowed: readonly FulfillmentStatus[], action: string): void {
    if (!allowed.includes(f.status)) refuse(INVALID_STATE, `A ${f.status} fulfillment cannot be ${action}.`);
  }
  function requireStarted(): FulfillmentSetup {
    if (!setup) refuse(INVALID_STATE, 'The fulfillment is still starting; try again in a moment.');
    return setup;
  }
  function requireNotHeld(): void {
    if (f.onHold) refuse(INVALID_STATE, 'The order is on hold: release it before working this fulfillment.');
  }
  const by = actorName;

  /** Gives back every unit this fulfillment still holds (it will not ship from here). */
  async function releaseAll(reason: string): Promise<void> {
    const keys = viaTransfer ? everyKey() : [...reservationKeys.values()];
    await releaseFulfillmentStock({ orderId: f.orderId, reservationKeys: keys, actor: `fulfillment:${reason}` });
  }

  setHandler(getFulfillmentQuery, () => f);
  setHandler(transferProgressSignal, (next) => {
    // Signals come in order; a shorter story is an older one.
    if (transfer && next.events.length < transfer.events.length) return;
    transfer = next;
    transferChanged = true;
  });

  setHandler(
    pickUpdate,
    (body, actor) =>
      exclusive(async () => {
        const request = checkBody(PickRequest, body);
        const outcome = applyPick(f.lines, request);
        if (!outcome.ok) refuseFields(outcome.errors);
        pickNumber += 1;
        for (const [lineId, quantity] of outcome.short) {
          await writeOffShortPick({ reservationKey: reservationKeys.get(lineId)!, quantity, idempotencyKey: `short_pick:${f.id}:${lineId}:${pickNumber}`, actor: by(actor) });
        }
        for (const line of f.lines) {
          line.picked += outcome.picked.get(line.lineId) ?? 0;
          line.short += outcome.short.get(line.lineId) ?? 0;
        }
        const scanned = request.scans.reduce((s, scan) => s + scan.quantity, 0);
        const short = [...outcome.short].map(([lineId, quantity]) => ({ lineId, quantity }));
        if (short.length > 0) pendingChange.reroute = { reason: `short pick at ${f.locationId}` };
        if (pickComplete(f.lines) && f.lines.every((l) => l.picked === 0)) {
          // Nothing was found: the fulfillment ends and the order routes every unit elsewhere.
          await releaseAll('nothing_found');
          setStatus('cancelled', 'fulfillment.cancelled', { reason: 'every unit was short', short, by: by(actor) });
        } else {
          f.status = 'picking';
          record('fulfillment.picked', { units: scanned, ...(short.length ? { short } : {}), complete: pickComplete(f.lines), by: by(actor) });
        }
        await publish();
        return f;
      }),
    {
      validator: (body, _actor?: Actor) => {
        requireStatus(['pending', 'picking'], 'picked');
        requireNotHeld();
        const request = checkBody(PickRequest, body);
        // Before the start, GTINs are not known yet: the handler checks the scans once they are.
        if (!setup) return;
        const outcome = applyPick(f.lines, request);
        if (!outcome.ok) refuseFields(outcome.errors);
      },
    },
  );

  setHandler(
    packUpdate,
    (body, actor) =>
      exclusive(async () => {
        const request = checkBody(PackRequest, body);
        if (!shipTo) refuse(INVALID_STATE, 'The order has no shipping address.');
        try {
          const label = await buyShippingLabel({
            orderId: f.orderId,
            channel: input.channel,
            fulfillmentId: f.id,
            locationId: f.locationId,
            serviceLevel: f.serviceLevel,
            shipTo,
            recipient: input.recipient,
            packages: request.packages,
          });
          f.packages = request.packages;
          f.carrier = label.carrier;
          f.service = label.service;
          f.trackingNumber = label.trackingNumber;
          f.shippingCost = label.rate;
          setStatus('packed', 'fulfillment.packed', {
            carrier: label.carrier,
            service: label.service,
            trackingNumber: label.trackingNumber,
            packages: request.packages.length,
            ...(label.downgradedFrom ? { downgradedFrom: label.downgradedFrom, note: 'same-day cut-off missed at the origin' } : {}),
            by: by(actor),
          });
        } catch (err) {
          if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'NoCarrierService') {
            refuse(VALIDATION_ERROR, `packages: ${err.cause.message}`);
          }
          if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'SameDayCutoffMissed') {
            // The profile sends the order to a location that still makes today's courier.
            await releaseAll('same_day_cutoff_missed');
            pendingChange.reroute = { reason: err.cause.message };
            setStatus('cancelled', 'fulfillment.cutoff_missed', { reason: err.cause.message, by: by(actor) });
            await publish();
            return f;
          }
          throw err;
        }
        await publish();
        return f;
      }),
    {
      validator: (body, _actor?: Actor) => {
        if (f.method !== 'ship' && f.method !== 'same_day') refuse(INVALID_STATE, `A ${f.method} fulfillment is not packed for a carrier.`);
        requireStatus(['picking'], 'packed');
        requireNotHeld();
        if (!pickComplete(f.lines)) refuse(INVALID_STATE, 'Pick every unit (or report it short) before packing.');
        checkBody(PackRequest, body);
      },
    },
  );

  setHandler(
    handoffUpdate,
    (_body, actor) =>
      exclusive(async () => {
        await commitFulfillmentStock({ lines: f.lines.map((l) => ({ reservationKey: reservationKeys.get(l.lineId)!, quantity: l.picked })), actor: by(actor) });
        setStatus('shipped', 'fulfillment.shipped', { carrier: f.carrier, service: f.service, trackingNumber: f.trackingNumber, by: by(actor) });
        await publish();
        return f;
      }),
    {
      validator: (_body?: unknown, _actor?: Actor) => {
        requireStatus(['packed'], 'handed off');
        requireNotHeld();
      },
    },
  );

  setHandler(
    rejectUpdate,
    (body, actor) =>
      exclusive(async () => {
        const { reason } = checkBody(RejectRequest, body);
        await releaseAll('rejected');
        pendingChange.reroute = { reason: `rejected by ${f.locationId}: ${reason}` };
        setStatus('rejected', 'fulfillment.rejected', { reason, by: by(actor) });
        await publish();
        return f;
      }),
    {
      validator: (body, _actor?: Actor) => {
        requireStatus(['pending', 'picking'], 'rejected');
        checkBody(RejectRequest, body);
      },
    },
  );

  setHandler(
    readyUpdate,
    (_body, actor) =>
      exclusive(async () => {
        // Six digits the customer shows at the counter; from the workflow's deterministic uuid.
        pickupCode = String(parseInt(uuid4().replace(/-/g, '').slice(0, 8), 16) % 1_000_000).padStart(6, '0');
        readyAtMs = Date.now();
        f.pickupExpiresAt = pickupWindowEnd(requireStarted()).toISOString();
        setStatus('ready_for_pickup', 'fulfillment.ready_for_pickup', { pickupExpiresAt: f.pickupExpiresAt, by: by(actor) }, { pickupCode });
        await publish();
        return f;
      }),
    {
      validator: (_body?: unknown, _actor?: Actor) => {
        if (f.method !== 'pickup' && f.method !== 'curbside') refuse(INVALID_STATE, `A ${f.method} fulfillment is shipped, not made ready for pickup.`);
        requireStatus(['picking'], 'made ready');
        requireNotHeld();
        if (!pickComplete(f.lines)) refuse(INVALID_STATE, 'Pick every unit (or report it short) before making the order ready.');
      },
    },
  );

  setHandler(
    collectUpdate,
    (_body, actor) =>
      exclusive(async () => {
        await commitFulfillmentStock({ lines: f.lines.map((l) => ({ reservationKey: reservationKeys.get(l.lineId)!, quantity: l.picked })), actor: by(actor) });
        setStatus('picked_up', 'fulfillment.picked_up', { by: by(actor) });
        await publish();
        return f;
      }),
    {
      validator: (body, _actor?: Actor) => {
        requireStatus(['ready_for_pickup'], 'collected');
        const { pickupCode: code } = checkBody(CollectRequest, body);
        if (code !== pickupCode) refuse(VALIDATION_ERROR, 'pickupCode: does not match the code sent to the customer');
      },
    },
  );

  setHandler(
    arrivedUpdate,
    (body, actor) =>
      exclusive(async () => {
        f.customerArrivedAt = nowIso();
        if (body?.spot) f.spot = body.spot;
        record('fulfillment.customer_arrived', { ...(body?.spot ? { spot: body.spot } : {}), by: by(actor) });
        await publish();
        return f;
      }),
    {
      validator: (body?: ArrivedRequest, _actor?: Actor) => {
        if (f.method !== 'curbside') refuse(INVALID_STATE, 'Only curbside orders announce the customer’s arrival.');
        if (ended()) refuse(INVALID_STATE, `A ${f.status} fulfillment is closed.`);
        checkBody(ArrivedRequest, body);
      },
    },
  );

  setHandler(trackingEventSignal, (event) => {
    if (!LEFT_BUILDING.has(f.status) || f.status === 'picked_up') return;
    const key = `${event.status}@${event.at}`;
    if (seenTracking.has(key) || f.status === 'delivered') return;
    seenTracking.add(key);
    f.trackingStatus = event.status;
    const detail = { trackingStatus: event.status, carrierTime: event.at, ...(event.detail ? { carrierDetail: event.detail } : {}) };
    if (event.status === 'delivered') setStatus('delivered', 'fulfillment.delivered', detail);
    else if (event.status === 'exception') {
      record('fulfillment.exception', detail);
      pendingChange.notice = { type: 'order.delivery_exception', detail: { fulfillmentId: f.id, trackingNumber: f.trackingNumber, ...detail } };
    }
    else if (f.status === 'shipped') setStatus('in_transit', 'fulfillment.in_transit', detail);
    else record(`fulfillment.${event.status}`, detail);
    dirty = true;
  });

  const cancellations: CancelFulfillmentRequest[] = [];
  setHandler(cancelFulfillmentSignal, (request) => {
    cancellations.push(request);
  });
  setHandler(orderHoldSignal, ({ onHold }) => {
    if (f.onHold === onHold) return;
    f.onHold = onHold;
    record(onHold ? 'fulfillment.held' : 'fulfillment.released', {});
    dirty = true;
  });
  setHandler(addressChangedSignal, ({ shipTo: next }) => {
    if (f.trackingNumber) return;
    shipTo = next;
    record('fulfillment.address_changed', {});
    dirty = true;
  });

  /** Applies the order's cancellations: whole, or some units (those not yet gone). */
  async function applyCancellation(request: CancelFulfillmentRequest): Promise<void> {
    if (ended() || LEFT_BUILDING.has(f.status)) {
      if (!ended() || !['cancelled', 'rejected', 'expired'].includes(f.status)) {
        const lines = request.lines ?? f.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity - l.short }));
        pendingChange.cancelRefused = { lines, reason: `fulfillment already ${f.status}` };
        await publish();
      }
      return;
    }
    // Whole when no unit of any line would be left.
    const asked = (lineId: string) => request.lines!.filter((c) => c.lineId === lineId).reduce((sum, c) => sum + c.quantity, 0);
    const whole = !request.lines || f.lines.every((l) => l.quantity - l.short <= asked(l.lineId));
    if (whole) {
      if (f.status === 'awaiting_transfer') await withdrawFromTransfer();
      await releaseAll(request.rerouted ? 'rerouted' : 'cancelled');
      if (f.trackingNumber && patched('void-label-on-cancel')) {
        await voidShippingLabel({ fulfillmentId: f.id });
        record('fulfillment.label_voided', { trackingNumber: f.trackingNumber });
      }
      setStatus('cancelled', request.rerouted ? 'fulfillment.rerouted' : 'fulfillment.cancelled', { reason: request.reason, by: request.by });
    } else {
      for (const c of request.lines!) {
        const line = f.lines.find((l) => l.lineId === c.lineId);
        if (!line) continue;
        const quantity = Math.min(c.quantity, line.quantity - line.short);
        if (quantity <= 0) continue;
        await releaseReservedUnits({ reservationKey: reservationKeys.get(line.lineId)!, quantity, idempotencyKey: `cancel:${f.id}:${line.lineId}:${uuid4()}`, actor: request.by });
        line.quantity -= quantity;
        line.picked = Math.min(line.picked, line.quantity - line.short);
      }
      record('fulfillment.lines_cancelled', { lines: request.lines, reason: request.reason, by: request.by });
      if (f.status === 'awaiting_transfer') await tellTransferNeeds();
    }
    await publish();
  }

  /** Tells the transfer how many units of each line the order still wants from it. */
  async function tellTransferNeeds(): Promise<void> {
    try {
      await getExternalWorkflowHandle(transferWorkflowId(transferId)).signal(orderNeedsSignal, { lines: f.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity - l.short })) });
    } catch (err) {
      // The transfer has ended (received): its progress says what it reserved, and releaseAll covers it.
      log.warn('could not tell the transfer', { transferId, error: String(err) });
    }
  }

  /**
   * The order no longer wants the units: before shipping the transfer is cancelled (the
   * source's reservation released), in transit they arrive as the store's ordinary stock.
   * Waits until the transfer has taken it in (or had already received them, reserved for
   * this order: releaseAll then gives those back).
   */
  async function withdrawFromTransfer(): Promise<void> {
    try {
      await getExternalWorkflowHandle(transferWorkflowId(transferId)).signal(orderNeedsSignal, { lines: f.lines.map((l) => ({ lineId: l.lineId, quantity: 0 })) });
    } catch (err) {
      log.warn('could not tell the transfer', { transferId, error: String(err) });
    }
    await condition(() => transfer !== undefined && (transfer.withdrawn === true || TRANSFER_ENDED.has(transfer.status)));
    followTransferView();
  }

  function followTransferView(): void {
    if (!transfer) return;
    f.transfer = {
      id: transfer.id,
      fromLocationId: transfer.fromLocationId,
      status: transfer.status,
      expectedAt: transfer.expectedAt,
      overdue: transfer.overdue,
      ...(transfer.carrier ? { carrier: transfer.carrier, trackingNumber: transfer.trackingNumber! } : {}),
    };
  }

  /** Units of each line still to come (what is neither short nor cancelled). */
  const stillWanted = (line: (typeof f.lines)[number]) => line.quantity - line.short;

  /** Acts on what the transfer reported: shipped (what the source could not find is re-routed), late, received. */
  async function followTransfer(): Promise<void> {
    if (!transfer || f.status !== 'awaiting_transfer') return;
    followTransferView();
    const t = transfer;
    if ((t.status === 'in_transit' || t.status === 'received') && !transferSeen.shipped) {
      transferSeen.shipped = true;
      // Shared out per line as the transfer shares it: line order, each up to what it still wants.
      const shipped = new Map(t.lines.map((l) => [l.sku, l.shipped]));
      const short: { lineId: string; quantity: number }[] = [];
      for (const line of f.lines) {
        const got = Math.min(stillWanted(line), shipped.get(line.sku) ?? 0);
        shipped.set(line.sku, (shipped.get(line.sku) ?? 0) - got);
        if (got < stillWanted(line)) {
          short.push({ lineId: line.lineId, quantity: stillWanted(line) - got });
          line.short += stillWanted(line) - got;
        }
      }
      if (short.length > 0) pendingChange.reroute = { reason: `the transfer from ${t.fromLocationId} shipped fewer units`, excludeLocationId: t.fromLocationId };
      record('fulfillment.transfer_shipped', { transferId: t.id, ...(t.carrier ? { carrier: t.carrier, trackingNumber: t.trackingNumber } : {}), ...(short.length ? { short } : {}) });
      if (f.lines.every((l) => stillWanted(l) === 0)) {
        setStatus('cancelled', 'fulfillment.cancelled', { reason: `nothing shipped from ${t.fromLocationId}` });
        await publish();
        return;
      }
    }
    if (t.overdue && !transferSeen.overdue && t.status !== 'received') {
      transferSeen.overdue = true;
      record('fulfillment.transfer_overdue', { transferId: t.id, expectedAt: t.expectedAt, transferStatus: t.status });
      pendingChange.notice = {
        type: 'order.delayed',
        detail: { reason: 'the transfer bringing the units to the pickup store is late', fulfillmentId: f.id, transferId: t.id, expectedAt: t.expectedAt },
      };
    }
    if (t.status === 'received' && !transferSeen.received) {
      transferSeen.received = true;
      await receiveFromTransfer(t);
      return;
    }
    if ((t.status === 'cancelled' || t.status === 'rejected') && !ended()) {
      // Not by this fulfillment (it waits for its own withdrawal): the units are not coming.
      await releaseAll('transfer_cancelled');
      pendingChange.reroute = { reason: `the transfer from ${t.fromLocationId} was ${t.status}`, excludeLocationId: t.fromLocationId };
      setStatus('cancelled', 'fulfillment.cancelled', { reason: `transfer ${t.status}` });
    }
    await publish();
  }

  /**
   * The store has the units, reserved for this order under the receipt keys: what is missing
   * is re-routed (lost in transit says nothing against any location), what is no longer
   * wanted goes back to the store's stock, and the store starts picking (its SLA from now).
   */
  async function receiveFromTransfer(t: Transfer): Promise<void> {
    const reservedEvent = [...t.events].reverse().find((e) => e.type === 'transfer.received');
    const reserved = new Map(((reservedEvent?.detail.reserved as { lineId: string; quantity: number }[] | undefined) ?? []).map((r) => [r.lineId, r.quantity]));
    const missing: { lineId: string; quantity: number }[] = [];
    for (const line of f.lines) {
      const key = receiptReservationKey(f.orderId, line.lineId, f.locationId, t.id);
      const got = reserved.get(line.lineId) ?? 0;
      if (got > stillWanted(line)) {
        await releaseReservedUnits({ reservationKey: key, quantity: got - stillWanted(line), idempotencyKey: `transfer_surplus:${f.id}:${line.lineId}`, actor: `fulfillment:${f.id}` });
      } else if (got < stillWanted(line)) {
        missing.push({ lineId: line.lineId, quantity: stillWanted(line) - got });
        line.short += stillWanted(line) - got;
      }
      reservationKeys.set(line.lineId, key);
    }
    if (missing.length > 0) pendingChange.reroute = { reason: `units missing from the transfer from ${t.fromLocationId}`, excludeLocationId: null };
    const received = quantitiesBySku(f.lines.map((l) => ({ sku: l.sku, quantity: stillWanted(l) })));
    if (f.lines.every((l) => stillWanted(l) === 0)) {
      setStatus('cancelled', 'fulfillment.cancelled', { reason: 'no unit of the transfer arrived', missing });
    } else {
      f.pickDueAt = new Date(Date.now() + slaMs).toISOString();
      setStatus('pending', 'fulfillment.transfer_received', { transferId: t.id, units: [...received.values()].reduce((a, b) => a + b, 0), ...(missing.length ? { missing } : {}) });
    }
    await publish();
  }

  /** Until the store has the units: follows the transfer, answers cancellations and holds. */
  async function awaitTransfer(): Promise<void> {
    while (f.status === 'awaiting_transfer') {
      await condition(() => transferChanged || dirty || cancellations.length > 0);
      if (transferChanged) {
        transferChanged = false;
        await exclusive(followTransfer);
      }
      await drainSignals();
    }
  }

  setup = await prepareFulfillment({ locationId: f.locationId, skus: f.lines.map((l) => l.sku) });
  for (const line of f.lines) {
    const gtin = setup.barcodes.find((b) => b.sku === line.sku)?.gtin;
    if (gtin) line.gtin = gtin;
  }
  const slaMs = setup.pickSlaMinutes * 60_000;
  if (viaTransfer) {
    // The units are at the source: the store waits for them; its SLA counts from the receipt.
    const expectedAt = input.transferExpectedAt ?? new Date(Date.now() + 24 * HOUR).toISOString();
    f.status = 'awaiting_transfer';
    // Reserved already: the transfer adopts the order's reservation at the source.
    f.transfer = { id: transferId, fromLocationId: input.transferFromLocationId!, status: 'reserved', expectedAt, overdue: false };
    record('fulfillment.awaiting_transfer', { status: f.status, transferId, fromLocationId: input.transferFromLocationId, expectedAt });
  } else {
    f.pickDueAt = new Date(Date.now() + slaMs).toISOString();
  }

  try {
    if (viaTransfer) {
      await startChild(transferWorkflow, {
        workflowId: transferWorkflowId(transferId),
        args: [
          {
            transferId,
            createdAt: nowIso(),
            request: {
              fromLocationId: input.transferFromLocationId!,
              toLocationId: f.locationId,
              lines: [...quantitiesBySku(input.lines)].map(([sku, quantity]) => ({ sku, quantity })),
              expectedAt: f.transfer!.expectedAt,
            },
            forOrder: { orderId: f.orderId, fulfillmentId: f.id, lines: input.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, reservationKey: l.reservationKey })) },
          },
        ],
        // The transfer outlives this fulfillment when the order withdraws in transit: the units still arrive.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        cancellationType: ChildWorkflowCancellationType.ABANDON,
      });
    }
    await publish();
    if (viaTransfer) await awaitTransfer();
    await watchPickSla();

    while (!ended()) {
      if (f.status === 'ready_for_pickup') {
        await pickupWindow();
        continue;
      }
      await condition(() => ended() || dirty || cancellations.length > 0 || f.status === 'ready_for_pickup');
      await drainSignals();
    }
    await condition(allHandlersFinished);
    await drainSignals();
    return f;
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // The order was cancelled or terminated: whatever has not left the building goes back.
    await CancellationScope.nonCancellable(async () => {
      if (!ended() && !LEFT_BUILDING.has(f.status)) {
        if (f.status === 'awaiting_transfer') await withdrawFromTransfer();
        await releaseAll('cancelled');
        setStatus('cancelled', 'fulfillment.cancelled', { reason: 'workflow cancelled' });
        await publish();
      }
    });
    throw err;
  }

  /**
   * The location SLA: escalated when picking has not started in time; re-routed after as long
   * again. Signals (partial cancels, holds) are handled while it runs.
   */
  async function watchPickSla(): Promise<void> {
    if (!patched('sla-watch-through-signals')) return watchPickSlaUntilFirstSignal();
    const escalateAt = Date.now() + slaMs;
    while (f.status === 'pending') {
      const deadline = f.escalated ? escalateAt + slaMs : escalateAt;
      if (await condition(() => f.status !== 'pending' || cancellations.length > 0 || dirty, Math.max(1, deadline - Date.now()))) {
        await drainSignals();
        continue;
      }
      if (!f.escalated) {
        await escalateSla();
        continue;
      }
      await breachSla();
    }
  }

  /** Before the patch above: the watch ended at the first cancellation (kept for workflows started then). */
  async function watchPickSlaUntilFirstSignal(): Promise<void> {
    const started = () => f.status !== 'pending' || cancellations.length > 0;
    if (await condition(started, slaMs)) return;
    await escalateSla();
    if (await condition(started, slaMs)) return;
    await breachSla();
  }

  async function escalateSla(): Promise<void> {
    f.escalated = true;
    record('fulfillment.sla_escalated', { pickDueAt: f.pickDueAt });
    await publish();
  }

  async function breachSla(): Promise<void> {
    await exclusive(async () => {
      if (f.status !== 'pending') return;
      await releaseAll('sla_breached');
      pendingChange.reroute = { reason: `not picked within the SLA at ${f.locationId}` };
      setStatus('cancelled', 'fulfillment.sla_breached', { reason: 'not picked within the SLA; re-routed' });
      await publish();
    });
  }

  async function drainSignals(): Promise<void> {
    while (cancellations.length > 0) {
      const request = cancellations.shift()!;
      await exclusive(() => applyCancellation(request));
    }
    if (dirty) {
      dirty = false;
      await publish();
    }
  }

  /** Reminders while the order waits at the counter; expiry puts the units back on the shelf. */
  async function pickupWindow(): Promise<void> {
    const policy = requireStarted();
    const readyAt = readyAtMs ?? Date.parse(f.pickupExpiresAt!) - policy.pickupWindowHours * HOUR;
    const waiting = () => f.status !== 'ready_for_pickup' || dirty || cancellations.length > 0;
    const remindersSent = f.events.filter((e) => e.type === 'fulfillment.pickup_reminder').length;
    const nextReminder = policy.pickupReminderHours.filter((h) => h < policy.pickupWindowHours)[remindersSent];
    const deadline = nextReminder !== undefined ? readyAt + nextReminder * HOUR : Date.parse(f.pickupExpiresAt!);
    if (await condition(waiting, Math.max(1, deadline - Date.now()))) {
      await drainSignals();
      return;
    }
    if (nextReminder !== undefined) {
      record('fulfillment.pickup_reminder', { hoursWaiting: nextReminder, pickupExpiresAt: f.pickupExpiresAt }, { pickupCode });
      await publish();
      return;
    }
    await exclusive(async () => {
      if (f.status !== 'ready_for_pickup') return;
      await releaseAll('pickup_expired');
      setStatus('expired', 'fulfillment.expired', { reason: 'not collected within the pickup window; units restocked' });
      await publish();
    });
  }
}
