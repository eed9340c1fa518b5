// Locations and SKUs (ops manage them; every role but carriers reads them).
import { z } from 'zod';
import type { Principal } from '../../domain/access/roles.ts';
import { ExternalId } from '../../domain/identifiers.ts';
import { currencyErrors } from '../../domain/markets/rules.ts';
import { Location, LocationInput, Sku, SkuInput } from '../../domain/network/schemas.ts';
import { validationProblem } from '../problem.ts';
import { defineRoute, notFound } from '../route.ts';
import { problemResponses } from './common.ts';

const readers = ['ops', 'channel', 'associate'] as const;

/** Channels see the network without its cost data. */
function visibleLocation(location: Location, principal: Principal): Location {
  if (principal.role !== 'channel') return location;
  const { handlingCost: _cost, dailyOrderCapacity: _capacity, ...rest } = location;
  return rest;
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
    responses: {
      200: { description: 'Updated', schema: Location },
      201: { description: 'Created', schema: Location },
      ...problemResponses(401, 403, 422),
    },
    async handler({ params, body, deps }) {
      if (body.marketId) {
        const market = await deps.markets.get(body.marketId);
        if (!market) throw validationProblem([{ path: 'marketId', message: `no market ${body.marketId}` }]);
        const wrongCurrency = body.handlingCost ? currencyErrors('handlingCost.currency', body.handlingCost.currency, market) : [];
        if (wrongCurrency.length > 0) throw validationProblem(wrongCurrency);
      }
      const { location, created } = await deps.network.upsertLocation(params.id, body);
      return { status: created ? 201 : 200, body: location };
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
