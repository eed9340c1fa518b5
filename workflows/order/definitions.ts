// Names of the order workflow's queries and updates, shared by the workflow and the API.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AddressRequest, CancelRequest, HoldRequest, ReleaseRequest, RerouteRequest } from '../../domain/orders/actions.ts';
import type { Fulfillment, Order } from '../../domain/orders/schemas.ts';
import type { Actor } from '../fulfillment/definitions.ts';

export type { Actor, AddressRequest, CancelRequest, HoldRequest, ReleaseRequest, RerouteRequest };

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

/** A fulfillment workflow tells its order about every change of its state. */
export interface FulfillmentChange {
  fulfillment: Fulfillment;
  /** Units left this fulfillment (short pick, rejection, missed SLA): route them elsewhere, not here. */
  reroute?: {
    reason: string;
    /**
     * The location not to ask again for these units (the fulfillment's own when left out);
     * null: none (units lost in transit say nothing against any location).
     */
    excludeLocationId?: string | null;
  };
  /** Something ops should see on the order itself (a carrier's delivery exception). */
  notice?: { type: string; detail: Record<string, unknown> };
  /** A step of the fulfillment failed in a way retrying will not mend: ops must look at the order. */
  needsAttention?: { activity: string; reason: string };
  /** A cancellation arrived after these units had already left the building. */
  cancelRefused?: { lines: { lineId: string; quantity: number }[]; reason: string };
}
export const fulfillmentChangedSignal = defineSignal<[FulfillmentChange]>('fulfillmentChanged');

export const cancelUpdate = defineUpdate<Order, [CancelRequest, Actor?]>('cancel');
export const rerouteUpdate = defineUpdate<Order, [RerouteRequest, Actor?]>('reroute');
export const addressUpdate = defineUpdate<Order, [AddressRequest, Actor?]>('address');
/** Ops: route backordered lines now instead of at the next timer (e.g. after a delivery arrived). */
export const retryRoutingSignal = defineSignal('retryRouting');
