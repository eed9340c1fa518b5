// The options of a delivery promise, from the sourcing engine on live stock: one ship option
// per service level that can take the whole cart, and pickup at the nearest stores that can
// have it ready. Pure: the promise service feeds it the network, stock and profiles.
import { distanceKm } from '../distance.ts';
import { localDate, nextOpenAt } from '../shipping/local-time.ts';
import type { EngineLocation, PlannedFulfillment, SourcingEngine } from '../sourcing/index.ts';
import { chooseProfileFor, profileQuestion, type RoutingRule } from '../sourcing/profile-rules.ts';
import type { RoutingProfile } from '../sourcing/profile.ts';
import type { CarrierService } from '../shipping/carrier-services.ts';
import type { ServiceLevel } from '../orders/schemas.ts';
import type { PromiseOption, PromiseRequest } from './schemas.ts';

/** Stores farther than this from pickupNear are not offered. */
export const PICKUP_RADIUS_KM = 50;
/** Pickup options offered at most. */
export const PICKUP_STORES = 3;
/**
 * Ship options are planned over the stocked locations nearest the destination, this many (a
 * metro area and its neighbours, where the cheap and fast plans are), and the nearest few
 * holding each SKU. bench:promises measures what the cap costs against the whole network.
 */
export const SHIP_CANDIDATES = 80;
const ALL_LEVELS: readonly ServiceLevel[] = ['standard', 'express', 'same_day'];

export interface PromiseContext {
  request: PromiseRequest;
  locations: readonly EngineLocation[];
  stock: ReadonlyMap<string, ReadonlyMap<string, number>>;
  weights: ReadonlyMap<string, number>;
  profiles: readonly RoutingProfile[];
  rules: readonly RoutingRule[];
  carrierServices: readonly CarrierService[];
  /** Minutes a location takes to pick (its fulfillment policy's pick SLA). */
  pickMinutes: (location: EngineLocation) => number;
  now: Date;
  currency: string;
  /** Ship candidates (SHIP_CANDIDATES when left out; Infinity plans over every stocked location). */
  shipCandidates?: number;
  /** The channel's market: its default profile, and (unless a profile allows cross-border) its locations only. */
  market?: { id: string; routingProfileId?: string | undefined };
}

/** An option with the plan behind it (engine line ids are the SKUs), which holds and orders use. */
export interface PlannedOption {
  option: PromiseOption;
  plan: PlannedFulfillment[];
  profileVersion: number;
}

function engineLines(ctx: PromiseContext) {
  return ctx.request.lines.map((l) => ({ lineId: l.sku, sku: l.sku, quantity: l.quantity, weightGrams: ctx.weights.get(l.sku) ?? 0 }));
}

function toOption(id: string, level: ServiceLevel, plan: PlannedFulfillment[], totalCost: number, profile: RoutingProfile, ctx: PromiseContext, readyAt?: Date): PlannedOption {
  const latest = plan.reduce((max, f) => (f.estimatedDelivery > max ? f.estimatedDelivery : max), '');
  const option: PromiseOption = {
    id,
    method: plan[0]!.method,
    serviceLevel: level,
    locationIds: [...new Set(plan.flatMap((f) => [f.locationId, ...(f.transferFromLocationId ? [f.transferFromLocationId] : [])]))],
    ...(readyAt ? { readyAt: readyAt.toISOString() } : { estimatedDelivery: latest }),
    cost: { amount: totalCost, currency: ctx.currency },
    co2eGrams: plan.reduce((sum, f) => sum + f.co2eGrams, 0),
    splitCount: plan.length,
    shipments: plan.map((f) => ({
      locationId: f.locationId,
      lines: f.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      ...(f.carrier ? { carrier: f.carrier } : {}),
      ...(f.service ? { service: f.service } : {}),
      ...(f.transferFromLocationId ? { transferFromLocationId: f.transferFromLocationId } : {}),
    })),
    profileId: profile.id,
  };
  return { option, plan, profileVersion: profile.version };
}

function profileFor(ctx: PromiseContext, level: ServiceLevel): RoutingProfile {
  const { request } = ctx;
  return chooseProfileFor(ctx.profiles, ctx.rules, profileQuestion({ channel: request.channel, serviceLevel: level, segment: request.segment, orderValue: request.orderValue }, ctx.market)).profile;
}

/** The locations a profile may plan over: within the market, or all of them when it allows cross-border. */
function forProfile(locations: readonly EngineLocation[], profile: RoutingProfile): EngineLocation[] {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  return profile.crossBorder ? locations.map(({ outsideMarket, ...l }) => l) : locations.filter((l) => !l.outsideMarket);
}

/** Locations holding any of the cart's SKUs: the others cannot take part in a plan. */
function stocked(ctx: PromiseContext): EngineLocation[] {
  return ctx.locations.filter((l) => {
    const bySku = ctx.stock.get(l.id);
    return bySku !== undefined && ctx.request.lines.some((line) => (bySku.get(line.sku) ?? 0) > 0);
  });
}

/** Locations holding each SKU that the candidates always include, however far: a SKU stocked only far away still gets its option. */
const PER_SKU_CANDIDATES = 5;

/**
 * The stocked locations ship options are planned over: the `limit` nearest the destination,
 * and for each of the cart's SKUs the nearest few that hold it. One pass in distance order
 * (ties by id), which stops once both are found.
 */
