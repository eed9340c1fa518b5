// The exact placement over a fixed set of locations (domain/sourcing/placement.ts): it must find
// plans that moving one line at a time cannot reach, and know when it may not try.
import { describe, expect, it } from 'vitest';
import type { Site } from '../../domain/sourcing/costing.ts';
import { moveLines } from '../../domain/sourcing/improve.ts';
import { cheapestPlacement } from '../../domain/sourcing/placement.ts';
import type { Assignment, EngineLine } from '../../domain/sourcing/types.ts';

// Two locations with the same handling and one shipping scale: up to 5 kg 1,000, up to 10 kg
// 3,000, up to 20 kg 3,500 — so two parcels of at most 5 kg beat one of 10 kg or a 5 + 6 kg pair.
const steps: [number, number][] = [[5000, 1000], [10000, 3000], [20000, 3500]];
const sites = new Map<string, Site>([
  ['A', { handlingCost: 100, steps, minCost: 1100 }],
  ['B', { handlingCost: 100, steps, minCost: 1100 }],
]);
const offers = new Map([
  ['A', new Map([['HEAVY', 10], ['LIGHT', 10]])],
  ['B', new Map([['HEAVY', 10], ['LIGHT', 10]])],
]);

function cost(assignment: Assignment, lines: EngineLine[], penalty: number): number {
  const weight = new Map(lines.map((l) => [l.lineId, l.weightGrams]));
  let total = penalty * (assignment.size - 1);
  for (const [id, taken] of assignment) {
    const grams = [...taken].reduce((sum, [lineId, q]) => sum + q * weight.get(lineId)!, 0);
    total += sites.get(id)!.handlingCost + steps.find(([max]) => grams <= max)![1];
  }
  return total;
}

describe('cheapest placement over a fixed set of locations', () => {
  it('splits a line between two locations when that drops both parcels into the cheapest weight band', () => {
    // 4 × 2 kg and 1 × 1 kg = 9 kg: one parcel costs 3,100; split 2 kg + 2 kg + 1 kg (5 kg) and
    // 2 kg + 2 kg (4 kg) it costs 1,100 + 1,100 + a 200 penalty = 2,400.
    const lines: EngineLine[] = [
      { lineId: '1', sku: 'HEAVY', quantity: 4, weightGrams: 2000 },
      { lineId: '2', sku: 'LIGHT', quantity: 1, weightGrams: 1000 },
    ];
    const best = cheapestPlacement(['A', 'B'], lines, offers, sites, 200)!;
    expect(cost(best, lines, 200)).toBe(2400);
    expect([...best.values()].map((taken) => [...taken.values()].reduce((a, b) => a + b, 0)).sort()).toEqual([2, 3]);
    // Moving whole lines cannot get there: either line moved alone leaves a parcel over 5 kg.
    const moved = moveLines(new Map([['A', new Map([['1', 4]])], ['B', new Map([['2', 1]])]]), lines, offers, sites, 200);
    expect(cost(moved, lines, 200)).toBeGreaterThan(2400);
  });

  it('uses one location when the split penalty outweighs the cheaper parcels', () => {
    const lines: EngineLine[] = [{ lineId: '1', sku: 'HEAVY', quantity: 4, weightGrams: 2000 }];
    const best = cheapestPlacement(['A', 'B'], lines, offers, sites, 2000)!;
    expect(best.size).toBe(1);
    expect(cost(best, lines, 2000)).toBe(3100);
  });

  it('respects each location’s stock, lines sharing a SKU included', () => {
    const shallow = new Map([
      ['A', new Map([['HEAVY', 1]])],
      ['B', new Map([['HEAVY', 3]])],
    ]);
    const lines: EngineLine[] = [
      { lineId: '1', sku: 'HEAVY', quantity: 2, weightGrams: 100 },
      { lineId: '2', sku: 'HEAVY', quantity: 2, weightGrams: 100 },
    ];
    const best = cheapestPlacement(['A', 'B'], lines, shallow, sites, 0)!;
    const heavyAt = (id: string) => [...(best.get(id) ?? new Map<string, number>()).values()].reduce((a, b) => a + b, 0);
    expect(heavyAt('A')).toBe(1);
    expect(heavyAt('B')).toBe(3);
    expect(cheapestPlacement(['A', 'B'], [{ lineId: '1', sku: 'HEAVY', quantity: 5, weightGrams: 100 }], shallow, sites, 0)).toBeUndefined();
  });

  it('does not try when the placements are too many, nor for a single location', () => {
    const deep = new Map([['A', new Map([['LIGHT', 1000]])], ['B', new Map([['LIGHT', 1000]])]]);
    const lines = (count: number): EngineLine[] => Array.from({ length: count }, (_, i) => ({ lineId: String(i), sku: 'LIGHT', quantity: 3, weightGrams: 10 }));
    // 4 ways to share each line's 3 units: 4^6 = 4,096 placements are tried, 4^7 not (2^7 whole lines are).
    expect(cheapestPlacement(['A', 'B'], lines(6), deep, sites, 0)).toBeDefined();
    expect(cheapestPlacement(['A', 'B'], lines(7), deep, sites, 0)).toBeDefined();
    expect(cheapestPlacement(['A', 'B'], lines(13), deep, sites, 0)).toBeUndefined();
    expect(cheapestPlacement(['A'], lines(1), deep, sites, 0)).toBeUndefined();
  });
});
