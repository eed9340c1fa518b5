// The nightly replenishment plan, pure: from each location's forecast, its forecast error,
// its stock and its policy, what to move or buy.
//
// For a SKU at a location with lead time L, review period R and service level α:
//   demand over the lead time   D_L = Σ forecast over the L + 1 days until units ordered tonight
//                                     arrive and the next plan runs,
//   safety stock                SS  = z · σ · √(L + 1), σ the forecast's daily error SD, and z
//                                     the normal quantile of α for a cycle service level, or for
//                                     a fill rate α the z whose expected shortage per cycle,
//                                     σ√(L+1)·G(z), is (1 − α) of a cycle's demand,
//   reorder point               s   = D_L + SS,
//   order-up-to level           S   = s + the forecast over the R days after that.
// When the inventory position (on hand − reserved + incoming) is at or below s, the shortfall
// S − position is filled: first from the policy's source (what it holds above its own reorder
// point), then by rebalancing from locations holding more than their own S, and what is left
// is bought (rounded to the supplier's minimum and multiple). Locations that are some policy's
// source are planned after the locations they supply, so their own shortfall counts what they
// have just given, and on echelon demand: their own forecast plus those of the locations they
// supply (errors added as independent).
import { lossInverse, normalQuantile } from './normal.ts';
import type { ProposalReason } from './schemas.ts';

export interface PlanPolicy {
  serviceLevel: number;
  /** fill_rate: the share of demand served from the shelf; cycle: the chance a cycle has no stock-out. */
  serviceMeasure: 'fill_rate' | 'cycle';
  leadTimeDays: number;
  reviewPeriodDays: number;
  sourceLocationId: string | null;
  supplier: string | null;
  minQuantity: number | null;
  multiple: number | null;
  autoApprove: boolean;
}

export interface PlanForecast {
  method: string;
  /** Daily means from the planning day on. */
  daily: readonly number[];
  errorSd: number;
}

export interface PlanItem {
  locationId: string;
  sku: string;
  /** null: the location has no policy for the SKU (it can still be a source). */
  policy: PlanPolicy | null;
  forecast: PlanForecast | null;
  onHand: number;
  reserved: number;
  incoming: number;
}

export interface PlannedProposal {
  locationId: string;
  sku: string;
  kind: 'transfer' | 'purchase';
  fromLocationId: string | null;
  supplier: string | null;
  quantity: number;
  autoApprove: boolean;
  reason: ProposalReason;
}

