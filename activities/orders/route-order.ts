// Routing: reads live stock, asks the sourcing engine for the best location and reserves
// there. If the reservation loses a race, the next best location is tried, then fresh stock.
import { log } from '@temporalio/activity';
import type { ChannelAllocationsRepository } from '../../db/repositories/channel-allocations.ts';
import type { InventoryRepository } from '../../db/repositories/inventory.ts';
import type { NetworkRepository } from '../../db/repositories/network.ts';
import type { GeoPoint } from '../../domain/geo.ts';
import type { FulfillmentMethod } from '../../domain/orders/schemas.ts';
import {
  chooseSingleLocation,
  type CandidateVerdict,
  type SourcingLine,
} from '../../domain/sourcing/single-location.ts';

export interface RouteOrderInput {
  orderId: string;
  channel: string;
  /** The workflow's routing attempt; with order and line it is the reservation's business key. */
  attempt: number;
  method: FulfillmentMethod;
  destination?: GeoPoint;
  pickupLocationId?: string;
  lines: SourcingLine[];
  excludeLocationIds: string[];
}

export interface RoutingExplanation {
  attempt: number;
  stockSnapshotAt: string;
  candidates: CandidateVerdict[];
  lostRaces: string[];
}

export type RouteOrderResult =
  | { kind: 'routed'; locationId: string; lines: { lineId: string; quantity: number }[]; explanation: RoutingExplanation }
  | { kind: 'backordered'; explanation: RoutingExplanation };

/**
 * A lost race means another order took the stock, so re-reading always makes progress;
 * the cap only guards against a bug turning this into a hot loop.
 */
const MAX_STOCK_READS = 50;

export function createRouteOrder(deps: {
  network: NetworkRepository;
  inventory: InventoryRepository;
  allocations: ChannelAllocationsRepository;
}) {
  return async function routeOrder(input: RouteOrderInput): Promise<RouteOrderResult> {
    const lines = input.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity }));

    // A retry of an attempt that already reserved (e.g. the worker died before reporting) returns that result.
    const earlier = await deps.inventory.reservationsOf(input.orderId, { attempt: input.attempt });
    if (earlier.length > 0) {
      const locationId = earlier[0]!.locationId;
      return {
        kind: 'routed',
        locationId,
        lines,
        explanation: { attempt: input.attempt, stockSnapshotAt: new Date().toISOString(), candidates: [], lostRaces: [] },
      };
    }

    const allocation = await deps.allocations.get(input.channel);
    const locations = (await deps.network.listLocations()).map((l) => ({
      id: l.id,
      active: l.active,
      geo: l.geo,
      capabilities: l.capabilities,
      priority: l.priority ?? null,
    }));
    const lostRaces: string[] = [];
    let explanation: RoutingExplanation | undefined;
    for (let read = 0; read < MAX_STOCK_READS; read++) {
      const stockSnapshotAt = new Date().toISOString();
      const stock = await deps.inventory.availableBySkus(
        input.lines.map((l) => l.sku),
        allocation.sharePercent,
      );
      const decision = chooseSingleLocation(
        {
          method: input.method,
          ...(input.destination ? { destination: input.destination } : {}),
          ...(input.pickupLocationId ? { pickupLocationId: input.pickupLocationId } : {}),
          lines: input.lines,
          excludeLocationIds: input.excludeLocationIds,
          allowedLocationIds: allocation.locationIds,
        },
        locations,
        stock,
      );
      explanation = { attempt: input.attempt, stockSnapshotAt, candidates: decision.candidates, lostRaces };
      if (decision.ranked.length === 0) return { kind: 'backordered', explanation };

      for (const locationId of decision.ranked) {
        const result = await deps.inventory.reserveAtLocation({
          orderId: input.orderId,
          locationId,
          attempt: input.attempt,
          lines: input.lines,
          sharePercent: allocation.sharePercent,
        });
        if (result.ok) return { kind: 'routed', locationId, lines, explanation };
        log.info('reservation lost a race; trying the next location', {
          orderId: input.orderId,
          locationId,
          sku: result.sku,
        });
        lostRaces.push(locationId);
      }
    }
    return { kind: 'backordered', explanation: explanation! };
  };
}
