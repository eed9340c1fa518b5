// Medusa keeps amounts in major units (19.99, as numbers or BigNumber objects); Fulcrum in
// minor units of the currency (1999). The currency's digits come from Intl, so JPY has none.

export function digitsOf(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** A Medusa amount as a plain number (BigNumber values arrive as { numeric } or strings). */
export function amountOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (value && typeof value === 'object') {
    const v = value as { numeric?: unknown; value?: unknown };
    if (v.numeric !== undefined) return Number(v.numeric);
    if (v.value !== undefined) return Number(v.value);
  }
  return Number.NaN;
}

export function toMinor(value: unknown, currency: string): number {
  return Math.round(amountOf(value) * 10 ** digitsOf(currency));
}

export function toMajor(minor: number, currency: string): number {
  const digits = digitsOf(currency);
  return Number((minor / 10 ** digits).toFixed(digits));
}
