// Fulcrum as a Medusa fulfillment provider. Shipping options it owns tell the order how the
// customer wants it (ship at a service level, or pickup at a Fulcrum store); Fulcrum then
// decides where it ships from. Medusa fulfillments of these options are created by the plugin
// from Fulcrum's (their data names the Fulcrum fulfillment); one made by hand in the admin is
// refused, because Fulcrum is already fulfilling the order and would ship it twice.
import { AbstractFulfillmentProviderService, MedusaError } from '@medusajs/framework/utils';
import type { CalculatedShippingOptionPrice, CreateFulfillmentResult, CreateShippingOptionDTO, FulfillmentOption } from '@medusajs/framework/types';
import { checkOptions, type FulcrumOptions } from '../../lib/options';
import { toMajor } from '../../lib/money';
import { promiseFor, type CartLike } from '../../lib/promise';

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
   * Fulcrum's cost to fulfil the cart at the option's service level (its promise), for a
   * shipping address with coordinates (metadata.lat / metadata.lon); without them Medusa is
   * told the price cannot be worked out.
   */
  async calculatePrice(optionData: Dict, _data: Dict, context: Dict): Promise<CalculatedShippingOptionPrice> {
    const option = OPTIONS.find((o) => o.id === optionData.id);
    if (!option) throw new MedusaError(MedusaError.Types.INVALID_DATA, `unknown Fulcrum option ${String(optionData.id)}`);
    const cart = context as CartLike;
    const currency = String(cart.currency_code ?? '').toUpperCase();
    const settings = { url: this.settings.url, key: this.settings.apiKey, timeoutMs: this.settings.timeoutMs, attempts: 1 };
    const promise = await promiseFor(settings, this.settings.channel, cart, [option.service_level]);
    const quoted = promise.options.find((o) => o.serviceLevel === option.service_level && o.method !== 'pickup');
    if (!quoted) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Fulcrum cannot fulfil this cart at ${option.service_level}`);
    if (quoted.cost.currency !== currency) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Fulcrum quotes ${quoted.cost.currency}, the cart is in ${currency}`);
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
