// Relative stock changes and bulk snapshots: adjustments, quarantine, ERP/POS feeds.
import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import { z } from 'zod';
import { ExternalId } from '../../domain/identifiers.ts';
import type { Principal } from '../../domain/access/roles.ts';
import { AdjustmentInput, FeedInput, FeedResult, InventoryLevel, MAX_FEED_ITEMS, QuarantineInput } from '../../domain/inventory/schemas.ts';
import { MAX_STOCK_COUNT } from '../../db/inventory/movements.ts';
import { quarantineMove } from '../../domain/inventory/quarantine.ts';
import { unknownPlaceErrors } from '../known-places.ts';
import { ProblemError, validationProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';
import { problemResponses } from './common.ts';

const FeedWatermarkQuery = z.object({ locationId: ExternalId.optional(), sku: ExternalId.optional(), after: z.iso.datetime({ offset: true }).optional() });

function watermarkFilter(filter: z.infer<typeof FeedWatermarkQuery>) {
  return { ...(filter.locationId ? { locationId: filter.locationId } : {}), ...(filter.sku ? { sku: filter.sku } : {}), ...(filter.after ? { after: new Date(filter.after) } : {}) };
}

/** Ledger idempotency: the request's Idempotency-Key when given, so a retried change applies once. */
function ledgerKey(kind: string, ctx: Context, principal: Principal): string {
  const key = ctx.get('idempotency-key');
  return key ? `${kind}:${principal.keyId}:${key}` : `${kind}:${randomUUID()}`;
}

export const stockChangeRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/inventory/adjustments',
    operationId: 'adjustInventory',
    summary: 'Change on-hand stock by a relative amount (found, damaged, shrinkage, …)',
    tag: 'Inventory',
    roles: ['ops'],
    body: AdjustmentInput,
    responses: {
      200: { description: 'The level after the adjustment', schema: InventoryLevel },
      ...problemResponses(401, 403, 409, 422),
    },
    async handler({ body, deps, principal, ctx }) {
      const errors = await unknownPlaceErrors(deps, [body], () => '');
      if (errors.length > 0) throw validationProblem(errors);
      const result = await deps.inventory.move({
        locationId: body.locationId,
        sku: body.sku,
        onHandDelta: body.delta,
        reason: 'adjustment',
        reference: body.reason,
        idempotencyKey: ledgerKey('adjust', ctx, principal),
        actor: principal.keyId,
      });
      if (!result.ok && result.reason === 'exceeds_maximum') {
        throw validationProblem([{ path: 'delta', message: `would take on hand of ${body.sku} at ${body.locationId} past ${MAX_STOCK_COUNT}, the most a count can hold` }]);
      }
      if (!result.ok) throw new ProblemError(409, `On hand of ${body.sku} at ${body.locationId} would become negative.`);
      return { status: 200, body: result.level };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/inventory/quarantine',
    operationId: 'quarantineInventory',
    summary: 'Move units between sellable and quarantined stock, or dispose of quarantined units',
    tag: 'Inventory',
    roles: ['ops'],
    body: QuarantineInput,
    responses: {
      200: { description: 'The level after the move', schema: InventoryLevel },
      ...problemResponses(401, 403, 409, 422),
    },
    async handler({ body, deps, principal, ctx }) {
      const errors = await unknownPlaceErrors(deps, [body], () => '');
      if (errors.length > 0) throw validationProblem(errors);
      const { drawsOn, ...move } = quarantineMove(body.action, body.quantity);
      const result = await deps.inventory.move({
        locationId: body.locationId,
        sku: body.sku,
        ...move,
        reference: `${body.action}: ${body.reason}`,
        idempotencyKey: ledgerKey(`quarantine-${body.action}`, ctx, principal),
        actor: principal.keyId,
      });
      if (!result.ok && result.reason === 'exceeds_maximum') {
        throw validationProblem([{ path: 'quantity', message: `would take the ${body.sku} count at ${body.locationId} past ${MAX_STOCK_COUNT}, the most a count can hold` }]);
      }
      if (!result.ok) throw new ProblemError(409, `Not enough ${drawsOn} units of ${body.sku} at ${body.locationId}.`);
      return { status: 200, body: result.level };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/inventory/feeds',
    operationId: 'applyInventoryFeed',
    summary: 'Apply an ERP/POS stock snapshot (absolute on-hand per location and SKU)',
    description: `One transaction per feed. An item older than the last snapshot applied to its (location, SKU) is skipped and counted. At most ${MAX_FEED_ITEMS} items.`,
    tag: 'Inventory',
    roles: ['ops'],
    body: FeedInput,
    maxBodyBytes: 8 * 1024 * 1024,
    responses: { 200: { description: 'How many items were applied and skipped', schema: FeedResult }, ...problemResponses(401, 403, 413, 422) },
    async handler({ body, deps, principal }) {
      const errors = await unknownPlaceErrors(deps, body.items, (i) => `items[${i}].`);
      const seen = new Map<string, number>();
      body.items.forEach((item, index) => {
        const key = `${item.locationId}\u0000${item.sku}`;
        const first = seen.get(key);
        if (first !== undefined) errors.push({ path: `items[${index}]`, message: `repeats items[${first}] (${item.locationId}, ${item.sku})` });
        else seen.set(key, index);
      });
      if (errors.length > 0) throw validationProblem(errors.slice(0, 100), `${errors.length} feed item(s) are invalid; nothing was applied.`);
      const result = await deps.inventory.applyFeed({
        source: body.source,
        asOf: new Date(body.asOf),
        items: body.items,
        actor: principal.keyId,
      });
      return { status: 200, body: result };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/feed-watermarks',
    operationId: 'listFeedWatermarks',
    summary: 'The asOf of the last feed applied to each (location, SKU), latest first: a feed older than its level\'s watermark is skipped',
    tag: 'Inventory',
    roles: ['ops'],
    query: FeedWatermarkQuery.extend({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    responses: { 200: { description: 'Watermarks', schema: z.object({ items: z.array(z.object({ locationId: z.string(), sku: z.string(), asOf: z.string() })) }) }, ...problemResponses(401, 403, 422) },
    async handler({ query, deps }) {
      const { limit, ...filter } = query;
      return { status: 200, body: { items: await deps.inventory.feedWatermarks(watermarkFilter(filter), limit) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/feed-watermarks/reset',
    operationId: 'resetFeedWatermarks',
    summary: 'Forget feed watermarks (all, or of a location, a SKU, or those after a date), so the next feed applies whatever its asOf',
    description: 'For a source that sent a wrong date: `{ "after": "<now>" }` resets only the watermarks in the future. Counts are not changed.',
    tag: 'Inventory',
    roles: ['ops'],
    body: FeedWatermarkQuery.strict(),
    responses: { 200: { description: 'How many watermarks were reset', schema: z.object({ reset: z.int() }) }, ...problemResponses(401, 403, 422) },
    async handler({ body, deps }) {
      return { status: 200, body: { reset: await deps.inventory.resetFeedWatermarks(watermarkFilter(body)) } };
    },
  }),
];
