// Pure rules of the order lifecycle: scans against lines, the order's status from its
// fulfillments, how much to have captured, and which units a cancellation takes.
import { describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../domain/gtin.ts';
import { applyPick, pickComplete } from '../../domain/fulfillments/picking.ts';
import type { FulfillmentLine } from '../../domain/fulfillments/schemas.ts';
import { captureTarget, derivedStatus, initialOrder, refreshLineCounts, unplacedLines } from '../../domain/orders/order-state.ts';
import type { CreateOrderRequest, Fulfillment, Order } from '../../domain/orders/schemas.ts';
import { planCancellation } from '../../workflows/order/validators.ts';

const GTIN = withCheckDigit('0614141000012');
const lines: FulfillmentLine[] = [
  { lineId: '1', sku: 'SHOE', gtin: GTIN, quantity: 2, picked: 0, short: 0 },
  { lineId: '2', sku: 'SOCK', quantity: 1, picked: 0, short: 0 },
];

describe('picking', () => {
  it('matches scans by SKU or GTIN and counts shortages', () => {
    const outcome = applyPick(lines, { scans: [{ barcode: GTIN, quantity: 1 }, { barcode: 'SOCK', quantity: 1 }], shortages: [{ lineId: '1', quantity: 1 }] });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(Object.fromEntries(outcome.picked)).toEqual({ '1': 1, '2': 1 });
    expect(Object.fromEntries(outcome.short)).toEqual({ '1': 1 });
  });

  it('names every bad scan: wrong item, bad check digit, too many units, unknown line', () => {
    const bad = GTIN.slice(0, -1) + String((Number(GTIN.at(-1)) + 1) % 10);
    const outcome = applyPick(lines, {
      scans: [{ barcode: 'HAT', quantity: 1 }, { barcode: bad, quantity: 1 }, { barcode: 'SOCK', quantity: 2 }],
      shortages: [{ lineId: '9', quantity: 1 }],
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors.map((e) => e.path)).toEqual(['shortages[0].lineId', 'scans[0].barcode', 'scans[1].barcode', 'scans[2].quantity']);
    expect(outcome.errors[1]!.message).toContain('wrong item');
    expect(outcome.errors[2]!.message).toContain('check digit');
  });

  it('is complete when every unit is picked or short', () => {
    expect(pickComplete([{ ...lines[0]!, picked: 1, short: 1 }, { ...lines[1]!, picked: 1 }])).toBe(true);
    expect(pickComplete([{ ...lines[0]!, picked: 1 }, { ...lines[1]!, picked: 1 }])).toBe(false);
  });
});

function order(): Order {
  const request: CreateOrderRequest = {
    channel: 'web',
    channelOrderId: 'U-1',
    customer: { id: 'c', name: 'Ada' },
    fulfillment: { method: 'ship' },
    serviceLevel: 'standard',
    lines: [
      { lineId: '1', sku: 'SHOE', quantity: 2, unitPrice: { amount: 3000, currency: 'USD' } },
      { lineId: '2', sku: 'SOCK', quantity: 2, unitPrice: { amount: 500, currency: 'USD' } },
    ],
    payment: { authorizationId: 'a', amount: { amount: 7700, currency: 'USD' } },
  };
  return initialOrder({ orderId: 'ord_u', createdAt: '2026-11-27T00:00:00.000Z', request });
}

const ful = (id: string, status: Fulfillment['status'], ls: [string, number][]): Fulfillment => ({
  id,
  locationId: `L-${id}`,
  method: 'ship',
  status,
  lines: ls.map(([lineId, quantity]) => ({ lineId, quantity })),
});

describe('order state', () => {
  it('derives the status from the fulfillments', () => {
    const o = order();
    expect(derivedStatus(o, false)).toBe('received');
    expect(derivedStatus(o, true)).toBe('backordered');
    o.fulfillments = [ful('a', 'pending', [['1', 2]]), ful('b', 'picking', [['2', 2]])];
    expect(derivedStatus(o, true)).toBe('in_fulfillment');
    o.fulfillments[0]!.status = 'shipped';
    expect(derivedStatus(o, true)).toBe('partially_shipped');
    o.fulfillments[1]!.status = 'in_transit';
    expect(derivedStatus(o, true)).toBe('shipped');
    refreshLineCounts(o);
    expect(o.lines.map((l) => [l.allocated, l.shipped])).toEqual([[2, 2], [2, 2]]);
  });

  it('captures in proportion to the value gone, to the cent of the authorization at the end', () => {
    const o = order();
    o.fulfillments = [ful('a', 'shipped', [['1', 2]]), ful('b', 'pending', [['2', 2]])];
    // 6000 of 7000 in goods: 6/7 of the 7700 authorized (which includes shipping).
    expect(captureTarget(o)).toBe(Math.floor((7700 * 6000) / 7000));
    o.fulfillments[1]!.status = 'delivered';
    expect(captureTarget(o)).toBe(7700);
    o.fulfillments[0]!.status = 'rejected';
    expect(captureTarget(o)).toBe(Math.floor((7700 * 1000) / 7000));
  });

  it('cancels backordered units first, then the newest fulfillment, never units that left', () => {
    const o = order();
    o.fulfillments = [ful('a', 'shipped', [['1', 1]]), ful('b', 'pending', [['2', 1]]), ful('c', 'picking', [['2', 1]])];
    expect(unplacedLines(o)).toEqual([{ lineId: '1', sku: 'SHOE', quantity: 1 }]);
    const plan = planCancellation(o);
    expect(Object.fromEntries(plan.byLine)).toEqual({ '1': 1, '2': 2 });
    expect(Object.fromEntries([...plan.byFulfillment].map(([id, c]) => [id, c]))).toEqual({
      c: { whole: true, lines: [{ lineId: '2', quantity: 1 }] },
      b: { whole: true, lines: [{ lineId: '2', quantity: 1 }] },
    });
    const one = planCancellation(o, [{ lineId: '2', quantity: 1 }]);
    expect([...one.byFulfillment.keys()]).toEqual(['c']);
  });
});
