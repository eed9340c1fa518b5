// Ranking and explaining: criteria normalised across the plans and weighted by the profile,
// and the sentence that says why the chosen plan won.
import { CRITERIA, type RoutingProfile } from './profile.ts';
import type { Evaluated } from './types.ts';

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
