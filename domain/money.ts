// Money as integer minor units with an ISO 4217 currency, never floats.
import { z } from 'zod';

export const Money = z
  .object({
    amount: z.int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Integer minor units (cents)'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
  })
  .strict();
export type Money = z.infer<typeof Money>;

/** Minor-unit digits of a currency (JPY 0, USD 2, BHD 3). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in major units (12.34 dollars, as carriers and most outside APIs give it) in minor units. */
export function toMinorUnits(amount: number, currency: string): number {
  return Math.round(amount * 10 ** currencyDigits(currency));
}
