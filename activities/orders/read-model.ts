// Keeps the orders read model (lists, reports, the fallback for closed workflows) current.
import type { OrdersRepository } from '../../db/repositories/orders.ts';
import { fulfillmentLocations } from '../../domain/orders/order-state.ts';
import type { Order } from '../../domain/orders/schemas.ts';

export function createSaveOrderSnapshot(deps: { orders: OrdersRepository }) {
  return async function saveOrderSnapshot(input: { order: Order; revision: number }): Promise<void> {
    await deps.orders.saveSnapshot(input.order, input.revision, fulfillmentLocations(input.order));
  };
}
