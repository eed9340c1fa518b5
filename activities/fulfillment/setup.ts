// Reads what a new fulfillment needs to know (domain/fulfillments/setup.ts): its SKUs'
// barcodes and its location's policy. Used by the fulfillment's own start and by routing,
// which hands it to the fulfillments it plans so they start without asking again.
import type { NetworkRepository } from '../../db/repositories/network.ts';
import { fulfillmentSetup, type FulfillmentSetup } from '../../domain/fulfillments/setup.ts';

export async function readFulfillmentSetup(network: NetworkRepository, locationId: string, skus: readonly string[]): Promise<FulfillmentSetup> {
  const barcodes: { sku: string; gtin?: string }[] = [];
  for (const sku of [...new Set(skus)]) {
    const found = await network.getSku(sku);
    barcodes.push(found?.gtin ? { sku, gtin: found.gtin } : { sku });
  }
  return fulfillmentSetup(await network.getLocation(locationId), barcodes);
}
