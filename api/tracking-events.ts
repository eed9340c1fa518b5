// A carrier's tracking event on its way to the fulfillment workflow, whoever brought it (a
// carrier's own key on POST /v1/carriers/{carrier}/events, or Karrio's webhook): repeats are
// answered as such and change nothing, floods are refused, and an event whose signal failed is
// forgotten so the sender's retry is not taken for a repeat.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TrackingEventRequest } from '../domain/fulfillments/schemas.ts';
import { fulfillmentWorkflowId, trackingEventSignal } from '../workflows/fulfillment/definitions.ts';
import type { ApiDeps } from './deps.ts';
import { ProblemError } from './problem.ts';

export async function deliverTrackingEvent(
  deps: ApiDeps,
  target: { fulfillmentId: string; carrier: string; source: string },
  event: TrackingEventRequest,
): Promise<{ duplicate: boolean }> {
  const recorded = await deps.carrierEvents.record({
    fulfillmentId: target.fulfillmentId,
    carrier: target.carrier,
    status: event.status,
    ...(event.location ? { location: event.location } : {}),
    at: new Date(event.at),
    apiKeyId: target.source,
  });
  if (recorded.outcome === 'duplicate') return { duplicate: true };
  if (recorded.outcome === 'limited') {
    throw new ProblemError(429, recorded.detail, {}, recorded.retryAfterSeconds ? { 'Retry-After': String(recorded.retryAfterSeconds) } : {});
  }
  try {
    await deps.temporal.workflow.getHandle(fulfillmentWorkflowId(target.fulfillmentId)).signal(trackingEventSignal, event);
  } catch (err) {
    // Delivered and closed: later events change nothing.
    if (!(err instanceof WorkflowNotFoundError)) {
      await deps.carrierEvents.forget(recorded.id);
      throw err;
    }
  }
  return { duplicate: false };
}
