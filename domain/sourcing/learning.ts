// Routing that learns: what each location's fulfillments did (on time against the promise or
// late, short-picked, rejected, the pick SLA missed; how many days carriers took), summed per
// location and per location × carrier × zone, and smoothed so a location is not judged on a
// handful of orders: a rate is a Beta posterior whose prior is the network's own rate with the
// weight of PRIOR_STRENGTH fulfillments (the network's rate itself pulled towards a default
// with the weight of NETWORK_PRIOR_STRENGTH, so a young network is not judged on a few orders
// either); transit days are a mean pulled towards the carrier table's days with the weight of
// TRANSIT_PRIOR_WEIGHT shipments. A location's reliability is the chance a fulfillment there
// goes well: complete (not rejected or short-picked) × picked within its SLA × on time, each
// smoothed - each counted as soon as it is known, so failures are not counted before successes.
//
// The engine reads two things from it: each location's reliability (the smoothed chance that a
// fulfillment there is on time and complete) for the profile criterion `reliability`, and the
// learned transit days for the promised date, in place of the table's.
import { calendarDaysBetween, localDate } from '../shipping/local-time.ts';

export const PRIOR_STRENGTH = 10;
export const NETWORK_PRIOR_STRENGTH = 20;
export const TRANSIT_PRIOR_WEIGHT = 3;
/** The rates of a network that has no outcomes yet. */
export const DEFAULT_PRIORS = { complete: 0.95, onTime: 0.9, shortPicks: 0.02, rejections: 0.02, missedPickSla: 0.05 } as const;

export const ZONES = ['local', 'regional', 'national', 'far'] as const;
export type Zone = (typeof ZONES)[number];

/** Distance bands from the origin: under 50 km, 300 km, 1,500 km, and beyond. */
export function zoneOf(distanceKm: number | null | undefined): Zone {
  const d = distanceKm ?? 0;
  return d < 50 ? 'local' : d < 300 ? 'regional' : d < 1500 ? 'national' : 'far';
}

/** One fulfillment's outcome; null where it is not known yet (not delivered, say). */
export interface FulfillmentOutcome {
  locationId: string;
  carrier: string | null;
  zone: Zone | null;
  /** Delivered (or ready for pickup) by the promised date. */
  onTime: boolean | null;
  /** Picked in full and accepted (false: rejected or short-picked; null: not picked yet). */
  complete: boolean | null;
  shortPicked: boolean;
  rejected: boolean;
  missedPickSla: boolean;
  /** Local days from shipping to delivery. */
  transitDays: number | null;
  /** What the carrier table promised for that leg. */
  tableTransitDays: number | null;
}

export interface Rate {
  /** Fulfillments it was counted on. */
  trials: number;
  /** Of those, how many were so. */
  count: number;
  /** count ÷ trials (null with no trials). */
  observed: number | null;
  /** The Beta posterior mean: (count + prior·strength) ÷ (trials + strength). */
  smoothed: number;
}

export function smoothRate(count: number, trials: number, prior: number, strength = PRIOR_STRENGTH): Rate {
  return { trials, count, observed: trials ? count / trials : null, smoothed: (count + prior * strength) / (trials + strength) };
}

export interface CarrierZonePerformance {
  carrier: string;
  zone: Zone;
  shipments: number;
  onTime: Rate;
  transitDays: { observed: number | null; table: number | null; smoothed: number | null; shipments: number };
}

export interface LocationPerformance {
  locationId: string;
  fulfillments: number;
  /** complete × (1 − missed pick SLA) × on time, smoothed: what the `reliability` criterion weighs. */
  reliability: number;
  complete: Rate;
  onTime: Rate;
  shortPicks: Rate;
  rejections: Rate;
  missedPickSla: Rate;
  byCarrierZone: CarrierZonePerformance[];
}

export interface NetworkPriors {
  complete: number;
  onTime: number;
  shortPicks: number;
  rejections: number;
  missedPickSla: number;
}

