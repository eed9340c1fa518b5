// A Fulcrum promise for a Medusa cart: where it would ship from, what it would cost Fulcrum and
// when it would arrive, for the cart's lines and shipping address (which must carry
// coordinates, metadata.lat and metadata.lon: Fulcrum plans from them).
import { MedusaError } from '@medusajs/framework/utils';
import { fulcrum, type ClientSettings } from './fulcrum-client';
import { amountOf } from './money';

export interface CartLike {
  currency_code?: string;
  items?: { variant_sku?: string | null; quantity: unknown }[] | null;
  shipping_address?: Record<string, unknown> | null;
}

export interface PromiseOption {
  id: string;
  method: string;
  serviceLevel: string;
  estimatedDelivery?: string;
  readyAt?: string;
  cost: { amount: number; currency: string };
  splitCount: number;
}

export async function promiseFor(settings: ClientSettings, channel: string | undefined, cart: CartLike, serviceLevels?: string[]): Promise<{ id: string; options: PromiseOption[] }> {
  const address = (cart.shipping_address ?? {}) as Record<string, unknown> & { metadata?: Record<string, unknown> | null };
  const lat = Number(address.metadata?.lat);
  const lon = Number(address.metadata?.lon);
  if (address.metadata?.lat === undefined || !Number.isFinite(lat) || !Number.isFinite(lon)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, 'shipping_address.metadata.lat and .lon are required: Fulcrum promises from coordinates');
  }
  const lines = (cart.items ?? []).filter((i) => i.variant_sku).map((i) => ({ sku: i.variant_sku as string, quantity: amountOf(i.quantity) }));
  if (lines.length === 0) throw new MedusaError(MedusaError.Types.INVALID_DATA, 'the cart has no items with a SKU');
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  return fulcrum(settings, 'POST', '/v1/promises', {
    body: {
      ...(channel ? { channel } : {}),
      destination: {
        line1: text(address.address_1),
        city: text(address.city),
        region: text(address.province) || text(address.city),
        postalCode: text(address.postal_code),
        country: text(address.country_code).toUpperCase(),
        geo: { lat, lon },
      },
      lines,
      ...(serviceLevels ? { serviceLevels } : {}),
    },
  });
}
