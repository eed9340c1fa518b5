// The network as the sourcing engine sees it: each location with today's load, whether the
// order's channel may sell from it, and what routing has learned of it. Shared by routing
// (activities/orders/route-order.ts) and delivery promises (services/promises).
import type { Location } from '../network/schemas.ts';
import type { LearnedLocation } from './learning.ts';
import type { EngineLocation } from './types.ts';

function outsideMarket(location: Location, withinMarket: string | null | undefined): { outsideMarket?: string } {
  if (withinMarket === undefined || (location.marketId ?? null) === withinMarket) return {};
  return { outsideMarket: withinMarket === null ? `in market ${location.marketId}, while the order's channel is in no market` : `outside the order's market ${withinMarket}` };
}

export function engineLocationsOf(
  locations: readonly Location[],
  extras: {
    allowed?: ReadonlySet<string> | undefined;
    load: ReadonlyMap<string, number>;
    learned?: ReadonlyMap<string, LearnedLocation> | undefined;
    /**
     * Keep the order within its market: locations of other markets (or none) are left out.
     * `null` for an order whose channel is in no market: only locations in no market serve it.
     * Undefined when the profile allows cross-border.
     */
    withinMarket?: string | null | undefined;
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
    ...outsideMarket(l, extras.withinMarket),
    ...(extras.learned?.has(l.id) ? { learned: extras.learned.get(l.id)! } : {}),
  }));
}
