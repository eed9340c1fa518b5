// The search for candidate plans, priced with the fast cost (handling + cheapest shipping +
// split penalty): every single location that holds the whole order; when splits are allowed,
// pairs and then triples by branch and bound (cheapest lower bounds first), each pooled location
// also with the cheapest ones that hold what it lacks, greedy covers when those do not fill it;
// the cheapest few polished by moving lines and by the exact placement of units (placement.ts).
import { CandidatePool, coverage, covers, demandBySku, fillFrom, rotations, uniqueAssignments, unitsOf } from './candidates.ts';
import { assignmentFastCost, shippingFor, type Site } from './costing.ts';
import { dropRedundant, greedyCover, moveLines } from './improve.ts';
import { CRITERIA, type RoutingProfile } from './profile.ts';
import { CHEAP_POOL, CHEAP_TRIPLES, COMPLEMENTS, FINALISTS, GREEDY_STARTS, KEEP_WITHIN, PAIR_POOL, POLISH, TRIPLE_POOL } from './search-limits.ts';
import type { Assignment, EngineLocation, EngineOrder, Offers } from './types.ts';
import { cheapestPlacement } from './placement.ts';

export interface SearchInput {
  order: EngineOrder;
  profile: RoutingProfile;
  eligible: EngineLocation[];
  offers: Offers;
  sites: Map<string, Site>;
  maxFulfillments: number;
}

interface Search extends SearchInput {
  ids: string[];
  totalUnits: number;
  fastCost: (a: Assignment) => number;
  pool: CandidatePool;
  covered: Map<string, number>;
  /** Units per SKU the order needs. */
  need: Map<string, number>;
  /** A bit per SKU of the order (the first 31), and the bits of the SKUs a location holds any of (built on first use). */
  skuBit: Map<string, number>;
  bitsOf: (id: string) => number;
  bestCost: number;
}

/** Bits per SKU: a group whose locations' bits do not add up to every SKU's cannot cover the order. */
function skuBits(need: ReadonlyMap<string, number>, offers: Offers): Pick<Search, 'skuBit' | 'bitsOf'> {
  const skuBit = new Map([...need.keys()].map((sku, i) => [sku, i < 31 ? 1 << i : 0]));
  const bits = new Map<string, number>();
  const bitsOf = (id: string) => {
    let value = bits.get(id);
    if (value === undefined) {
      value = 0;
      for (const sku of offers.get(id)?.keys() ?? []) value |= skuBit.get(sku) ?? 0;
      bits.set(id, value);
    }
    return value;
  };
  return { skuBit, bitsOf };
}

/** The candidate assignments worth evaluating in full. */
export function searchAssignments(input: SearchInput): Assignment[] {
  const { order, profile, eligible, offers, sites } = input;
  const weightOf = new Map(order.lines.map((l) => [l.lineId, l.weightGrams]));
  const fastCost = (a: Assignment) => assignmentFastCost(a, sites, weightOf, profile.splitPenalty);
  const ids = eligible.map((l) => l.id);
  const need = demandBySku(order.lines);
  const search: Search = {
    ...input,
    ids,
    totalUnits: order.lines.reduce((s, l) => s + l.quantity, 0),
    fastCost,
    // Candidates carry their cost and units, computed once; only the cheapest are kept.
    pool: new CandidatePool(fastCost),
    covered: new Map(ids.map((id) => [id, coverage(id, need, offers)])),
    need,
    ...skuBits(need, offers),
    bestCost: Infinity,
  };
  const singles = singleLocations(search);
  const byCoverage = eligible
    .map((location) => ({ location, covered: search.covered.get(location.id)! }))
    .sort((a, b) => b.covered - a.covered || a.location.id.localeCompare(b.location.id))
    .map((r) => r.location);
  if (input.maxFulfillments > 1) searchSplits(search, byCoverage);
  if (search.pool.size === 0 || input.maxFulfillments > 3) {
    // Nothing fills the order within two or three locations (or more are allowed): greedy covers.
    for (const start of byCoverage.slice(0, GREEDY_STARTS)) {
      const greedy = greedyCover(start.id, eligible, order, offers, input.maxFulfillments, fastCost);
      search.pool.add(dropRedundant(greedy, order.lines, offers, fastCost));
    }
  }
  // Polish the cheapest few: lines moved to another chosen location while that is cheaper, and
  // the exact placement of units over the same locations where it is small enough to search.
  const ranked = search.pool.best(FINALISTS);
  const polished = ranked.slice(0, POLISH).flatMap((a) => {
    const moved = moveLines(a, order.lines, offers, sites, profile.splitPenalty);
    const exact = cheapestPlacement([...a.keys()], order.lines, offers, sites, profile.splitPenalty);
    return exact ? [moved, exact] : [moved];
  });
  const onlyCost = CRITERIA.every((c) => c === 'cost' || !profile.weights[c]);
  return uniqueAssignments([
    ...polished,
    ...ranked.slice(0, FINALISTS),
    // Unless cost alone decides, every single location stays in the running for the other criteria.
    ...(onlyCost ? [] : singles),
  ]);
}

