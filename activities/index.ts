// Builds every activity from its dependencies; the worker registers what this returns.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/knex.ts';
import { createChannelAllocationsRepository } from '../db/repositories/channel-allocations.ts';
import { createInventoryRepository } from '../db/repositories/inventory.ts';
import { createNetworkRepository } from '../db/repositories/network.ts';
import { createOrdersRepository } from '../db/repositories/orders.ts';
import { createRoutingRepository } from '../db/repositories/routing.ts';
import { createTransfersRepository } from '../db/repositories/transfers.ts';
import { createReconcileReservations } from './inventory/reconcile-reservations.ts';
import { createReleaseOrderReservations } from './inventory/release-reservations.ts';
import { createSaveOrderSnapshot } from './orders/read-model.ts';
import { createRouteOrder } from './orders/route-order.ts';
import { createTransferActivities } from './transfers/transfer-stock.ts';

export function createActivities(deps: { db: Db; temporal: Client }) {
  const network = createNetworkRepository(deps.db);
  const inventory = createInventoryRepository(deps.db);
  const orders = createOrdersRepository(deps.db);
  const allocations = createChannelAllocationsRepository(deps.db);
  const transfers = createTransfersRepository(deps.db);
  const routing = createRoutingRepository(deps.db);
  return {
    ...createTransferActivities({ transfers, inventory }),
    routeOrder: createRouteOrder({ network, inventory, allocations, routing }),
    saveOrderSnapshot: createSaveOrderSnapshot({ orders }),
    releaseOrderReservations: createReleaseOrderReservations({ inventory }),
    reconcileReservations: createReconcileReservations({ db: deps.db, inventory, temporal: deps.temporal }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
