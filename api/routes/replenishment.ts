// Replenishment: policies per location (a default and per SKU), the proposals the nightly plan
// makes from forecasts and stock, and approving them (a transfer starts; a purchase is
// announced as `replenishment.purchase_proposed` for the ERP to place).
import { z } from 'zod';
import { ExternalId } from '../../domain/identifiers.ts';
import { ProposalStatus, ReplenishmentPolicy, ReplenishmentPolicyInput, ReplenishmentProposal } from '../../domain/replenishment/schemas.ts';
import { ProblemError, validationProblem, type FieldError } from '../problem.ts';
import { defineRoute, notFound } from '../route.ts';
import { problemResponses } from './common.ts';

const LocationParams = z.object({ locationId: ExternalId });

export const replenishmentRoutes = [
  defineRoute({
    method: 'put',
    path: '/v1/replenishment/policies/{locationId}',
    operationId: 'putReplenishmentPolicy',
    summary: "Set a location's replenishment policy (its default, or one SKU's)",
    description:
      "With `sku`, that SKU's policy at the location; without, the location's default for every SKU it stocks or has a forecast for. The nightly plan (`POST /v1/planning/runs` runs it now) sizes safety stock for `serviceLevel` from the forecast's error, reorders at the lead time's demand plus safety stock, and fills up to that plus the review period's demand: from `sourceLocationId`, then from overstocked locations, then by purchase.",
    tag: 'Replenishment',
    roles: ['ops'],
    params: LocationParams,
    body: ReplenishmentPolicyInput,
    responses: {
      200: { description: 'The policy', schema: ReplenishmentPolicy },
      ...problemResponses(401, 403, 404, 422),
    },
    async handler({ params, body, deps }) {
      const errors: FieldError[] = [];
      const ids = [params.locationId, ...(body.sourceLocationId ? [body.sourceLocationId] : [])];
      const [locations, skus] = await Promise.all([deps.network.existingLocationIds(ids), body.sku ? deps.network.existingSkus([body.sku]) : new Set<string>()]);
      if (!locations.has(params.locationId)) throw notFound('Location', params.locationId);
      if (body.sourceLocationId === params.locationId) errors.push({ path: 'sourceLocationId', message: 'must differ from the location replenished' });
      else if (body.sourceLocationId && !locations.has(body.sourceLocationId)) errors.push({ path: 'sourceLocationId', message: `unknown location ${body.sourceLocationId}` });
      if (body.sku && !skus.has(body.sku)) errors.push({ path: 'sku', message: `unknown SKU ${body.sku}` });
      if (errors.length > 0) throw validationProblem(errors);
      return { status: 200, body: await deps.replenishment.repository.putPolicy(params.locationId, body) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/replenishment/policies/{locationId}',
    operationId: 'listReplenishmentPolicies',
    summary: "A location's replenishment policies (its default first)",
    tag: 'Replenishment',
    roles: ['ops'],
    params: LocationParams,
    responses: {
      200: { description: 'The policies', schema: z.object({ items: z.array(ReplenishmentPolicy) }) },
      ...problemResponses(401, 403),
    },
    async handler({ params, deps }) {
      return { status: 200, body: { items: await deps.replenishment.repository.policiesOf(params.locationId) } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/replenishment/policies/{locationId}',
    operationId: 'deleteReplenishmentPolicy',
    summary: "Remove a location's default policy, or with `sku` one SKU's",
    tag: 'Replenishment',
    roles: ['ops'],
    params: LocationParams,
    query: z.object({ sku: ExternalId.optional() }).strict(),
    responses: { 204: { description: 'Removed' }, ...problemResponses(401, 403, 404) },
    async handler({ params, query, deps }) {
      if (!(await deps.replenishment.repository.deletePolicy(params.locationId, query.sku))) throw notFound('Replenishment policy', query.sku ? `${params.locationId}/${query.sku}` : params.locationId);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/replenishment/proposals',
    operationId: 'listReplenishmentProposals',
    summary: 'Replenishment proposals, newest first, each with its reason in numbers',
    description: "Open proposals are `proposed`; each night's plan replaces those not approved (`superseded`).",
    tag: 'Replenishment',
    roles: ['ops'],
    query: z
      .object({
        locationId: ExternalId.optional(),
        status: ProposalStatus.optional().describe('Leave out for every status'),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      })
      .strict(),
    responses: {
      200: { description: 'The proposals', schema: z.object({ items: z.array(ReplenishmentProposal) }) },
      ...problemResponses(401, 403, 422),
    },
    async handler({ query, deps }) {
      return { status: 200, body: { items: await deps.replenishment.repository.list(query) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/replenishment/proposals/{id}/approve',
    operationId: 'approveReplenishmentProposal',
    summary: 'Approve a proposal: a transfer starts, a purchase is announced',
    description:
      'A transfer proposal starts the transfer workflow (`transferId`); a purchase emits `replenishment.purchase_proposed` (to webhooks and `GET /v1/events`) for the ERP to place. Approving again changes nothing. 409 when a later plan superseded it.',
    tag: 'Replenishment',
    roles: ['ops'],
    params: z.object({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_]+$/, 'is not a proposal id') }),
    responses: {
      200: { description: 'The approved proposal', schema: ReplenishmentProposal },
      ...problemResponses(401, 403, 404, 409),
    },
    async handler({ params, deps }) {
      const outcome = await deps.replenishment.approve(params.id);
      if ('proposal' in outcome) return { status: 200, body: outcome.proposal };
      if (outcome.refused === 'unknown') throw notFound('Proposal', params.id);
      throw new ProblemError(409, 'A later plan superseded this proposal: approve one of the open proposals instead.', { proposalId: params.id });
    },
  }),
];
