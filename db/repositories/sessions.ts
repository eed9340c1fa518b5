// Console sessions: a live API key exchanged for a random token the browser keeps in an
// httpOnly cookie. Only the token's hash is stored; a session ends at its expiry, when signed
// out, or the moment its key is revoked (every lookup joins the key).
import { randomBytes } from 'node:crypto';
import type { Principal } from '../../domain/access/roles.ts';
import type { Db } from '../knex.ts';
import { hashApiKey, toPrincipal, type DbApiKeyRow } from './api-keys.ts';

export interface Session {
  principal: Principal;
  csrfToken: string;
  expiresAt: string;
}

export function createSessionsRepository(db: Db) {
  return {
    /** A new session for a key: the token (for the cookie only) and what the page may know. */
    async create(principal: Principal, ttlSeconds: number): Promise<Session & { token: string }> {
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const [row] = await db('console_sessions')
        .insert({ token_hash: hashApiKey(token), api_key_id: principal.keyId, csrf_token: csrfToken, expires_at: db.raw(`now() + make_interval(secs => ?)`, [ttlSeconds]) })
        .returning(['expires_at']);
      return { token, principal, csrfToken, expiresAt: (row as { expires_at: Date }).expires_at.toISOString() };
    },

    /** The live session behind a token: unexpired, not signed out, its key not revoked. */
    async find(token: string): Promise<Session | undefined> {
      const row = (await db('console_sessions as s')
        .join('api_keys as k', 'k.id', 's.api_key_id')
        .where('s.token_hash', hashApiKey(token))
        .whereNull('s.revoked_at')
        .whereNull('k.revoked_at')
        .where('s.expires_at', '>', db.fn.now())
        .first('k.id', 'k.name', 'k.role', 'k.channel', 'k.location_ids', 'k.carrier', 'k.rate_limit_per_minute', 's.csrf_token', 's.expires_at')) as
        | (Pick<DbApiKeyRow, 'id' | 'name' | 'role' | 'channel' | 'location_ids' | 'carrier' | 'rate_limit_per_minute'> & { csrf_token: string; expires_at: Date })
        | undefined;
      if (!row) return undefined;
      return { principal: toPrincipal(row), csrfToken: row.csrf_token, expiresAt: row.expires_at.toISOString() };
    },

    /** The hashes of every live session's token (see api/known-credentials.ts). */
    async liveTokenHashes(): Promise<string[]> {
      return (await db('console_sessions').whereNull('revoked_at').where('expires_at', '>', db.fn.now()).pluck('token_hash')) as string[];
    },

    async revoke(token: string): Promise<void> {
      await db('console_sessions').where({ token_hash: hashApiKey(token) }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