/** The network's own rates (each pulled towards DEFAULT_PRIORS): each location's prior. */
export function networkPriors(outcomes: readonly FulfillmentOutcome[]): NetworkPriors {
  const rate = (values: (boolean | null)[], fallback: number) => {
    const known = values.filter((v): v is boolean => v !== null);
    return smoothRate(known.filter(Boolean).length, known.length, fallback, NETWORK_PRIOR_STRENGTH).smoothed;
  };
  return {
    complete: rate(outcomes.map((o) => o.complete), DEFAULT_PRIORS.complete),
    onTime: rate(outcomes.map((o) => o.onTime), DEFAULT_PRIORS.onTime),
    shortPicks: rate(outcomes.map((o) => (o.complete === null ? null : o.shortPicked)), DEFAULT_PRIORS.shortPicks),
    rejections: rate(outcomes.map((o) => (o.complete === null ? null : o.rejected)), DEFAULT_PRIORS.rejections),
    missedPickSla: rate(outcomes.map((o) => (o.complete === null && !o.missedPickSla ? null : o.missedPickSla)), DEFAULT_PRIORS.missedPickSla),
  };
}

/** The chance a fulfillment goes well, from the three smoothed rates. */
export const reliabilityOf = (complete: number, missedPickSla: number, onTime: number) => complete * (1 - missedPickSla) * onTime;

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null);

export function summarizeLocation(locationId: string, outcomes: readonly FulfillmentOutcome[], priors: NetworkPriors): LocationPerformance {
  const mine = outcomes.filter((o) => o.locationId === locationId);
  const rate = (values: (boolean | null)[], prior: number) => {
    const known = values.filter((v): v is boolean => v !== null);
    return smoothRate(known.filter(Boolean).length, known.length, prior);
  };
  const onTime = rate(mine.map((o) => o.onTime), priors.onTime);
  const legs = new Map<string, FulfillmentOutcome[]>();
  for (const o of mine) if (o.carrier && o.zone) legs.set(`${o.carrier}|${o.zone}`, [...(legs.get(`${o.carrier}|${o.zone}`) ?? []), o]);
  const byCarrierZone = [...legs.entries()]
    .map(([key, list]): CarrierZonePerformance => {
      const [carrier, zone] = key.split('|') as [string, Zone];
      const transits = list.map((o) => o.transitDays).filter((d): d is number => d !== null);
      const table = mean(list.map((o) => o.tableTransitDays).filter((d): d is number => d !== null));
      const observed = mean(transits);
      const smoothed = observed === null ? table : table === null ? observed : (observed * transits.length + table * TRANSIT_PRIOR_WEIGHT) / (transits.length + TRANSIT_PRIOR_WEIGHT);
      return {
        carrier,
        zone,
        shipments: list.length,
        // A leg's on-time rate is pulled towards its location's.
        onTime: rate(list.map((o) => o.onTime), onTime.smoothed),
        transitDays: { observed, table, smoothed, shipments: transits.length },
      };
    })
    .sort((a, b) => a.carrier.localeCompare(b.carrier) || ZONES.indexOf(a.zone) - ZONES.indexOf(b.zone));
  const complete = rate(mine.map((o) => o.complete), priors.complete);
  const missedPickSla = rate(mine.map((o) => (o.complete === null && !o.missedPickSla ? null : o.missedPickSla)), priors.missedPickSla);
  return {
    locationId,
    fulfillments: mine.length,
    reliability: reliabilityOf(complete.smoothed, missedPickSla.smoothed, onTime.smoothed),
    complete,
    onTime,
    shortPicks: rate(mine.map((o) => (o.complete === null ? null : o.shortPicked)), priors.shortPicks),
    rejections: rate(mine.map((o) => (o.complete === null ? null : o.rejected)), priors.rejections),
    missedPickSla,
    byCarrierZone,
  };
}

