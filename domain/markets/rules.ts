// What a market decides: the carrier services its shipments may use, and whether an order or
// a location fits it (one currency; the market's countries unless cross-border is allowed).
import type { FieldError } from '../errors.ts';
import { DEFAULT_CARRIER_SERVICES, EUR_DEMO_CARRIER_SERVICES, type CarrierService } from '../shipping/carrier-services.ts';
import type { Market } from './schemas.ts';

/** The market's own services, else the built-in ones in its currency; with no market, the built-in ones. */
export function carrierServicesFor(market: Pick<Market, 'currency' | 'carrierServices'> | undefined): CarrierService[] {
  if (!market) return DEFAULT_CARRIER_SERVICES;
  return market.carrierServices ?? [...DEFAULT_CARRIER_SERVICES, ...EUR_DEMO_CARRIER_SERVICES].filter((s) => s.currency === market.currency);
}

/** An amount's currency that is not its market's, as the field error naming it (none when it is). */
export function currencyErrors(path: string, currency: string, market: Pick<Market, 'id' | 'currency'>): FieldError[] {
  return currency === market.currency ? [] : [{ path, message: `must be ${market.currency}, the currency of market ${market.id}` }];
}

/** An order's amounts in another currency than its market's, and a destination outside it (unless cross-border is allowed). */
export function orderMarketErrors(
  order: { payment: { amount: { currency: string } }; lines: { unitPrice: { currency: string } }[]; fulfillment: { shipTo?: { country: string } | undefined } },
  market: Pick<Market, 'id' | 'currency' | 'countries'>,
  crossBorder: boolean,
): FieldError[] {
  const errors: FieldError[] = [
    ...currencyErrors('payment.amount.currency', order.payment.amount.currency, market),
    ...order.lines.flatMap((line, i) => currencyErrors(`lines[${i}].unitPrice.currency`, line.unitPrice.currency, market)),
  ];
  const country = order.fulfillment.shipTo?.country;
  if (country && !market.countries.includes(country) && !crossBorder) {
    errors.push({ path: 'fulfillment.shipTo.country', message: `is outside market ${market.id} (${market.countries.join(', ')}), and the order's routing profile does not allow cross-border` });
  }
  return errors;
}
