// A Fulcrum promise for a Medusa cart: where it would ship from, what it would cost Fulcrum and
// when it would arrive, for the cart's lines and shipping address (which must carry
// coordinates, metadata.lat and metadata.lon: Fulcrum plans from them).
import { MedusaError } from '@medusajs/framework/utils';
import { fulcrum, type ClientSettings } from './fulcrum-client';
import { amountOf } from './money';
import { fulcrumAddress, UnmappableOrder, type MedusaAddress } from './order-mapping';

export interface CartLike {
  currency_code?: string;
  items?: { variant_sku?: string | null; quantity: unknown }[] | null;
  shipping_address?: MedusaAddress | null;
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
  const address = (cart.shipping_address ?? {}) as MedusaAddress;
  const destination = (() => {
    try {
      return fulcrumAddress(address);
    } catch (err) {
      if (err instanceof UnmappableOrder) throw new MedusaError(MedusaError.Types.INVALID_DATA, err.message);
      throw err;
    }
  })();
  if (!destination.geo) throw new MedusaError(MedusaError.Types.INVALID_DATA, 'shipping_address.metadata.lat and .lon are required: Fulcrum promises from coordinates');
  const lines = (cart.items ?? []).filter((i) => i.variant_sku).map((i) => ({ sku: i.variant_sku as string, quantity: amountOf(i.quantity) }));
  if (lines.length === 0) throw new MedusaError(MedusaError.Types.INVALID_DATA, 'the cart has no items with a SKU');
  return fulcrum(settings, 'POST', '/v1/promises', {
    body: { ...(channel ? { channel } : {}), destination, lines, ...(serviceLevels ? { serviceLevels } : {}) },
  });
}
