// The one rule for text that callers send: no NUL or other C0 control character (tab, CR and
// LF are fine), no lone UTF-16 surrogate, and a bounded length. Postgres refuses NUL and lone
// surrogates in jsonb, so text that passed here once could wedge an order's read model for
// good; every string of every request body, path, query and Update input is built from here.
import { z } from 'zod';

/* eslint-disable no-control-regex -- matching control characters is this module's purpose */
/** C0 controls other than tab (U+0009), LF (U+000A) and CR (U+000D). */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
/** The same rule as a pattern, so the OpenAPI document (and clients generated from it) know it. */
export const PRINTABLE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F]*$/;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const TEXT_RULE = 'must not contain control characters (U+0000–U+001F other than tab, CR and LF)';

/** True when the string is valid Unicode (no lone surrogate) and free of control characters. */
export function isCleanText(value: string): boolean {
  return !CONTROL.test(value) && !LONE_SURROGATE.test(value);
}

/**
 * A free-text field: at most `max` characters (at least `min`, default 1 — pass 0 for
 * "may be empty"); `trim` trims before the length checks.
 */
export function text(max: number, options: { min?: number; trim?: boolean } = {}) {
  const min = options.min ?? 1;
  const base = options.trim ? z.string().trim() : z.string();
  return base
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .regex(PRINTABLE, TEXT_RULE)
    .refine((value) => !LONE_SURROGATE.test(value), 'must be valid Unicode text (no lone surrogate)');
}

/** For text that did not come through a schema (a raw path segment in the audit log): controls shown as U+FFFD. */
export function printable(value: string): string {
  return value.replace(new RegExp(CONTROL.source, 'g'), '\uFFFD').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}

/** `printable` applied to every string (and key) inside a JSON value. */
export function printableDeep<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map(printableDeep) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [printable(k), printableDeep(v)])) as T;
  return value;
}
