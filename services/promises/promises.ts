// Delivery promises at checkout: the options for a cart from the sourcing engine on live
// stock (domain/promises/options.ts) and, when asked, a hold on one option's stock: reserved
// under the promise's id, released by the promise's own workflow when the hold expires, or
// taken over by the order placed with it (activities/orders/promised-plan.ts). A hold that
// loses a race for the last units plans again on fresh stock, so two carts never hold the
// same unit and a cart that finds nothing left is told so.
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/knex.ts';
import { createChannelAllocationsRepository } from '../../db/repositories/channel-allocations.ts';
import { createInventoryRepository } from '../../db/repositories/inventory.ts';
import { createNetworkRepository } from '../../db/repositories/network.ts';
import { createPromisesRepository, promiseView, type StoredPromise } from '../../db/repositories/promises.ts';
import { createRoutingRepository } from '../../db/repositories/routing.ts';
import { DEFAULT_FULFILLMENT_POLICY, type Location } from '../../domain/network/schemas.ts';
import { promiseOptions } from '../../domain/promises/options.ts';
import type { PromiseRequest, PromiseResource } from '../../domain/promises/schemas.ts';
import { carrierServicesFor, currencyErrors } from '../../domain/markets/rules.ts';
import { createMarketsRepository } from '../../db/repositories/markets.ts';
import { engineLocationsOf } from '../../domain/sourcing/engine-locations.ts';
import { SourcingEngine } from '../../domain/sourcing/index.ts';
import { PROMISE_HOLD_WORKFLOW_TYPE, promiseHoldWorkflowId } from '../../workflows/promise/definitions.ts';
import { newId } from '../ids.ts';

/** How long the network, today's load, profiles, rules and allocations are reused between quotes: they change slowly, quotes come fast. */
const NETWORK_TTL_MS = 5_000;
/** Plans made for one hold: each lost race plans again on fresh stock. */
const HOLD_ROUNDS = 8;

export type PromiseOutcome = { promise: PromiseResource } | { fieldErrors: { path: string; message: string }[] };

