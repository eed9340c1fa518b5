// The sourcing engine: decides where an order is fulfilled. Pure and deterministic — the
// same order, network, stock, clock and profile give the same plan — and explainable:
// every candidate location comes back with the reason it was excluded or the stock it
// offered, and every plan considered with its cost and per-criterion values.
//
// The steps, a file each: screen the locations (eligibility.ts), search candidate plans
// (search.ts over candidates.ts and improve.ts, priced by costing.ts), evaluate the finalists
// in full (evaluation.ts), rank and explain (explain.ts). Plans that fill more units win;
// among those, the profile's weighted criteria (normalised across the plans) decide.
import { assignmentKey } from './candidates.ts';
import { siteBuilder, type Site, type StepCache } from './costing.ts';
import { distancesTo, screenLocations } from './eligibility.ts';
import { evaluate, evaluationContext } from './evaluation.ts';
import { round3, scorePlans, tradeoffSentence, tradeoffsOf, whyChosen } from './explain.ts';
import { searchAssignments } from './search.ts';
import type { EngineInput, Evaluated, SourcingPlan } from './types.ts';

export type * from './types.ts';

/** An engine keeps what it learns of the carrier services (shipping step functions) between decisions. */
export class SourcingEngine {
  private readonly stepCache: StepCache = new WeakMap();

  plan(input: EngineInput): SourcingPlan {
    const { order, profile } = input;
    const isPickup = order.method === 'pickup' || order.method === 'curbside';
    const distances = distancesTo(input);
    const { candidates, offers, eligible } = screenLocations(input, distances);
    const sites = new Map<string, Site>();
    const siteOf = siteBuilder(input, this.stepCache);
    for (const location of eligible) sites.set(location.id, siteOf(location, distances.get(location.id) ?? null));
    const maxFulfillments = isPickup && !profile.pickupTransfer.enabled ? 1 : profile.maxSplits + 1;
    const finalists = searchAssignments({ order, profile, eligible, offers, sites, maxFulfillments });

    const ctx = evaluationContext(input, new Map(input.locations.map((l) => [l.id, l])), distances);
    const evaluated: Evaluated[] = [];
    for (const assignment of finalists) {
      const result = evaluate(assignment, ctx);
      if (result) evaluated.push(result);
    }
    scorePlans(evaluated, profile);
    evaluated.sort((a, b) => b.unitsFilled - a.unitsFilled || a.score - b.score || a.cost - b.cost || assignmentKey(a.assignment).localeCompare(assignmentKey(b.assignment)));
    return decide(input, evaluated, candidates);
  }
}

/** The best plan with its explanation, or the whole order backordered. */
function decide(input: EngineInput, evaluated: Evaluated[], candidates: SourcingPlan['explanation']['candidates']): SourcingPlan {
  const { order, profile } = input;
  const totalUnits = order.lines.reduce((s, l) => s + l.quantity, 0);
  const best = evaluated[0];
  const tradeoffs = tradeoffsOf(evaluated, best);
  const explanation = {
    profileId: profile.id,
    profileVersion: profile.version,
    evaluatedAt: input.now.toISOString(),
    candidates,
    plansConsidered: evaluated.slice(0, 20).map((e) => ({
      locations: e.fulfillments.map((f) => f.transferFromLocationId ?? f.locationId),
      unitsFilled: e.unitsFilled,
      cost: e.cost,
      criteria: e.criteria,
      score: round3(e.score),
    })),
    tradeoffs,
    chosen: best ? `${whyChosen(best, evaluated, totalUnits, (profile.weights.reliability ?? 0) > 0)}${tradeoffSentence(tradeoffs)}` : 'no location can fill any line: the order is backordered',
  };
  const everything = order.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));
  if (!best) return { fulfillments: [], backordered: everything, totalCost: 0, explanation };
  if (best.unitsFilled < totalUnits && !profile.allowPartialFill) {
    explanation.chosen = `no plan fills the whole order (best: ${explanation.chosen}); the profile does not ship partial orders, so the order is backordered`;
    return { fulfillments: [], backordered: everything, totalCost: 0, explanation };
  }
  return { fulfillments: best.fulfillments, backordered: best.backordered, totalCost: best.cost, explanation };
}

/** One decision with a fresh engine (tests, tools); the routing activity keeps one engine for all its decisions. */
export function planSourcing(input: EngineInput): SourcingPlan {
  return new SourcingEngine().plan(input);
}
