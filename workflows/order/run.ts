// One order workflow's state: the order resource, its progress (domain/orders/progress.ts),
// its children, and how it is published — search attributes and memo for ops in the Temporal
// UI, the read model and outbox for everyone else.
import { condition, patched, proxyActivities, proxyLocalActivities, upsertMemo, upsertSearchAttributes, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import type { ScreeningResult } from '../../activities/orders/screen-order.ts';
import { derivedStatus, fulfillmentLocations, initialOrder, isActive, recordEvent, refreshLineCounts, type OrderWorkflowInput } from '../../domain/orders/order-state.ts';
import { initialProgress } from '../../domain/orders/progress.ts';
import type { Order } from '../../domain/orders/schemas.ts';
import type { FulfillmentResource } from '../../domain/fulfillments/schemas.ts';
import { orAttention } from '../needs-attention.ts';
import { fulfillmentOutboxEvents, outboxEventsSince } from '../outbox-events.ts';
import { FulfillmentLocationsKey, NeedsAttentionKey, OnHoldKey, OrderStatusKey } from '../search-attributes.ts';
import type { fulfillmentWorkflow } from '../fulfillment/workflow.ts';

const { saveOrderSnapshot, markOrderNeedsAttention } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
/** Intake's write runs in the worker within the order's workflow task (workflows/order/intake.ts). */
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export type FulfillmentChild = ChildWorkflowHandle<typeof fulfillmentWorkflow>;

export function nowIso(): string {
  // Workflow time: deterministic on replay.
  return new Date().toISOString();
}

/** Servers without the contract's search attributes (Temporal's time-skipping test server) start orders with this memo. */
function searchAttributesEnabled(): boolean {
  return workflowInfo().memo?.['fulcrum.searchAttributes'] !== 'off';
}

export class OrderRun {
  readonly order: Order;
  readonly progress = initialProgress();
  readonly withSearchAttributes = searchAttributesEnabled();
  readonly children = new Map<string, FulfillmentChild>();
  /** Fulfillments that have published themselves (they are in their location's queue). */
  readonly announced = new Set<string>();
  /**
   * Fast intake (workflows/order/intake.ts): screening and routing within the first workflow
   * task, fulfillments started with their first state. Orders started before it keep the
   * step-by-step path.
   */
  readonly fast = patched('fast-intake');
  /**
   * Intake is running: the exception actions wait for it (they change state only after). True
   * from the start: an action that came before the first workflow task is dispatched when its
   * handler is registered, before the workflow's body runs.
   */
  intake = this.fast;
  /** First states of fulfillments started with them, written by the next publish. */
  readonly firstStates = new Map<string, FulfillmentResource>();
  policy: ScreeningResult['policy'] | undefined;
  paymentSeq = 0;
  private revision = 0;
  /** The newest revision the read model holds, and the first that showed a routing decision. */
  private savedRevision = 0;
  private routedRevision: number | undefined;
  /** Positions of `order.needs_attention` events not yet flagged in the read model. */
  private readonly attentionEvents: number[] = [];
  private publishedEvents = 0;
  private memo = '';

  constructor(input: OrderWorkflowInput) {
    this.order = initialOrder(input);
  }

  event(type: string, detail: Record<string, unknown>): void {
    recordEvent(this.order, nowIso(), type, detail);
  }

  refresh(): void {
    refreshLineCounts(this.order);
    const { order, progress } = this;
    order.status = progress.closed ?? (order.holds.length > 0 ? 'on_hold' : derivedStatus(order, progress.routed));
  }

  /**
   * The order as callers see it: a fulfillment is shown once its workflow has started, so
   * every fulfillment id the API shows can be acted on at once (a re-route's new fulfillment
   * is in the order's state a moment before its child exists).
   */
  shown(): Order {
    const { order, children } = this;
    if (order.fulfillments.every((f) => children.has(f.id))) return order;
    return { ...order, fulfillments: order.fulfillments.filter((f) => children.has(f.id)) };
  }

  /** Publishes the current state: search attributes and memo for ops, the read model and outbox for everyone. */
  async publish(how: { local?: boolean } = {}): Promise<void> {
    this.refresh();
    const { order } = this;
    this.revision += 1;
    if (this.withSearchAttributes) {
      upsertSearchAttributes([
        { key: OrderStatusKey, value: order.status },
        { key: OnHoldKey, value: order.holds.length > 0 },
        { key: FulfillmentLocationsKey, value: fulfillmentLocations(order) },
      ]);
    }
    const summary = orderSummary(order);
    if (summary !== this.memo) {
      this.memo = summary;
      upsertMemo({ summary });
    }
    const events = this.outboxEvents(this.publishedEvents);
    const upTo = order.events.length;
    const saving = this.revision;
    if (this.routedRevision === undefined && order.status !== 'received') this.routedRevision = saving;
    // Events count as published once written: after a failure the next snapshot carries them.
    const firstStates = this.firstStatesToWrite();
    const save = how.local ? local.saveOrderSnapshot : saveOrderSnapshot;
    const saved = await orAttention(() => save({ order: this.shown(), revision: saving, events, ...firstStates }).then(() => true), (f) => this.needsAttention(f), false);
    if (saved) {
      for (const f of firstStates.fulfillments ?? []) this.firstStates.delete(f.fulfillment.id);
      this.publishedEvents = Math.max(this.publishedEvents, upTo);
      this.savedRevision = Math.max(this.savedRevision, saving);
    }
    await this.markNeedsAttention();
  }

  /** The first states of fulfillments whose workflows run (the order shows them): they go with the snapshot. */
  private firstStatesToWrite(): { fulfillments?: { fulfillment: FulfillmentResource; events: ReturnType<typeof fulfillmentOutboxEvents> }[] } {
    const ready = [...this.firstStates.values()].filter((f) => this.children.has(f.id));
    return ready.length === 0 ? {} : { fulfillments: ready.map((f) => ({ fulfillment: f, events: fulfillmentOutboxEvents(f, 0) })) };
  }

  /** Answers `?wait=routed` once the decision is in the read models too (bounded: a stuck child cannot hold the caller). */
  async routingAnswered(): Promise<Order> {
    // Fast intake: the routed snapshot carries the fulfillments' first states. If writing it
    // failed in a way retrying will not mend, the caller hears the decision with the flag.
    if (this.fast) {
      const written = () => this.routedRevision !== undefined && this.savedRevision >= this.routedRevision;
      await condition(() => this.order.status !== 'received' && (written() || this.order.needsAttention !== undefined));
      return this.shown();
    }
    await condition(() => this.order.status !== 'received');
    if (patched('routing-answer-after-read-models')) {
      await condition(
        () => this.routedRevision !== undefined && this.savedRevision >= this.routedRevision && this.order.fulfillments.every((f) => this.announced.has(f.id)),
        '5 seconds',
      );
    }
    return this.shown();
  }

  private outboxEvents(from: number) {
    const { order } = this;
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
  needsAttention(failure: { activity: string; reason: string }): void {
    const { order } = this;
    const first = !order.needsAttention;
    if (!first && order.needsAttention!.activity === failure.activity) return;
    if (first) order.needsAttention = { ...failure, since: nowIso() };
    this.event('order.needs_attention', failure);
    this.attentionEvents.push(order.events.length - 1);
    if (this.withSearchAttributes) upsertSearchAttributes([{ key: NeedsAttentionKey, value: true }]);
  }

  /** The flag and its events go to the read model apart from the snapshot, which may be what keeps failing. */
  private async markNeedsAttention(): Promise<void> {
    while (this.attentionEvents.length > 0) {
      const [recorded] = this.outboxEvents(this.attentionEvents.shift()!).slice(0, 1);
      await orAttention(() => markOrderNeedsAttention({ orderId: this.order.id, needsAttention: this.order.needsAttention!, event: recorded! }), () => undefined, undefined);
    }
  }
}

function orderSummary(order: Order): string {
  const units = order.lines.reduce((s, l) => s + l.quantity, 0);
  const where = [...new Set(order.fulfillments.filter(isActive).map((f) => f.locationId))].join(', ') || 'not placed';
  const hold = order.holds.length > 0 ? ` — on hold: ${order.holds.map((h) => h.reason).join('; ')}` : '';
  return `${order.channel} ${order.channelOrderId}: ${order.status}, ${units} unit(s), ${order.fulfillmentMethod} from ${where}${hold}`;
}
