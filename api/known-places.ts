// Locations and SKUs named in a request must exist: one 422 naming every unknown one (a
// location left out, as for a network-wide forecast, is not checked).
import type { ApiDeps } from './deps.ts';
import type { FieldError } from './problem.ts';

export async function unknownPlaceErrors(deps: ApiDeps, items: { locationId?: string; sku: string }[], prefix: (i: number) => string): Promise<FieldError[]> {
  const [locations, skus] = await Promise.all([
    deps.network.existingLocationIds(items.flatMap((i) => (i.locationId === undefined ? [] : [i.locationId]))),
    deps.network.existingSkus(items.map((i) => i.sku)),
  ]);
  const errors: FieldError[] = [];
  items.forEach((item, index) => {
    if (item.locationId !== undefined && !locations.has(item.locationId)) errors.push({ path: `${prefix(index)}locationId`, message: `unknown location ${item.locationId}` });
    if (!skus.has(item.sku)) errors.push({ path: `${prefix(index)}sku`, message: `unknown SKU ${item.sku}` });
  });
  return errors;
}
