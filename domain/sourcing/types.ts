// The sourcing engine's vocabulary: the order, locations and stock it plans over, and the
// plan it answers with (fulfillments, backordered lines, an explanation).
import type { GeoPoint } from '../geo.ts';
import type { Capabilities, LocationType } from '../network/schemas.ts';
import type { FulfillmentMethod, ServiceLevel } from '../orders/schemas.ts';
import type { CarrierService } from '../shipping/carrier-services.ts';
import type { Hours } from '../shipping/local-time.ts';
import type { LearnedLocation } from './learning.ts';
import type { Criterion, RoutingProfile } from './profile.ts';

export interface EngineLine {
  lineId: string;
  sku: string;
  quantity: number;
  /** Weight of one unit. */
  weightGrams: number;
}

export interface EngineOrder {
  method: FulfillmentMethod;
  serviceLevel: ServiceLevel;
  destination?: GeoPoint;
  pickupLocationId?: string;
  lines: EngineLine[];
}

export interface EngineLocation {
  id: string;
  type: LocationType;
  active: boolean;
  geo: GeoPoint;
  timezone: string;
  capabilities: Capabilities;
  dailyOrderCapacity: number | null;
  /** Fulfillments already assigned to it today. */
  todayLoad: number;
  /** Minor units per fulfillment. */
  handlingCost: number;
  priority: number;
  /** False when the order's channel may not sell from it (channel allocation). */
  allowedForChannel: boolean;
  /** Why the location is outside the order's market, when the profile keeps orders within it (the explanation's reason). */
  outsideMarket?: string;
  /** Local opening hours; absent means always open. */
  openingHours?: Hours;
  /** What its past fulfillments say, when the profile weighs reliability. */
  learned?: LearnedLocation;
}

export interface EngineInput {
  order: EngineOrder;
  locations: readonly EngineLocation[];
  /** available[locationId][sku], already narrowed to the channel's share. */
  stock: ReadonlyMap<string, ReadonlyMap<string, number>>;
  now: Date;
  profile: RoutingProfile;
  carrierServices: readonly CarrierService[];
  /** Locations an exception action or a lost reservation race ruled out for this order. */
  excludedLocationIds: readonly string[];
}

export interface PlannedLine {
  lineId: string;
  sku: string;
  quantity: number;
}

export interface PlannedFulfillment {
  locationId: string;
  method: FulfillmentMethod;
  lines: PlannedLine[];
  weightGrams: number;
  distanceKm: number | null;
  carrier?: string;
  service?: string;
  shippingCost: number;
  handlingCost: number;
  /** Local date at the origin the customer gets it (delivery, or ready for pickup). */
  estimatedDelivery: string;
  /** Grams CO₂e of moving it (domain/shipping/emissions.ts). */
  co2eGrams: number;
  /** Pickup by transfer: the units come from this location to the pickup store. */
  transferFromLocationId?: string;
  /**
   * Pickup by transfer: when the units are planned at the pickup store — the profile's lead
   * time from now, moved to the store's next opening. The ready date is its local date.
   */
  transferExpectedAt?: string;
}

export type CandidateExplanation =
  | { locationId: string; excluded: string }
  | { locationId: string; distanceKm: number | null; offers: Record<string, number>; reliability?: number };

export interface PlanExplanation {
  locations: string[];
  unitsFilled: number;
  cost: number;
  criteria: Record<Criterion, number>;
  score: number;
}

/** A plan on the cost–date–CO₂e frontier: no other plan is at least as good on all three and better on one. */
export interface Tradeoff {
  locations: string[];
  cost: number;
  /** The latest estimated delivery (or ready) date of its fulfillments. */
  deliveryBy: string;
  co2eGrams: number;
  chosen: boolean;
}

export interface SourcingPlan {
  fulfillments: PlannedFulfillment[];
  backordered: PlannedLine[];
  /** Handling + shipping + split penalties, minor units. */
  totalCost: number;
  explanation: {
    profileId: string;
    profileVersion: number;
    evaluatedAt: string;
    candidates: CandidateExplanation[];
    plansConsidered: PlanExplanation[];
    /** The Pareto set over cost, delivery date and CO₂e of the plans that fill the most units, the chosen one marked. */
    tradeoffs: Tradeoff[];
    chosen: string;
    /** Why this profile: the routing rule that matched, or its appliesTo (set by the routing activity). */
    profileChosenBy?: string;
  };
}

/** locationId → lineId → units taken there. */
export type Assignment = Map<string, Map<string, number>>;

/** locationId → sku → units it may give to this order. */
export type Offers = Map<string, Map<string, number>>;

/** A candidate plan evaluated in full: its fulfillments, dates and criteria. */
export interface Evaluated {
  assignment: Assignment;
  fulfillments: PlannedFulfillment[];
  backordered: PlannedLine[];
  unitsFilled: number;
  cost: number;
  criteria: Record<Criterion, number>;
  score: number;
}
