// Local wall-clock facts at a location, for cut-offs, ship dates, promise and expiry dates.
// Pure: `now` is passed in. Calendar arithmetic is done in the location's time zone by Luxon:
// a day is not always 86,400 s (23 or 25 hours across a daylight-saving change).
import { DateTime } from 'luxon';

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

// One decision asks the same question of many locations in few time zones at one instant:
// the last answer per time zone is kept.
const lastHour = new Map<string, { at: number; hour: number }>();
const lastDate = new Map<string, { at: number; date: string }>();

/** Hour (0–23, fractional) at `timezone` for the instant `now`. */
export function localHour(now: Date, timezone: string): number {
  const at = now.getTime();
  const last = lastHour.get(timezone);
  if (last?.at === at) return last.hour;
  const hour = computeLocalHour(now, timezone);
  lastHour.set(timezone, { at, hour });
  return hour;
}

function computeLocalHour(now: Date, timezone: string): number {
  const parts = formatter(hourFormats, timezone, () =>
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }),
  ).formatToParts(now);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour + minute / 60;
}

/** `YYYY-MM-DD` at `timezone` for `now` plus `days` calendar days. */
export function localDate(now: Date, timezone: string, days = 0): string {
  const at = now.getTime();
  let today = lastDate.get(timezone)?.at === at ? lastDate.get(timezone)!.date : undefined;
  if (today === undefined) {
    today = formatter(dateFormats, timezone, () => new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })).format(now);
    lastDate.set(timezone, { at, date: today });
  }
  return days === 0 ? today : plusCalendarDays(today, days);
}

/** `YYYY-MM-DD` plus whole calendar days: date arithmetic, no clock (so no daylight-saving change) involved. */
export function plusCalendarDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole calendar days from one `YYYY-MM-DD` to another (negative when `to` is earlier). */
export function calendarDaysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The instant `days` calendar days after `from` at the same local clock time in `timezone`. */
export function addLocalDays(from: Date, timezone: string, days: number): Date {
  return DateTime.fromJSDate(from, { zone: timezone }).plus({ days }).toJSDate();
}

/** `days` days after `from`: calendar days in `timezone` when one is known, else 24-hour steps. */
export function afterDays(from: Date, days: number, timezone: string | undefined): Date {
  return timezone ? addLocalDays(from, timezone, days) : new Date(from.getTime() + days * 86_400_000);
}

type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';

/** Opening hours as the network stores them (local HH:MM). */
export type Hours = readonly { days: readonly string[]; open: string; close: string }[];

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function localWeekday(now: Date, timezone: string, daysAhead: number): Weekday {
  return WEEKDAYS[new Date(`${localDate(now, timezone, daysAhead)}T00:00:00Z`).getUTCDay()]!;
}

function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/**
 * Days from today until the location is open before `untilMinutes` (local) on that day —
 * 0 when it still is, or opens, today. Without opening hours it is always open. A location
 * never open within a week counts as 7.
 */
export function daysUntilOpen(now: Date, timezone: string, hours: Hours | undefined, untilMinutes = 24 * 60): number {
  const nowMinutes = localHour(now, timezone) * 60;
  for (let d = 0; d < 7; d++) {
    const earliest = d === 0 ? nowMinutes : 0;
    if (!hours) {
      if (earliest < untilMinutes) return d;
      continue;
    }
    const weekday = localWeekday(now, timezone, d);
    for (const window of hours) {
      if (!window.days.includes(weekday)) continue;
      if (Math.max(minutesOf(window.open), earliest) < Math.min(minutesOf(window.close), untilMinutes)) return d;
    }
  }
  return 7;
}

/**
 * The first moment at or after `from` the location is open (`from` itself when it is open
 * then, or when it has no opening hours). A location never open within a week: `from`.
 */
export function nextOpenAt(from: Date, timezone: string, hours: Hours | undefined): Date {
  if (!hours || hours.length === 0) return from;
  const start = DateTime.fromJSDate(from, { zone: timezone });
  for (let d = 0; d < 8; d++) {
    const day = start.startOf('day').plus({ days: d });
    const weekday = WEEKDAYS[day.weekday % 7]!;
    const at = (clock: string) => day.set({ hour: Number(clock.slice(0, 2)), minute: Number(clock.slice(3, 5)) });
    const windows = hours
      .filter((w) => w.days.includes(weekday))
      .map((w) => ({ open: at(w.open), close: at(w.close) }))
      .sort((a, b) => a.open.toMillis() - b.open.toMillis());
    for (const window of windows) {
      if (start >= window.close) continue;
      return (start > window.open ? start : window.open).toJSDate();
    }
  }
  return from;
}

/**
 * The local date a shipment from this origin is delivered: it leaves on the first day the
 * origin is open before the service's cut-off (today if it still can), then travels `transitDays`.
 */
export function estimatedDelivery(now: Date, timezone: string, cutoffHour: number, transitDays: number, hours?: Hours): string {
  return localDate(now, timezone, daysUntilOpen(now, timezone, hours, cutoffHour * 60) + transitDays);
}
