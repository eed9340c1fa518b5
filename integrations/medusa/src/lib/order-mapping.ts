// A Medusa order as the Fulcrum order that fulfils it. Every choice here is written down in
// docs/integrations/medusa.md ("What maps to what").
import { amountOf, toMinor } from './money';

export interface MedusaAddress {
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
  address_1?: string | null;
  address_2?: string | null;
  city?: string | null;
  province?: string | null;
  postal_code?: string | null;
  country_code?: string | null;
  phone?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface MedusaOrder {
  id: string;
  display_id?: number | null;
  sales_channel_id?: string | null;
  email?: string | null;
  currency_code: string;
  customer_id?: string | null;
  customer?: { id?: string; first_name?: string | null; last_name?: string | null; phone?: string | null } | null;
  shipping_address?: MedusaAddress | null;
  items?: { id: string; variant_sku?: string | null; title?: string | null; quantity: unknown; unit_price: unknown }[] | null;
  shipping_methods?: { shipping_option_id?: string | null; data?: Record<string, unknown> | null }[] | null;
  payment_collections?: { payments?: { id: string; amount: unknown; captured_at?: string | null }[] | null }[] | null;
  metadata?: Record<string, unknown> | null;
}

export class UnmappableOrder extends Error {}

const SERVICE_LEVELS = new Set(['standard', 'express', 'same_day']);

/** The fulfilment the customer chose, from the Fulcrum shipping option's data (standard shipping otherwise). */
export function chosenFulfillment(order: MedusaOrder): { method: 'ship' | 'pickup' | 'same_day'; serviceLevel: string; pickupLocationId?: string } {
  const data = (order.shipping_methods ?? []).map((m) => m.data ?? {}).find((d) => typeof d.fulcrum_method === 'string' || typeof d.service_level === 'string') ?? {};
  const level = typeof data.service_level === 'string' && SERVICE_LEVELS.has(data.service_level) ? data.service_level : 'standard';
  if (data.fulcrum_method === 'pickup') {
    if (typeof data.pickup_location_id !== 'string' || data.pickup_location_id === '') throw new UnmappableOrder('a pickup shipping method without pickup_location_id');
    return { method: 'pickup', serviceLevel: 'standard', pickupLocationId: data.pickup_location_id };
  }
  return { method: level === 'same_day' ? 'same_day' : 'ship', serviceLevel: level };
}

/** A Medusa address as a Fulcrum address (an order's shipTo, a promise's destination); throws UnmappableOrder naming a missing field. */
export function fulcrumAddress(a: MedusaAddress) {
  const need = (value: string | null | undefined, field: string) => {
    if (!value || value.trim() === '') throw new UnmappableOrder(`the shipping address has no ${field}`);
    return value.trim();
  };
  const lat = Number(a.metadata?.lat);
  const lon = Number(a.metadata?.lon);
  const name = [a.first_name, a.last_name].filter(Boolean).join(' ').trim();
  return {
    ...(name ? { name } : {}),
    line1: need(a.address_1, 'address_1'),
    ...(a.address_2 ? { line2: a.address_2 } : {}),
    city: need(a.city, 'city'),
    // Fulcrum needs a region; many countries have none, so the city stands in.
    region: a.province?.trim() || need(a.city, 'city'),
    postalCode: need(a.postal_code, 'postal_code'),
    country: need(a.country_code, 'country_code').toUpperCase(),
    ...(Number.isFinite(lat) && Number.isFinite(lon) && a.metadata?.lat !== undefined ? { geo: { lat, lon } } : {}),
  };
}

export function toFulcrumOrder(order: MedusaOrder, channel: string) {
  const currency = order.currency_code.toUpperCase();
  const items = order.items ?? [];
  if (items.length === 0) throw new UnmappableOrder('the order has no items');
  const lines = items.map((item) => {
    if (!item.variant_sku) throw new UnmappableOrder(`item ${item.id} (${item.title ?? 'no title'}) has no SKU; Fulcrum fulfils SKUs`);
    return { lineId: item.id, sku: item.variant_sku, quantity: amountOf(item.quantity), unitPrice: { amount: toMinor(item.unit_price, currency), currency } };
  });
  const payment = (order.payment_collections ?? []).flatMap((c) => c.payments ?? [])[0];
  if (!payment) throw new UnmappableOrder('the order has no authorized payment');
  const chosen = chosenFulfillment(order);
  const address = order.shipping_address;
  if (chosen.method !== 'pickup' && !address) throw new UnmappableOrder('the order has no shipping address');
  const name = [order.customer?.first_name ?? address?.first_name, order.customer?.last_name ?? address?.last_name].filter(Boolean).join(' ').trim();
  const phone = order.customer?.phone ?? address?.phone;
  return {
    channel,
    channelOrderId: order.id,
    customer: {
      id: order.customer_id ?? order.customer?.id ?? order.email ?? order.id,
      name: name || order.email || 'Medusa customer',
      ...(order.email ? { email: order.email } : {}),
      ...(phone && /^\+?[0-9 ()-]{5,20}$/.test(phone) ? { phone } : {}),
    },
    fulfillment: {
      method: chosen.method,
      ...(chosen.method === 'pickup' ? { pickupLocationId: chosen.pickupLocationId } : { shipTo: fulcrumAddress(address!) }),
    },
    serviceLevel: chosen.serviceLevel,
    lines,
    payment: { authorizationId: payment.id, amount: { amount: toMinor(payment.amount, currency), currency } },
  };
}
