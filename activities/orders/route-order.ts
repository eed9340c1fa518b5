// Routing: reads the network, live stock (narrowed to the channel's allocation), today's
// load and the routing profile; asks the sourcing engine for a plan; reserves each planned
// shipment at its source. If a reservation loses a race, what was reserved in that round is
// released and the order is planned again on fresh stock. Every decision is stored with its
// explanation (GET /v1/orders/{id}/routing).
import { log } from '@temporalio/activity';
import type { ChannelAllocationsRepository } from '../../db/repositories/channel-allocations.ts';
import type { InventoryRepository, Reservation } from '../../db/repositories/inventory.ts';
import type { NetworkRepository } from '../../db/repositories/network.ts';
import type { RoutingRepository } from '../../db/repositories/routing.ts';
import type { GeoPoint } from '../../domain/geo.ts';
import type { Money } from '../../domain/money.ts';
import type { FulfillmentMethod, ServiceLevel } from '../../domain/orders/schemas.ts';
import { carrierServicesFor } from '../../domain/markets/rules.ts';
import type { MarketsRepository } from '../../db/repositories/markets.ts';
import { SourcingEngine, type PlannedFulfillment, type PlannedLine, type SourcingPlan } from '../../domain/sourcing/index.ts';
import { chooseProfileFor, profileQuestion } from '../../domain/sourcing/profile-rules.ts';
import { engineLocationsOf } from '../../domain/sourcing/engine-locations.ts';
import type { LearningService } from '../../services/routing/learning.ts';
import type { FulfillmentSetup } from '../../domain/fulfillments/setup.ts';
import { readFulfillmentSetup } from '../fulfillment/setup.ts';
import { promisedPlan } from './promised-plan.ts';
import type { PromisesRepository } from '../../db/repositories/promises.ts';
import type { BusinessMetrics } from '../../services/telemetry/business-metrics.ts';

export interface RouteOrderInput {
  orderId: string;
  channel: string;
  /** The workflow's routing attempt; with order, line and location it is the reservation's business key. */
  attempt: number;
  method: FulfillmentMethod;
  serviceLevel?: ServiceLevel;
  destination?: GeoPoint;
  pickupLocationId?: string;
  lines: { lineId: string; sku: string; quantity: number }[];
  /** The customer's segment and the order's merchandise value: what routing rules choose a profile by. */
  segment?: string;
  orderValue?: Money;
  excludeLocationIds: string[];
  /** Reroute to a named location: every other location is left out. */
  onlyLocationIds?: string[];
  /** The delivery promise the order was placed with: its plan is tried first (activities/orders/promised-plan.ts). */
  promiseId?: string;
  /** Each planned fulfillment comes with its setup, so its workflow starts without asking again. */
  withSetup?: boolean;
}

export interface RoutedFulfillment {
  locationId: string;
  lines: { lineId: string; quantity: number }[];
  carrier?: string;
  service?: string;
  estimatedDelivery?: string;
  /** Grams CO₂e the plan estimated (decisions made before CO₂e was counted have none). */
  co2eGrams?: number;
  transferFromLocationId?: string;
  /** Pickup by transfer: when the units are planned at the pickup store. */
  transferExpectedAt?: string;
  /** The reservation holding each line's units (at the transfer source for a pickup by transfer). */
  reservations?: { lineId: string; reservationKey: string }[];
  /** Asked for with `withSetup`: the location's policy and the SKUs' barcodes. */
  setup?: FulfillmentSetup;
}

export interface RoutingExplanation {
  attempt: number;
  stockSnapshotAt: string;
  candidates: unknown[];
  lostRaces: string[];
}

export type RouteOrderResult =
  | {
      kind: 'routed';
      /** First fulfillment's location (kept for histories recorded before splits existed). */
      locationId: string;
      lines: { lineId: string; quantity: number }[];
      fulfillments: RoutedFulfillment[];
      backordered: PlannedLine[];
      explanation: RoutingExplanation;
    }
  | { kind: 'backordered'; backordered?: PlannedLine[]; explanation: RoutingExplanation };

/** Each round after a lost race plans on fresh stock; the cap only stops a bug from looping. */
const MAX_ROUNDS = 50;
// Rounds are numbered within an attempt (reservation attempt = attempt × 100 + round), so a
// crashed execution's rounds are never reused: a reused key would find a released reservation.

type RouteOrderDeps = {
  network: NetworkRepository;
  inventory: InventoryRepository;
  allocations: ChannelAllocationsRepository;
  routing: RoutingRepository;
  metrics: Pick<BusinessMetrics, 'routingDecisions' | 'reservationRacesLost'>;
  /** What past fulfillments say of each location: read when the profile weighs reliability. */
  learning?: Pick<LearningService, 'learned'>;
  /** Delivery promises, for orders placed with one. */
  promises?: PromisesRepository;
  /** Markets: the order's (its channel's) keeps routing within it and chooses the carriers. */
  markets?: MarketsRepository;
};