export interface Targets {
  z: number;
  demandOverLeadTime: number;
  demandOverReviewPeriod: number;
  safetyStock: number;
  reorderPoint: number;
  orderUpTo: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The forecast summed over days [from, from + days), the last week's mean carried past its end. */
export function demandOver(daily: readonly number[], from: number, days: number): number {
  const tail = daily.slice(-7);
  const carry = tail.length ? tail.reduce((s, v) => s + v, 0) / tail.length : 0;
  let sum = 0;
  for (let d = from; d < from + days; d++) sum += d < daily.length ? daily[d]! : carry;
  return sum;
}

/**
 * z for the policy's service level. A cycle service level is a quantile of the normal. A fill
 * rate β is met when the units short per cycle, σ_P · G(z), are (1 − β) of the units a cycle
 * orders (the review period's demand): G the normal loss function, z not below 0.
 */
export function safetyFactor(policy: PlanPolicy, sigma: number, cycleDemand: number): number {
  if (policy.serviceMeasure === 'cycle') return normalQuantile(policy.serviceLevel);
  return sigma > 0 ? lossInverse(((1 - policy.serviceLevel) * Math.max(cycleDemand, 1e-9)) / sigma) : 0;
}

export function targetsOf(policy: PlanPolicy, forecast: PlanForecast): Targets {
  const protection = policy.leadTimeDays + 1;
  const demandOverLeadTime = demandOver(forecast.daily, 0, protection);
  const demandOverReviewPeriod = demandOver(forecast.daily, protection, policy.reviewPeriodDays);
  const sigma = forecast.errorSd * Math.sqrt(protection);
  const z = safetyFactor(policy, sigma, demandOverReviewPeriod);
  const safetyStock = Math.max(0, z * sigma);
  const reorderPoint = demandOverLeadTime + safetyStock;
  return { z, demandOverLeadTime, demandOverReviewPeriod, safetyStock, reorderPoint, orderUpTo: reorderPoint + demandOverReviewPeriod };
}

/** A purchase rounded up to the policy's multiple, and at least its minimum. */
export function purchaseQuantity(policy: PlanPolicy, units: number): number {
  if (units <= 0) return 0;
  const multiple = policy.multiple ?? 1;
  return Math.max(policy.minQuantity ?? 0, Math.ceil(units / multiple) * multiple);
}

interface Position {
  item: PlanItem;
  targets: Targets | null;
  /** Changes as the plan moves units. */
  position: number;
  available: number;
}

export function planReplenishment(items: readonly PlanItem[]): PlannedProposal[] {
  const bySku = new Map<string, PlanItem[]>();
  for (const item of items) bySku.set(item.sku, [...(bySku.get(item.sku) ?? []), item]);
  const proposals: PlannedProposal[] = [];
  for (const skuItems of [...bySku.values()]) proposals.push(...planSku(skuItems));
  return proposals;
}

/** A source's forecast: its own and those of the locations it supplies, summed day by day. */
export function echelonForecast(own: PlanForecast | null, downstream: readonly PlanForecast[]): PlanForecast | null {
  const all = [...(own ? [own] : []), ...downstream];
  if (all.length === 0) return null;
  const days = Math.max(...all.map((f) => f.daily.length));
  return {
    method: own && downstream.length === 0 ? own.method : `echelon(${all.length})`,
    daily: Array.from({ length: days }, (_, d) => all.reduce((s, f) => s + demandOver(f.daily, d, 1), 0)),
    errorSd: Math.sqrt(all.reduce((s, f) => s + f.errorSd ** 2, 0)),
  };
}

/** The numbers behind a proposal, rounded for reading. */
function reasonOf(p: Position, shortfall: number, filled: Pick<ProposalReason, 'sourceGave' | 'rebalanced' | 'purchased'>): ProposalReason {
  const { item } = p;
  const policy = item.policy!;
  const targets = p.targets!;
  return {
    forecastMethod: item.forecast!.method,
    serviceLevel: policy.serviceLevel,
    serviceMeasure: policy.serviceMeasure,
    z: round2(targets.z),
    leadTimeDays: policy.leadTimeDays,
    reviewPeriodDays: policy.reviewPeriodDays,
    demandOverLeadTime: round2(targets.demandOverLeadTime),
    demandOverReviewPeriod: round2(targets.demandOverReviewPeriod),
    errorSdDaily: round2(item.forecast!.errorSd),
    safetyStock: round2(targets.safetyStock),
    reorderPoint: round2(targets.reorderPoint),
    orderUpTo: round2(targets.orderUpTo),
    onHand: item.onHand,
    reserved: item.reserved,
    incoming: item.incoming,
    inventoryPosition: item.onHand - item.reserved + item.incoming,
    shortfall,
    ...filled,
  };
}

/** What a location can give: a source above its reorder point, others above their order-up-to level; a source without a policy, all it has. */
function spare(p: Position, asSource: boolean): number {
  if (!p.targets) return asSource ? p.available : 0;
  const keep = asSource ? p.targets.reorderPoint : p.targets.orderUpTo;
  return Math.max(0, Math.min(p.available, Math.floor(p.position - keep)));
}

/** Each SKU's positions: sources on echelon demand, with their targets. */
function positionsOf(input: readonly PlanItem[], sources: ReadonlySet<string>): Map<string, Position> {
  const items = input.map((item) =>
    sources.has(item.locationId)
      ? { ...item, forecast: echelonForecast(item.forecast, input.filter((i) => i.policy?.sourceLocationId === item.locationId && i.forecast).map((i) => i.forecast!)) }
      : item,
  );
  return new Map(
    items.map((item) => [
      item.locationId,
      {
        item,
        targets: item.policy && item.forecast ? targetsOf(item.policy, item.forecast) : null,
        position: item.onHand - item.reserved + item.incoming,
        available: Math.max(0, item.onHand - item.reserved),
      },
    ]),
  );
}

/** A shortfall filled from the source, then by rebalancing from the most overstocked; the moves made (donors' positions lowered). */
function movesFor(p: Position, shortfall: number, positions: ReadonlyMap<string, Position>, sources: ReadonlySet<string>): { from: string; units: number; rebalance: boolean }[] {
  const moves: { from: string; units: number; rebalance: boolean }[] = [];
  let left = shortfall;
  const take = (from: Position, most: number, rebalance: boolean) => {
    const units = Math.min(left, most);
    if (units <= 0) return;
    moves.push({ from: from.item.locationId, units, rebalance });
    from.position -= units;
    from.available -= units;
    left -= units;
  };
  const sourceId = p.item.policy!.sourceLocationId;
  const source = sourceId ? positions.get(sourceId) : undefined;
  if (source && source !== p) take(source, spare(source, true), false);
  const donors = [...positions.values()]
    .filter((d) => d !== p && d !== source && !sources.has(d.item.locationId))
    .map((d) => ({ d, units: spare(d, false) }))
    .filter((x) => x.units > 0)
    .sort((a, b) => b.units - a.units || a.d.item.locationId.localeCompare(b.d.item.locationId));
  for (const { d, units } of donors) if (left > 0) take(d, units, true);
  return moves;
}

function planSku(input: readonly PlanItem[]): PlannedProposal[] {
  const sources = new Set(input.map((i) => i.policy?.sourceLocationId).filter((s): s is string => !!s));
  const positions = positionsOf(input, sources);
  const proposals: PlannedProposal[] = [];
  // Locations that supply others plan last; within each pass, the most urgent first.
  const planned = [...positions.values()].filter((p) => p.targets && p.item.policy);
  const urgency = (p: Position) => (p.position - p.targets!.reorderPoint) / Math.max(1, p.targets!.orderUpTo);
  const byUrgency = (list: Position[]) => list.sort((a, b) => urgency(a) - urgency(b));
  const order = [...byUrgency(planned.filter((p) => !sources.has(p.item.locationId))), ...byUrgency(planned.filter((p) => sources.has(p.item.locationId)))];

  for (const p of order) {
    const { item } = p;
    const policy = item.policy!;
    // At or below the reorder point, rounded up (positions are whole units).
    if (p.position > Math.ceil(p.targets!.reorderPoint)) continue;
    const shortfall = Math.ceil(p.targets!.orderUpTo - p.position);
    if (shortfall <= 0) continue;
    const moves = movesFor(p, shortfall, positions, sources);
    const sourceGave = moves.filter((m) => !m.rebalance).reduce((s, m) => s + m.units, 0);
    const rebalanced = moves.filter((m) => m.rebalance).reduce((s, m) => s + m.units, 0);
    const left = shortfall - sourceGave - rebalanced;
    // What is left is bought, unless a source is meant to buy it (and no supplier is named here).
    const purchased = left > 0 && (!policy.sourceLocationId || policy.supplier) ? purchaseQuantity(policy, left) : 0;
    const why = reasonOf(p, shortfall, { sourceGave, rebalanced, purchased });
    const base = { locationId: item.locationId, sku: item.sku, autoApprove: policy.autoApprove, reason: why };
    for (const m of moves) proposals.push({ ...base, kind: 'transfer', fromLocationId: m.from, supplier: null, quantity: m.units });
    if (purchased > 0) proposals.push({ ...base, kind: 'purchase', fromLocationId: null, supplier: policy.supplier, quantity: purchased });
    p.position += sourceGave + rebalanced + purchased;
  }
  return proposals;
}
