// Idempotency-Key on POST: a repeat with the same key and body replays the first response,
// the same key with another body is 422, and a repeat while the first is running is 409.
// Keys are kept per API key for FULCRUM_IDEMPOTENCY_RETENTION_HOURS (24 by default), then swept.
// Secrets in a response (a new API key, a session's CSRF token) are never stored: a replay
// answers without them and lists what it left out in `secretsOmitted`. A first request holds its key for a lease (its
// timeout and a margin): if its process crashed mid-flight, a retry after the lease takes the
// key over instead of getting 409 for a day (what it did is idempotent on business keys).
import type { Context } from 'koa';
import type { Principal } from '../domain/access/roles.ts';
import type { JsonBody } from './body.ts';
import { printableDeep } from '../domain/printable.ts';
import { sha256Hex } from '../services/canonical-json.ts';
import type { ApiDeps } from './deps.ts';
import { ProblemError, validationProblem, type Problem } from './problem.ts';
import type { RouteResult } from './route-result.ts';

/** Response fields that carry a secret shown once: never stored, so never replayed. */
const SECRET_FIELDS = ['key', 'csrfToken', 'token', 'secret'] as const;

/** The body as it may rest in Postgres: without its secrets, saying which it left out. */
export function withoutSecrets(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const kept: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const omitted = SECRET_FIELDS.filter((field) => field in kept);
  if (omitted.length === 0) return body;
  for (const field of omitted) delete kept[field];
  return { ...kept, secretsOmitted: omitted };
}

/** Deletes stored requests older than the retention; returns how many. The API runs it every few minutes. */
export async function sweepIdempotencyKeys(deps: Pick<ApiDeps, 'db' | 'idempotencyRetentionHours'>): Promise<number> {
  return deps.db('idempotency_requests').whereRaw('created_at < now() - make_interval(hours => ?)', [deps.idempotencyRetentionHours]).delete();
}

interface StoredRequest {
  request_hash: string;
  status_code: number | null;
  response_body: unknown;
  response_headers: Record<string, string> | null;
}

export async function withIdempotency(
  ctx: Context,
  deps: ApiDeps,
  principal: Principal,
  body: JsonBody | undefined,
  run: () => Promise<RouteResult>,
  options: { rerunWhileHeld?: boolean } = {},
): Promise<RouteResult> {
  const key = ctx.get('idempotency-key');
  if (!key) return run();
  if (key.length > 255) {
    throw validationProblem([{ path: 'headers.Idempotency-Key', message: 'must be at most 255 characters' }]);
  }
  const requestHash = sha256Hex(`${ctx.method} ${ctx.path}\n${body?.raw ?? ''}`);
  const where = { api_key_id: principal.keyId, idempotency_key: key };

  await deps.db('idempotency_requests').where(where).whereRaw('created_at < now() - make_interval(hours => ?)', [deps.idempotencyRetentionHours]).delete();
  const inserted = await deps
    .db('idempotency_requests')
    .insert({ ...where, method: ctx.method, path: ctx.path, request_hash: requestHash })
    .onConflict(['api_key_id', 'idempotency_key'])
    .ignore()
    .returning('api_key_id');

  if (inserted.length === 0) {
    const stored = (await deps.db('idempotency_requests').where(where).first()) as StoredRequest | undefined;
    if (!stored) return run();
    if (stored.request_hash !== requestHash) {
      throw validationProblem(
        [{ path: 'headers.Idempotency-Key', message: 'was already used with a different request' }],
        'This Idempotency-Key was used with a different request.',
      );
    }
    if (stored.status_code === null) {
      // The route answers a repeat by the resource's own identity (an order by channel and
      // channelOrderId): whatever the earlier attempt did, running again tells the truth.
      if (options.rerunWhileHeld) return runAndStore(deps, where, run);
      const leaseSeconds = Math.ceil(deps.idempotencyLeaseMs / 1000);
      const takenOver = await deps
        .db('idempotency_requests')
        .where({ ...where, request_hash: requestHash })
        .whereNull('status_code')
        .whereRaw(`created_at < now() - make_interval(secs => ?)`, [leaseSeconds])
        .update({ created_at: deps.db.fn.now() })
        .returning('api_key_id');
      if (takenOver.length === 0) {
        throw new ProblemError(409, 'A request with this Idempotency-Key is still being processed.', {}, { 'Retry-After': String(leaseSeconds) });
      }
      return runAndStore(deps, where, run);
    }
    const headers = { ...(stored.response_headers ?? {}), 'Idempotent-Replayed': 'true' };
    if (stored.status_code >= 400) {
      // A stored problem is answered as one again, so it names this request (instance, requestId) like any other.
      const { type: _type, title: _title, status: _status, ...problem } = (stored.response_body ?? {}) as Problem;
      throw new ProblemError(stored.status_code, problem.detail, problem, headers);
    }
    return { status: stored.status_code, body: stored.response_body ?? undefined, headers };
  }

  return runAndStore(deps, where, run);
}

/**
 * Frees a key whose request failed without an answer (an outage, a bug), so a retry runs
 * instead of waiting out the lease. When Postgres itself is what failed, the delete fails too:
 * it is tried again every second until it succeeds or the lease has run out anyway.
 */
async function releaseKey(deps: ApiDeps, where: Record<string, string>): Promise<void> {
  const until = Date.now() + deps.idempotencyLeaseMs;
  const attempt = async (): Promise<void> => {
    try {
      await deps.db('idempotency_requests').where(where).whereNull('status_code').delete();
    } catch {
      if (Date.now() < until) setTimeout(() => void attempt(), 1000).unref();
    }
  };
  await attempt();
}

/** Runs the request and stores its answer under the key; an outage frees the key for a retry. */
async function runAndStore(deps: ApiDeps, where: Record<string, string>, run: () => Promise<RouteResult>): Promise<RouteResult> {
  try {
    const result = await run();
    await deps
      .db('idempotency_requests')
      .where(where)
      .update({
        status_code: result.status,
        response_body: result.body === undefined ? null : JSON.stringify(printableDeep(withoutSecrets(result.body))),
        response_headers: JSON.stringify(result.headers ?? {}),
      });
    return result;
  } catch (err) {
    // A problem response is a final answer too: replay it; anything else (an outage) may be retried.
    if (err instanceof ProblemError && err.problem.status < 500) {
      await deps
        .db('idempotency_requests')
        .where(where)
        .update({
          status_code: err.problem.status,
          // A refusal may quote the very text it refused (a NUL, a lone surrogate), which jsonb cannot hold.
          response_body: JSON.stringify(printableDeep(err.problem)),
          response_headers: JSON.stringify({ 'Content-Type': 'application/problem+json', ...err.headers }),
        });
    } else {
      await releaseKey(deps, where);
    }
    throw err;
  }
}
