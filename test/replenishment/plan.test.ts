// The replenishment plan (domain/replenishment/plan.ts) on cases small enough to check by hand:
// the targets from forecast and error, when a proposal is made and how big, the source giving
// only what it can spare, rebalancing before buying, a supplier's minimum and multiple.
import { describe, expect, it } from 'vitest';
import { normalLoss, normalQuantile } from '../../domain/replenishment/normal.ts';
import { demandOver, echelonForecast, planReplenishment, purchaseQuantity, targetsOf, type PlanItem, type PlanPolicy } from '../../domain/replenishment/plan.ts';

const policy = (over: Partial<PlanPolicy> = {}): PlanPolicy => ({
  serviceLevel: 0.95,
  serviceMeasure: 'cycle',
  leadTimeDays: 3,
  reviewPeriodDays: 7,
  sourceLocationId: null,
  supplier: 'Acme',
  minQuantity: null,
  multiple: null,
  autoApprove: false,
  ...over,
});
const flat = (mean: number, errorSd = 2) => ({ method: 'ses', daily: Array.from({ length: 56 }, () => mean), errorSd });
const item = (locationId: string, over: Partial<PlanItem> = {}): PlanItem => ({ locationId, sku: 'S', policy: policy(), forecast: flat(10), onHand: 0, reserved: 0, incoming: 0, ...over });

describe('the standard normal quantile', () => {
  it('matches the tables', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536, 6);
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263479, 6);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.0902323, 6);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it('has the loss function of the tables', () => {
    expect(normalLoss(0)).toBeCloseTo(0.398942, 6);
    expect(normalLoss(1)).toBeCloseTo(0.083315, 6);
    expect(normalLoss(2)).toBeCloseTo(0.008491, 6);
  });
});

describe('targets', () => {
  it('reorders at the lead time and a night of demand plus z·σ·√(L+1), and fills up to that plus the review period', () => {
    const t = targetsOf(policy(), flat(10, 2));
    expect(t.demandOverLeadTime).toBe(40);
    expect(t.demandOverReviewPeriod).toBe(70);
    expect(t.safetyStock).toBeCloseTo(1.6448536 * 2 * 2, 5);
    expect(t.reorderPoint).toBeCloseTo(40 + t.safetyStock, 9);
    expect(t.orderUpTo).toBeCloseTo(110 + t.safetyStock, 9);
  });

  it('sizes safety stock for a fill rate: the expected shortage per cycle is (1 − β) of the cycle’s demand', () => {
    const fill = policy({ serviceMeasure: 'fill_rate', serviceLevel: 0.98 });
    const t = targetsOf(fill, flat(10, 5));
    const sigma = 5 * 2;
    // Short σ·G(z) units a cycle, 2% of the 70 a cycle orders.
    expect(sigma * normalLoss(t.z)).toBeCloseTo(0.02 * 70, 6);
    expect(t.safetyStock).toBeCloseTo(t.z * sigma, 9);
    // A cycle so long that the mean alone meets the fill rate needs no safety stock.
    expect(targetsOf({ ...fill, reviewPeriodDays: 90, serviceLevel: 0.9 }, flat(10, 1)).safetyStock).toBe(0);
  });

  it('carries the last week past the end of the forecast', () => {
    expect(demandOver([1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2], 10, 10)).toBe(20);
  });

  it('rounds a purchase up to the multiple, at least the minimum', () => {
    expect(purchaseQuantity(policy({ multiple: 12 }), 13)).toBe(24);
    expect(purchaseQuantity(policy({ multiple: 12, minQuantity: 50 }), 13)).toBe(50);
    expect(purchaseQuantity(policy(), 0)).toBe(0);
  });
});

