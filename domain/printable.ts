// Text as the rule allows it, without zod (workflow code uses it; domain/text.ts builds the
// schemas on it): the control characters and lone surrogates the rule refuses, and how text
// that did not come through a schema is made printable.
/* eslint-disable no-control-regex -- matching control characters is this module's purpose */
/** C0 controls other than tab (U+0009), LF (U+000A) and CR (U+000D). */
export const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
/** The same rule as a pattern, so the OpenAPI document (and clients generated from it) know it. */
export const PRINTABLE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F]*$/;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const TEXT_RULE = 'must not contain control characters (U+0000–U+001F other than tab, CR and LF)';

/** True when the string is valid Unicode (no lone surrogate) and free of control characters. */
export function isCleanText(value: string): boolean {
  return !CONTROL.test(value) && !LONE_SURROGATE.test(value);
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
