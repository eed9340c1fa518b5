// Every string a caller can send (path, query, body of every endpoint, and the bodies the
// workflows' Update validators check) refuses control characters and has a bounded length.
// Walks the zod schemas themselves, so a new field that forgets the rule fails here.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { routes } from '../../api/app.ts';
import { isCleanText, text } from '../../domain/text.ts';
import { stringLeaves, type Leaf } from '../support/zod-walk.ts';
import * as orderActions from '../../domain/orders/actions.ts';
import * as fulfillmentRequests from '../../domain/fulfillments/schemas.ts';
import * as returnRequests from '../../domain/returns/schemas.ts';
import * as transferRequests from '../../domain/transfers/schemas.ts';

const inputs: Leaf[] = [];
for (const route of routes) {
  const name = `${route.method.toUpperCase()} ${route.path}`;
  if (route.params) stringLeaves(route.params, `${name} path`, inputs);
  if (route.query) stringLeaves(route.query, `${name} query`, inputs);
  if (route.body) stringLeaves(route.body, `${name} body`, inputs);
}
for (const [module, exports] of Object.entries({ orderActions, fulfillmentRequests, returnRequests, transferRequests })) {
  for (const [name, value] of Object.entries(exports)) {
    if (value instanceof z.ZodType && /Request$/.test(name)) stringLeaves(value, `${module}.${name}`, inputs);
  }
}

describe('the text rule', () => {
  it('finds the inputs it guards', () => {
    expect(inputs.length).toBeGreaterThan(60);
  });

  // A valid value for each leaf, so that the control character is the only thing wrong.
  const samples = ['abc', 'a'.repeat(20), 'SKU-1', 'US', 'USD', 'ord_abc', 'trf_abc', '2026-01-02T03:04:05Z', '2026-01-02', 'ada@example.com', 'https://example.com/hook', '12:00', 'America/Chicago', '+15550100', 'a1', 'AAAA', '4006381333931'];
  const validSample = (leaf: Leaf) => samples.find((s) => leaf.schema.safeParse(s).success);

  it('has a valid sample for every string input (so the next checks test the rule, not the length)', () => {
    expect(inputs.filter((leaf) => validSample(leaf) === undefined).map((leaf) => leaf.path)).toEqual([]);
  });

  it.each([
    ['NUL', '\u0000'],
    ['BEL', '\u0007'],
    ['ESC', '\u001b'],
    ['unit separator', '\u001f'],
  ])('refuses %s in every string a caller can send', (_name, control) => {
    const accepted = inputs
      .filter((leaf) => {
        const sample = validSample(leaf);
        if (sample === undefined) return false;
        const middle = Math.floor(sample.length / 2);
        return [control + sample.slice(1), sample.slice(0, middle) + control + sample.slice(middle + 1), sample.slice(0, -1) + control].some((v) => leaf.schema.safeParse(v).success);
      })
      .map((leaf) => leaf.path);
    expect(accepted).toEqual([]);
  });

  it('bounds the length of every string a caller can send', () => {
    const unbounded = inputs.filter((leaf) => leaf.schema.safeParse('a'.repeat(100_001)).success).map((leaf) => leaf.path);
    expect(unbounded).toEqual([]);
  });

  it('accepts tab, CR, LF and any script, and refuses a lone surrogate', () => {
    const note = text(100);
    expect(note.safeParse('line one\r\nline two\tend').success).toBe(true);
    expect(note.safeParse('Zoë, Дмитрий, Ελένη, 山田').success).toBe(true);
    expect(note.safeParse('broken \ud800').success).toBe(false);
    expect(isCleanText('ok')).toBe(true);
    expect(isCleanText('a\u0000')).toBe(false);
  });

  it('names the rule in the error', () => {
    const result = text(100).safeParse('a\u0000b');
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/control characters/);
  });
});
