// Keeps the orders read model (lists, reports, the fallback for closed workflows) current,
// with the order's business events going to the outbox in the same transaction.
import type { FulfillmentsRepository } from '../../db/repositories/fulfillments.ts';
import type { OrdersRepository } from '../../db/repositories/orders.ts';
import type { FulfillmentResource } from '../../domain/fulfillments/schemas.ts';
import type { BusinessEvent } from '../../db/repositories/outbox.ts';
import { fulfillmentLocations } from '../../domain/orders/order-state.ts';
import type { Order } from '../../domain/orders/schemas.ts';

export interface SaveOrderSnapshotInput {
  order: Order;
  revision: number;
  events?: BusinessEvent[];
  /** Fulfillments started with their first state: written as their revision 1 first, so the routed order never shows one its location's queue lacks. */
  fulfillments?: { fulfillment: FulfillmentResource; events: BusinessEvent[] }[];
}

export function createSaveOrderSnapshot(deps: { orders: OrdersRepository; fulfillments: FulfillmentsRepository }) {
  return async function saveOrderSnapshot(input: SaveOrderSnapshotInput): Promise<void> {
    for (const f of input.fulfillments ?? []) await deps.fulfillments.saveSnapshot(f.fulfillment, 1, f.events);
    await deps.orders.saveSnapshot(input.order, input.revision, fulfillmentLocations(input.order), input.events ?? []);
  };
}

export function createMarkOrderNeedsAttention(deps: { orders: OrdersRepository }) {
  return async function markOrderNeedsAttention(input: { orderId: string; needsAttention: NonNullable<Order['needsAttention']>; event: BusinessEvent }): Promise<void> {
    await deps.orders.markNeedsAttention(input.orderId, input.needsAttention, input.event);
  };
}
