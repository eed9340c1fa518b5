// Locations and SKUs (ops manage them; every role but carriers reads them).
import { z } from 'zod';
import type { Principal } from '../../domain/access/roles.ts';
import { ExternalId } from '../../domain/identifiers.ts';
import { currencyErrors } from '../../domain/markets/rules.ts';
import { Location, LocationInput, Sku, SkuInput } from '../../domain/network/schemas.ts';
import { validationProblem } from '../problem.ts';
import { placeLocation } from '../../domain/markets/placement.ts';
import type { ApiDeps } from '../deps.ts';
import { defineRoute, notFound } from '../route.ts';
import { problemResponses } from './common.ts';

const readers = ['ops', 'channel', 'associate'] as const;

/** Channels see the network without its cost data. */
function visibleLocation(location: Location, principal: Principal): Location {
  if (principal.role !== 'channel') return location;
  const { handlingCost: _cost, dailyOrderCapacity: _capacity, ...rest } = location;
  return rest;
}

const LocationAnswer = Location.extend({ warnings: z.array(z.string()).optional().describe('What the caller should know: a location that no market covers serves only channels in no market') });

/** The body with the market it joins when it names none (domain/markets/placement.ts), and what to warn of. */
async function withMarket(deps: ApiDeps, id: string, body: LocationInput): Promise<{ input: LocationInput; warnings: string[] }> {
  if (body.marketId) return { input: body, warnings: [] };
  const markets = await deps.markets.list();
  if (markets.length === 0) return { input: body, warnings: [] };
  const placed = placeLocation(body, markets);
  if (placed.marketId) return { input: { ...body, marketId: placed.marketId }, warnings: [] };
  const kept = (await deps.network.getLocation(id))?.marketId;
  if (kept) return { input: { ...body, marketId: kept }, warnings: [] };
  const where = placed.country ? `country ${placed.country}` : 'no country known for its address or position';
  return {
    input: body,
    warnings: [`No market covers this location (${where}): it serves only channels in no market. Name its marketId, or add its country to a market (PUT /v1/markets/{id}).`],
  };
}

export const networkRoutes = [
  defineRoute({
    method: 'put',
    path: '/v1/locations/{id}',
    operationId: 'upsertLocation',
    summary: 'Create or update a location',
    tag: 'Network',
    roles: ['ops'],
    params: z.object({ id: ExternalId }),
    body: LocationInput,
    description:
      'Once markets exist, a location saved without `marketId` joins the market whose countries hold its `address.country`, else the country its `geo` lies in; ' +
      'an update that places it nowhere keeps the market it had. The answer shows the `marketId` it got, or a `warnings` entry when no market covers it ' +
      '(it then serves only channels in no market).',
    responses: {
      200: { description: 'Updated', schema: LocationAnswer },
      201: { description: 'Created', schema: LocationAnswer },
      ...problemResponses(401, 403, 422),
    },
    async handler({ params, body, deps }) {
      const { input, warnings } = await withMarket(deps, params.id, body);
      if (input.marketId) {
        const market = await deps.markets.get(input.marketId);
        if (!market) throw validationProblem([{ path: 'marketId', message: `no market ${input.marketId}` }]);
        const wrongCurrency = input.handlingCost ? currencyErrors('handlingCost.currency', input.handlingCost.currency, market) : [];
        if (wrongCurrency.length > 0) throw validationProblem(wrongCurrency);
      }
      const { location, created } = await deps.network.upsertLocation(params.id, input);
      return { status: created ? 201 : 200, body: { ...location, ...(warnings.length > 0 ? { warnings } : {}) } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/locations',
    operationId: 'listLocations',
    summary: 'List locations',
    tag: 'Network',
    roles: readers,
    responses: { 200: { description: 'Locations', schema: z.object({ items: z.array(Location) }) }, ...problemResponses(401, 403) },
    async handler({ deps, principal }) {
      const items = await deps.network.listLocations();
      return { status: 200, body: { items: items.map((l) => visibleLocation(l, principal)) } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/locations/{id}',
    operationId: 'getLocation',
    summary: 'Get a location',
    tag: 'Network',
    roles: readers,
    params: z.object({ id: ExternalId }),
    responses: { 200: { description: 'The location', schema: Location }, ...problemResponses(401, 403, 404) },
    async handler({ params, deps, principal }) {
      const location = await deps.network.getLocation(params.id);
      if (!location) throw notFound('Location', params.id);
      return { status: 200, body: visibleLocation(location, principal) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/skus/{sku}',
    operationId: 'upsertSku',
    summary: 'Create or update a SKU',
    tag: 'Network',
    roles: ['ops'],
    params: z.object({ sku: ExternalId }),
    body: SkuInput,
    responses: {
      200: { description: 'Updated', schema: Sku },
      201: { description: 'Created', schema: Sku },
      ...problemResponses(401, 403, 422),
    },
    async handler({ params, body, deps }) {
      if (body.gtin) {
        const owner = await deps.network.skuWithGtin(body.gtin, params.sku);
        if (owner) throw validationProblem([{ path: 'gtin', message: `is already the GTIN of SKU ${owner}` }]);
      }
      const { sku, created } = await deps.network.upsertSku(params.sku, body);
      return { status: created ? 201 : 200, body: sku };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/skus/{sku}',
    operationId: 'getSku',
    summary: 'Get a SKU',
    tag: 'Network',
    roles: readers,
    params: z.object({ sku: ExternalId }),
    responses: { 200: { description: 'The SKU', schema: Sku }, ...problemResponses(401, 403, 404) },
    async handler({ params, deps }) {
      const sku = await deps.network.getSku(params.sku);
      if (!sku) throw notFound('SKU', params.sku);
      return { status: 200, body: sku };
    },
  }),
];
