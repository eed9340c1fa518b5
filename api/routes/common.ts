// Shared pieces of route declarations.
import { z } from 'zod';
import type { ResponseSpec } from '../route.ts';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  });

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request',
  401: 'Missing, unknown or revoked API key',
  403: 'The key lacks the role for this call',
  404: 'No such resource (or not visible to this key)',
  409: 'Conflicts with the current state',
  413: 'Body too large',
  422: 'Invalid fields, one entry per field',
};

export function problemResponses(...statuses: number[]): Record<number, ResponseSpec> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: DESCRIPTIONS[status] ?? 'Problem', schema: ProblemSchema, contentType: 'application/problem+json' },
    ]),
  );
}

/** A query parameter that may repeat (`?sku=A&sku=B`), always read as an array. */
export function repeatedParam<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(item));
}
