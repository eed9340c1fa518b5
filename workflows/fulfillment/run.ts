// One fulfillment workflow's state — the fulfillment resource, its reservations, what the
// signals queued — and how it is published: the read model and outbox, then the order.
import { condition, getExternalWorkflowHandle, log, patched, workflowInfo } from '@temporalio/workflow';
import type { FulfillmentSetup } from '../../domain/fulfillments/setup.ts';
import type { FulfillmentChange } from '../../domain/fulfillments/changes.ts';
import type { FulfillmentResource, FulfillmentWorkflowInput } from '../../domain/fulfillments/schemas.ts';
import { ENDED_STATUSES, initialFulfillment, orderView } from '../../domain/fulfillments/state.ts';
import { receiptReservationKey } from '../../domain/inventory/reservation-keys.ts';
import type { FulfillmentStatus } from '../../domain/orders/schemas.ts';
import { addLocalDays } from '../../domain/shipping/local-time.ts';
import type { Transfer } from '../../domain/transfers/schemas.ts';
import { orAttention } from '../needs-attention.ts';
import { fulfillmentOutboxEvents } from '../outbox-events.ts';
import { INVALID_STATE, refuse } from '../update-refusals.ts';
import { orderTransferId } from '../transfer/definitions.ts';
import { releaseFulfillmentStock, saveFulfillmentSnapshot } from './activities.ts';
import { fulfillmentChangedSignal, type CancelFulfillmentRequest } from './definitions.ts';

export const HOUR = 3600_000;

export function nowIso(): string {
  return new Date().toISOString();
}

export class FulfillmentRun {
  readonly f: FulfillmentResource;
  /** The reservation holding each line's units (at the store once a transfer's units arrived). */
  readonly reservationKeys: Map<string, string>;
  shipTo: FulfillmentWorkflowInput['shipTo'];
  pickupCode: string | undefined;
  /** When the order went ready at the counter: the pickup reminders count from it. */
  readyAtMs: number | undefined;
  busy = false;
  pickNumber = 0;
  /** What the next publish tells the order besides the fulfillment's view. */
  pendingChange: Omit<FulfillmentChange, 'fulfillment'> = {};
  /** A signal changed something the read model must hear about. */
  dirty = false;
  /** Known once prepareFulfillment returns; Update validators may run before that. */
  setup: FulfillmentSetup | undefined;
  slaMs = 0;
  readonly seenTracking = new Set<string>();
  readonly cancellations: CancelFulfillmentRequest[] = [];
  /** Pickup by transfer (workflows started before it existed work at the store at once). */
  readonly viaTransfer: boolean;
  readonly transferId: string;
  /** The transfer as it last told us, and what of it this fulfillment has acted on. */
  transfer: Transfer | undefined;
  transferChanged = false;
  readonly transferSeen = { shipped: false, overdue: false, received: false };
  private revision = 0;
  private publishedEvents = 0;
  /** Data for the outbox that associates must not see in the resource (the customer's pickup code). */
  private readonly privateEventData = new Map<number, Record<string, unknown>>();

  constructor(readonly input: FulfillmentWorkflowInput) {
    this.f = initialFulfillment(input);
    this.reservationKeys = new Map(input.lines.map((l) => [l.lineId, l.reservationKey]));
    this.shipTo = input.shipTo;
    this.viaTransfer = input.transferFromLocationId !== undefined && patched('pickup-by-transfer');
    this.transferId = orderTransferId(input.fulfillmentId);
  }

  ended(): boolean {
    return ENDED_STATUSES.has(this.f.status);
  }

  record(type: string, detail: Record<string, unknown>, privateData?: Record<string, unknown>): void {
    const at = nowIso();
    this.f.events.push({ at, type, detail });
    this.f.updatedAt = at;
    if (privateData) this.privateEventData.set(this.f.events.length - 1, privateData);
  }

  setStatus(status: FulfillmentStatus, type: string, detail: Record<string, unknown> = {}, privateData?: Record<string, unknown>): void {
    this.f.status = status;
    this.record(type, { status, ...detail }, privateData);
  }

