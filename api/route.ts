// One declaration per endpoint: its roles, zod schemas and handler. The same declaration
// registers the Koa route, validates the request and describes the endpoint in OpenAPI.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { Principal, Role } from '../domain/access/roles.ts';
import { authenticate, authorize } from './auth.ts';
import type { ApiDeps } from './deps.ts';
import { withIdempotency } from './idempotency.ts';
import type { RouteResult } from './route-result.ts';

export type { RouteResult };
import { addCrossFieldErrors, ProblemError, validationProblem, zodFieldErrors, type FieldError } from './problem.ts';
import { readJsonBody } from './body.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
  /** A body that is not JSON, in one of these types (documented as binary). */
  contentTypes?: string[];
}


export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  deps: ApiDeps;
  ctx: Context;
}

export interface RouteSpec<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  /** OpenAPI-style path: `/v1/locations/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Roles allowed besides `admin` (who may do everything); `exceptions` has every `ops` right. */
  roles: readonly Role[];
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Cross-field rules to run on the raw body even when zod stopped early (it skips
   * refinements once a nested field fails), so one response names every bad field.
   */
  bodyIssues?: (raw: unknown) => { path: (string | number)[]; message: string }[];
  /**
   * The resource's own identity makes a repeat safe (order creation, by channel and
   * channelOrderId): a retry while an earlier attempt still holds its Idempotency-Key runs
   * again, and so learns what the first did, instead of a 409.
   */
  idempotentByItself?: true;
  /** Larger than the default 1 MiB, for bulk endpoints. */
  maxBodyBytes?: number;
  responses: Record<number, ResponseSpec>;
  handler(input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<RouteResult>;
}

export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

function parsePart<T extends z.ZodType>(schema: T | undefined, value: unknown, prefix: string | undefined, errors: FieldError[]) {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  errors.push(...zodFieldErrors(result.error, prefix));
  return undefined;
}

export function mountRoute(router: Router, spec: RouteSpec, deps: ApiDeps): void {
  const koaPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
  router[spec.method](koaPath, async (ctx) => {
    // What the audit log records for this call (the target: the resource id in the path, if any).
    const pathTarget = Object.values(ctx.params ?? {}).find((v): v is string => typeof v === 'string');
    ctx.state.audit = { action: spec.operationId, ...(pathTarget ? { target: pathTarget.slice(0, 200) } : {}) };
    const principal = await authenticate(ctx, deps);
    const allowance = deps.rateLimiter.take(principal.keyId, principal.rateLimitPerMinute);
    if (!allowance.ok) {
      throw new ProblemError(429, 'Too many requests for this API key; slow down.', {}, { 'Retry-After': String(allowance.retryAfterSeconds) });
    }
    authorize(principal, spec.roles);

    const run = async (rawBody: unknown): Promise<RouteResult> => {
      const errors: FieldError[] = [];
      const params = parsePart(spec.params, ctx.params, 'path', errors);
      const query = parsePart(spec.query, ctx.query, 'query', errors);
      const body = parsePart(spec.body, rawBody, undefined, errors);
      if (errors.length > 0) {
        throw validationProblem(spec.bodyIssues ? addCrossFieldErrors(errors, spec.bodyIssues(rawBody)) : errors);
      }
      return spec.handler({ params, query, body, principal, deps, ctx });
    };

    const raw = spec.body ? await readJsonBody(ctx, spec.maxBodyBytes) : undefined;
    const result =
      spec.method === 'post'
        ? await withIdempotency(ctx, deps, principal, raw, () => run(raw?.value), { rerunWhileHeld: spec.idempotentByItself === true })
        : await run(raw?.value);

    ctx.status = result.status;
    for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value);
    if (result.body !== undefined) {
      if (result.contentType) ctx.type = result.contentType;
      ctx.body = result.body;
    }
  });
}

/** A 404 for an id the caller may not know about, the same whether it does not exist or is not theirs. */
export function notFound(what: string, id: string): ProblemError {
  return new ProblemError(404, `${what} ${id} was not found.`);
}
