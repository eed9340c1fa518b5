// The order workflow's progress rules, without a workflow: when it routes, which round it is,
// which timer it waits for, when it closes and how; how a fulfillment's change is taken in.
import { describe, expect, it } from 'vitest';
import { applyFulfillmentChange, recordFulfillmentNotices } from '../../domain/fulfillments/changes.ts';
import { initialOrder } from '../../domain/orders/order-state.ts';
import { closingStatus, holdPlaced, holdsReleased, initialProgress, nextDeadline, readyToClose, readyToRoute, startRoutingRound } from '../../domain/orders/progress.ts';
import type { CreateOrderRequest, Fulfillment, Order } from '../../domain/orders/schemas.ts';
import { shipOrder } from '../support/fixtures.ts';

const HOUR = 3600_000;
const policy = { holdEscalateAfterHours: 24, holdAutoCancelAfterHours: 72, backorderRecheckMinutes: 60, backorderPromiseDays: 4 };

function order(quantity = 2): Order {
  return initialOrder({ orderId: 'ord_1', createdAt: '2026-12-01T00:00:00.000Z', request: shipOrder('P-1', [{ sku: 'A', quantity, lineId: 'L1' }]) as CreateOrderRequest });
}
const fulfillment = (status: Fulfillment['status'], quantity = 2): Fulfillment => ({ id: 'ful_1', locationId: 'WH', method: 'ship', status, lines: [{ lineId: 'L1', quantity }] });

describe('order progress', () => {
  it('routes once at first, again only when asked, never while held or closed', () => {
    const o = order();
    const p = initialProgress();
    expect(readyToRoute(p, o)).toBe(true);
    expect(startRoutingRound(p)).toBe('initial');
    expect(readyToRoute(p, o)).toBe(false); // a round is running
    p.routingBusy = false;
    p.routed = true;
    expect(readyToRoute(p, o)).toBe(false); // routed, nothing asked
    p.rerouteNeeded = true;
    o.holds.push({ reason: 'fraud', placedAt: o.createdAt });
    expect(readyToRoute(p, o)).toBe(false);
    o.holds = [];
    expect(startRoutingRound(p)).toBe('reroute');
    expect(p).toMatchObject({ rerouteNeeded: false, retryRequested: false, routingBusy: true });
    p.routingBusy = false;
    p.retryRequested = true;
    expect(startRoutingRound(p)).toBe('backorder');
  });

  it('waits for hold escalation, then auto-cancel; for backordered units, the re-check before the promise', () => {
    const o = order();
    const p = initialProgress();
    expect(nextDeadline(p, o, undefined, () => 0)).toBeUndefined();
    o.holds.push({ reason: 'fraud', placedAt: o.createdAt });
    holdPlaced(p, 1000);
    holdPlaced(p, 5000); // a second hold keeps the first one's clock
    expect(nextDeadline(p, o, policy, () => 0)).toEqual({ at: 1000 + 24 * HOUR, what: 'escalate' });
    p.holdEscalated = true;
    expect(nextDeadline(p, o, policy, () => 0)).toEqual({ at: 1000 + 72 * HOUR, what: 'auto_cancel' });
    o.holds = [];
    holdsReleased(p);
    expect(p).toMatchObject({ heldSince: undefined, holdEscalated: false });
    p.routed = true;
    p.lastRoutingAt = 0;
    expect(nextDeadline(p, o, policy, () => 4 * 24 * HOUR)).toEqual({ at: HOUR, what: 'recheck' });
    expect(nextDeadline(p, o, policy, () => HOUR / 2)).toEqual({ at: HOUR / 2, what: 'promise' });
  });

  it('closes once every line is settled and every fulfillment ended: completed unless all was cancelled', () => {
    const o = order();
    o.fulfillments.push(fulfillment('shipped'));
    expect(readyToClose(o)).toBe(false);
    o.fulfillments[0] = fulfillment('delivered');
    expect(readyToClose(o)).toBe(true);
    expect(closingStatus(o)).toBe('completed');
    o.lines[0]!.cancelled = 2;
    expect(closingStatus(o)).toBe('cancelled');
  });
});

describe('a fulfillment change taken into the order', () => {
  it('replaces the view, keeps the planned carrier, and sends short units back, blaming the right location', () => {
    const o = order();
    const p = initialProgress();
    o.fulfillments.push({ ...fulfillment('pending'), carrier: 'ups', service: 'ground' });
    const events: string[] = [];
    const record = (type: string) => events.push(type);
    applyFulfillmentChange(o, p, { fulfillment: fulfillment('picking', 1), reroute: { reason: 'short pick' } }, record);
    expect(o.fulfillments[0]).toMatchObject({ status: 'picking', carrier: 'ups', lines: [{ quantity: 1 }] });
    expect([...p.excluded]).toEqual(['WH']);
    expect(p.rerouteNeeded).toBe(true);
    applyFulfillmentChange(o, p, { fulfillment: fulfillment('picking', 1), reroute: { reason: 'lost in transit', excludeLocationId: null } }, record);
    expect([...p.excluded]).toEqual(['WH']);
    expect(events).toEqual(['order.reroute_requested', 'order.reroute_requested']);
  });

  it('cancels the units of an expired pickup once, and gives back units whose cancellation came too late', () => {
    const o = order();
    const p = initialProgress();
    o.fulfillments.push(fulfillment('ready_for_pickup'));
    const events: string[] = [];
    const record = (type: string) => events.push(type);
    applyFulfillmentChange(o, p, { fulfillment: fulfillment('expired') }, record);
    applyFulfillmentChange(o, p, { fulfillment: fulfillment('expired') }, record);
    expect(o.lines[0]!.cancelled).toBe(2);
    recordFulfillmentNotices(o, { fulfillment: fulfillment('expired'), cancelRefused: { lines: [{ lineId: 'L1', quantity: 1 }], reason: 'already shipped' }, notice: { type: 'order.delivery_exception', detail: {} } }, record);
    expect(o.lines[0]!.cancelled).toBe(1);
    expect(events).toEqual(['order.lines_cancelled', 'order.delivery_exception', 'order.delayed', 'order.cancel_too_late']);
  });
});
