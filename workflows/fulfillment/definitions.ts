// Names of the fulfillment workflow's query, Updates and signals, shared by the workflow, the
// order workflow (its parent) and the API. Associates' actions are Updates named after the
// HTTP path segment, with the same JSON body.
import { actorName, type Actor } from '../../domain/access/actor.ts';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  ArrivedRequest,
  CollectRequest,
  FulfillmentResource,
  PackRequest,
  PickRequest,
  RejectRequest,
  TrackingEventRequest,
} from '../../domain/fulfillments/schemas.ts';
import type { Address } from '../../domain/orders/schemas.ts';
import type { FulfillmentChange } from '../../domain/fulfillments/changes.ts';

export function fulfillmentWorkflowId(fulfillmentId: string): string {
  return `fulfillment-${fulfillmentId}`;
}

export { actorName, type Actor };

export const getFulfillmentQuery = defineQuery<FulfillmentResource>('getFulfillment');

export const pickUpdate = defineUpdate<FulfillmentResource, [PickRequest, Actor?]>('pick');
export const packUpdate = defineUpdate<FulfillmentResource, [PackRequest, Actor?]>('pack');
export const handoffUpdate = defineUpdate<FulfillmentResource, [Record<string, never>, Actor?]>('handoff');
export const rejectUpdate = defineUpdate<FulfillmentResource, [RejectRequest, Actor?]>('reject');
export const readyUpdate = defineUpdate<FulfillmentResource, [Record<string, never>, Actor?]>('ready');
export const collectUpdate = defineUpdate<FulfillmentResource, [CollectRequest, Actor?]>('collect');
export const arrivedUpdate = defineUpdate<FulfillmentResource, [ArrivedRequest?, Actor?]>('arrived');

/** From the carrier endpoint; repeats are harmless. */
export const trackingEventSignal = defineSignal<[TrackingEventRequest]>('trackingEvent');

/** From the order workflow: cancel the whole fulfillment, or some units of its lines. */
export interface CancelFulfillmentRequest {
  reason: string;
  by: string;
  /** Units to cancel per line; all when left out. */
  lines?: { lineId: string; quantity: number }[];
  /** Cancelled to be routed elsewhere (the order re-routes the units itself). */
  rerouted?: boolean;
}
export const cancelFulfillmentSignal = defineSignal<[CancelFulfillmentRequest]>('cancelFulfillment');
export const orderHoldSignal = defineSignal<[{ onHold: boolean }]>('orderHold');
export const addressChangedSignal = defineSignal<[{ shipTo: Address }]>('addressChanged');

/** The fulfillment tells its order (its parent) about every change of its state. */
export type { FulfillmentChange };
export const fulfillmentChangedSignal = defineSignal<[FulfillmentChange]>('fulfillmentChanged');
