// Ranking and explaining: criteria normalised across the plans and weighted by the profile,
// and the sentence that says why the chosen plan won.
import { CRITERIA, type RoutingProfile } from './profile.ts';
import type { Evaluated, Tradeoff } from './types.ts';

/** Weighted sum of each criterion normalised to [0, 1] across the plans (0 = best). */
export function scorePlans(plans: Evaluated[], profile: RoutingProfile): void {
  for (const criterion of CRITERIA) {
    const weight = profile.weights[criterion] ?? 0;
    if (weight === 0) continue;
    const values = plans.map((p) => p.criteria[criterion]);
    const min = Math.min(...values);
    const span = Math.max(...values) - min;
    for (const plan of plans) plan.score += span === 0 ? 0 : (weight * (plan.criteria[criterion] - min)) / span;
  }
}

export function whyChosen(best: Evaluated, all: Evaluated[], totalUnits: number, weighsReliability = false): string {
  const where = best.fulfillments.map((f) => f.transferFromLocationId ? `${f.locationId} (from ${f.transferFromLocationId})` : f.locationId).join(' + ');
  const fill = best.unitsFilled === totalUnits ? 'fills the whole order' : `fills ${best.unitsFilled} of ${totalUnits} units (the rest is backordered)`;
  const runnerUp = all.find((p) => p !== best);
  const versus = runnerUp ? `; next best ${runnerUp.fulfillments.map((f) => f.locationId).join(' + ')} costs ${runnerUp.cost}` : '';
  const odds = (p: Evaluated) => `${Math.round((1 - p.criteria.reliability) * 100)}%`;
  const reliability = weighsReliability ? `, ${odds(best)} likely on time and complete by what its locations have done${runnerUp ? ` (next best ${odds(runnerUp)})` : ''}` : '';
  return `${where} ${fill} at cost ${best.cost} (score ${round3(best.score)})${versus}${reliability}`;
}

export function round1(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

const MAX_TRADEOFFS = 10;

const deliveryBy = (p: Evaluated) => p.fulfillments.reduce((latest, f) => (f.estimatedDelivery > latest ? f.estimatedDelivery : latest), '');

/**
 * The plans no other beats on cost, delivery date and CO₂e at once (among those filling the
 * most units), cheapest first, the chosen one marked (and kept even when another dominates it:
 * the profile may weigh what the three do not show).
 */
export function tradeoffsOf(plans: readonly Evaluated[], chosen: Evaluated | undefined): Tradeoff[] {
  const most = Math.max(0, ...plans.map((p) => p.unitsFilled));
  const points = plans.filter((p) => p.unitsFilled === most).map((p) => ({ plan: p, cost: p.cost, deliveryBy: deliveryBy(p), co2eGrams: p.criteria.co2 }));
  const dominated = (a: (typeof points)[number]) =>
    points.some((b) => b !== a && b.cost <= a.cost && b.deliveryBy <= a.deliveryBy && b.co2eGrams <= a.co2eGrams && (b.cost < a.cost || b.deliveryBy < a.deliveryBy || b.co2eGrams < a.co2eGrams));
  const seen = new Set<string>();
  const frontier = points.filter((p) => {
    if (p.plan !== chosen && dominated(p)) return false;
    const key = `${p.cost}|${p.deliveryBy}|${p.co2eGrams}`;
    if (seen.has(key) && p.plan !== chosen) return false;
    seen.add(key);
    return true;
  });
  frontier.sort((a, b) => a.cost - b.cost || a.deliveryBy.localeCompare(b.deliveryBy) || a.co2eGrams - b.co2eGrams);
  const kept = frontier.slice(0, MAX_TRADEOFFS);
  const mine = frontier.find((p) => p.plan === chosen);
  if (mine && !kept.includes(mine)) kept[kept.length - 1] = mine;
  return kept.map((p) => ({ locations: p.plan.fulfillments.map((f) => f.transferFromLocationId ?? f.locationId), cost: p.cost, deliveryBy: p.deliveryBy, co2eGrams: p.co2eGrams, chosen: p.plan === chosen }));
}

const kg = (grams: number) => `${(grams / 1000).toFixed(2)} kg CO₂e`;

/** What the chosen plan gives up against the cheapest, the fastest and the cleanest on the frontier. */
export function tradeoffSentence(tradeoffs: readonly Tradeoff[]): string {
  const chosen = tradeoffs.find((t) => t.chosen);
  if (!chosen) return '';
  const others = tradeoffs.filter((t) => !t.chosen);
  if (others.length === 0) return `; ${kg(chosen.co2eGrams)}, by ${chosen.deliveryBy}; no other plan beats it on cost, date or CO₂e`;
  const best = <K extends 'cost' | 'co2eGrams'>(k: K) => tradeoffs.reduce((a, b) => (b[k] < a[k] ? b : a));
  const fastest = tradeoffs.reduce((a, b) => (b.deliveryBy < a.deliveryBy ? b : a));
  const parts = [
    best('cost') !== chosen ? `the cheapest costs ${best('cost').cost}` : undefined,
    fastest !== chosen && fastest.deliveryBy < chosen.deliveryBy ? `the fastest arrives ${fastest.deliveryBy}` : undefined,
    best('co2eGrams') !== chosen && best('co2eGrams').co2eGrams < chosen.co2eGrams ? `the cleanest emits ${kg(best('co2eGrams').co2eGrams)}` : undefined,
  ].filter(Boolean);
  return `; ${kg(chosen.co2eGrams)}, by ${chosen.deliveryBy}${parts.length ? ` (of ${tradeoffs.length} plans on the cost–date–CO₂e frontier, ${parts.join(', ')})` : ''}`;
}
