// Names of the order workflow's queries and updates, shared by the workflow and the API.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AddressRequest, CancelRequest, FulfillmentMethodRequest, HoldRequest, ReleaseRequest, RerouteRequest } from '../../domain/orders/actions.ts';
import type { Order } from '../../domain/orders/schemas.ts';
import type { Actor } from '../../domain/access/actor.ts';

export type { Actor, AddressRequest, CancelRequest, FulfillmentMethodRequest, HoldRequest, ReleaseRequest, RerouteRequest };

export const orderWorkflowType = 'orderWorkflow';

export function orderWorkflowId(orderId: string): string {
  return `order-${orderId}`;
}

/** The order resource as the workflow holds it now. */
export const getOrderQuery = defineQuery<Order>('getOrder');

/** Completes once the order has a routing decision (routed or backordered); backs `?wait=routed`. */
export const waitForRoutingUpdate = defineUpdate<Order>('waitForRouting');

/** Exception actions: Updates named after the HTTP path segment, with the same JSON body. */
export const holdUpdate = defineUpdate<Order, [HoldRequest, Actor?]>('hold');
export const releaseUpdate = defineUpdate<Order, [ReleaseRequest?, Actor?]>('release');

// The child's status signal is the fulfillment workflow's own contract; the order hears it.
export { fulfillmentChangedSignal, type FulfillmentChange } from '../fulfillment/definitions.ts';

export const cancelUpdate = defineUpdate<Order, [CancelRequest, Actor?]>('cancel');
export const rerouteUpdate = defineUpdate<Order, [RerouteRequest, Actor?]>('reroute');
export const addressUpdate = defineUpdate<Order, [AddressRequest, Actor?]>('address');
/** The customer changes how they get the order (ship ↔ pickup, another store) before picking starts: it is planned again. */
export const fulfillmentMethodUpdate = defineUpdate<Order, [FulfillmentMethodRequest, Actor?]>('fulfillment-method');
/** Ops: route backordered lines now instead of at the next timer (e.g. after a delivery arrived). */
export const retryRoutingSignal = defineSignal('retryRouting');
