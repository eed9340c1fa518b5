// Names of the fulfillment workflow's query, Updates and signals, shared by the workflow, the
// order workflow (its parent) and the API. Associates' actions are Updates named after the
// HTTP path segment, with the same JSON body.
import { printable } from '../../domain/text.ts';
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

export const fulfillmentWorkflowType = 'fulfillmentWorkflow';

export function fulfillmentWorkflowId(fulfillmentId: string): string {
  return `fulfillment-${fulfillmentId}`;
}

/** Who acts: the API passes the caller as a second argument; the Temporal CLI leaves it out. */
export interface Actor {
  by: string;
}

/** Who an action is recorded as: the API's caller, or the CLI when no actor was sent. */
export function actorName(actor: Actor | undefined): string {
  // An actor sent from the CLI is not checked by a schema: keep it printable and short.
  return typeof actor?.by === 'string' && actor.by !== '' ? printable(actor.by).slice(0, 200) : 'temporal-cli';
}

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