export function createRouteOrder(deps: RouteOrderDeps) {
  // One engine for every decision: it keeps what it learned of the carrier services.
  const engine = new SourcingEngine();
  return async function routeOrder(input: RouteOrderInput): Promise<RouteOrderResult> {
    const result = await decide(deps, engine, input);
    deps.metrics.routingDecisions.add(1, { outcome: result.kind === 'routed' && result.backordered.length > 0 ? 'partly_backordered' : result.kind });
    return input.withSetup ? withSetups(deps.network, input, result) : result;
  };
}

/** Adds each planned fulfillment's setup (its location's policy, its SKUs' barcodes). */
async function withSetups(network: NetworkRepository, input: RouteOrderInput, result: RouteOrderResult): Promise<RouteOrderResult> {
  if (result.kind !== 'routed') return result;
  const skuOf = new Map(input.lines.map((l) => [l.lineId, l.sku]));
  const fulfillments = [];
  for (const f of result.fulfillments) {
    fulfillments.push({ ...f, setup: await readFulfillmentSetup(network, f.locationId, f.lines.map((l) => skuOf.get(l.lineId)!)) });
  }
  return { ...result, fulfillments };
}

/** The attempt's decision: made now, or the one a retry finds already made. */
async function decide(deps: RouteOrderDeps, engine: SourcingEngine, input: RouteOrderInput): Promise<RouteOrderResult> {
  // A retry of an attempt that already decided returns that decision.
  const base = input.attempt * 100;
  const ofAttempt = async () => (await deps.inventory.reservationsOf(input.orderId)).filter((r) => r.attempt >= base && r.attempt < base + 100);
  const earlier = (await deps.routing.decisionsOf(input.orderId)).find((d) => d.attempt === input.attempt);
  if (earlier) {
    const keys = reservationKeysOf(await ofAttempt());
    return toResult(earlier.plan.fulfillments, earlier.plan.backordered, input.attempt, earlier.explanation.evaluatedAt, earlier.explanation.candidates, [], keys);
  }
  // Reservations of an attempt that died before deciding are released, then it starts over.
  // Its rounds' reservation keys stay taken, so this execution continues with fresh round numbers.
  const earlierRounds = await ofAttempt();
  const strays = earlierRounds.filter((r) => r.state === 'held');
  if (strays.length > 0) await deps.inventory.release(input.orderId, { reservationKeys: strays.map((r) => r.reservationKey) });
  const firstRound = earlierRounds.reduce((next, r) => Math.max(next, r.attempt - base + 1), 0);

  const context = await routingContext(deps, input);
  const { plan, lostRaces } = await planAndReserve(deps, engine, input, context, { base, firstRound });
  if (lostRaces.length > 0) deps.metrics.reservationRacesLost.add(lostRaces.length);
  if (!plan) {
    // Every round lost a race: report a backorder rather than loop forever.
    return { kind: 'backordered', explanation: { attempt: input.attempt, stockSnapshotAt: new Date().toISOString(), candidates: [], lostRaces } };
  }
  const { explanation, ...rest } = plan;
  await deps.routing.saveDecision({
    orderId: input.orderId,
    attempt: input.attempt,
    profileId: explanation.profileId,
    profileVersion: explanation.profileVersion,
    plan: rest,
    explanation: {
      ...explanation,
      profileChosenBy: explanation.profileChosenBy ?? context.profileChosenBy,
      ...(lostRaces.length ? { chosen: `${explanation.chosen} (after losing races at ${lostRaces.join(', ')})` } : {}),
    },
  });
  const keys = reservationKeysOf(await ofAttempt());
  return toResult(plan.fulfillments, plan.backordered, input.attempt, explanation.evaluatedAt, explanation.candidates, lostRaces, keys);
}

/** What a decision is made on besides live stock: the network as the engine sees it, the channel's allocation, the profile. */
async function routingContext(deps: RouteOrderDeps, input: RouteOrderInput) {
  const skus = input.lines.map((l) => l.sku);
  const [locations, allocation, profiles, rules, weights, load, market] = await Promise.all([
    deps.network.listLocations(),
    deps.allocations.get(input.channel),
    deps.routing.listProfiles(),
    deps.routing.rules(),
    deps.network.skuWeights(skus),
    deps.routing.todayLoad(),
    deps.markets?.ofChannel(input.channel),
  ]);
  const serviceLevel = input.serviceLevel ?? 'standard';
  const { profile, chosenBy } = chooseProfileFor(profiles, rules.rules, profileQuestion({ channel: input.channel, serviceLevel, segment: input.segment, orderValue: input.orderValue }, market));
  const learned = (profile.weights.reliability ?? 0) > 0 && deps.learning ? await deps.learning.learned(locations.map((l) => l.id)) : undefined;
  const allowed = allocation.locationIds ? new Set(allocation.locationIds) : undefined;
  const engineLocations = engineLocationsOf(locations, { allowed, load, learned, withinMarket: profile.crossBorder ? undefined : (market?.id ?? null) });
  const excludedLocationIds = input.onlyLocationIds
    ? [...input.excludeLocationIds, ...locations.filter((l) => !input.onlyLocationIds!.includes(l.id)).map((l) => l.id)]
    : input.excludeLocationIds;
  return {
    skus,
    allocation,
    serviceLevel,
    profile,
    carrierServices: carrierServicesFor(market),
    profileChosenBy: rules.version > 0 ? `${chosenBy}, rules version ${rules.version}` : chosenBy,
    engineLocations,
    lines: input.lines.map((l) => ({ ...l, weightGrams: weights.get(l.sku) ?? 0 })),
    excludedLocationIds,
  };
}

