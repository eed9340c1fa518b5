// Names of the order workflow's queries and updates, shared by the workflow and the API.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Order } from '../../domain/orders/schemas.ts';

export const orderWorkflowType = 'orderWorkflow';

export function orderWorkflowId(orderId: string): string {
  return `order-${orderId}`;
}

/** The order resource as the workflow holds it now. */
export const getOrderQuery = defineQuery<Order>('getOrder');

/** Completes once the order has a routing decision (routed or backordered); backs `?wait=routed`. */
export const waitForRoutingUpdate = defineUpdate<Order>('waitForRouting');

/** Exception actions: Updates named after the HTTP path segment, with the same JSON body. */
export interface HoldRequest {
  reason: string;
}
export interface ReleaseRequest {
  reason?: string;
}
export const holdUpdate = defineUpdate<Order, [HoldRequest]>('hold');
export const releaseUpdate = defineUpdate<Order, [ReleaseRequest]>('release');
