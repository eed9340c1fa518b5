// The network as the sourcing engine sees it: each location with today's load, whether the
// order's channel may sell from it, and what routing has learned of it. Shared by routing
// (activities/orders/route-order.ts) and delivery promises (services/promises).
import type { Location } from '../network/schemas.ts';
import type { LearnedLocation } from './learning.ts';
import type { EngineLocation } from './types.ts';

export function engineLocationsOf(
  locations: readonly Location[],
  extras: {
    allowed?: ReadonlySet<string> | undefined;
    load: ReadonlyMap<string, number>;
    learned?: ReadonlyMap<string, LearnedLocation> | undefined;
    /** The order's market, when the profile keeps orders within it: locations of other markets (or none) are left out. */
    withinMarket?: string | undefined;
  },
): EngineLocation[] {
  return locations.map((l) => ({
    id: l.id,
    type: l.type,
    active: l.active,
    geo: l.geo,
    timezone: l.timezone,
    capabilities: l.capabilities,
    dailyOrderCapacity: l.dailyOrderCapacity ?? null,
    todayLoad: extras.load.get(l.id) ?? 0,
    handlingCost: l.handlingCost?.amount ?? 0,
    priority: l.priority ?? 0,
    allowedForChannel: extras.allowed ? extras.allowed.has(l.id) : true,
    ...(l.openingHours ? { openingHours: l.openingHours } : {}),
    ...(extras.withinMarket && l.marketId !== extras.withinMarket ? { outsideMarket: extras.withinMarket } : {}),
    ...(extras.learned?.has(l.id) ? { learned: extras.learned.get(l.id)! } : {}),
  }));
}
