// The one rule for text that callers send: no NUL or other C0 control character (tab, CR and
// LF are fine), no lone UTF-16 surrogate, and a bounded length. Postgres refuses NUL and lone
// surrogates in jsonb, so text that passed here once could wedge an order's read model for
// good; every string of every request body, path, query and Update input is built from here.
import { z } from 'zod';
import { LONE_SURROGATE, PRINTABLE, TEXT_RULE } from './printable.ts';

export { isCleanText, printable, printableDeep, PRINTABLE, TEXT_RULE } from './printable.ts';

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
