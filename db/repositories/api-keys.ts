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
  carrier: string | null;
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
export function toPrincipal(row: Pick<DbApiKeyRow, 'id' | 'name' | 'role' | 'channel' | 'location_ids' | 'carrier' | 'rate_limit_per_minute'>): Principal {
  return {
    keyId: row.id,
    name: row.name,
    role: row.role,
    ...(row.channel ? { channel: row.channel } : {}),
    ...(row.location_ids ? { locationIds: row.location_ids } : {}),
    ...(row.carrier ? { carrier: row.carrier } : {}),
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
    ...(row.carrier ? { carrier: row.carrier } : {}),
    ...(row.role === 'carrier' && !row.carrier ? { needsCarrier: true } : {}),
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
  carrier?: string;
  rateLimitPerMinute?: number;
}

function keyRow(key: string, spec: NewApiKey, origin: string) {
  return {
    id: spec.id,
    name: spec.name,
    role: spec.role,
    channel: spec.channel ?? null,
    location_ids: spec.locationIds ?? null,
    carrier: spec.carrier ?? null,
    rate_limit_per_minute: spec.rateLimitPerMinute ?? null,
    key_hash: hashApiKey(key),
    origin,
  };
}

export type InstallOutcome =
  | { outcome: 'installed'; id: string; replaced: string[] }
  | { outcome: 'unchanged'; id: string }
  | { outcome: 'revoked'; id: string };

export function createApiKeysRepository(db: Db) {
  return {
    async create(key: string, spec: NewApiKey, origin = 'api'): Promise<ApiKey> {
      const [row] = await db<DbApiKeyRow>('api_keys').insert(keyRow(key, spec, origin)).returning('*');
      return toApiKey(row!);
    },

    /**
     * Installs a key given by configuration (the admin key from FULCRUM_ADMIN_KEY, the demo
     * keys) once. A key already installed is left as it is, revoked or not: a restart never
     * brings a revoked key back. A changed key (rotation) is a new row, and the key it replaces
     * (same id family and origin) is revoked at once. Says what it did.
     */
    async install(key: string, spec: NewApiKey, origin: string): Promise<InstallOutcome> {
      const keyHash = hashApiKey(key);
      return db.transaction(async (trx) => {
        // One install at a time per id family (API processes starting together).
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`api-key-install:${spec.id}`]);
        const existing = (await trx<DbApiKeyRow>('api_keys').where({ key_hash: keyHash }).first('id', 'revoked_at')) as Pick<DbApiKeyRow, 'id' | 'revoked_at'> | undefined;
        if (existing?.revoked_at) return { outcome: 'revoked', id: existing.id };
        if (existing) {
          // A carrier key installed before keys named their carrier takes the carrier its configuration names.
          if (spec.carrier) await trx('api_keys').where({ id: existing.id }).whereNull('carrier').update({ carrier: spec.carrier });
          return { outcome: 'unchanged', id: existing.id };
        }
        const family = (await trx('api_keys')
          .where({ origin })
          .where((q) => q.where({ id: spec.id }).orWhere('id', 'like', `${spec.id.replace(/[\\%_]/g, '\\$&')}.%`))
          .select('id', 'revoked_at')) as Pick<DbApiKeyRow, 'id' | 'revoked_at'>[];
        const replaced = family.filter((r) => !r.revoked_at).map((r) => r.id);
        if (replaced.length > 0) await trx('api_keys').whereIn('id', replaced).update({ revoked_at: trx.fn.now() });
        const taken = new Set(family.map((r) => r.id));
        const id = taken.has(spec.id) ? `${spec.id}.${keyHash.slice(0, 12)}` : spec.id;
        await trx('api_keys').insert(keyRow(key, { ...spec, id }, origin));
        return { outcome: 'installed', id, replaced };
      });
    },

    /** Binds a carrier key made before keys named their carrier; a key bound to another carrier is left alone. */
    async bindCarrier(id: string, carrier: string): Promise<{ ok: true; key: ApiKey } | { ok: false; reason: 'not_found' | 'not_carrier' | 'bound_elsewhere'; key?: ApiKey }> {
      const row = await db<DbApiKeyRow>('api_keys').where({ id }).first();
      if (!row) return { ok: false, reason: 'not_found' };
      if (row.role !== 'carrier') return { ok: false, reason: 'not_carrier', key: toApiKey(row) };
      const [bound] = await db<DbApiKeyRow>('api_keys')
        .where({ id })
        .where((q) => q.whereNull('carrier').orWhere({ carrier }))
        .update({ carrier })
        .returning('*');
      return bound ? { ok: true, key: toApiKey(bound) } : { ok: false, reason: 'bound_elsewhere', key: toApiKey(row) };
    },

    /** The hashes of every live key: the API keeps them in memory so a flood of unknown keys never stops a good one. */
    async liveKeyHashes(): Promise<string[]> {
      return (await db('api_keys').whereNull('revoked_at').pluck('key_hash')) as string[];
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
