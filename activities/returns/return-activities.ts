// The side effects of a return: its read model (with return.* events to the outbox),
// received units back into stock at the receiving location (sellable on hand, damaged or
// defective quarantined, each with its ledger entry), and an exchange's replacement order.
import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { submitOrder } from '../../services/orders/intake.ts';
import { mustHaveMoved } from '../../db/inventory/movements.ts';
import type { InventoryRepository } from '../../db/repositories/inventory.ts';
import type { NetworkRepository } from '../../db/repositories/network.ts';
import type { OrdersRepository } from '../../db/repositories/orders.ts';
import type { BusinessEvent } from '../../db/repositories/outbox.ts';
import type { ReturnsRepository } from '../../db/repositories/returns.ts';
import type { CreateOrderRequest } from '../../domain/orders/schemas.ts';
import type { Condition, ReturnResource, ReturnWorkflowInput } from '../../domain/returns/schemas.ts';

export function createReturnActivities(deps: {
  returns: ReturnsRepository;
  inventory: InventoryRepository;
  network: NetworkRepository;
  orders: OrdersRepository;
  temporal: Client;
  taskQueue: string;
  searchAttributes: boolean;
}) {
  return {
    async saveReturnSnapshot(input: { returnResource: ReturnResource; revision: number; events: BusinessEvent[] }): Promise<void> {
      await deps.returns.saveSnapshot(input.returnResource, input.revision, input.events);
    },

    /** Puts received units back: sellable ones on hand, the rest in quarantine. Idempotent per receipt line. */
    async receiveReturnStock(input: {
      returnId: string;
      receipt: number;
      locationId: string;
      lines: { lineId: string; sku: string; quantity: number; condition: Condition }[];
      actor: string;
    }): Promise<void> {
      const location = await deps.network.getLocation(input.locationId);
      if (!location) throw ApplicationFailure.nonRetryable(`unknown location ${input.locationId}`, 'LocationCannotReceive');
      if (!location.active || !location.capabilities.returns) {
        throw ApplicationFailure.nonRetryable(`location ${input.locationId} does not take returns`, 'LocationCannotReceive');
      }
      for (const [index, line] of input.lines.entries()) {
        const sellable = line.condition === 'sellable';
        const moved = await deps.inventory.move({
          locationId: input.locationId,
          sku: line.sku,
          ...(sellable ? { onHandDelta: line.quantity } : { quarantinedDelta: line.quantity }),
          reason: sellable ? 'return_restock' : 'return_quarantine',
          reference: `${input.returnId}/${line.lineId}/${line.condition}`,
          idempotencyKey: `return:${input.returnId}:${input.receipt}:${index}`,
          actor: input.actor,
        });
        mustHaveMoved(moved, `return receipt of ${line.sku} at ${input.locationId}`);
      }
    },

    /** An exchange's replacement: a new order of the same channel, free of charge, sent like the original. */
    async placeExchangeOrder(input: { returnId: string; rma: string; order: ReturnWorkflowInput['order'] & { fulfillment: CreateOrderRequest['fulfillment']; serviceLevel: CreateOrderRequest['serviceLevel'] }; lines: { sku: string; quantity: number }[] }): Promise<string> {
      const request: CreateOrderRequest = {
        channel: input.order.channel,
        channelOrderId: `${input.order.channelOrderId}-EXCHANGE-${input.rma}`,
        customer: input.order.customer,
        fulfillment: input.order.fulfillment,
        serviceLevel: input.order.serviceLevel,
        lines: input.lines.map((l, i) => ({ lineId: `X${i + 1}`, sku: l.sku, quantity: l.quantity, unitPrice: { amount: 0, currency: input.order.payment.amount.currency } })),
        payment: { authorizationId: `exchange:${input.returnId}`, amount: { amount: 0, currency: input.order.payment.amount.currency } },
      };
      const result = await submitOrder({ orders: deps.orders, temporal: deps.temporal, taskQueue: deps.taskQueue, searchAttributes: deps.searchAttributes }, request, { waitForRouting: false });
      if (result.outcome === 'conflict') return result.existingOrderId;
      // The exchange's authorization is named after the return, so only its own order holds it (a retry finds it above).
      if (result.outcome === 'authorization_taken') return result.orderId;
      return result.order.id;
    },
  };
}