describe('the plan', () => {
  it('proposes nothing above the reorder point, and the shortfall to the order-up-to level at or below it', () => {
    expect(planReplenishment([item('A', { onHand: 60 })])).toEqual([]);
    const [p] = planReplenishment([item('A', { onHand: 30, reserved: 5, incoming: 10 })]);
    const t = targetsOf(policy(), flat(10));
    expect(p).toMatchObject({ locationId: 'A', kind: 'purchase', supplier: 'Acme', quantity: Math.ceil(t.orderUpTo - 35) });
    expect(p!.reason).toMatchObject({ onHand: 30, reserved: 5, incoming: 10, inventoryPosition: 35, shortfall: Math.ceil(t.orderUpTo - 35), purchased: p!.quantity, sourceGave: 0, rebalanced: 0 });
  });

  it('takes from the source only what it holds above its own reorder point (on echelon demand), and leaves the rest to the source to buy', () => {
    const store = item('STORE', { policy: policy({ sourceLocationId: 'DC', supplier: null }), onHand: 0 });
    const dc = item('DC', { policy: policy({ leadTimeDays: 10 }), forecast: flat(5, 1), onHand: 400 });
    // The DC plans on its own demand and the store's: 15 a day, σ = √(1² + 2²).
    const echelon = echelonForecast(dc.forecast, [store.forecast!])!;
    expect(echelon.daily[0]).toBe(15);
    expect(echelon.errorSd).toBeCloseTo(Math.sqrt(5), 12);
    const dcTargets = targetsOf(dc.policy!, echelon);
    const storeShortfall = Math.ceil(targetsOf(store.policy!, store.forecast!).orderUpTo);
    const plan = planReplenishment([store, dc]);
    expect(plan).toEqual([expect.objectContaining({ locationId: 'STORE', kind: 'transfer', fromLocationId: 'DC', quantity: storeShortfall })]);
    expect(plan[0]!.reason).toMatchObject({ sourceGave: storeShortfall, purchased: 0 });
    expect(400 - storeShortfall).toBeGreaterThan(dcTargets.reorderPoint);
    // A DC at its reorder point gives nothing and buys for both; the store waits for it.
    const low = planReplenishment([store, { ...dc, onHand: 150 }]);
    expect(150).toBeLessThan(dcTargets.reorderPoint);
    expect(low).toEqual([expect.objectContaining({ locationId: 'DC', kind: 'purchase', quantity: Math.ceil(dcTargets.orderUpTo - 150) })]);
  });

  it('plans a source after the locations it supplies, counting what it gave', () => {
    const stores = ['S1', 'S2'].map((id) => item(id, { policy: policy({ sourceLocationId: 'DC', supplier: null }) }));
    const dc = item('DC', { policy: policy(), forecast: flat(1, 0), onHand: 300 });
    const dcTargets = targetsOf(dc.policy!, echelonForecast(dc.forecast, stores.map((s) => s.forecast!))!);
    const spare = Math.floor(300 - dcTargets.reorderPoint);
    const shortfall = Math.ceil(targetsOf(policy(), flat(10)).orderUpTo);
    const plan = planReplenishment([dc, ...stores]);
    // The first store gets its shortfall, the second what is left of the DC's spare; the DC, at its reorder point, buys.
    expect(plan.filter((p) => p.kind === 'transfer').map((p) => [p.locationId, p.quantity])).toEqual([['S1', shortfall], ['S2', spare - shortfall]]);
    expect(plan.filter((p) => p.locationId === 'DC')).toEqual([expect.objectContaining({ kind: 'purchase', quantity: Math.ceil(dcTargets.orderUpTo - (300 - spare)) })]);
  });

  it('a source without a policy gives all it has', () => {
    const plan = planReplenishment([item('STORE', { policy: policy({ sourceLocationId: 'DC', supplier: null }) }), item('DC', { policy: null, forecast: null, onHand: 500, reserved: 20 })]);
    expect(plan).toEqual([expect.objectContaining({ kind: 'transfer', fromLocationId: 'DC', quantity: plan[0]!.reason.shortfall })]);
  });

  it('rebalances from an overstocked location before buying', () => {
    const short = item('A', { onHand: 0 });
    const over = item('B', { onHand: 200 });
    const plan = planReplenishment([short, over]);
    const spare = Math.floor(200 - targetsOf(policy(), flat(10)).orderUpTo);
    const shortfall = plan[0]!.reason.shortfall;
    expect(plan).toEqual([
      expect.objectContaining({ locationId: 'A', kind: 'transfer', fromLocationId: 'B', quantity: spare }),
      expect.objectContaining({ locationId: 'A', kind: 'purchase', quantity: shortfall - spare }),
    ]);
    expect(plan[0]!.reason).toMatchObject({ rebalanced: spare, purchased: shortfall - spare });
  });

  it('buys what neither the source nor rebalancing covers, in the supplier’s multiples', () => {
    const plan = planReplenishment([item('A', { policy: policy({ multiple: 24, minQuantity: 48 }), onHand: 0 })]);
    expect(plan).toHaveLength(1);
    expect(plan[0]!.quantity % 24).toBe(0);
    expect(plan[0]!.quantity).toBeGreaterThanOrEqual(Math.max(48, plan[0]!.reason.shortfall));
  });

  it('skips a SKU without a forecast, and marks a policy’s proposals for auto-approval', () => {
    expect(planReplenishment([item('A', { forecast: null })])).toEqual([]);
    expect(planReplenishment([item('A', { policy: policy({ autoApprove: true }) })])[0]!.autoApprove).toBe(true);
  });
});
