// Local wall-clock facts at a location, for cut-offs and ship dates. Pure: `now` is passed in.

// Building an Intl formatter costs far more than using one: keep one per time zone.
const hourFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatter(cache: Map<string, Intl.DateTimeFormat>, timezone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = cache.get(timezone);
  if (!format) {
    format = make();
    cache.set(timezone, format);
  }
  return format;
}

/** Hour (0–23, fractional) at `timezone` for the instant `now`. */
export function localHour(now: Date, timezone: string): number {
  const parts = formatter(hourFormats, timezone, () =>
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }),
  ).formatToParts(now);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour + minute / 60;
}

/** `YYYY-MM-DD` at `timezone` for `now` plus `days` calendar days. */
export function localDate(now: Date, timezone: string, days = 0): string {
  const shifted = new Date(now.getTime() + days * 86_400_000);
  return formatter(dateFormats, timezone, () =>
    new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(shifted);
}

/**
 * The local date a shipment from this origin is delivered: it leaves today if `now` is
 * before the service's cut-off, else tomorrow, then travels `transitDays`.
 */
export function estimatedDelivery(now: Date, timezone: string, cutoffHour: number, transitDays: number): string {
  const leavesIn = localHour(now, timezone) < cutoffHour ? 0 : 1;
  return localDate(now, timezone, leavesIn + transitDays);
}
