// Stock counts, availability and the ledger.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { actsFor } from '../access.ts';
import { ChannelAllocation, ChannelAllocationInput } from '../../domain/inventory/allocation.ts';
import { ChannelName, ExternalId } from '../../domain/identifiers.ts';
import { Availability, InventoryCountInput, InventoryLevel, LedgerEntry } from '../../domain/inventory/schemas.ts';
import { ProblemError, validationProblem, type FieldError } from '../problem.ts';
import { defineRoute, notFound } from '../route.ts';
import { problemResponses, repeatedParam } from './common.ts';

const LevelParams = z.object({ locationId: ExternalId, sku: ExternalId });

export const inventoryRoutes = [
  defineRoute({
    method: 'put',
    path: '/v1/inventory/{locationId}/{sku}',
    operationId: 'setInventoryCount',
    summary: 'Set the counted stock of a SKU at a location (a cycle count)',
    tag: 'Inventory',
    roles: ['ops'],
    params: LevelParams,
    body: InventoryCountInput,
    responses: { 200: { description: 'The level after the count', schema: InventoryLevel }, ...problemResponses(401, 403, 404, 422) },
    async handler({ params, body, deps, principal, ctx }) {
      const [locations, skus] = await Promise.all([
        deps.network.existingLocationIds([params.locationId]),
        deps.network.existingSkus([params.sku]),
      ]);
      if (!locations.has(params.locationId)) throw notFound('Location', params.locationId);
      if (!skus.has(params.sku)) throw notFound('SKU', params.sku);
      const requestKey = ctx.get('idempotency-key');
      const level = await deps.inventory.setCount({
        locationId: params.locationId,
        sku: params.sku,
        onHand: body.onHand,
        ...(body.safetyStock !== undefined ? { safetyStock: body.safetyStock } : {}),
        idempotencyKey: requestKey ? `count:${principal.keyId}:${requestKey}` : `count:${randomUUID()}`,
        actor: principal.keyId,
      });
      return { status: 200, body: level };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/availability',
    operationId: 'getAvailability',
    summary: 'Available stock per SKU, in total and per location',
    description: 'available = max(0, onHand − reserved − safetyStock)',
    tag: 'Inventory',
    roles: ['ops', 'channel', 'associate'],
    query: z.object({
      sku: repeatedParam(ExternalId).pipe(z.array(ExternalId).min(1).max(100)),
      locationId: ExternalId.optional(),
      channel: ChannelName.optional().describe("Show what this channel may sell (a channel key always sees its own allocation)"),
    }),
    responses: { 200: { description: 'Availability', schema: Availability }, ...problemResponses(401, 403, 422) },
    async handler({ query, deps, principal }) {
      const skus = [...new Set(query.sku)];
      const [known, locations] = await Promise.all([
        deps.network.existingSkus(skus),
        query.locationId ? deps.network.existingLocationIds([query.locationId]) : Promise.resolve(undefined),
      ]);
      const errors: FieldError[] = [];
      skus.forEach((sku, index) => {
        if (!known.has(sku)) errors.push({ path: `query.sku[${index}]`, message: `unknown SKU ${sku}` });
      });
      if (query.locationId && !locations?.has(query.locationId)) {
        errors.push({ path: 'query.locationId', message: `unknown location ${query.locationId}` });
      }
      if (errors.length > 0) throw validationProblem(errors);
      const channel = principal.role === 'channel' ? principal.channel : query.channel;
      const allocation = channel ? await deps.allocations.get(channel) : undefined;
      return {
        status: 200,
        body: await deps.inventory.availability(skus, {
          ...(query.locationId ? { locationId: query.locationId } : {}),
          ...(allocation ? { allocation } : {}),
        }),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/inventory/{locationId}/{sku}/ledger',
    operationId: 'getInventoryLedger',
    summary: 'Every change to the stock of a SKU at a location, newest first',
    tag: 'Inventory',
    roles: ['ops'],
    params: LevelParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.coerce.number().int().min(1).optional(),
    }),
    responses: {
      200: {
        description: 'Ledger entries; pass nextCursor as `before` for the next page',
        schema: z.object({ items: z.array(LedgerEntry), nextCursor: z.string().nullable() }),
      },
      ...problemResponses(401, 403, 404, 422),
    },
    async handler({ params, query, deps }) {
      const level = await deps.inventory.getLevel(params.locationId, params.sku);
      if (!level) throw notFound('Inventory level', `${params.locationId}/${params.sku}`);
      const items = await deps.inventory.ledger(params.locationId, params.sku, query.limit, query.before);
      const last = items[items.length - 1];
      return { status: 200, body: { items, nextCursor: items.length === query.limit && last ? String(last.id) : null } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/channels/{channel}/allocation',
    operationId: 'setChannelAllocation',
    summary: "Limit a channel to some locations and/or a share of each location's available stock",
    description: 'Availability for the channel and the routing of its orders respect it. sharePercent 50: the channel sees half of what is available.',
    tag: 'Inventory',
    roles: ['ops'],
    params: z.object({ channel: ChannelName }),
    body: ChannelAllocationInput,
    responses: { 200: { description: 'The allocation', schema: ChannelAllocation }, ...problemResponses(401, 403, 422) },
    async handler({ params, body, deps }) {
      if (body.locationIds) {
        const known = await deps.network.existingLocationIds(body.locationIds);
        const errors = body.locationIds.flatMap((id, i) => (known.has(id) ? [] : [{ path: `locationIds[${i}]`, message: `unknown location ${id}` }]));
        if (errors.length > 0) throw validationProblem(errors);
      }
      return { status: 200, body: await deps.allocations.put(params.channel, body) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/channels/{channel}/allocation',
    operationId: 'getChannelAllocation',
    summary: "A channel's allocation (every location, 100% when none was set)",
    tag: 'Inventory',
    roles: ['ops', 'channel'],
    params: z.object({ channel: ChannelName }),
    responses: { 200: { description: 'The allocation', schema: ChannelAllocation }, ...problemResponses(401, 403, 404) },
    async handler({ params, deps, principal }) {
      if (!actsFor(principal, params.channel)) {
        throw new ProblemError(404, `No allocation for channel ${params.channel}.`);
      }
      return { status: 200, body: await deps.allocations.get(params.channel) };
    },
  }),
];
