// Keeps the fulfillments read model (work queues, tracking lookup) current, with the
// fulfillment's business events going to the outbox in the same transaction.
import type { FulfillmentsRepository } from '../../db/repositories/fulfillments.ts';
import type { BusinessEvent } from '../../db/repositories/outbox.ts';
import type { FulfillmentResource } from '../../domain/fulfillments/schemas.ts';

export function createSaveFulfillmentSnapshot(deps: { fulfillments: FulfillmentsRepository }) {
  return async function saveFulfillmentSnapshot(input: { fulfillment: FulfillmentResource; revision: number; events: BusinessEvent[] }): Promise<void> {
    await deps.fulfillments.saveSnapshot(input.fulfillment, input.revision, input.events);
  };
}
