// What a fulfillment tells its order on every change, and how the order takes it in: its
// view of the fulfillment replaced, expired pickups cancelled, units sent back for routing,
// notices and refused cancellations recorded. Pure: the order workflow applies it.
import type { OrderProgress } from '../orders/progress.ts';
import type { Fulfillment, Order } from '../orders/schemas.ts';

export interface FulfillmentChange {
  fulfillment: Fulfillment;
  /** Units left this fulfillment (short pick, rejection, missed SLA): route them elsewhere, not here. */
  reroute?: {
    reason: string;
    /**
     * The location not to ask again for these units (the fulfillment's own when left out);
     * null: none (units lost in transit say nothing against any location).
     */
    excludeLocationId?: string | null;
  };
  /** Something ops should see on the order itself (a carrier's delivery exception, a late transfer). */
  notice?: { type: string; detail: Record<string, unknown> };
  /** A step of the fulfillment failed in a way retrying will not mend: ops must look at the order. */
  needsAttention?: { activity: string; reason: string };
  /** A cancellation arrived after these units had already left the building. */
  cancelRefused?: { lines: { lineId: string; quantity: number }[]; reason: string };
}

type Record_ = (type: string, detail: Record<string, unknown>) => void;

/** Takes a fulfillment's change into the order; `record` writes the order's events. */
export function applyFulfillmentChange(order: Order, progress: OrderProgress, change: FulfillmentChange, record: Record_): void {
  const index = order.fulfillments.findIndex((f) => f.id === change.fulfillment.id);
  if (index >= 0) {
    // The planned carrier and service stand until the label names the real ones.
    const planned = order.fulfillments[index]!;
    order.fulfillments[index] = { ...(planned.carrier ? { carrier: planned.carrier, service: planned.service } : {}), ...change.fulfillment };
    if (change.fulfillment.status === 'expired' && planned.status !== 'expired') {
      // Not collected in time: those units are cancelled (and refunded), not routed again.
      for (const l of change.fulfillment.lines) order.lines.find((line) => line.lineId === l.lineId)!.cancelled += l.quantity;
      record('order.lines_cancelled', { reason: 'pickup window expired', fulfillmentId: change.fulfillment.id, lines: change.fulfillment.lines, by: 'system' });
    }
  }
  if (change.reroute) {
    const exclude = change.reroute.excludeLocationId === undefined ? change.fulfillment.locationId : change.reroute.excludeLocationId;
    if (exclude !== null) progress.excluded.add(exclude);
    progress.rerouteNeeded = true;
    record('order.reroute_requested', { fulfillmentId: change.fulfillment.id, locationId: change.fulfillment.locationId, reason: change.reroute.reason });
  }
}

/** The change's notices and refused cancellations, recorded on the order (after any needs-attention flag). */
export function recordFulfillmentNotices(order: Order, change: FulfillmentChange, record: Record_): void {
  if (change.notice) {
    record(change.notice.type, change.notice.detail);
    // Customer-facing: the shop may tell the customer (through its webhook) the parcel is late.
    if (change.notice.type === 'order.delivery_exception') record('order.delayed', { reason: 'carrier delivery exception', fulfillmentId: change.fulfillment.id });
  }
  if (change.cancelRefused) {
    for (const refused of change.cancelRefused.lines) {
      const line = order.lines.find((l) => l.lineId === refused.lineId);
      if (line) line.cancelled = Math.max(0, line.cancelled - refused.quantity);
    }
    record('order.cancel_too_late', { fulfillmentId: change.fulfillment.id, lines: change.cancelRefused.lines, reason: change.cancelRefused.reason });
  }
}
