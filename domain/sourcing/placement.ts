// The cheapest plan over a fixed set of locations: an exhaustive search with bounds over how
// many units of each line each location ships. Shipping is a step function of weight, so moving
// one line at a time (improve.ts) stalls where units must change places together to drop a
// parcel into a cheaper weight band; for the few best location sets every placement is tried —
// split lines included while the placements stay few, else each line whole at one location.
import { shippingFor, type Site } from './costing.ts';
import { EXACT_PLACEMENTS } from './search-limits.ts';
import type { Assignment, EngineLine, Offers } from './types.ts';

/**
 * The units of each line at each location of `group` at the lowest cost (handling, shipping by
 * weight, the split penalty per extra location used); undefined when the group cannot fill the
 * order or there are more than EXACT_PLACEMENTS ways to try.
 */
export function cheapestPlacement(
  group: readonly string[],
  lines: readonly EngineLine[],
  offers: Offers,
  sites: ReadonlyMap<string, Site>,
  splitPenalty: number,
): Assignment | undefined {
  const k = group.length;
  if (k < 2) return undefined;
  // Heaviest lines first: the bound (the cost of what is placed so far) bites sooner.
  const ordered = [...lines].sort((a, b) => b.quantity * b.weightGrams - a.quantity * a.weightGrams || a.lineId.localeCompare(b.lineId));
  const options = placementOptions(ordered, k);
  if (!options) return undefined;
  const left = group.map((id) => new Map(offers.get(id) ?? []));
  const grams = new Array<number>(k).fill(0);
  const count = new Array<number>(k).fill(0);
  const site = group.map((id) => sites.get(id)!);
  const chosen: number[][] = new Array(ordered.length);
  let best = Infinity;
  let bestChosen: number[][] = [];
  const costNow = () => {
    let cost = 0;
    let used = 0;
    for (let g = 0; g < k; g++) {
      if (count[g] === 0) continue;
      cost += site[g]!.handlingCost + shippingFor(site[g]!.steps, grams[g]!);
      used += 1;
    }
    return cost + splitPenalty * Math.max(0, used - 1);
  };
  const apply = (line: EngineLine, split: readonly number[], sign: 1 | -1) => {
    for (let g = 0; g < k; g++) {
      if (split[g] === 0) continue;
      left[g]!.set(line.sku, left[g]!.get(line.sku)! - sign * split[g]!);
      grams[g]! += sign * split[g]! * line.weightGrams;
      count[g]! += sign;
    }
  };
  const place = (depth: number) => {
    // Weight and locations only add cost, so what is placed so far bounds every completion.
    const cost = costNow();
    if (cost >= best) return;
    if (depth === ordered.length) {
      best = cost;
      bestChosen = [...chosen];
      return;
    }
    const line = ordered[depth]!;
    for (const split of options[depth]!) {
      if (split.some((units, g) => units > 0 && (left[g]!.get(line.sku) ?? 0) < units)) continue;
      apply(line, split, 1);
      chosen[depth] = split;
      place(depth + 1);
      apply(line, split, -1);
    }
  };
  place(0);
  if (best === Infinity) return undefined;
  const assignment: Assignment = new Map();
  ordered.forEach((line, i) => {
    bestChosen[i]!.forEach((units, g) => {
      if (units === 0) return;
      const id = group[g]!;
      if (!assignment.has(id)) assignment.set(id, new Map());
      assignment.get(id)!.set(line.lineId, units);
    });
  });
  return assignment;
}

/** Per line, the ways to share its units among k locations: every split while they stay few, else each location whole. */
function placementOptions(lines: readonly EngineLine[], k: number): number[][][] | undefined {
  const splits = lines.map((line) => compositions(line.quantity, k));
  if (splits.reduce((n, s) => n * s.length, 1) <= EXACT_PLACEMENTS) return splits;
  if (k ** lines.length > EXACT_PLACEMENTS) return undefined;
  return lines.map((line) => Array.from({ length: k }, (_, g) => Array.from({ length: k }, (_, h) => (h === g ? line.quantity : 0))));
}

/** Every way to write `units` as k ordered non-negative parts (a line's units over k locations). */
function compositions(units: number, k: number): number[][] {
  if (k === 1) return [[units]];
  const out: number[][] = [];
  for (let first = units; first >= 0; first--) for (const rest of compositions(units - first, k - 1)) out.push([first, ...rest]);
  return out;
}
