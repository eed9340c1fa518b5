// Routing profiles: which locations may serve an order (exclusion rules) and how the
// candidate plans are ranked (weighted criteria), plus split limits. Stored versioned in
// Postgres and chosen per channel and service level.
import { z } from 'zod';
import { text } from '../text.ts';
import { ChannelName } from '../identifiers.ts';
import { ServiceLevel } from '../orders/schemas.ts';

/**
 * reliability: the chance the plan's fulfillments all go well (on time and complete), from
 * each location's learned performance (domain/sourcing/learning.ts); a profile that weighs it
 * also promises dates on the transit days the locations' carriers have shown.
 * co2: the plan's grams CO₂e (domain/shipping/emissions.ts).
 */
export const CRITERIA = ['cost', 'distance', 'priority', 'workload', 'promise', 'stockDepth', 'reliability', 'co2'] as const;
export type Criterion = (typeof CRITERIA)[number];

export const RoutingProfileInput = z
  .object({
    name: text(200),
    /** Which orders this profile routes; the most specific match wins (channel + level, channel, level, default). */
    appliesTo: z
      .object({
        channels: z.array(ChannelName).max(100).optional(),
        serviceLevels: z.array(ServiceLevel).max(3).optional(),
      })
      .strict()
      .default({}),
    exclusions: z
      .object({
        /** Locations farther than this from the destination are not considered. */
        maxDistanceKm: z.number().positive().max(20_000).optional(),
        /** Locations at or over their daily order capacity are skipped. */
        respectCapacity: z.boolean().default(true),
        /** A store keeps this many units of a SKU for walk-in customers; only stock above it is sold online. */
        storeProtectionUnits: z.int().min(0).max(1_000_000).default(0),
      })
      .strict()
      .default({ respectCapacity: true, storeProtectionUnits: 0 }),
    weights: z
      .object(Object.fromEntries(CRITERIA.map((c) => [c, z.number().min(0).max(1000)])) as Record<Criterion, z.ZodNumber>)
      .partial()
      .strict()
      .default({ cost: 1 }),
    /** Ship what can be shipped and backorder the rest (false: an order no plan fills whole waits, reserving nothing). */
    allowPartialFill: z.boolean().default(false),
    /** Extra shipments allowed beyond the first (0: never split). */
    maxSplits: z.int().min(0).max(10).default(2),
    /** Added to a plan's cost for each shipment beyond the first (minor units). */
    splitPenalty: z.int().min(0).max(1_000_000).default(300),
    /**
     * Same-day orders whose location misses the courier's cut-off before packing: ship them
     * by the fastest next service (downgrade), or send them to a location that still makes it (reroute).
     */
    sameDayMissedCutoff: z.enum(['downgrade', 'reroute']).default('downgrade'),
    /** How CO₂e is counted: a pickup's customer trip to the store is the customer's, unless the profile counts it. */
    emissions: z
      .object({ countCustomerTrip: z.boolean().default(false).describe("Count a pickup customer's car trip to the store and back in the plan's CO₂e") })
      .strict()
      .default({ countCustomerTrip: false }),
    /** Markets: may the order be fulfilled from, or shipped to, outside its market (Shopify's "stay within destination market" off)? */
    crossBorder: z.boolean().default(false),
    /** Pickup and curbside: may stock come from a nearby location by transfer, ready later? */
    pickupTransfer: z
      .object({
        enabled: z.boolean().default(false),
        maxDistanceKm: z.number().positive().max(1000).default(50),
        leadDays: z.int().min(0).max(30).default(1),
      })
      .strict()
      .default({ enabled: false, maxDistanceKm: 50, leadDays: 1 }),
  })
  .strict();
export type RoutingProfileInput = z.infer<typeof RoutingProfileInput>;
/** As a caller writes it: defaults may be left out. */
export type RoutingProfileBody = z.input<typeof RoutingProfileInput>;

export const RoutingProfile = RoutingProfileInput.extend({
  id: z.string(),
  version: z.int(),
  updatedAt: z.string(),
});
export type RoutingProfile = z.infer<typeof RoutingProfile>;

/** The profile used when none is stored: cheapest plan, up to two extra shipments. */
export const DEFAULT_PROFILE: RoutingProfile = {
  id: 'default',
  version: 0,
  updatedAt: '1970-01-01T00:00:00.000Z',
  ...RoutingProfileInput.parse({ name: 'Lowest cost (built-in)' }),
};

/** The most specific profile for a channel and service level. */
export function chooseProfile(profiles: readonly RoutingProfile[], channel: string, level: string): RoutingProfile {
  const rank = (p: RoutingProfile): number => {
    const channels = p.appliesTo.channels;
    const levels = p.appliesTo.serviceLevels;
    if (channels && !channels.includes(channel)) return -1;
    if (levels && !levels.includes(level as never)) return -1;
    return (channels ? 2 : 0) + (levels ? 1 : 0);
  };
  let best: RoutingProfile | undefined;
  let bestRank = -1;
  for (const profile of [...profiles].sort((a, b) => a.id.localeCompare(b.id))) {
    const r = rank(profile);
    if (r > bestRank) {
      best = profile;
      bestRank = r;
    }
  }
  return best ?? DEFAULT_PROFILE;
}