export function createPromiseService(deps: { db: Db; temporal: Client; taskQueue: string }) {
  const network = createNetworkRepository(deps.db);
  const inventory = createInventoryRepository(deps.db);
  const allocations = createChannelAllocationsRepository(deps.db);
  const routing = createRoutingRepository(deps.db);
  const promises = createPromisesRepository(deps.db);
  const markets = createMarketsRepository(deps.db);
  const engine = new SourcingEngine();
  const cache = new Map<string, { at: number; value: Promise<unknown>; reloading?: boolean }>();

  /**
   * What changes slowly (the network, today's load, profiles, rules, allocations), read at
   * most every NETWORK_TTL_MS. An expired value is still served while its reload runs, so a
   * quote never waits for a reload but the first.
   */
  function recent<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key) as { at: number; value: Promise<T>; reloading?: boolean } | undefined;
    if (hit && Date.now() - hit.at <= NETWORK_TTL_MS) return hit.value;
    if (hit && !hit.reloading) {
      hit.reloading = true;
      load().then(
        (fresh) => cache.set(key, { at: Date.now(), value: Promise.resolve(fresh) }),
        () => (hit.reloading = false),
      );
    }
    if (hit) return hit.value;
    const value = load();
    cache.set(key, { at: Date.now(), value });
    value.catch(() => cache.delete(key));
    return value;
  }

  const weightCache = new Map<string, { at: number; grams: number }>();
  /** SKU weights, kept like the network (a SKU's weight changes rarely). */
  async function weightsOf(skus: readonly string[]): Promise<Map<string, number>> {
    const now = Date.now();
    const missing = skus.filter((sku) => !(now - (weightCache.get(sku)?.at ?? -Infinity) <= NETWORK_TTL_MS));
    if (missing.length > 0) for (const [sku, grams] of await network.skuWeights(missing)) weightCache.set(sku, { at: now, grams });
    return new Map(skus.flatMap((sku) => (weightCache.has(sku) ? [[sku, weightCache.get(sku)!.grams] as const] : [])));
  }

  async function networkNow(): Promise<{ locations: Location[]; load: Map<string, number> }> {
    const [locations, load] = await Promise.all([recent('locations', () => network.listLocations()), recent('load', () => routing.todayLoad())]);
    return { locations, load };
  }

  async function quote(request: PromiseRequest) {
    const skus = request.lines.map((l) => l.sku);
    const [net, allocation, profiles, rules, weights, market] = await Promise.all([
      networkNow(),
      recent(`allocation:${request.channel}`, () => allocations.get(request.channel)),
      recent('profiles', () => routing.listProfiles()),
      recent('rules', () => routing.rules()),
      weightsOf(skus),
      recent(`market:${request.channel}`, () => markets.ofChannel(request.channel)),
    ]);
    const stock = await inventory.availableBySkus(skus, allocation.sharePercent);
    const byId = new Map(net.locations.map((l) => [l.id, l]));
    const { options, unavailable } = promiseOptions(engine, {
      request,
      locations: engineLocationsOf(net.locations, { allowed: allocation.locationIds ? new Set(allocation.locationIds) : undefined, load: net.load, withinMarket: market?.id ?? null }),
      stock,
      weights,
      profiles,
      rules: rules.rules,
      carrierServices: carrierServicesFor(market),
      pickMinutes: (l) => byId.get(l.id)?.fulfillmentPolicy?.pickSlaMinutes ?? (l.type === 'store' ? DEFAULT_FULFILLMENT_POLICY.pickSlaMinutes.store : DEFAULT_FULFILLMENT_POLICY.pickSlaMinutes.other),
      now: new Date(),
      // A channel in no market is served by the locations in no market: their currency.
      currency: market?.currency ?? net.locations.find((l) => !l.marketId && l.handlingCost)?.handlingCost?.currency ?? 'USD',
      ...(market ? { market: { id: market.id, routingProfileId: market.routingProfileId } } : {}),
    });
    return { options, unavailable, sharePercent: allocation.sharePercent };
  }

  async function startExpiry(promise: StoredPromise): Promise<void> {
    try {
      await deps.temporal.workflow.start(PROMISE_HOLD_WORKFLOW_TYPE, {
        workflowId: promiseHoldWorkflowId(promise.id),
        taskQueue: deps.taskQueue,
        args: [{ promiseId: promise.id, expiresAt: promise.expiresAt!.toISOString() }],
      });
    } catch (err) {
      // No timer, no hold: the stock goes back rather than wait for the reconciliation.
      await promises.moveHold(promise.id, 'held', 'released');
      await inventory.release(promise.id, { actor: 'promise' });
      throw err;
    }
  }

  async function create(request: PromiseRequest): Promise<PromiseOutcome> {
    const known = await weightsOf(request.lines.map((l) => l.sku));
    const errors = request.lines.flatMap((l, i) => (known.has(l.sku) ? [] : [{ path: `lines[${i}].sku`, message: `unknown SKU ${l.sku}` }]));
    const market = request.orderValue ? await recent(`market:${request.channel}`, () => markets.ofChannel(request.channel)) : undefined;
    if (market) errors.push(...currencyErrors('orderValue.currency', request.orderValue!.currency, market));
    if (errors.length > 0) return { fieldErrors: errors };
    const id = newId('prm');
    const base = { id, channel: request.channel, request };
    for (let round = 1; round <= (request.hold ? HOLD_ROUNDS : 1); round++) {
      const { options, unavailable, sharePercent } = await quote(request);
      if (!request.hold) return { promise: promiseView(await promises.insert({ ...base, options, unavailable, heldOptionId: null, holdState: null, expiresAt: null })) };
      const wanted = request.hold.optionId;
      const option = wanted ? options.find((o) => o.option.id === wanted) : options[0];
      if (wanted && !option && round === 1) {
        return { fieldErrors: [{ path: 'hold.optionId', message: `no option ${wanted} for this cart now (options: ${options.map((o) => o.option.id).join(', ') || 'none'})` }] };
      }
      if (option && (await inventory.reservePlan({ ownerId: id, attempt: round, shipments: option.plan, sharePercent })).ok) {
        const expiresAt = new Date(Date.now() + request.hold.minutes * 60_000);
        const stored = await promises.insert({ ...base, options, unavailable, heldOptionId: option.option.id, holdState: 'held', expiresAt });
        await startExpiry(stored);
        return { promise: promiseView(stored) };
      }
      if (!option || round === HOLD_ROUNDS) {
        return { promise: promiseView(await promises.insert({ ...base, options, unavailable, heldOptionId: wanted ?? option?.option.id ?? null, holdState: 'unavailable', expiresAt: null })) };
      }
    }
    throw new Error('unreachable: every round returns');
  }

  return {
    create,
    async get(id: string): Promise<StoredPromise | undefined> {
      return promises.get(id);
    },
    /** The cart is abandoned: the held stock goes back now. False when nothing was held. */
    async release(id: string): Promise<boolean> {
      const released = await promises.moveHold(id, 'held', 'released');
      if (released) await inventory.release(id, { actor: 'promise' });
      return released;
    },
  };
}

export type PromiseService = ReturnType<typeof createPromiseService>;
