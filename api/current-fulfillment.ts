// One reader for a fulfillment as its workflow holds it now, for every route that needs it.
import type { FulfillmentResource } from '../domain/fulfillments/schemas.ts';
import { currentResource } from '../services/current-resource.ts';
import { fulfillmentWorkflowId, getFulfillmentQuery } from '../workflows/fulfillment/definitions.ts';
import type { ApiDeps } from './deps.ts';

/** The fulfillment as its workflow holds it now (the read model once the workflow has closed). */
export function currentFulfillment(deps: ApiDeps, id: string): Promise<FulfillmentResource | undefined> {
  if (!id.startsWith('ful_')) return deps.fulfillments.get(id);
  return currentResource(deps.temporal, fulfillmentWorkflowId(id), getFulfillmentQuery, () => deps.fulfillments.get(id));
}