function singleLocations(search: Search): Assignment[] {
  const singles: Assignment[] = [];
  for (const id of search.ids) {
    // A location fills the order alone exactly when it covers every unit.
    if (search.covered.get(id) !== search.totalUnits) continue;
    const single = fillFrom([id], search.order.lines, search.offers);
    if (unitsOf(single) === search.totalUnits) {
      singles.push(single);
      search.pool.add(single);
    }
  }
  return singles;
}

/** Splits over two or three locations, by branch and bound; an incumbent from one greedy cover makes the bounds bite from the start. */
function searchSplits(search: Search, byCoverage: EngineLocation[]): void {
  const { order, offers, pool } = search;
  if (pool.size === 0 && byCoverage[0]) {
    const contenders = byCoverage.slice(0, PAIR_POOL);
    pool.add(dropRedundant(greedyCover(byCoverage[0].id, contenders, order, offers, search.maxFulfillments, search.fastCost), order.lines, offers, search.fastCost));
  }
  search.bestCost = pool.bestCostFilling(search.totalUnits);
  const consider = considerGroups(search);
  const bound = (id: string) => search.sites.get(id)!.minCost;
  const heavier = weightBound(search);
  // Most covering first, then cheapest: ranked once, each pool its head re-sorted by bound.
  const ranked = search.ids
    .map((id) => ({ id, covered: search.covered.get(id)!, bound: bound(id) }))
    .sort((a, b) => b.covered - a.covered || a.bound - b.bound || a.id.localeCompare(b.id));
  // With the most covering, the cheapest to use at all: in a network of shallow stores the best
  // split often pairs a well-stocked location with a near one that covers little.
  const cheapest = [...ranked].sort((a, b) => a.bound - b.bound || a.id.localeCompare(b.id));
  const pool_ = (size: number, cheap: number) => {
    const head = ranked.slice(0, size);
    const named = new Set(head.map((r) => r.id));
    for (const r of cheapest.slice(0, cheap)) if (!named.has(r.id) && r.covered > 0) head.push(r);
    return head.sort((a, b) => a.bound - b.bound || a.id.localeCompare(b.id)).map((r) => r.id);
  };
  const penalty = search.profile.splitPenalty;
  // Pairs among the locations that cover the most of the order (they must cover it between them).
  const pairs = pool_(PAIR_POOL, CHEAP_POOL);
  const pairBounds = pairs.map(bound);
  for (let i = 0; i < pairs.length; i++) {
    if (pairBounds[i]! * 2 + penalty >= search.bestCost) break;
    for (let j = i + 1; j < pairs.length; j++) {
      if (pairBounds[i]! + pairBounds[j]! + penalty >= search.bestCost) break;
      if (pairBounds[i]! + pairBounds[j]! + penalty + heavier([pairs[i]!, pairs[j]!]) >= search.bestCost) continue;
      consider([pairs[i]!, pairs[j]!]);
    }
  }
  complementPairs(search, pairs, cheapest.map((r) => r.id), bound, consider);
  if (search.maxFulfillments > 2) searchTriples(search, pool_(TRIPLE_POOL, CHEAP_TRIPLES), bound, heavier, consider);
}

/**
 * Pairs of a pooled location with any location that holds what it lacks, however little else
 * that one covers: in a network of shallow stores the partner that completes an order is often
 * a store no ranking by coverage or cost puts near the top. Partners come cheapest first per
 * SKU, so the bound stops the walk early.
 */
function complementPairs(search: Search, anchors: readonly string[], cheapestFirst: readonly string[], bound: (id: string) => number, consider: (group: string[]) => void): void {
  const { offers, need, skuBit, bitsOf } = search;
  // Who holds each SKU, cheapest first.
  const holders = new Map<string, string[]>();
  for (const id of cheapestFirst) {
    for (const sku of offers.get(id)!.keys()) {
      let list = holders.get(sku);
      if (!list) holders.set(sku, (list = []));
      list.push(id);
    }
  }
  const penalty = search.profile.splitPenalty;
  for (const anchor of anchors) {
    const offer = offers.get(anchor)!;
    let partners: string[] | undefined;
    let short = 0;
    for (const [sku, units] of need) {
      if ((offer.get(sku) ?? 0) >= units) continue;
      short |= skuBit.get(sku)!;
      const list = holders.get(sku) ?? [];
      if (!partners || list.length < partners.length) partners = list;
    }
    if (!partners) continue;
    let tried = 0;
    for (const partner of partners) {
      if (tried === COMPLEMENTS || bound(anchor) + bound(partner) + penalty >= search.bestCost) break;
      if (partner === anchor || (bitsOf(partner) & short) !== short || !covers([anchor, partner], need, offers)) continue;
      tried += 1;
      consider([anchor, partner]);
    }
  }
}

