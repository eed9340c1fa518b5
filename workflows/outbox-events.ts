// Turns the events a workflow recorded since its last publish into outbox events. The event
// id is the owner's id and the event's position, so a retried publish writes nothing twice.
import type { OrderEvent } from '../domain/orders/schemas.ts';

export interface OutboxEvent {
  eventId: string;
  type: string;
  orderId: string;
  data: Record<string, unknown>;
}

export function outboxEventsSince(
  owner: { id: string; orderId: string; events: readonly OrderEvent[] },
  from: number,
  common: Record<string, unknown>,
  extra: (index: number) => Record<string, unknown> | undefined = () => undefined,
): OutboxEvent[] {
  return owner.events.slice(from).map((e, i) => ({
    eventId: `${owner.id}:e${from + i}`,
    type: e.type,
    orderId: owner.orderId,
    data: { ...common, at: e.at, ...e.detail, ...extra(from + i) },
  }));
}

/** A fulfillment's events since `from`, each with the fulfillment's ids (its workflow's publish, and the order's write of its first state). */
export function fulfillmentOutboxEvents(
  f: { id: string; orderId: string; locationId: string; method: string; events: readonly OrderEvent[] },
  from: number,
  extra?: (index: number) => Record<string, unknown> | undefined,
): OutboxEvent[] {
  return outboxEventsSince(f, from, { fulfillmentId: f.id, orderId: f.orderId, locationId: f.locationId, method: f.method }, extra);
}
