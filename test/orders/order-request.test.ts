import { describe, expect, it } from 'vitest';
import { addCrossFieldErrors, zodFieldErrors } from '../../api/problem.ts';
import { CreateOrderRequest, orderCrossFieldIssues } from '../../domain/orders/schemas.ts';
import { shipOrder } from '../support/fixtures.ts';

/** What the API reports: zod's field errors plus the cross-field rules zod may have skipped. */
function errorsOf(body: unknown) {
  const result = CreateOrderRequest.safeParse(body);
  if (result.success) return [];
  return addCrossFieldErrors(zodFieldErrors(result.error), orderCrossFieldIssues(body));
}

describe('order request validation', () => {
  it('accepts the contract example shape', () => {
    expect(errorsOf(shipOrder('W-1', [{ sku: 'SKU-1', quantity: 2 }]))).toEqual([]);
  });

  it('names every bad field once', () => {
    const order = shipOrder('W-1', [{ sku: 'SKU-1', quantity: 2 }]) as any;
    order.lines[0].quantity = 1.5;
    order.customer.email = 'not-an-email';
    delete order.fulfillment.shipTo;
    order.payment.amount.currency = 'usd';
    const paths = errorsOf(order).map((e) => e.path).sort();
    expect(paths).toEqual(['customer.email', 'fulfillment.shipTo', 'lines[0].quantity', 'payment.amount.currency']);
  });

  it('requires a pickup location for pickup and curbside', () => {
    const order = shipOrder('W-1', [{ sku: 'SKU-1', quantity: 1 }]) as any;
    order.fulfillment = { method: 'curbside' };
    expect(errorsOf(order)).toEqual([{ path: 'fulfillment.pickupLocationId', message: 'is required for method "curbside"' }]);
  });

  it('refuses duplicate line ids and unknown fields', () => {
    const order = shipOrder('W-1', [
      { sku: 'A', quantity: 1, lineId: 'x' },
      { sku: 'B', quantity: 1, lineId: 'x' },
    ]) as any;
    order.coupon = 'FREE';
    expect(errorsOf(order).map((e) => e.path).sort()).toEqual(['coupon', 'lines[1].lineId']);
  });
});