function shipCandidates(ctx: PromiseContext, destination: { lat: number; lon: number }, limit: number): EngineLocation[] {
  const all = stocked(ctx);
  if (all.length <= limit) return all;
  const byDistance = all.map((l) => ({ l, km: distanceKm(l.geo, destination) })).sort((a, b) => a.km - b.km || (a.l.id < b.l.id ? -1 : a.l.id > b.l.id ? 1 : 0));
  const skus = [...new Set(ctx.request.lines.map((line) => line.sku))];
  const holders = new Map(skus.map((sku) => [sku, 0]));
  let wanting = skus.length;
  const chosen: EngineLocation[] = [];
  for (const [rank, { l }] of byDistance.entries()) {
    if (rank >= limit && wanting === 0) break;
    const bySku = ctx.stock.get(l.id);
    let holdsWanted = false;
    for (const sku of skus) {
      const held = holders.get(sku)!;
      if (held >= PER_SKU_CANDIDATES || (bySku?.get(sku) ?? 0) <= 0) continue;
      holders.set(sku, held + 1);
      if (held + 1 === PER_SKU_CANDIDATES) wanting -= 1;
      holdsWanted = true;
    }
    if (rank < limit || holdsWanted) chosen.push(l);
  }
  return chosen;
}

function shipOptions(engine: SourcingEngine, ctx: PromiseContext): PlannedOption[] {
  const destination = ctx.request.destination?.geo;
  if (!destination) return [];
  const locations = shipCandidates(ctx, destination, ctx.shipCandidates ?? SHIP_CANDIDATES);
  const out: PlannedOption[] = [];
  for (const level of ctx.request.serviceLevels ?? ALL_LEVELS) {
    const profile = profileFor(ctx, level);
    const plan = engine.plan({
      order: { method: level === 'same_day' ? 'same_day' : 'ship', serviceLevel: level, destination, lines: engineLines(ctx) },
      locations: forProfile(locations, profile),
      stock: ctx.stock,
      now: ctx.now,
      profile,
      carrierServices: ctx.carrierServices,
      excludedLocationIds: [],
    });
    // An option promises the whole cart.
    if (plan.fulfillments.length > 0 && plan.backordered.length === 0) out.push(toOption(`ship:${level}`, level, plan.fulfillments, plan.totalCost, profile, ctx));
  }
  return out;
}

/** When the store can have it ready: a transfer's planned arrival, else picked once the store is open. */
function readyAt(f: PlannedFulfillment, store: EngineLocation, ctx: PromiseContext): Date {
  if (f.transferExpectedAt) return new Date(f.transferExpectedAt);
  const opens = nextOpenAt(ctx.now, store.timezone, store.openingHours);
  return nextOpenAt(new Date(opens.getTime() + ctx.pickMinutes(store) * 60_000), store.timezone, store.openingHours);
}

/** Whether these locations together hold each line: without that no plan can take the cart, so it is not planned. */
function holdEveryLine(ctx: PromiseContext, locations: readonly EngineLocation[]): boolean {
  return ctx.request.lines.every((line) => {
    let units = 0;
    for (const l of locations) {
      units += ctx.stock.get(l.id)?.get(line.sku) ?? 0;
      if (units >= line.quantity) return true;
    }
    return false;
  });
}

function pickupOptions(engine: SourcingEngine, ctx: PromiseContext): PlannedOption[] {
  const near = ctx.request.pickupNear;
  if (!near) return [];
  const profile = profileFor(ctx, 'standard');
  const usable = forProfile(ctx.locations, profile);
  const stores = usable
    .filter((l) => l.active && l.allowedForChannel && l.capabilities.pickup)
    .map((l) => ({ location: l, km: distanceKm(near, l.geo) }))
    .filter((s) => s.km <= PICKUP_RADIUS_KM)
    .sort((a, b) => a.km - b.km || a.location.id.localeCompare(b.location.id));
  const out: PlannedOption[] = [];
  for (const { location: store } of stores) {
    if (out.length >= PICKUP_STORES) break;
    // The store, and the locations a transfer may bring the units from.
    const reach = profile.pickupTransfer.enabled ? profile.pickupTransfer.maxDistanceKm : 0;
    const locations = reach > 0 ? usable.filter((l) => l.id === store.id || distanceKm(l.geo, store.geo) <= reach) : [store];
    if (!holdEveryLine(ctx, locations)) continue;
    const plan = engine.plan({
      order: { method: 'pickup', serviceLevel: 'standard', pickupLocationId: store.id, lines: engineLines(ctx) },
      locations,
      stock: ctx.stock,
      now: ctx.now,
      profile,
      carrierServices: ctx.carrierServices,
      excludedLocationIds: [],
    });
    if (plan.fulfillments.length === 0 || plan.backordered.length > 0) continue;
    const ready = plan.fulfillments.map((f) => readyAt(f, store, ctx)).reduce((a, b) => (a > b ? a : b));
    const planned = toOption(`pickup:${store.id}`, 'standard', plan.fulfillments, plan.totalCost, profile, ctx, ready);
    planned.option.estimatedDelivery = localDate(ready, store.timezone);
    out.push(planned);
  }
  return out;
}

/** Every option for the cart, ship by level then pickup by distance; and the units none can promise. */
export function promiseOptions(engine: SourcingEngine, ctx: PromiseContext): { options: PlannedOption[]; unavailable: { sku: string; quantity: number }[] } {
  const options = [...shipOptions(engine, ctx), ...pickupOptions(engine, ctx)];
  const unavailable = ctx.request.lines
    .map((l) => {
      let total = 0;
      for (const [, bySku] of ctx.stock) total += bySku.get(l.sku) ?? 0;
      return { sku: l.sku, quantity: Math.max(0, l.quantity - total) };
    })
    .filter((u) => u.quantity > 0);
  return { options, unavailable };
}
