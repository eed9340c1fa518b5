// One reader for a fulfillment as its workflow holds it now, for every route that needs it.
import type { ShippingLabel } from '../db/repositories/labels.ts';
import type { FulfillmentResource, PackageLabel } from '../domain/fulfillments/schemas.ts';
import { currentResource } from '../services/current-resource.ts';
import { fulfillmentWorkflowId, getFulfillmentQuery } from '../workflows/fulfillment/definitions.ts';
import type { ApiDeps } from './deps.ts';

/** The fulfillment as its workflow holds it now (the read model once the workflow has closed). */
export function currentFulfillment(deps: ApiDeps, id: string): Promise<FulfillmentResource | undefined> {
  if (!id.startsWith('ful_')) return deps.fulfillments.get(id);
  return currentResource(deps.temporal, fulfillmentWorkflowId(id), getFulfillmentQuery, () => deps.fulfillments.get(id));
}

/** One label per package: its own tracking number and an even share of the shipment's cost. */
export function packageLabels(label: ShippingLabel): PackageLabel[] {
  const count = Math.max(1, label.packages.length);
  const share = Math.floor(label.rate.amount / count);
  return Array.from({ length: count }, (_, i) => ({
    package: i + 1,
    gateway: label.gateway ?? 'builtin',
    carrier: label.carrier,
    service: label.service,
    trackingNumber: label.packageTrackingNumbers?.[i] ?? label.trackingNumber,
    cost: { amount: share + (i === 0 ? label.rate.amount - share * count : 0), currency: label.rate.currency },
    ...(label.voided ? { voided: true } : {}),
  }));
}

/** The fulfillment with its packages' labels, once one was bought. */
export async function withLabels(deps: ApiDeps, f: FulfillmentResource): Promise<FulfillmentResource> {
  if (!f.trackingNumber) return f;
  const label = await deps.labels.get(f.id);
  return label ? { ...f, labels: packageLabels(label) } : f;
}
