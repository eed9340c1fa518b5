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

/** An order's amounts in another currency than its market's, and a destination outside it (unless cross-border is allowed). */
export function orderMarketErrors(
  order: { payment: { amount: { currency: string } }; lines: { unitPrice: { currency: string } }[]; fulfillment: { shipTo?: { country: string } | undefined } },
  market: Pick<Market, 'id' | 'currency' | 'countries'>,
  crossBorder: boolean,
): FieldError[] {
  const errors: FieldError[] = [];
  const wrong = (currency: string) => currency !== market.currency;
  if (wrong(order.payment.amount.currency)) errors.push({ path: 'payment.amount.currency', message: `must be ${market.currency}, the currency of market ${market.id}` });
  order.lines.forEach((line, i) => {
    if (wrong(line.unitPrice.currency)) errors.push({ path: `lines[${i}].unitPrice.currency`, message: `must be ${market.currency}, the currency of market ${market.id}` });
  });
  const country = order.fulfillment.shipTo?.country;
  if (country && !market.countries.includes(country) && !crossBorder) {
    errors.push({ path: 'fulfillment.shipTo.country', message: `is outside market ${market.id} (${market.countries.join(', ')}), and the order's routing profile does not allow cross-border` });
  }
  return errors;
}
