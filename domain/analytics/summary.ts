// Fulfillment KPIs over a set of orders (GET /v1/analytics/summary): pure, computed from the
// read models' snapshots.
import type { FulfillmentResource } from '../fulfillments/schemas.ts';
import { isActive } from '../orders/order-state.ts';
import type { Order } from '../orders/schemas.ts';

export interface AnalyticsSummary {
  orders: number;
  /** Hours from order to completion (completed orders). */
  cycleTimeHours: { p50: number | null; p90: number | null };
  /** Routed orders shipped from more than one location. */
  splitRate: number | null;
  /** Units delivered or collected, of the units ordered (cancelled ones count against it). */
  fillRate: number | null;
  /** Delivered or collected fulfillments that met their estimated date. */
  onTimeRate: number | null;
  /** Pickups made ready that expired uncollected. */
  pickupExpiryRate: number | null;
  /** Units returned, of the units delivered or collected. */
  returnRate: number | null;
  /** Shipping labels bought, per order. */
  costPerOrder: { amount: number; currency: string } | null;
  /** Grams CO₂e the plans estimated, per order and per unit, over the orders whose fulfillments carry an estimate. */
  co2e: { perOrder: number | null; perUnit: number | null; orders: number };
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

export function summarize(input: {
  orders: readonly Order[];
  fulfillments: readonly FulfillmentResource[];
  labelCosts: readonly { amount: number; currency: string }[];
  returnedUnits: number;
}): AnalyticsSummary {
  const cycle: number[] = [];
  let routed = 0;
  let split = 0;
  let ordered = 0;
  let fulfilled = 0;
  let co2Orders = 0;
  let co2Grams = 0;
  let co2Units = 0;
  for (const order of input.orders) {
    const estimated = order.fulfillments.filter((f) => f.status !== 'cancelled' && f.status !== 'rejected' && f.co2eGrams !== undefined);
    if (estimated.length > 0) {
      co2Orders += 1;
      for (const f of estimated) {
        co2Grams += f.co2eGrams!;
        for (const l of f.lines) co2Units += l.quantity;
      }
    }
    const completed = order.events.find((e) => e.type === 'order.completed');
    if (completed) cycle.push((Date.parse(completed.at) - Date.parse(order.createdAt)) / 3600_000);
    const locations = new Set(order.fulfillments.filter(isActive).map((f) => f.locationId));
    if (order.fulfillments.length > 0) {
      routed += 1;
      if (locations.size > 1) split += 1;
    }
    for (const line of order.lines) ordered += line.quantity;
    for (const f of order.fulfillments) if (f.status === 'delivered' || f.status === 'picked_up') for (const l of f.lines) fulfilled += l.quantity;
  }
  let dated = 0;
  let onTime = 0;
  let ready = 0;
  let expired = 0;
  for (const f of input.fulfillments) {
    const done = [...f.events].reverse().find((e) => e.type === 'fulfillment.delivered' || e.type === 'fulfillment.picked_up');
    const estimate = input.orders.find((o) => o.id === f.orderId)?.fulfillments.find((x) => x.id === f.id)?.estimatedDelivery;
    if (done && estimate) {
      dated += 1;
      if (done.at.slice(0, 10) <= estimate) onTime += 1;
    }
    if (f.events.some((e) => e.type === 'fulfillment.ready_for_pickup')) {
      ready += 1;
      if (f.status === 'expired') expired += 1;
    }
  }
  cycle.sort((a, b) => a - b);
  const currency = input.labelCosts[0]?.currency;
  const cost = input.labelCosts.filter((c) => c.currency === currency).reduce((s, c) => s + c.amount, 0);
  return {
    orders: input.orders.length,
    cycleTimeHours: { p50: percentile(cycle, 50), p90: percentile(cycle, 90) },
    splitRate: ratio(split, routed),
    fillRate: ratio(fulfilled, ordered),
    onTimeRate: ratio(onTime, dated),
    pickupExpiryRate: ratio(expired, ready),
    returnRate: ratio(input.returnedUnits, fulfilled),
    costPerOrder: currency && input.orders.length > 0 ? { amount: Math.round(cost / input.orders.length), currency } : null,
    co2e: { perOrder: co2Orders ? Math.round(co2Grams / co2Orders) : null, perUnit: co2Units ? Math.round(co2Grams / co2Units) : null, orders: co2Orders },
  };
}
