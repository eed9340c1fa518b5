// A Medusa store set up the way a merchant using Fulcrum would: a region, a sales channel,
// stock locations that name their Fulcrum locations, Fulcrum's shipping option, products
// whose variant SKUs are Fulcrum SKUs, a publishable key; and a storefront checkout.
import type { RunningMedusa } from './medusa.ts';

export interface MedusaStore {
  regionId: string;
  salesChannelId: string;
  publishableKey: string;
  /** Fulcrum location id → Medusa stock location id. */
  locations: Record<string, string>;
  /** SKU → variant id. */
  variants: Record<string, string>;
  shippingOptionId: string;
  /** Express, priced by Fulcrum's promise at checkout (price_type calculated). */
  quotedOptionId: string;
  /** Pickup at a Fulcrum store (the cart's shipping method names it: data.pickup_location_id). */
  pickupOptionId: string;
}

const ADDRESS = { first_name: 'Ada', last_name: 'Lovelace', address_1: '233 S Wacker Dr', city: 'Chicago', province: 'IL', postal_code: '60606', country_code: 'us', phone: '+15550100' };

/** A shipping option of Fulcrum's: flat when given prices, else calculated by Fulcrum. */
async function shippingOption(medusa: RunningMedusa, zone: Record<string, string>, id: string, name: string, prices?: { currency_code: string; amount: number }[]): Promise<{ id: string }> {
  const { shipping_option: option } = await medusa.admin('POST', '/admin/shipping-options', {
    ...zone,
    name,
    price_type: prices ? 'flat' : 'calculated',
    type: { label: name, description: 'Fulfilled by Fulcrum', code: id },
    data: { id },
    prices: prices ?? [],
  });
  return option;
}

export async function setUpStore(medusa: RunningMedusa, fulcrumLocations: string[], skus: string[]): Promise<MedusaStore> {
  const { region } = await medusa.admin('POST', '/admin/regions', { name: 'US', currency_code: 'usd', countries: ['us'], payment_providers: ['pp_system_default'] });
  const { sales_channel: channel } = await medusa.admin('POST', '/admin/sales-channels', { name: 'Web shop' });
  const { shipping_profiles: profiles } = await medusa.admin('GET', '/admin/shipping-profiles');
  const profileId = profiles[0].id as string;
  const locations: Record<string, string> = {};
  let shippingOptionId = '';
  let quotedOptionId = '';
  let pickupOptionId = '';
  for (const [index, fulcrumId] of fulcrumLocations.entries()) {
    const { stock_location: loc } = await medusa.admin('POST', '/admin/stock-locations', { name: fulcrumId, address: { address_1: `${index + 1} Fulcrum Way`, city: 'Chicago', country_code: 'us' }, metadata: { fulcrum_location_id: fulcrumId } });
    locations[fulcrumId] = loc.id;
    await medusa.admin('POST', `/admin/stock-locations/${loc.id}/sales-channels`, { add: [channel.id] });
    await medusa.admin('POST', `/admin/stock-locations/${loc.id}/fulfillment-providers`, { add: ['fulcrum_fulcrum'] });
    if (index > 0) continue;
    const { stock_location: withSets } = await medusa.admin('POST', `/admin/stock-locations/${loc.id}/fulfillment-sets?fields=*fulfillment_sets`, { name: 'Fulcrum network', type: 'shipping' });
    const setId = withSets.fulfillment_sets[0].id as string;
    const { fulfillment_set: set } = await medusa.admin('POST', `/admin/fulfillment-sets/${setId}/service-zones?fields=*service_zones`, { name: 'US', geo_zones: [{ type: 'country', country_code: 'us' }] });
    const zone = { service_zone_id: set.service_zones[0].id as string, shipping_profile_id: profileId, provider_id: 'fulcrum_fulcrum' };
    const option = await shippingOption(medusa, zone, 'fulcrum-standard', 'Standard (Fulcrum)', [{ currency_code: 'usd', amount: 5 }]);
    shippingOptionId = option.id;
    // Priced by Fulcrum's promise at checkout (price type calculated: no prices of its own).
    const quoted = await shippingOption(medusa, zone, 'fulcrum-express', 'Express (priced by Fulcrum)');
    quotedOptionId = quoted.id;
    pickupOptionId = (await shippingOption(medusa, zone, 'fulcrum-pickup', 'Pickup in store (Fulcrum)', [{ currency_code: 'usd', amount: 0 }])).id;
  }
  const variants: Record<string, string> = {};
  for (const sku of skus) {
    const { product } = await medusa.admin('POST', '/admin/products', {
      title: sku,
      status: 'published',
      shipping_profile_id: profileId,
      options: [{ title: 'Default', values: ['Default'] }],
      variants: [{ title: sku, sku, manage_inventory: true, options: { Default: 'Default' }, prices: [{ currency_code: 'usd', amount: 20 }] }],
      sales_channels: [{ id: channel.id }],
    });
    variants[sku] = product.variants[0].id;
  }
  const { api_key: key } = await medusa.admin('POST', '/admin/api-keys', { title: 'Storefront', type: 'publishable' });
  await medusa.admin('POST', `/admin/api-keys/${key.id}/sales-channels`, { add: [channel.id] });
  return { regionId: region.id, salesChannelId: channel.id, publishableKey: key.token, locations, variants, shippingOptionId, quotedOptionId, pickupOptionId };
}

/** A storefront cart with items and the shipping address (with its coordinates in metadata). */
export async function cartWith(medusa: RunningMedusa, store: MedusaStore, items: { sku: string; quantity: number }[]): Promise<{ id: string }> {
  const { cart } = await medusa.store('POST', '/store/carts', {
    region_id: store.regionId,
    sales_channel_id: store.salesChannelId,
    email: 'ada@example.com',
    shipping_address: { ...ADDRESS, metadata: { lat: 41.8789, lon: -87.6359 } },
    billing_address: ADDRESS,
    items: items.map((i) => ({ variant_id: store.variants[i.sku], quantity: i.quantity })),
  }, store.publishableKey);
  return cart;
}

/** A storefront checkout: cart, items, address, Fulcrum shipping, system payment, complete. */
export async function checkout(medusa: RunningMedusa, store: MedusaStore, items: { sku: string; quantity: number }[], shipping?: { optionId: string; data: Record<string, unknown> }): Promise<{ id: string }> {
  const pk = store.publishableKey;
  const cart = await cartWith(medusa, store, items);
  await medusa.store('POST', `/store/carts/${cart.id}/shipping-methods`, shipping ? { option_id: shipping.optionId, data: shipping.data } : { option_id: store.shippingOptionId }, pk);
  const { payment_collection: collection } = await medusa.store('POST', '/store/payment-collections', { cart_id: cart.id }, pk);
  await medusa.store('POST', `/store/payment-collections/${collection.id}/payment-sessions`, { provider_id: 'pp_system_default' }, pk);
  const completed = await medusa.store('POST', `/store/carts/${cart.id}/complete`, {}, pk);
  if (completed.type !== 'order') throw new Error(`the cart did not become an order: ${JSON.stringify(completed).slice(0, 600)}`);
  return completed.order;
}