/** Plans on live stock and reserves the plan; a lost race plans again on fresh stock. */
async function planAndReserve(
  deps: RouteOrderDeps,
  engine: SourcingEngine,
  input: RouteOrderInput,
  context: Awaited<ReturnType<typeof routingContext>>,
  rounds: { base: number; firstRound: number },
): Promise<{ plan: SourcingPlan | undefined; lostRaces: string[] }> {
  const lostRaces: string[] = [];
  let first = rounds.firstRound;
  // An order placed with a promise takes the promised plan when it can (its first round).
  if (input.promiseId && deps.promises) {
    const promised = await promisedPlan({ promises: deps.promises, inventory: deps.inventory }, { ...input, promiseId: input.promiseId }, rounds.base + first, context.allocation.sharePercent);
    if (promised) return { plan: promised, lostRaces };
    first += 1;
  }
  for (let round = first; round < Math.min(first + MAX_ROUNDS, 100); round++) {
    const stock = await deps.inventory.availableBySkus(context.skus, context.allocation.sharePercent);
    const plan = engine.plan({
      order: {
        method: input.method,
        serviceLevel: context.serviceLevel,
        ...(input.destination ? { destination: input.destination } : {}),
        ...(input.pickupLocationId ? { pickupLocationId: input.pickupLocationId } : {}),
        lines: context.lines,
      },
      locations: context.engineLocations,
      stock,
      now: new Date(),
      profile: context.profile,
      carrierServices: context.carrierServices,
      excludedLocationIds: context.excludedLocationIds,
    });
    const reserved = await deps.inventory.reservePlan({ ownerId: input.orderId, attempt: rounds.base + round, shipments: plan.fulfillments, sharePercent: context.allocation.sharePercent });
    if (reserved.ok) return { plan, lostRaces };
    log.info('reservation lost a race; planning again on fresh stock', { orderId: input.orderId, locationId: reserved.locationId });
    lostRaces.push(reserved.locationId);
  }
  return { plan: undefined, lostRaces };
}

/** location → line → key of the reservation still holding (or having shipped) it. */
type ReservationKeys = Map<string, Map<string, string>>;

function reservationKeysOf(reservations: readonly Reservation[]): ReservationKeys {
  const keys: ReservationKeys = new Map();
  for (const r of reservations) {
    if (r.state === 'released') continue;
    const byLine = keys.get(r.locationId) ?? new Map<string, string>();
    byLine.set(r.lineId, r.reservationKey);
    keys.set(r.locationId, byLine);
  }
  return keys;
}

function toResult(
  fulfillments: readonly PlannedFulfillment[],
  backordered: PlannedLine[],
  attempt: number,
  stockSnapshotAt: string,
  candidates: unknown[],
  lostRaces: string[],
  keys: ReservationKeys,
): RouteOrderResult {
  const explanation = { attempt, stockSnapshotAt, candidates, lostRaces };
  if (fulfillments.length === 0) return { kind: 'backordered', backordered, explanation };
  const routed = fulfillments.map((f) => ({
    locationId: f.locationId,
    lines: f.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
    ...(f.carrier ? { carrier: f.carrier } : {}),
    ...(f.service ? { service: f.service } : {}),
    estimatedDelivery: f.estimatedDelivery,
    ...(f.co2eGrams !== undefined ? { co2eGrams: f.co2eGrams } : {}),
    ...(f.transferFromLocationId ? { transferFromLocationId: f.transferFromLocationId } : {}),
    ...(f.transferExpectedAt ? { transferExpectedAt: f.transferExpectedAt } : {}),
    reservations: f.lines.map((l) => {
      const key = keys.get(f.transferFromLocationId ?? f.locationId)?.get(l.lineId);
      if (!key) throw new Error(`no reservation holds line ${l.lineId} at ${f.transferFromLocationId ?? f.locationId}`);
      return { lineId: l.lineId, reservationKey: key };
    }),
  }));
  return { kind: 'routed', locationId: routed[0]!.locationId, lines: routed[0]!.lines, fulfillments: routed, backordered, explanation };
}
