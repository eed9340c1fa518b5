// Brings a Medusa order in line with its Fulcrum order: reads both, plans (reconcile-plan.ts)
// and runs each step as a Medusa workflow. Every step is keyed by what it mirrors (the Fulcrum
// fulfillment id on the Medusa fulfillment's metadata, amounts as differences, returns linked
// in the order's metadata), so running it twice does nothing the second time.
import type { MedusaContainer } from '@medusajs/framework/types';
import {
  beginOrderEditOrderWorkflow,
  cancelOrderWorkflow,
  capturePaymentWorkflow,
  confirmOrderEditRequestWorkflow,
  createOrderFulfillmentWorkflow,
  createOrderShipmentWorkflow,
  markOrderFulfillmentAsDeliveredWorkflow,
  orderEditUpdateItemQuantityWorkflow,
  receiveAndCompleteReturnOrderWorkflow,
  refundPaymentWorkflow,
  requestOrderEditRequestWorkflow,
} from '@medusajs/medusa/core-flows';
import { loadOrder, saveOrderMetadata, stateOf } from './medusa-order';
import { locationMap } from './locations';
import { planReconcile, type Action, type FulcrumOrder, type FulcrumReturn, type MedusaOrderState } from './reconcile-plan';
import type { FulcrumOptions } from './options';

const BY = 'fulcrum';

export class MissingLocation extends Error {}

function fulfillmentOf(order: MedusaOrderState, fulcrumFulfillmentId: string): string {
  const found = order.fulfillments.find((f) => !f.canceled_at && f.metadata?.fulcrum_fulfillment_id === fulcrumFulfillmentId);
  if (!found) throw new Error(`no Medusa fulfillment mirrors Fulcrum fulfillment ${fulcrumFulfillmentId} yet`);
  return found.id;
}

async function apply(container: MedusaContainer, options: FulcrumOptions, order: MedusaOrderState, action: Action): Promise<void> {
  switch (action.kind) {
    case 'fulfill': {
      const { toMedusa } = await locationMap(container, options);
      const location = toMedusa.get(action.locationId);
      if (!location) throw new MissingLocation(`Fulcrum location ${action.locationId} maps to no Medusa stock location (set locations or metadata.fulcrum_location_id)`);
      await createOrderFulfillmentWorkflow(container).run({
        input: { order_id: order.id, items: action.items, location_id: location, created_by: BY, metadata: { fulcrum_fulfillment_id: action.fulcrumFulfillmentId, fulcrum_location_id: action.locationId } },
      });
      return;
    }
    case 'ship': {
      const labels = action.trackingNumber ? [{ tracking_number: action.trackingNumber, tracking_url: '', label_url: '' }] : [];
      await createOrderShipmentWorkflow(container).run({ input: { order_id: order.id, fulfillment_id: fulfillmentOf(order, action.fulcrumFulfillmentId), items: action.items, labels, created_by: BY } });
      return;
    }
    case 'deliver':
      await markOrderFulfillmentAsDeliveredWorkflow(container).run({ input: { orderId: order.id, fulfillmentId: fulfillmentOf(order, action.fulcrumFulfillmentId) } });
      return;
    case 'cancel_order':
      await cancelOrderWorkflow(container).run({ input: { order_id: order.id, canceled_by: BY } });
      return;
    case 'cancel_units':
      await beginOrderEditOrderWorkflow(container).run({ input: { order_id: order.id, created_by: BY, description: 'Units cancelled in Fulcrum' } });
      await orderEditUpdateItemQuantityWorkflow(container).run({ input: { order_id: order.id, items: action.items } });
      await requestOrderEditRequestWorkflow(container).run({ input: { order_id: order.id, requested_by: BY } });
      await confirmOrderEditRequestWorkflow(container).run({ input: { order_id: order.id, confirmed_by: BY } });
      await saveOrderMetadata(container, order.id, { fulcrum_cancelled: action.cancelled });
      return;
    case 'capture':
      await capturePaymentWorkflow(container).run({ input: { payment_id: action.paymentId, amount: action.amount, captured_by: BY } });
      return;
    case 'refund':
      await refundPaymentWorkflow(container).run({ input: { payment_id: action.paymentId, amount: action.amount, created_by: BY, note: action.note } });
      return;
    case 'receive_return':
      await receiveAndCompleteReturnOrderWorkflow(container).run({ input: { return_id: action.returnId, items: action.items, created_by: BY } });
      return;
    case 'record_return': {
      // A return opened outside Medusa (at a store, by Fulcrum's ops): kept on the order, not
      // as a Medusa return, which needs a return shipping option Fulcrum never chose.
      const outside = ((order.metadata?.fulcrum_outside_returns ?? {}) as Record<string, unknown>);
      await saveOrderMetadata(container, order.id, { fulcrum_outside_returns: { ...outside, [action.fulcrumReturnId]: action.items } });
      return;
    }
  }
}

/** Runs what the Medusa order lacks; answers the steps taken. Throws on the first step that fails (the caller retries the whole, which skips what is done). */
export async function reconcileOrder(container: MedusaContainer, options: FulcrumOptions, medusaOrderId: string, fulcrum: FulcrumOrder, returns: FulcrumReturn[]): Promise<string[]> {
  const done: string[] = [];
  // Each step changes what the next plan sees (a fulfillment before its shipment), so plan again after each.
  for (let round = 0; round < 50; round += 1) {
    const order = await loadOrder(container, medusaOrderId);
    if (!order) throw new Error(`Medusa order ${medusaOrderId} is gone`);
    const state = stateOf(order);
    const [next] = planReconcile(fulcrum, returns, state);
    if (!next) return done;
    await apply(container, options, state, next);
    done.push(next.kind);
  }
  throw new Error(`order ${medusaOrderId} did not settle after 50 steps`);
}
