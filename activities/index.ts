// Builds every activity from its dependencies; the worker registers what this returns.
import type { Db } from '../db/knex.ts';
import { createChannelAllocationsRepository } from '../db/repositories/channel-allocations.ts';
import { createInventoryRepository } from '../db/repositories/inventory.ts';
import { createNetworkRepository } from '../db/repositories/network.ts';
import { createOrdersRepository } from '../db/repositories/orders.ts';
import { createReleaseOrderReservations } from './inventory/release-reservations.ts';
import { createSaveOrderSnapshot } from './orders/read-model.ts';
import { createRouteOrder } from './orders/route-order.ts';

export function createActivities(deps: { db: Db }) {
  const network = createNetworkRepository(deps.db);
  const inventory = createInventoryRepository(deps.db);
  const orders = createOrdersRepository(deps.db);
  const allocations = createChannelAllocationsRepository(deps.db);
  return {
    routeOrder: createRouteOrder({ network, inventory, allocations }),
    saveOrderSnapshot: createSaveOrderSnapshot({ orders }),
    releaseOrderReservations: createReleaseOrderReservations({ inventory }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