/** Every location's performance, each smoothed towards the network's rates. */
export function summarizeNetwork(locationIds: readonly string[], outcomes: readonly FulfillmentOutcome[]): { priors: NetworkPriors; locations: LocationPerformance[] } {
  const priors = networkPriors(outcomes);
  const byLocation = new Map<string, FulfillmentOutcome[]>();
  for (const o of outcomes) {
    const list = byLocation.get(o.locationId);
    if (list) list.push(o);
    else byLocation.set(o.locationId, [o]);
  }
  return { priors, locations: locationIds.map((id) => summarizeLocation(id, byLocation.get(id) ?? [], priors)) };
}

/** What the engine reads of a location's performance. */
export interface LearnedLocation {
  reliability: number;
  /** `carrier|zone` → smoothed transit days. */
  transitDays: Record<string, number>;
}

export function learnedOf(p: LocationPerformance): LearnedLocation {
  return {
    reliability: p.reliability,
    transitDays: Object.fromEntries(p.byCarrierZone.filter((c) => c.transitDays.smoothed !== null).map((c) => [`${c.carrier}|${c.zone}`, c.transitDays.smoothed!])),
  };
}

/** A fulfillment as the read models keep it: what outcomeOf reads. */
export interface FulfillmentRecord {
  locationId: string;
  status: string;
  events: readonly { at: string; type: string; detail?: Record<string, unknown> }[];
  lines: readonly { short?: number }[];
  carrier: string | null;
  /** The location's time zone: dates are counted there. */
  timezone: string;
  /** The local date the plan promised (delivery, or ready for pickup). */
  promised: string | null;
  distanceKm: number | null;
  /** The carrier table's transit days for that service and distance. */
  tableTransitDays: number | null;
}

const ENDED_WITHOUT_OUTCOME = new Set(['cancelled', 'expired']);
/** Statuses past picking: the units were all found. */
const PICKED = new Set(['packed', 'shipped', 'in_transit', 'delivered', 'ready_for_pickup', 'picked_up', 'expired']);

/**
 * One fulfillment's outcome as of `now`: on time when delivered (by the carrier's time) or ready
 * for pickup by the promised local date, late when that came after it - or when the promised
 * day has passed without it. Cancelled and expired fulfillments say nothing of timeliness.
 */
export function outcomeOf(f: FulfillmentRecord, now: Date): FulfillmentOutcome {
  const event = (type: string) => f.events.find((e) => e.type === type);
  const delivered = event('fulfillment.delivered');
  const doneAt = delivered ? String(delivered.detail?.carrierTime ?? delivered.at) : event('fulfillment.ready_for_pickup')?.at;
  const shipped = event('fulfillment.shipped');
  let onTime: boolean | null = null;
  if (f.promised && !ENDED_WITHOUT_OUTCOME.has(f.status) && f.status !== 'rejected') {
    if (doneAt) onTime = localDate(new Date(doneAt), f.timezone) <= f.promised;
    else if (localDate(now, f.timezone) > f.promised) onTime = false;
  }
  const shortPicked = f.lines.some((l) => (l.short ?? 0) > 0);
  const rejected = f.status === 'rejected';
  const picked = PICKED.has(f.status) || f.events.some((e) => e.type === 'fulfillment.picked');
  return {
    locationId: f.locationId,
    carrier: f.carrier,
    zone: f.carrier ? zoneOf(f.distanceKm) : null,
    onTime,
    complete: rejected || shortPicked ? false : picked ? true : null,
    shortPicked,
    rejected,
    missedPickSla: f.events.some((e) => e.type === 'fulfillment.sla_escalated' || e.type === 'fulfillment.sla_breached'),
    transitDays: delivered && shipped ? Math.max(0, calendarDaysBetween(localDate(new Date(shipped.at), f.timezone), localDate(new Date(String(delivered.detail?.carrierTime ?? delivered.at)), f.timezone))) : null,
    tableTransitDays: f.tableTransitDays,
  };
}
