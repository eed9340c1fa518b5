// Builds every activity from its dependencies; the worker registers what this returns.
import type { Db } from '../db/knex.ts';
import { createInventoryRepository } from '../db/repositories/inventory.ts';
import { createNetworkRepository } from '../db/repositories/network.ts';
import { createOrdersRepository } from '../db/repositories/orders.ts';
import { createSaveOrderSnapshot } from './orders/read-model.ts';
import { createRouteOrder } from './orders/route-order.ts';

export function createActivities(deps: { db: Db }) {
  const network = createNetworkRepository(deps.db);
  const inventory = createInventoryRepository(deps.db);
  const orders = createOrdersRepository(deps.db);
  return {
    routeOrder: createRouteOrder({ network, inventory }),
    saveOrderSnapshot: createSaveOrderSnapshot({ orders }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
