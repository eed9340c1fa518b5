// Bearer API keys, or a console session cookie: 401 for a missing, unknown or revoked key or
// an ended session, 403 for a key without the role. A change (POST, PUT, DELETE) made with a
// session cookie must also carry the session's CSRF token in X-CSRF-Token (the codec, which
// changes nothing, aside).
import { timingSafeEqual } from 'node:crypto';
import { hashApiKey } from '../db/repositories/api-keys.ts';
import type { Context } from 'koa';
import type { Principal, Role } from '../domain/access/roles.ts';
import type { ApiDeps } from './deps.ts';
import { ProblemError } from './problem.ts';

/** The console's session cookie (httpOnly, SameSite=Strict; set by POST /v1/sessions in api/routes/console.ts). */
export const SESSION_COOKIE = 'fulcrum_session';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Credential lookups in flight, by the credential's digest: concurrent requests with one key or session share one lookup. */
const lookupsInFlight = new Map<string, Promise<unknown>>();

/**
 * Looks a key or session up. One this process knows to be live (deps.knownKeys or
 * knownSessions, by hash, from memory) is looked up at once, whatever its client's address
 * has been doing, so a flood of guesses from behind the same proxy never locks a good key out.
 * Any other is a guess until Postgres says otherwise: it takes a token from its address's
 * allowance for unknown credentials before it is looked up (so concurrent guesses cannot all
 * start before the first is counted), and gives it back when it was good after all (a key just
 * made by another API process). Concurrent requests with one credential share one lookup.
 */
async function lookUpWithinAllowance<T>(ctx: Context, deps: ApiDeps, kind: 'key' | 'session', secret: string, lookup: () => Promise<T | undefined>): Promise<T | undefined> {
  const hash = hashApiKey(secret);
  const digest = `${kind}:${hash}`;
  const shared = lookupsInFlight.get(digest) as Promise<T | undefined> | undefined;
  if (shared) return shared;
  const knownSet = kind === 'key' ? deps.knownKeys : deps.knownSessions;
  const known = await knownSet.has(hash);
  const client = `ip:${ctx.ip}`;
  if (!known) {
    const allowance = deps.authFailureLimiter.take(client);
    if (!allowance.ok) {
      throw new ProblemError(429, 'Too many requests with unknown API keys from this client; slow down.', {}, { 'Retry-After': String(allowance.retryAfterSeconds) });
    }
  }
  const pending = lookup().finally(() => lookupsInFlight.delete(digest));
  lookupsInFlight.set(digest, pending);
  try {
    const found = await pending;
    if (found !== undefined && !known) deps.authFailureLimiter.giveBack(client);
    if (found === undefined && known) knownSet.forget(hash);
    return found;
  } catch (err) {
    // The database failed, not the credential.
    if (!known) deps.authFailureLimiter.giveBack(client);
    throw err;
  }
}

async function sessionPrincipal(ctx: Context, deps: ApiDeps, token: string): Promise<Principal> {
  const session = await lookUpWithinAllowance(ctx, deps, 'session', token, () => deps.sessions.find(token));
  if (!session) {
    throw new ProblemError(401, 'The session has ended (expired, signed out or its key revoked); sign in again.');
  }
  // The codec endpoints change nothing (they decode or encode what is sent), and the Temporal
  // UI calling them with the session's cookie cannot send a CSRF header.
  if (CHANGES.has(ctx.method) && !ctx.path.startsWith('/codec/')) {
    const sent = Buffer.from(ctx.get('x-csrf-token'));
    const expected = Buffer.from(session.csrfToken);
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
      throw new ProblemError(403, 'A change made with a session must send its CSRF token in the X-CSRF-Token header.');
    }
  }
  ctx.state.principal = session.principal;
  ctx.state.session = { token, ...session };
  return session.principal;
}

export async function authenticate(ctx: Context, deps: ApiDeps): Promise<Principal> {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const challenge = { 'WWW-Authenticate': 'Bearer realm="fulcrum"' };
  if (!match) {
    const token = header ? undefined : ctx.cookies.get(SESSION_COOKIE);
    if (token) return sessionPrincipal(ctx, deps, token);
    throw new ProblemError(401, 'Send an API key as `Authorization: Bearer <key>`.', {}, challenge);
  }
  const principal = await lookUpWithinAllowance(ctx, deps, 'key', match[1]!, () => deps.apiKeys.authenticate(match[1]!));
  if (!principal) {
    throw new ProblemError(401, 'The API key is unknown or revoked.', {}, challenge);
  }
  ctx.state.principal = principal;
  return principal;
}

export function hasRole(principal: Principal, roles: readonly Role[]): boolean {
  if (principal.role === 'admin') return true;
  if (roles.includes(principal.role)) return true;
  return principal.role === 'exceptions' && roles.includes('ops');
}

export function authorize(principal: Principal, roles: readonly Role[]): void {
  if (!hasRole(principal, roles)) {
    throw new ProblemError(403, `Role "${principal.role}" may not make this call.`);
  }
}
