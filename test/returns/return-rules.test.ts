// The return rules on their own: what a customer may still send back (delivered or collected,
// within the window, minus what is already on its way back), how a request is judged, and the
// refund with the order's discount applied pro rata.
import { describe, expect, it } from 'vitest';
import type { FulfillmentResource } from '../../domain/fulfillments/schemas.ts';
import { checkReturnRequest, refundFor, returnableUnits } from '../../domain/returns/rules.ts';

const DAY = 86_400_000;
const now = Date.parse('2026-12-20T12:00:00Z');

function delivered(id: string, at: string, lines: { lineId: string; quantity: number; short?: number }[], status: FulfillmentResource['status'] = 'delivered'): FulfillmentResource {
  return {
    id, orderId: 'ord_r', locationId: 'WH', method: 'ship', serviceLevel: 'standard', status, escalated: false, onHold: false, createdAt: at, updatedAt: at,
    lines: lines.map((l) => ({ lineId: l.lineId, sku: 'A', quantity: l.quantity, picked: l.quantity - (l.short ?? 0), short: l.short ?? 0 })),
    events: [{ at, type: `fulfillment.${status}`, detail: {} }],
  };
}

describe('returnable units', () => {
  it('counts what was delivered or collected, short units left out, within the window from each delivery', () => {
    const fulfillments = [
      delivered('f1', new Date(now - 40 * DAY).toISOString(), [{ lineId: 'L1', quantity: 2 }]),
      delivered('f2', new Date(now - 5 * DAY).toISOString(), [{ lineId: 'L1', quantity: 3, short: 1 }], 'picked_up'),
      delivered('f3', new Date(now - 1 * DAY).toISOString(), [{ lineId: 'L1', quantity: 9 }], 'shipped'),
    ];
    const units = returnableUnits(fulfillments, new Map([['L1', 1]]), 30, now);
    expect(units.had('L1')).toBe(3); // 2 + (3 − 1 short), minus 1 already asked back; not the shipped 9
    expect(units.inWindow('L1')).toBe(1); // only the pickup 5 days ago is within 30 days
  });
});

describe('a return request', () => {
  const order = { lines: [{ lineId: 'L1' }, { lineId: 'L2' }] } as Parameters<typeof checkReturnRequest>[0];
  const returnable = { had: (id: string) => (id === 'L1' ? 2 : 0), inWindow: (id: string) => (id === 'L1' ? 1 : 0) };
  const request = (lines: { lineId: string; quantity: number }[]) => ({ orderId: 'ord_r', method: 'mail' as const, lines: lines.map((l) => ({ ...l, reason: 'too small' })) });

  it('is 422 naming the line for more than was had, 409 when the window has closed, fine otherwise', () => {
    expect(checkReturnRequest(order, request([{ lineId: 'L9', quantity: 1 }]), returnable)).toMatchObject({ ok: false, status: 422, errors: [{ path: 'lines[0].lineId' }] });
    expect(checkReturnRequest(order, request([{ lineId: 'L1', quantity: 3 }]), returnable)).toMatchObject({ ok: false, status: 422, errors: [{ path: 'lines[0].quantity' }] });
    expect(checkReturnRequest(order, request([{ lineId: 'L1', quantity: 2 }]), returnable)).toMatchObject({ ok: false, status: 409 });
    expect(checkReturnRequest(order, request([{ lineId: 'L1', quantity: 1 }]), returnable)).toEqual({ ok: true });
  });
});

describe('the refund', () => {
  it('is the units’ price with the order-level discount pro rata, rounded down', () => {
    const order = { payment: { amount: { amount: 9000 } }, lines: [{ lineId: 'L1', unitPrice: { amount: 4000 }, quantity: 2 }, { lineId: 'L2', unitPrice: { amount: 2000 }, quantity: 1 }] };
    expect(refundFor(order, new Map([['L1', 1]]))).toBe(3600); // 4000 of 10000 at 9000 paid
    expect(refundFor(order, new Map())).toBe(0);
    expect(refundFor({ payment: { amount: { amount: 0 } }, lines: [] }, new Map([['L1', 1]]))).toBe(0);
  });
});
