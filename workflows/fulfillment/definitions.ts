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
import type { Address, Fulfillment } from '../../domain/orders/schemas.ts';

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
