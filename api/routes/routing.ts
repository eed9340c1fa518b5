// Routing profiles (ops edit them; every save is a new version) and the routing decisions
// of an order, each with its explanation.
import { z } from 'zod';
import { text } from '../../domain/text.ts';
import { RoutingProfile, RoutingProfileInput } from '../../domain/sourcing/profile.ts';
import { ProfileId, RoutingRules, RoutingRulesInput } from '../../domain/sourcing/profile-rules.ts';
import { defineRoute, notFound } from '../route.ts';
import { validationProblem } from '../problem.ts';
import { canSeeOrder } from '../access.ts';
import type { RoutingDecision as StoredDecision } from '../../db/repositories/routing.ts';
import { problemResponses } from './common.ts';
import { Money } from '../../domain/money.ts';
import type { ApiDeps } from '../deps.ts';

const ProfileParams = z.object({ id: ProfileId });

const RoutingDecision = z.object({
  orderId: z.string(),
  attempt: z.int(),
  profileId: z.string(),
  profileVersion: z.int(),
  decidedAt: z.string(),
  plan: z.object({
    fulfillments: z.array(z.record(z.string(), z.unknown())),
    backordered: z.array(z.object({ lineId: z.string(), sku: z.string(), quantity: z.int() })),
    totalCost: z.int(),
  }),
  explanation: z.object({
    profileId: z.string(),
    profileVersion: z.int(),
    evaluatedAt: z.string(),
    candidates: z.array(z.record(z.string(), z.unknown())),
    plansConsidered: z.array(z.record(z.string(), z.unknown())),
    profileChosenBy: z.string().optional().describe('Why this profile: the routing rule that matched (PUT /v1/routing-rules), or its appliesTo'),
    pareto: z
      .array(z.object({ locations: z.array(z.string()), cost: z.int(), estimatedDelivery: z.string(), co2eGrams: z.int(), chosen: z.boolean() }))
      .optional()
      .describe('The Pareto set over cost, delivery date and CO₂e of the plans that fill the most units, the chosen one marked (decisions made before CO₂e was counted have none)'),
    tradeoffs: z
      .array(z.object({ locations: z.array(z.string()), cost: z.int(), deliveryBy: z.string(), co2eGrams: z.int(), chosen: z.boolean() }))
      .optional()
      .describe('The same set as `pareto`, with the delivery date as `deliveryBy` (kept for clients written before `pareto`)'),
    chosen: z.string(),
    labels: z
      .array(
        z.object({
          fulfillmentId: z.string(),
          locationId: z.string(),
          planned: z.object({ carrier: z.string().optional(), service: z.string().optional(), cost: z.int().describe('Minor units, as the plan priced it from the rate cards') }),
          bought: z.object({ gateway: z.string(), carrier: z.string(), service: z.string(), cost: Money }),
        }),
      )
      .optional()
      .describe("The latest decision only: each packed fulfillment's planned shipping against the label bought (through the carrier gateway, at its live rate)"),
  }),
});

/** Each packed fulfillment of the order: what the decision that placed it planned, and what the label cost. */
async function plannedAgainstBought(deps: ApiDeps, orderId: string, decision: StoredDecision) {
  const fulfillments = (await deps.fulfillments.ofOrder(orderId)).filter((f) => f.trackingNumber);
  const planned = decision.plan.fulfillments as { locationId?: string; carrier?: string; service?: string; shippingCost?: number }[];
  const rows = [];
  for (const f of fulfillments) {
    const label = await deps.labels.get(f.id);
    const plan = planned.find((p) => p.locationId === f.locationId);
    if (!label || !plan) continue;
    rows.push({
      fulfillmentId: f.id,
      locationId: f.locationId,
      planned: { ...(plan.carrier ? { carrier: plan.carrier } : {}), ...(plan.service ? { service: plan.service } : {}), cost: plan.shippingCost ?? 0 },
      bought: { gateway: label.gateway ?? 'builtin', carrier: label.carrier, service: label.service, cost: label.rate },
    });
  }
  return rows;
}

/** The contract's `pareto` beside the `tradeoffs` the engine records. */
function withPareto(decision: StoredDecision): StoredDecision & { explanation: { pareto?: unknown[] } } {
  const { tradeoffs } = decision.explanation;
  if (!tradeoffs) return decision;
  const pareto = tradeoffs.map(({ deliveryBy, ...t }) => ({ ...t, estimatedDelivery: deliveryBy }));
  return { ...decision, explanation: { ...decision.explanation, pareto } };
}

