// First sourcing rule set: the whole order from one location that has all of it,
// the nearest to the destination first (then by priority). Pure and explainable:
// every candidate comes back with the reason it was excluded or its rank.
import { distanceKm, type GeoPoint } from '../geo.ts';
import type { Capabilities } from '../network/schemas.ts';
import type { FulfillmentMethod } from '../orders/schemas.ts';

export interface CandidateLocation {
  id: string;
  active: boolean;
  geo: GeoPoint;
  capabilities: Capabilities;
  priority: number | null;
}

export interface SourcingLine {
  lineId: string;
  sku: string;
  quantity: number;
}

export interface SourcingRequest {
  method: FulfillmentMethod;
  destination?: GeoPoint;
  pickupLocationId?: string;
  lines: SourcingLine[];
  excludeLocationIds: string[];
  /** Channel allocation: only these locations may serve the order (all when omitted). */
  allowedLocationIds?: readonly string[] | null;
}

/** available[locationId][sku] */
export type AvailableStock = ReadonlyMap<string, ReadonlyMap<string, number>>;

export type CandidateVerdict =
  | { locationId: string; eligible: true; rank: number; distanceKm: number | null }
  | { locationId: string; eligible: false; reason: string };

export interface SourcingDecision {
  /** Eligible locations, best first; the caller reserves at the first that still has the stock. */
  ranked: string[];
  candidates: CandidateVerdict[];
}

const capabilityFor: Record<FulfillmentMethod, keyof Capabilities> = {
  ship: 'ship',
  same_day: 'sameDay',
  pickup: 'pickup',
  curbside: 'curbside',
};

/** Units needed per SKU: two lines of the same SKU need their sum (the bundle case). */
export function unitsBySku(lines: readonly SourcingLine[]): Map<string, number> {
  const needs = new Map<string, number>();
  for (const line of lines) needs.set(line.sku, (needs.get(line.sku) ?? 0) + line.quantity);
  return needs;
}

export function chooseSingleLocation(
  request: SourcingRequest,
  locations: readonly CandidateLocation[],
  stock: AvailableStock,
): SourcingDecision {
  const needs = unitsBySku(request.lines);
  const capability = capabilityFor[request.method];
  const verdicts: CandidateVerdict[] = [];
  const eligible: { id: string; distance: number | null; priority: number }[] = [];

  for (const location of locations) {
    const reason = exclusionReason(location, request, capability, needs, stock);
    if (reason) {
      verdicts.push({ locationId: location.id, eligible: false, reason });
      continue;
    }
    const distance = request.destination ? distanceKm(location.geo, request.destination) : null;
    eligible.push({ id: location.id, distance, priority: location.priority ?? 0 });
  }

  eligible.sort(
    (a, b) =>
      (a.distance ?? 0) - (b.distance ?? 0) || b.priority - a.priority || a.id.localeCompare(b.id),
  );
  eligible.forEach((candidate, index) => {
    verdicts.push({
      locationId: candidate.id,
      eligible: true,
      rank: index + 1,
      distanceKm: candidate.distance === null ? null : Math.round(candidate.distance * 10) / 10,
    });
  });
  return { ranked: eligible.map((c) => c.id), candidates: verdicts };
}

function exclusionReason(
  location: CandidateLocation,
  request: SourcingRequest,
  capability: keyof Capabilities,
  needs: ReadonlyMap<string, number>,
  stock: AvailableStock,
): string | undefined {
  if (!location.active) return 'location inactive';
  if (request.excludeLocationIds.includes(location.id)) return 'excluded for this order';
  if (request.allowedLocationIds && !request.allowedLocationIds.includes(location.id)) return 'not allocated to this channel';
  if (!location.capabilities[capability]) return `no ${capability} capability`;
  if ((request.method === 'pickup' || request.method === 'curbside') && location.id !== request.pickupLocationId) {
    return 'not the pickup location';
  }
  const available = stock.get(location.id);
  for (const [sku, quantity] of needs) {
    const have = available?.get(sku) ?? 0;
    if (have < quantity) return `insufficient stock for ${sku} (${have} of ${quantity})`;
  }
  return undefined;
}
