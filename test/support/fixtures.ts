// Small, explicit networks and orders for tests.
import type { LocationInput } from '../../domain/network/schemas.ts';
import type { client } from './stack.ts';

type Api = ReturnType<typeof client>;

export const shipOnly = { ship: true, pickup: false, curbside: false, sameDay: false, returns: true };
export const storeCaps = { ship: true, pickup: true, curbside: true, sameDay: true, returns: true };

export function locationBody(lat: number, lon: number, overrides: Partial<LocationInput> = {}): LocationInput {
  return {
    name: 'Test location',
    type: 'warehouse',
    geo: { lat, lon },
    timezone: 'America/Chicago',
    active: true,
    capabilities: shipOnly,
    ...overrides,
  };
}

/** Puts locations, SKUs and counts through the API as ops would. */
export async function seedNetwork(
  ops: Api,
  network: {
    locations: Record<string, LocationInput>;
    skus: string[];
    stock: [locationId: string, sku: string, onHand: number][];
  },
): Promise<void> {
  for (const [id, body] of Object.entries(network.locations)) {
    const res = await ops.put(`/v1/locations/${id}`, body);
    if (res.status >= 300) throw new Error(`seeding location ${id}: ${res.status} ${res.text}`);
  }
  for (const sku of network.skus) {
    const res = await ops.put(`/v1/skus/${sku}`, { name: sku, weightGrams: 500 });
    if (res.status >= 300) throw new Error(`seeding SKU ${sku}: ${res.status} ${res.text}`);
  }
  for (const [locationId, sku, onHand] of network.stock) {
    const res = await ops.put(`/v1/inventory/${locationId}/${sku}`, { onHand });
    if (res.status >= 300) throw new Error(`seeding stock ${locationId}/${sku}: ${res.status} ${res.text}`);
  }
}

export function shipOrder(channelOrderId: string, lines: { sku: string; quantity: number; lineId?: string }[], channel = 'web') {
  const priced = lines.map((l, i) => ({
    lineId: l.lineId ?? String(i + 1),
    sku: l.sku,
    quantity: l.quantity,
    unitPrice: { amount: 1000, currency: 'USD' },
  }));
  return {
    channel,
    channelOrderId,
    customer: { id: 'c-1', name: 'Ada Lovelace', email: 'ada@example.com', phone: '+15550100' },
    fulfillment: {
      method: 'ship',
      shipTo: {
        line1: '233 S Wacker Dr',
        city: 'Chicago',
        region: 'IL',
        postalCode: '60606',
        country: 'US',
        geo: { lat: 41.8789, lon: -87.6359 },
      },
    },
    serviceLevel: 'standard',
    lines: priced,
    payment: {
      authorizationId: `pay_${channelOrderId}`,
      amount: { amount: priced.reduce((s, l) => s + l.quantity * l.unitPrice.amount, 0), currency: 'USD' },
    },
  };
}

/** A pickup (or curbside) order for a store. */
export function pickupOrder(channelOrderId: string, storeId: string, lines: { sku: string; quantity: number }[], method: 'pickup' | 'curbside' = 'pickup') {
  const order = shipOrder(channelOrderId, lines);
  return { ...order, fulfillment: { method, pickupLocationId: storeId } };
}
