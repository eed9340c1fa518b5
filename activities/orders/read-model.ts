// Keeps the orders read model (lists, reports, the fallback for closed workflows) current,
// with the order's business events going to the outbox in the same transaction.
import type { OrdersRepository } from '../../db/repositories/orders.ts';
import type { BusinessEvent } from '../../db/repositories/outbox.ts';
import { fulfillmentLocations } from '../../domain/orders/order-state.ts';
import type { Order } from '../../domain/orders/schemas.ts';

export function createSaveOrderSnapshot(deps: { orders: OrdersRepository }) {
  return async function saveOrderSnapshot(input: { order: Order; revision: number; events?: BusinessEvent[] }): Promise<void> {
    await deps.orders.saveSnapshot(input.order, input.revision, fulfillmentLocations(input.order), input.events ?? []);
  };
}

export function createMarkOrderNeedsAttention(deps: { orders: OrdersRepository }) {
  return async function markOrderNeedsAttention(input: { orderId: string; needsAttention: NonNullable<Order['needsAttention']>; event: BusinessEvent }): Promise<void> {
    await deps.orders.markNeedsAttention(input.orderId, input.needsAttention, input.event);
  };
}
