// Who may see what: an associate works at its locations, a channel sees its own orders.
import type { Principal } from '../domain/access/roles.ts';
import type { OrderRow } from '../db/repositories/orders.ts';
import type { ApiDeps } from './deps.ts';
import { notFound } from './route.ts';

/** Associates act only at their locations; every other role is not bound to one. */
export function worksAt(principal: Principal, locationId: string): boolean {
  return principal.role !== 'associate' || (principal.locationIds ?? []).includes(locationId);
}

/** Channel keys act only for their own channel; every other role is not bound to one. */
export function actsFor(principal: Principal, channel: string): boolean {
  return principal.role !== 'channel' || principal.channel === channel;
}

/** Another channel's order, or one at another store, is 404: its existence is not disclosed. */
export function canSeeOrder(principal: Principal, row: OrderRow): boolean {
  switch (principal.role) {
    case 'channel':
      return row.channel === principal.channel;
    case 'associate':
      return row.fulfillmentLocations.some((id) => principal.locationIds?.includes(id));
    case 'carrier':
      return false;
    default:
      return true;
  }
}

/** A location's queue is read by ops and by associates who work there; any other location is 404. */
export async function requireLocation(deps: ApiDeps, principal: Principal, locationId: string): Promise<void> {
  if (!worksAt(principal, locationId) || !(await deps.network.getLocation(locationId))) throw notFound('Location', locationId);
}
