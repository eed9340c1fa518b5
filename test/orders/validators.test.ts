// The exception actions' validators and the cancellation plan, on an order's state alone:
// what each refuses (409 for the state, 422 naming the field) and which units a cancel takes.
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { initialOrder } from '../../domain/orders/order-state.ts';
import type { CreateOrderRequest, Fulfillment, Order } from '../../domain/orders/schemas.ts';
import { planCancellation, validateAddress, validateCancel, validateHold, validateRelease, validateReroute } from '../../workflows/order/validators.ts';
import { shipOrder } from '../support/fixtures.ts';

function order(): Order {
  const o = initialOrder({ orderId: 'ord_v', createdAt: '2026-12-01T00:00:00.000Z', request: shipOrder('V-1', [{ sku: 'A', quantity: 3, lineId: 'L1' }, { sku: 'B', quantity: 1, lineId: 'L2' }]) as CreateOrderRequest });
  o.status = 'routed';
  return o;
}
const at = (id: string, status: Fulfillment['status'], lines: Fulfillment['lines']): Fulfillment => ({ id, locationId: `WH-${id}`, method: 'ship', status, lines });

/** The refusal a validator throws: its kind and message (and the fields, for a 422). */
function refusal(check: () => void): { type: string | undefined; message: string; fields?: unknown } {
  try {
    check();
  } catch (err) {
    if (!(err instanceof ApplicationFailure)) throw err;
    return { type: err.type ?? undefined, message: err.message, ...(err.details?.[0] ? { fields: err.details[0] } : {}) };
  }
  throw new Error('accepted');
}

describe('order validators', () => {
  it('hold and release: a reason is required; a release needs a hold', () => {
    const o = order();
    expect(refusal(() => validateHold(o, {})).type).toBe('ValidationError');
    expect(() => validateHold(o, { reason: 'fraud review' })).not.toThrow();
    expect(refusal(() => validateRelease(o, {})).message).toMatch(/not on hold/);
  });

  it('cancel: unknown lines and too many units are 422 naming the field; shipped units are 409', () => {
    const o = order();
    expect(refusal(() => validateCancel(o, { reason: 'x', lines: [{ lineId: 'NOPE', quantity: 1 }] }, false)).fields).toEqual([{ path: 'lines[0].lineId', message: 'the order has no line NOPE' }]);
    expect(refusal(() => validateCancel(o, { reason: 'x', lines: [{ lineId: 'L1', quantity: 4 }] }, false)).fields).toEqual([expect.objectContaining({ path: 'lines[0].quantity' })]);
    o.fulfillments.push(at('1', 'shipped', [{ lineId: 'L1', quantity: 2 }]));
    expect(refusal(() => validateCancel(o, { reason: 'x' }, false)).type).toBe('InvalidState');
    expect(refusal(() => validateCancel(o, { reason: 'x', lines: [{ lineId: 'L1', quantity: 2 }] }, false)).message).toMatch(/at most 1 can be cancelled/);
    expect(() => validateCancel(o, { reason: 'x', lines: [{ lineId: 'L1', quantity: 1 }] }, false)).not.toThrow();
    expect(refusal(() => validateCancel(o, { reason: 'x' }, true)).type).toBe('InvalidState');
  });

  it('reroute: the fulfillment must exist and still be pending, picking or awaiting its transfer', () => {
    const o = order();
    o.fulfillments.push(at('1', 'awaiting_transfer', [{ lineId: 'L1', quantity: 3 }]), at('2', 'packed', [{ lineId: 'L2', quantity: 1 }]));
    expect(refusal(() => validateReroute(o, { fulfillmentId: 'ful_none', reason: 'x' }, false)).fields).toEqual([expect.objectContaining({ path: 'fulfillmentId' })]);
    expect(() => validateReroute(o, { fulfillmentId: '1', reason: 'x' }, false)).not.toThrow();
    expect(refusal(() => validateReroute(o, { fulfillmentId: '1', toLocationId: 'WH-1', reason: 'x' }, false)).fields).toEqual([expect.objectContaining({ path: 'toLocationId' })]);
    expect(refusal(() => validateReroute(o, { fulfillmentId: '2', reason: 'x' }, false)).message).toMatch(/packed fulfillment cannot be re-routed/);
  });

  it('address: only for shipped orders, and not once a label exists', () => {
    const o = order();
    const shipTo = { line1: '1 Main St', city: 'Chicago', region: 'IL', postalCode: '60601', country: 'US' };
    expect(() => validateAddress(o, { shipTo }, false)).not.toThrow();
    o.fulfillments.push({ ...at('1', 'packed', [{ lineId: 'L1', quantity: 3 }]), trackingNumber: '1Z1' });
    expect(refusal(() => validateAddress(o, { shipTo }, false)).message).toMatch(/label already exists/);
  });
});

describe('the cancellation plan', () => {
  it('takes unplaced units first, then the newest fulfillments that have not left; whole when nothing would be left', () => {
    const o = order();
    o.fulfillments.push(at('old', 'pending', [{ lineId: 'L1', quantity: 1 }]), at('new', 'picking', [{ lineId: 'L1', quantity: 1 }, { lineId: 'L2', quantity: 1 }]));
    // L1: 3 ordered, 2 placed, 1 unplaced.
    const plan = planCancellation(o, [{ lineId: 'L1', quantity: 2 }]);
    expect(plan.byLine).toEqual(new Map([['L1', 2]]));
    expect(plan.byFulfillment).toEqual(new Map([['new', { whole: false, lines: [{ lineId: 'L1', quantity: 1 }] }]]));
    const all = planCancellation(o);
    expect([...all.byFulfillment.entries()].map(([id, e]) => [id, e.whole])).toEqual([
      ['new', true],
      ['old', true],
    ]);
  });
});
