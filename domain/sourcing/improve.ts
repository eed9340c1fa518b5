// Improving candidates: greedy covers (the location with the lowest marginal cost per newly
// covered unit, one at a time), dropping redundant locations, moving a line's units to
// another chosen location while that is cheaper.
import { fillFrom, unitsOf } from './candidates.ts';
import { shippingFor, type Site } from './costing.ts';
import type { Assignment, EngineLine, EngineLocation, EngineOrder, Offers } from './types.ts';

/** Adds locations one by one, each time the one with the lowest marginal cost per newly covered unit. */
export function greedyCover(
  startId: string,
  eligible: readonly EngineLocation[],
  order: EngineOrder,
  offers: Offers,
  maxFulfillments: number,
  costOf: (a: Assignment) => number | undefined,
): Assignment {
  const chosen = [startId];
  let current = fillFrom(chosen, order.lines, offers);
  const total = order.lines.reduce((s, l) => s + l.quantity, 0);
  while (unitsOf(current) < total && chosen.length < maxFulfillments) {
    const baseUnits = unitsOf(current);
    const baseCost = costOf(current) ?? 0;
    let best: { id: string; assignment: Assignment; ratio: number } | undefined;
    for (const location of eligible) {
      if (chosen.includes(location.id)) continue;
      const next = fillFrom([...chosen, location.id], order.lines, offers);
      const gained = unitsOf(next) - baseUnits;
      if (gained <= 0) continue;
      const cost = costOf(next);
      if (cost === undefined) continue;
      const ratio = (cost - baseCost) / gained;
      if (!best || ratio < best.ratio || (ratio === best.ratio && location.id < best.id)) best = { id: location.id, assignment: next, ratio };
    }
    if (!best) break;
    chosen.push(best.id);
    current = best.assignment;
  }
  return current;
}

/** Drops a location when the others can take all its units at a lower total cost. */
export function dropRedundant(
  assignment: Assignment,
  lines: readonly EngineLine[],
  offers: Offers,
  costOf: (a: Assignment) => number | undefined,
): Assignment {
  let current = assignment;
  let improved = true;
  while (improved && current.size > 1) {
    improved = false;
    const units = unitsOf(current);
    const cost = costOf(current) ?? Infinity;
    for (const id of [...current.keys()]) {
      const others = [...current.keys()].filter((k) => k !== id);
      const candidate = fillFrom(others, lines, offers);
      const candidateCost = costOf(candidate);
      if (unitsOf(candidate) === units && candidateCost !== undefined && candidateCost <= cost) {
        current = candidate;
        improved = true;
        break;
      }
    }
  }
  return current;
}

/**
 * Moves all units of one line to another chosen location while that lowers the cost.
 * Works on per-location weights, so each tried move costs a few lookups, not a copy.
 */
export function moveLines(
  assignment: Assignment,
  lines: readonly EngineLine[],
  offers: Offers,
  sites: Map<string, Site>,
  splitPenalty: number,
): Assignment {
  const current: Assignment = new Map([...assignment].map(([id, taken]) => [id, new Map(taken)]));
  const lineById = new Map(lines.map((l) => [l.lineId, l]));
  const weight = new Map<string, number>();
  for (const [id, taken] of current) {
    let grams = 0;
    for (const [lineId, q] of taken) grams += q * lineById.get(lineId)!.weightGrams;
    weight.set(id, grams);
  }
  const costAt = (id: string, grams: number) => sites.get(id)!.handlingCost + shippingFor(sites.get(id)!.steps, grams);
  const skuUnitsAt = (id: string, sku: string) => {
    let units = 0;
    for (const [lineId, q] of current.get(id) ?? []) if (lineById.get(lineId)!.sku === sku) units += q;
    return units;
  };
  let improved = true;
  while (improved) {
    improved = false;
    for (const line of lines) {
      const holders = [...current].filter(([, taken]) => taken.has(line.lineId)).map(([id]) => id);
      for (const target of current.keys()) {
        const moving = holders.filter((id) => id !== target).reduce((sum, id) => sum + current.get(id)!.get(line.lineId)!, 0);
        if (moving === 0) continue;
        if (skuUnitsAt(target, line.sku) + moving > (offers.get(target)?.get(line.sku) ?? 0)) continue;
        let delta = costAt(target, weight.get(target)! + moving * line.weightGrams) - costAt(target, weight.get(target)!);
        for (const id of holders) {
          if (id === target) continue;
          const q = current.get(id)!.get(line.lineId)!;
          const emptied = current.get(id)!.size === 1;
          delta += (emptied ? -splitPenalty : costAt(id, weight.get(id)! - q * line.weightGrams)) - costAt(id, weight.get(id)!);
        }
        if (delta >= 0) continue;
        for (const id of holders) {
          if (id === target) continue;
          const taken = current.get(id)!;
          weight.set(id, weight.get(id)! - taken.get(line.lineId)! * line.weightGrams);
          taken.delete(line.lineId);
          if (taken.size === 0) {
            current.delete(id);
            weight.delete(id);
          }
        }
        const targetLines = current.get(target)!;
        targetLines.set(line.lineId, (targetLines.get(line.lineId) ?? 0) + moving);
        weight.set(target, weight.get(target)! + moving * line.weightGrams);
        improved = true;
        break;
      }
      if (improved) break;
    }
  }
  return current;
}