  /**
   * The order wrote the first state as revision 1 with its routed snapshot, and shows this
   * fulfillment already: nothing to publish now. The next publish sends every event from the
   * first (the outbox keeps one of each), so nothing is lost if the order's write failed.
   */
  firstStateSaved(): void {
    this.revision = 1;
  }

  /** Read model + outbox, then the order hears about it. */
  async publish(): Promise<void> {
    const { f } = this;
    this.revision += 1;
    const revision = this.revision;
    const firstFresh = this.publishedEvents;
    const fresh = fulfillmentOutboxEvents(f, this.publishedEvents, (index) => this.privateEventData.get(index));
    this.publishedEvents = f.events.length;
    const saved = await orAttention(() => saveFulfillmentSnapshot({ fulfillment: f, revision, events: fresh }).then(() => true), (failure) => this.needsAttention(failure), false);
    // After a failure the next snapshot carries these events again.
    if (!saved) this.publishedEvents = Math.min(this.publishedEvents, firstFresh);
    const change: FulfillmentChange = { fulfillment: orderView(f, { pickupCode: this.pickupCode, ...this.planned() }), ...this.pendingChange };
    this.pendingChange = {};
    const parent = workflowInfo().parent;
    if (!parent) return;
    try {
      await getExternalWorkflowHandle(parent.workflowId).signal(fulfillmentChangedSignal, change);
    } catch (err) {
      // The order has closed (e.g. it was terminated): there is nobody left to tell.
      log.warn('could not signal the order', { orderId: f.orderId, error: String(err) });
    }
  }

  /** A failure retrying will not mend: recorded here, and the order (which ops watch) is told. */
  needsAttention(failure: { activity: string; reason: string }): void {
    this.record('fulfillment.needs_attention', failure);
    this.pendingChange.needsAttention = failure;
  }

  /** What the plan promised: the order shows it with the fulfillment. */
  private planned() {
    const { input } = this;
    return {
      ...(input.estimatedDelivery ? { estimatedDelivery: input.estimatedDelivery } : {}),
      ...(input.co2eGrams !== undefined ? { co2eGrams: input.co2eGrams } : {}),
      ...(input.transferFromLocationId ? { transferFromLocationId: input.transferFromLocationId } : {}),
    };
  }

  /**
   * A window of whole days ends at the same local clock time at the store (72 hours is three
   * calendar days, one of which may have 23 or 25 hours); any other length is a duration.
   */
  pickupWindowEnd(policy: FulfillmentSetup): Date {
    const hours = policy.pickupWindowHours;
    if (policy.timezone && hours % 24 === 0 && patched('pickup-window-in-local-days')) return addLocalDays(new Date(), policy.timezone, hours / 24);
    return new Date(Date.now() + hours * HOUR);
  }

  /**
   * Updates run one at a time, and only once the fulfillment has started (its location's
   * barcodes and SLA are known): an associate may act on an id the moment the API shows it.
   */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    await condition(() => !this.busy && this.setup !== undefined);
    this.busy = true;
    try {
      return await work();
    } finally {
      this.busy = false;
    }
  }

  requireStatus(allowed: readonly FulfillmentStatus[], action: string): void {
    if (!allowed.includes(this.f.status)) refuse(INVALID_STATE, `A ${this.f.status} fulfillment cannot be ${action}.`);
  }

  requireStarted(): FulfillmentSetup {
    if (!this.setup) refuse(INVALID_STATE, 'The fulfillment is still starting; try again in a moment.');
    return this.setup;
  }

  requireNotHeld(): void {
    if (this.f.onHold) refuse(INVALID_STATE, 'The order is on hold: release it before working this fulfillment.');
  }

  /** Gives back every unit this fulfillment still holds (it will not ship from here). */
  async releaseAll(reason: string): Promise<void> {
    await releaseFulfillmentStock({ orderId: this.f.orderId, reservationKeys: this.everyKey(), actor: `fulfillment:${reason}` });
  }

  /** The keys the units may be held under: the lines' own, and for a pickup by transfer also the store's receipt keys. */
  private everyKey(): string[] {
    const { input, f } = this;
    if (!this.viaTransfer) return [...this.reservationKeys.values()];
    return [...input.lines.map((l) => l.reservationKey), ...input.lines.map((l) => receiptReservationKey(f.orderId, l.lineId, f.locationId, this.transferId))];
  }
}
