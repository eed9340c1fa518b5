// Bearer API keys: 401 for a missing, unknown or revoked key, 403 for a key without the role.
import type { Context } from 'koa';
import type { Principal, Role } from '../domain/access/roles.ts';
import type { ApiDeps } from './deps.ts';
import { ProblemError } from './problem.ts';

export async function authenticate(ctx: Context, deps: ApiDeps): Promise<Principal> {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const challenge = { 'WWW-Authenticate': 'Bearer realm="fulcrum"' };
  if (!match) {
    throw new ProblemError(401, 'Send an API key as `Authorization: Bearer <key>`.', {}, challenge);
  }
  // A client that keeps sending unknown keys is slowed down before its next lookup, so a
  // flood of guesses costs no database work.
  const client = `ip:${ctx.ip}`;
  const allowance = deps.authFailureLimiter.check(client);
  if (!allowance.ok) {
    throw new ProblemError(429, 'Too many requests with unknown API keys from this client; slow down.', {}, { 'Retry-After': String(allowance.retryAfterSeconds) });
  }
  const principal = await deps.apiKeys.authenticate(match[1]!);
  if (!principal) {
    deps.authFailureLimiter.take(client);
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
