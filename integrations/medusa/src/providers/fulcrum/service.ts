// Fulcrum as a Medusa fulfillment provider. Shipping options it owns tell the order how the
// customer wants it (ship at a service level, or pickup at a Fulcrum store); Fulcrum then
// decides where it ships from. Medusa fulfillments of these options are created by the plugin
// from Fulcrum's (their data names the Fulcrum fulfillment); one made by hand in the admin is
// refused, because Fulcrum is already fulfilling the order and would ship it twice.
import { AbstractFulfillmentProviderService, MedusaError } from '@medusajs/framework/utils';
import type { CalculatedShippingOptionPrice, CreateFulfillmentResult, CreateShippingOptionDTO, FulfillmentOption } from '@medusajs/framework/types';
import { fulcrum } from '../../lib/fulcrum-client';
import { checkOptions, type FulcrumOptions } from '../../lib/options';
import { amountOf, toMajor } from '../../lib/money';

const OPTIONS: (FulfillmentOption & { fulcrum_method: string; service_level: string })[] = [
  { id: 'fulcrum-standard', name: 'Fulcrum standard', fulcrum_method: 'ship', service_level: 'standard' },
  { id: 'fulcrum-express', name: 'Fulcrum express', fulcrum_method: 'ship', service_level: 'express' },
  { id: 'fulcrum-same-day', name: 'Fulcrum same day', fulcrum_method: 'same_day', service_level: 'same_day' },
  { id: 'fulcrum-pickup', name: 'Fulcrum pickup in store', fulcrum_method: 'pickup', service_level: 'standard' },
  { id: 'fulcrum-return', name: 'Fulcrum return', fulcrum_method: 'return', service_level: 'standard', is_return: true },
];

type Dict = Record<string, unknown>;

export default class FulcrumFulfillmentProvider extends AbstractFulfillmentProviderService {
  static identifier = 'fulcrum';
  private readonly settings: FulcrumOptions;

  constructor(_deps: Dict, options: unknown) {
    super();
    this.settings = checkOptions(options);
  }

  async getFulfillmentOptions(): Promise<FulfillmentOption[]> {
    return OPTIONS;
  }

  async validateOption(data: Dict): Promise<boolean> {
    return OPTIONS.some((o) => o.id === data.id);
  }

  /** What the cart's shipping method carries to the order: the method, level, and the pickup store. */
  async validateFulfillmentData(optionData: Dict, data: Dict): Promise<Dict> {
    const option = OPTIONS.find((o) => o.id === optionData.id);
    if (!option) throw new MedusaError(MedusaError.Types.INVALID_DATA, `unknown Fulcrum option ${String(optionData.id)}`);
    const chosen: Dict = { fulcrum_method: option.fulcrum_method, service_level: option.service_level };
    if (option.fulcrum_method === 'pickup') {
      const store = data.pickup_location_id;
      if (typeof store !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(store)) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, 'data.pickup_location_id: the Fulcrum store to pick up at is required (letters, digits, . _ : -)');
      }
      chosen.pickup_location_id = store;
    }
    return { ...data, ...chosen };
  }

  async canCalculate(data: CreateShippingOptionDTO): Promise<boolean> {
    const option = OPTIONS.find((o) => o.id === (data.data as Dict | undefined)?.id);
    return !!option && option.fulcrum_method !== 'return';
  }

  /**
   * Fulcrum's cost to fulfil the cart (its promise for the option's service level), for a
   * shipping address that carries coordinates (metadata.lat / metadata.lon); Fulcrum plans
   * from coordinates. Without them the price cannot be worked out and Medusa is told so.
   */
  async calculatePrice(optionData: Dict, _data: Dict, context: Dict): Promise<CalculatedShippingOptionPrice> {
    const option = OPTIONS.find((o) => o.id === optionData.id);
    const ctx = context as { currency_code?: string; items?: { variant_sku?: string | null; quantity: unknown }[]; shipping_address?: Dict | null };
    const address = (ctx.shipping_address ?? {}) as Dict & { metadata?: Dict };
    const lat = Number(address.metadata?.lat);
    const lon = Number(address.metadata?.lon);
    if (!option || !Number.isFinite(lat) || !Number.isFinite(lon) || address.metadata?.lat === undefined) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, 'Fulcrum quotes a shipping address with metadata.lat and metadata.lon');
    }
    const currency = String(ctx.currency_code ?? 'usd');
    const lines = (ctx.items ?? []).filter((i) => i.variant_sku).map((i) => ({ sku: i.variant_sku as string, quantity: amountOf(i.quantity) }));
    const promise = await fulcrum<{ options: { method: string; serviceLevel: string; cost: { amount: number; currency: string } }[] }>(
      { url: this.settings.url, key: this.settings.apiKey, timeoutMs: this.settings.timeoutMs, attempts: 1 },
      'POST',
      '/v1/promises',
      {
        body: {
          channel: this.settings.channel,
          destination: { line1: String(address.address_1 ?? ''), city: String(address.city ?? ''), region: String(address.province || address.city || ''), postalCode: String(address.postal_code ?? ''), country: String(address.country_code ?? '').toUpperCase(), geo: { lat, lon } },
          lines,
          serviceLevels: [option.service_level],
        },
      },
    );
    const quoted = promise.options.find((o) => o.serviceLevel === option.service_level && o.method !== 'pickup');
    if (!quoted) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Fulcrum cannot fulfil this cart at ${option.service_level}`);
    if (quoted.cost.currency !== currency.toUpperCase()) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Fulcrum quotes ${quoted.cost.currency}, the cart is in ${currency}`);
    return { calculated_amount: toMajor(quoted.cost.amount, quoted.cost.currency), is_calculated_price_tax_inclusive: false };
  }

  async createFulfillment(data: Dict, _items: unknown[], _order: unknown, fulfillment: Dict): Promise<CreateFulfillmentResult> {
    const metadata = (fulfillment.metadata ?? {}) as Dict;
    if (typeof metadata.fulcrum_fulfillment_id !== 'string') {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, 'Fulcrum fulfils this order: its fulfillments appear here as Fulcrum packs them');
    }
    return { data: { ...data, fulcrum_fulfillment_id: metadata.fulcrum_fulfillment_id }, labels: [] };
  }

  async cancelFulfillment(): Promise<Dict> {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, 'Cancel the order or its lines in Fulcrum (POST /v1/orders/{id}/cancel); the Medusa order follows');
  }

  async createReturnFulfillment(fulfillment: Dict): Promise<CreateFulfillmentResult> {
    return { data: { ...((fulfillment.data as Dict) ?? {}), fulcrum_return: true }, labels: [] };
  }
}
