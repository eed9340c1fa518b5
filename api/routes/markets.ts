// Markets: regions sold to, each with its currency, time zone, countries, channels, carriers
// and default routing profile (domain/markets).
import { z } from 'zod';
import { Market, MarketId, MarketInput } from '../../domain/markets/schemas.ts';
import type { FieldError } from '../../domain/errors.ts';
import type { ApiDeps } from '../deps.ts';
import { validationProblem } from '../problem.ts';
import { defineRoute, notFound } from '../route.ts';
import { problemResponses } from './common.ts';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ProblemError } from '../problem.ts';
import { RATE_CARDS_WORKFLOW_TYPE, type RateCardRefreshResult } from '../../workflows/shipping/definitions.ts';

const Params = z.object({ id: MarketId });

/** What a market may not be: a channel already in another market, amounts in another currency, an unknown profile, a data region without its key. */
async function marketErrors(deps: ApiDeps, id: string, body: MarketInput): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const others = (await deps.markets.list()).filter((m) => m.id !== id);
  body.channels.forEach((channel, i) => {
    const taken = others.find((m) => m.channels.includes(channel));
    if (taken) errors.push({ path: `channels[${i}]`, message: `channel ${channel} already sells in market ${taken.id}` });
  });
  body.carrierServices?.forEach((service, i) => {
    if (service.currency !== body.currency) errors.push({ path: `carrierServices[${i}].currency`, message: `must be ${body.currency}, the market's currency` });
  });
  if (body.dataRegion && !(deps.codec?.dataRegions?.() ?? []).includes(body.dataRegion)) {
    errors.push({ path: 'dataRegion', message: `this deployment has no payload key for data region ${body.dataRegion} (FULCRUM_PAYLOAD_REGION_KEYS), so its customer data could not be kept to it` });
  }
  if (body.routingProfileId && !(await deps.routing.getProfile(body.routingProfileId))) errors.push({ path: 'routingProfileId', message: `no routing profile ${body.routingProfileId}` });
  const priced = (await deps.network.listLocations()).filter((l) => l.marketId === id && l.handlingCost && l.handlingCost.currency !== body.currency);
  if (priced.length > 0) errors.push({ path: 'currency', message: `locations ${priced.map((l) => l.id).join(', ')} of this market have handling costs in ${priced[0]!.handlingCost!.currency}` });
  return errors;
}

export const marketRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/markets',
    operationId: 'listMarkets',
    summary: 'List markets (none: the deployment is one market, as before markets existed)',
    tag: 'Markets',
    roles: ['ops', 'channel'],
    responses: { 200: { description: 'Markets', schema: z.object({ items: z.array(Market) }) }, ...problemResponses(401, 403) },
    async handler({ deps }) {
      return { status: 200, body: { items: await deps.markets.list() } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/markets/{id}',
    operationId: 'getMarket',
    summary: 'Get a market',
    tag: 'Markets',
    roles: ['ops', 'channel'],
    params: Params,
    responses: { 200: { description: 'The market', schema: Market }, ...problemResponses(401, 403, 404) },
    async handler({ params, deps }) {
      const market = await deps.markets.get(params.id);
      if (!market) throw notFound('Market', params.id);
      return { status: 200, body: market };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/markets/{id}',
    operationId: 'putMarket',
    summary: 'Create or change a market; each save is a new version',
    description:
      "A market's orders (its channels' orders) are in its currency: an amount in another is a 422 naming the field. Routing keeps them within the market's locations unless the routing profile sets crossBorder, which also allows shipping outside `countries`. Shipments use the market's carrier services (the built-in ones in its currency when it has none). `routingProfileId` routes the market's orders when no routing rule chooses a profile.",
    tag: 'Markets',
    roles: ['ops'],
    params: Params,
    body: MarketInput,
    responses: { 200: { description: 'The saved version', schema: Market }, ...problemResponses(401, 403, 422) },
    async handler({ params, body, deps }) {
      const errors = await marketErrors(deps, params.id, body);
      if (errors.length > 0) throw validationProblem(errors);
      return { status: 200, body: await deps.markets.put(params.id, body) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/markets/{id}/rate-cards/refresh',
    operationId: 'refreshMarketRateCards',
    summary: "Refresh the market's rate cards from its carrier gateway's live rates, as the nightly run does",
    description:
      'Each cell of each card (distance zone × weight tier) takes the median of the gateway\'s rates for lanes of the market\'s network in that zone, at the tier\'s weight; the cards are saved as a new market version. ' +
      'Runs the `rateCardRefreshWorkflow` (one run per market at a time) and answers with its result, or 202 with the workflow id when it takes longer than a minute. 409 for a market that ships through the built-in gateway.',
    tag: 'Markets',
    roles: ['ops'],
    params: Params,
    body: z.object({}).strict(),
    responses: {
      200: { description: 'The cells that moved, and the market version that has them', schema: z.object({ marketId: z.string(), version: z.int(), lanes: z.int(), changes: z.array(z.record(z.string(), z.unknown())) }) },
      202: { description: 'Still running', schema: z.object({ workflowId: z.string() }) },
      ...problemResponses(401, 403, 404, 409, 422),
    },
    async handler({ params, deps }) {
      if (!(await deps.markets.get(params.id))) throw notFound('Market', params.id);
      const workflowId = `rate-cards-${params.id}`;
      const handle = await deps.temporal.workflow.start(RATE_CARDS_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [{ marketId: params.id }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        staticSummary: `rate cards of market ${params.id} (on demand)`,
      });
      try {
        const result = await Promise.race([handle.result() as Promise<RateCardRefreshResult>, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 60_000).unref())]);
        if (!result) return { status: 202, body: { workflowId } };
        return { status: 200, body: result.markets[0]! };
      } catch (err) {
        const cause = err instanceof WorkflowFailedError && err.cause instanceof Error ? (err.cause as Error & { cause?: unknown }).cause : undefined;
        if (cause instanceof ApplicationFailure && cause.type === 'BuiltinGateway') throw new ProblemError(409, cause.message);
        if (cause instanceof ApplicationFailure && cause.type === 'UnknownMarket') throw notFound('Market', params.id);
        throw err;
      }
    },
  }),
];
