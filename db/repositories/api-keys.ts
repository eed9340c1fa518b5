// API keys, stored only as SHA-256 hashes (keys are 256-bit random, so a fast hash is enough).
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../knex.ts';
import type { ApiKey, Principal, Role } from '../../domain/access/roles.ts';

export interface DbApiKeyRow {
  id: string;
  name: string;
  role: Role;
  channel: string | null;
  location_ids: string[] | null;
  key_hash: string;
  origin: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  rate_limit_per_minute: number | null;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The caller a key row stands for. */
export function toPrincipal(row: Pick<DbApiKeyRow, 'id' | 'name' | 'role' | 'channel' | 'location_ids' | 'rate_limit_per_minute'>): Principal {
  return {
    keyId: row.id,
    name: row.name,
    role: row.role,
    ...(row.channel ? { channel: row.channel } : {}),
    ...(row.location_ids ? { locationIds: row.location_ids } : {}),
    ...(row.rate_limit_per_minute !== null ? { rateLimitPerMinute: row.rate_limit_per_minute } : {}),
  };
}

export function generateApiKey(): string {
  return `fk_${randomBytes(32).toString('base64url')}`;
}

function toApiKey(row: DbApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    ...(row.channel ? { channel: row.channel } : {}),
    ...(row.location_ids ? { locationIds: row.location_ids } : {}),
    createdAt: row.created_at.toISOString(),
    ...(row.last_used_at ? { lastUsedAt: row.last_used_at.toISOString() } : {}),
    ...(row.revoked_at ? { revokedAt: row.revoked_at.toISOString() } : {}),
    ...(row.rate_limit_per_minute !== null ? { rateLimitPerMinute: row.rate_limit_per_minute } : {}),
  };
}

export interface NewApiKey {
  id: string;
  name: string;
  role: Role;
  channel?: string;
  locationIds?: string[];
  rateLimitPerMinute?: number;
}

function keyRow(key: string, spec: NewApiKey, origin: string) {
  return {
    id: spec.id,
    name: spec.name,
    role: spec.role,
    channel: spec.channel ?? null,
    location_ids: spec.locationIds ?? null,
    rate_limit_per_minute: spec.rateLimitPerMinute ?? null,
    key_hash: hashApiKey(key),
    origin,
  };
}

export function createApiKeysRepository(db: Db) {
  return {
    async create(key: string, spec: NewApiKey, origin = 'api'): Promise<ApiKey> {
      const [row] = await db<DbApiKeyRow>('api_keys').insert(keyRow(key, spec, origin)).returning('*');
      return toApiKey(row!);
    },

    /**
     * Installs a key whose id is fixed by configuration (the admin key from
     * FULCRUM_ADMIN_KEY, the demo keys): a changed key replaces the old one at once.
     */
    async install(key: string, spec: NewApiKey, origin: string): Promise<void> {
      const values = { ...keyRow(key, spec, origin), revoked_at: null };
      await db('api_keys').insert(values).onConflict('id').merge(values);
    },

    async list(): Promise<ApiKey[]> {
      const rows = await db<DbApiKeyRow>('api_keys').orderBy('created_at');
      return rows.map(toApiKey);
    },

    async revoke(id: string): Promise<ApiKey | undefined> {
      const [row] = await db<DbApiKeyRow>('api_keys')
        .where({ id })
        .update({ revoked_at: db.raw('COALESCE(revoked_at, now())') as unknown as Date })
        .returning('*');
      return row ? toApiKey(row) : undefined;
    },

    /** The principal of a live key, or undefined for an unknown or revoked one. */
    async authenticate(key: string): Promise<Principal | undefined> {
      const row = await db<DbApiKeyRow>('api_keys')
        .where({ key_hash: hashApiKey(key) })
        .whereNull('revoked_at')
        .first();
      if (!row) return undefined;
      // The last-used time, written at most once a minute per key to keep reads cheap.
      if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
        await db('api_keys').where({ id: row.id }).update({ last_used_at: db.fn.now() });
      }
      return toPrincipal(row);
    },
  };
}

export type ApiKeysRepository = ReturnType<typeof createApiKeysRepository>;
