// Shared pieces of route declarations.
import { z } from 'zod';
import type { ResponseSpec } from '../route.ts';

/** RFC 9457: the members every Fulcrum problem has, and room for extension members (`transferId`, …). */
export const ProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string().optional(),
  instance: z.string().describe('The path of the request that failed'),
  requestId: z.string().describe('Also in the X-Request-Id header; quote it when asking about a failure'),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request',
  401: 'Missing, unknown or revoked API key',
  403: 'The key lacks the role for this call',
  404: 'No such resource (or not visible to this key)',
  409: 'Conflicts with the current state',
  405: 'Method not allowed on this path',
  413: 'Body too large',
  415: 'The body is not JSON',
  422: 'Invalid fields, one entry per field (also for well-formed values a business rule refuses, e.g. an unknown SKU)',
  429: 'Too many requests for this key or client; see Retry-After',
  503: 'Not answered in time, or a dependency is not answering; retry after Retry-After',
};

/**
 * The problems any operation may answer, whatever its own responses say: every call can be
 * unauthenticated, forbidden, throttled or timed out; one with parameters or a body can be
 * invalid; one with a body can be malformed, too large or not JSON.
 */
export function standardProblemStatuses(route: { params?: unknown; query?: unknown; body?: unknown }): number[] {
  return [401, 403, 429, 503, ...(route.params || route.query || route.body ? [422] : []), ...(route.body ? [400, 413, 415] : [])];
}

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