function searchTriples(search: Search, trio: string[], bound: (id: string) => number, heavier: (group: string[]) => number, consider: (group: string[], allOrders?: boolean) => void): void {
  const penalty = search.profile.splitPenalty;
  const b = trio.map(bound);
  for (let i = 0; i < trio.length; i++) {
    if (b[i]! * 3 + 2 * penalty >= search.bestCost) break;
    for (let j = i + 1; j < trio.length; j++) {
      if (b[i]! + b[j]! * 2 + 2 * penalty >= search.bestCost) break;
      for (let k = j + 1; k < trio.length; k++) {
        if (b[i]! + b[j]! + b[k]! + 2 * penalty >= search.bestCost) break;
        if (b[i]! + b[j]! + b[k]! + 2 * penalty + heavier([trio[i]!, trio[j]!, trio[k]!]) >= search.bestCost) continue;
        // One filling order (cheapest first); the polish rebalances the best ones.
        consider([trio[i]!, trio[j]!, trio[k]!], false);
      }
    }
  }
}

/**
 * Weight-aware tightening of a group's bound: some member of a group of k ships at least 1/k
 * of the order's weight, so the group costs at least the bounds plus the cheapest such member's extra.
 */
function weightBound(search: Search): (group: string[]) => number {
  const orderGrams = search.order.lines.reduce((sum, l) => sum + l.quantity * l.weightGrams, 0);
  const extraCache = new Map<string, number>();
  const extra = (id: string, k: number) => {
    const key = `${id}|${k}`;
    let value = extraCache.get(key);
    if (value === undefined) {
      const s = search.sites.get(id)!;
      value = shippingFor(s.steps, orderGrams / k) - (s.steps?.[0]?.[1] ?? 0);
      extraCache.set(key, value);
    }
    return value;
  };
  return (group) => Math.min(...group.map((id) => extra(id, group.length)));
}

/** Adds a group's fillings (each location first once) that come near the best plan found, priced without building them. */
function considerGroups(search: Search): (group: string[], allOrders?: boolean) => void {
  const { order, offers, need, skuBit, bitsOf } = search;
  const allBits = [...skuBit.values()].reduce((a, b) => a | b, 0);
  const quickCost = quickCoster(search, [...need.keys()]);
  return (group, allOrders = true) => {
    let groupBits = 0;
    for (const id of group) groupBits |= bitsOf(id);
    if ((groupBits & allBits) !== allBits || !covers(group, need, offers)) return;
    for (const ordering of allOrders ? rotations(group) : [group]) {
      const cost = quickCost(ordering);
      if (cost > search.bestCost * KEEP_WITHIN) continue;
      search.pool.add(fillFrom(ordering, order.lines, offers));
      if (cost < search.bestCost) search.bestCost = cost;
    }
  };
}

/** The cost of filling the order from `ordering` (first location first), or Infinity when it cannot fill it. */
function quickCoster(search: Search, skuList: string[]): (ordering: string[]) => number {
  const { order, offers, sites } = search;
  const skuIndex = new Map(skuList.map((sku, i) => [sku, i]));
  const lineSku = order.lines.map((l) => skuIndex.get(l.sku)!);
  const vectors = new Map<string, Int32Array>();
  const offerVector = (id: string) => {
    let vector = vectors.get(id);
    if (!vector) {
      vector = Int32Array.from(skuList, (sku) => offers.get(id)?.get(sku) ?? 0);
      vectors.set(id, vector);
    }
    return vector;
  };
  return (ordering) => {
    const used = new Int32Array(ordering.length * skuList.length);
    const grams = new Float64Array(ordering.length);
    for (let li = 0; li < order.lines.length; li++) {
      const line = order.lines[li]!;
      const si = lineSku[li]!;
      let needed = line.quantity;
      for (let g = 0; g < ordering.length && needed > 0; g++) {
        const have = offerVector(ordering[g]!)[si]! - used[g * skuList.length + si]!;
        if (have <= 0) continue;
        const take = Math.min(needed, have);
        used[g * skuList.length + si]! += take;
        grams[g]! += take * line.weightGrams;
        needed -= take;
      }
      if (needed > 0) return Infinity;
    }
    let cost = 0;
    let shipments = 0;
    for (let g = 0; g < ordering.length; g++) {
      if (grams[g] === 0) continue;
      const s = sites.get(ordering[g]!)!;
      cost += s.handlingCost + shippingFor(s.steps, grams[g]!);
      shipments += 1;
    }
    return cost + search.profile.splitPenalty * Math.max(0, shipments - 1);
  };
}
