// Candidate assignments: filling lines from locations in order, their units and keys, the
// pool that keeps the cheapest few, and the set checks the search prunes with.
import { FINALISTS } from './search-limits.ts';
import type { Assignment, EngineLine, Offers } from './types.ts';

/** Units of the order's lines a location can cover on its own (`need`: demandBySku of the lines, computed once per order). */
export function coverage(locationId: string, need: ReadonlyMap<string, number>, offers: Offers): number {
  const offer = offers.get(locationId);
  if (!offer) return 0;
  let units = 0;
  for (const [sku, wanted] of need) units += Math.min(wanted, offer.get(sku) ?? 0);
  return units;
}

/** Takes each line's units from the locations in order, as far as their offers go. */
export function fillFrom(locationIds: readonly string[], lines: readonly EngineLine[], offers: Offers): Assignment {
  const assignment: Assignment = new Map();
  // Units already taken per SKU, per location (aligned with locationIds): lines may share a SKU.
  const takenBySku = new Map<string, number[]>();
  for (const line of lines) {
    let need = line.quantity;
    let taken = takenBySku.get(line.sku);
    for (let k = 0; k < locationIds.length && need > 0; k++) {
      const id = locationIds[k]!;
      const have = (offers.get(id)?.get(line.sku) ?? 0) - (taken?.[k] ?? 0);
      if (have <= 0) continue;
      const take = Math.min(need, have);
      if (!taken) {
        taken = new Array<number>(locationIds.length).fill(0);
        takenBySku.set(line.sku, taken);
      }
      taken[k]! += take;
      let atLocation = assignment.get(id);
      if (!atLocation) {
        atLocation = new Map();
        assignment.set(id, atLocation);
      }
      atLocation.set(line.lineId, (atLocation.get(line.lineId) ?? 0) + take);
      need -= take;
    }
  }
  return assignment;
}

export function unitsOf(assignment: Assignment): number {
  let units = 0;
  for (const lines of assignment.values()) for (const q of lines.values()) units += q;
  return units;
}

export function assignmentKey(assignment: Assignment): string {
  return [...assignment.entries()]
    .map(([id, lines]) => `${id}:${[...lines.entries()].sort().map(([l, q]) => `${l}=${q}`).join(',')}`)
    .sort()
    .join('|');
}

/** Candidate assignments with their cost and units computed once; keeps only the best few. */
export class CandidatePool {
  private items: { assignment: Assignment; units: number; cost: number; key?: string }[] = [];

  constructor(private readonly costOf: (a: Assignment) => number) {}

  get size(): number {
    return this.items.length;
  }

  /** Adds a candidate and returns its cost (Infinity when it cannot ship). */
  add(assignment: Assignment): number {
    if (assignment.size === 0) return Infinity;
    const cost = this.costOf(assignment);
    if (cost === Infinity) return cost;
    this.items.push({ assignment, units: unitsOf(assignment), cost });
    // Trimming skips de-duplication (it costs more than the sort); best() de-duplicates once.
    if (this.items.length > 16 * FINALISTS) this.items = this.sorted().slice(0, 4 * FINALISTS);
    return cost;
  }

  bestCostFilling(units: number): number {
    let best = Infinity;
    for (const item of this.items) if (item.units === units && item.cost < best) best = item.cost;
    return best;
  }

  /** The best `n` distinct candidates: most units filled, then lowest cost. */
  best(n: number): Assignment[] {
    return this.rank(n).map((i) => i.assignment);
  }

  private sorted() {
    return [...this.items].sort((a, b) => b.units - a.units || a.cost - b.cost);
  }

  private rank(limit: number) {
    const seen = new Set<string>();
    const unique = [];
    for (const item of this.sorted()) {
      if (unique.length === limit) break;
      item.key ??= assignmentKey(item.assignment);
      if (seen.has(item.key)) continue;
      seen.add(item.key);
      unique.push(item);
    }
    return unique;
  }
}

export function demandBySku(lines: readonly EngineLine[]): Map<string, number> {
  const need = new Map<string, number>();
  for (const line of lines) need.set(line.sku, (need.get(line.sku) ?? 0) + line.quantity);
  return need;
}

export function covers(group: readonly string[], need: Map<string, number>, offers: Offers): boolean {
  for (const [sku, units] of need) {
    let have = 0;
    for (const id of group) have += offers.get(id)?.get(sku) ?? 0;
    if (have < units) return false;
  }
  return true;
}

/** Each location first once: who fills first decides where shared lines go. */
export function rotations(group: readonly string[]): string[][] {
  return group.map((_, i) => [...group.slice(i), ...group.slice(0, i)]);
}

export function uniqueAssignments(assignments: readonly Assignment[]): Assignment[] {
  const seen = new Set<string>();
  const out: Assignment[] = [];
  for (const a of assignments) {
    if (a.size === 0) continue;
    const key = assignmentKey(a);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}