export const routingRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/routing-profiles',
    operationId: 'listRoutingProfiles',
    summary: 'List routing profiles (the built-in lowest-cost profile applies when none matches)',
    tag: 'Routing',
    roles: ['ops'],
    responses: { 200: { description: 'Profiles', schema: z.object({ items: z.array(RoutingProfile) }) }, ...problemResponses(401, 403) },
    async handler({ deps }) {
      return { status: 200, body: { items: await deps.routing.listProfiles() } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/routing-profiles/{id}',
    operationId: 'getRoutingProfile',
    summary: 'Get a routing profile (its current version)',
    tag: 'Routing',
    roles: ['ops'],
    params: ProfileParams,
    responses: { 200: { description: 'The profile', schema: RoutingProfile }, ...problemResponses(401, 403, 404) },
    async handler({ params, deps }) {
      const profile = await deps.routing.getProfile(params.id);
      if (!profile) throw notFound('Routing profile', params.id);
      return { status: 200, body: profile };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/routing-profiles/{id}',
    operationId: 'putRoutingProfile',
    summary: 'Create or change a routing profile; each save is a new version',
    description:
      'Exclusion rules (distance limit, capacity, store protection), weighted criteria (cost, distance, priority, workload, promise, stockDepth, reliability: what each location has done, GET /v1/locations/{id}/performance), maxSplits, splitPenalty, allowPartialFill, pickup by transfer. appliesTo chooses the orders: the most specific match of channel and service level wins.',
    tag: 'Routing',
    roles: ['ops'],
    params: ProfileParams,
    body: RoutingProfileInput,
    responses: { 200: { description: 'The saved version', schema: RoutingProfile }, ...problemResponses(401, 403, 422) },
    async handler({ params, body, deps, principal }) {
      return { status: 200, body: await deps.routing.putProfile(params.id, body, principal.keyId) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/routing-rules',
    operationId: 'getRoutingRules',
    summary: 'The rules that choose a routing profile by customer segment, order value, channel and service level',
    tag: 'Routing',
    roles: ['ops'],
    responses: { 200: { description: 'The rules in force (version 0 and none before the first save)', schema: RoutingRules }, ...problemResponses(401, 403) },
    async handler({ deps }) {
      return { status: 200, body: await deps.routing.rules() };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/routing-rules',
    operationId: 'putRoutingRules',
    summary: 'Replace the routing rules; each save is a new version',
    description:
      'Rules are tried in order; the first whose every condition holds (customer segment, order value at least, channels, service levels) chooses its profile. An order no rule matches gets the most specific profile by appliesTo. Every named profile must exist.',
    tag: 'Routing',
    roles: ['ops'],
    body: RoutingRulesInput,
    responses: { 200: { description: 'The saved version', schema: RoutingRules }, ...problemResponses(401, 403, 422) },
    async handler({ body, deps, principal }) {
      const known = new Set((await deps.routing.listProfiles()).map((p) => p.id));
      const unknown = body.rules.flatMap((r, i) => (known.has(r.profileId) ? [] : [{ path: `rules[${i}].profileId`, message: `no routing profile ${r.profileId}` }]));
      if (unknown.length > 0) throw validationProblem(unknown);
      return { status: 200, body: await deps.routing.putRules(body, principal.keyId) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/orders/{id}/routing',
    operationId: 'getOrderRouting',
    summary: 'Every routing decision of an order, with its explanation',
    description: 'Candidates considered and why each was excluded, the plans compared with their cost and criteria, the chosen split and why, the profile version and the stock snapshot time.',
    tag: 'Orders',
    roles: ['ops', 'channel'],
    params: z.object({ id: text(100) }),
    responses: { 200: { description: 'Decisions, oldest first', schema: z.object({ items: z.array(RoutingDecision) }) }, ...problemResponses(401, 403, 404) },
    async handler({ params, deps, principal }) {
      const row = await deps.orders.get(params.id);
      if (!row || !canSeeOrder(principal, row)) throw notFound('Order', params.id);
      const decisions: (ReturnType<typeof withPareto> & { explanation: { labels?: unknown[] } })[] = (await deps.routing.decisionsOf(params.id)).map(withPareto);
      const latest = decisions.at(-1);
      if (latest) {
        const labels = await plannedAgainstBought(deps, params.id, latest);
        if (labels.length > 0) decisions[decisions.length - 1] = { ...latest, explanation: { ...latest.explanation, labels } };
      }
      return { status: 200, body: { items: decisions } };
    },
  }),
];
