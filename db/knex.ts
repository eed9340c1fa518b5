// Knex connection factory and the migration runner (migrations are listed statically
// so they run the same under tsx, vitest and a compiled build).
import { readFileSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrations } from './migrations/index.ts';

// Return BIGINT (count(*), sums) as numbers: our quantities stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

export type Db = Knex;

export interface PoolOptions {
  min?: number;
  max?: number;
  /**
   * A query with no answer after this long fails ("Query read timeout", an outage to the API)
   * and its connection is closed rather than returned to the pool: a network that silently
   * dropped its bytes leaves a connection whose answer will never come. The server also ends
   * a transaction left idle twice as long (its client vanished mid-way). Unset: no limit
   * (migrations, scripts).
   */
  queryTimeoutMs?: number;
}

export function createDb(
  url: string,
  pool: PoolOptions = {},
  ssl: { mode: 'off' | 'require' | 'verify'; caPath?: string } = { mode: 'off' },
  /** Where Knex's own warnings go (connection errors while Postgres restarts); the console by default. */
  log?: Knex.Logger,
): Db {
  const timeouts = pool.queryTimeoutMs ? { query_timeout: pool.queryTimeoutMs, idle_in_transaction_session_timeout: 2 * pool.queryTimeoutMs } : {};
  return knexFactory({
    client: 'pg',
    ...(log ? { log } : {}),
    connection: {
      connectionString: url,
      ...timeouts,
      // TLS to Postgres: `require` encrypts; `verify` also checks the server certificate (DATABASE_SSL_CA or system CAs).
      ...(ssl.mode === 'off' ? {} : { ssl: { rejectUnauthorized: ssl.mode === 'verify', ...(ssl.caPath ? { ca: readFileSync(ssl.caPath, 'utf8') } : {}) } }),
    },
    pool: { min: pool.min ?? 0, max: pool.max ?? 20, ...(pool.queryTimeoutMs ? { afterCreate: closeOnReadTimeout } : {}) },
  });
}

interface RawConnection {
  query: (...args: unknown[]) => unknown;
  connection?: { stream?: { destroy: () => void } };
  __knex__disposed?: unknown;
}

/** After a read timeout the connection's protocol state is unknown: Knex drops it instead of reusing it. */
function closeOnReadTimeout(raw: RawConnection, done: (err: Error | null, connection: RawConnection) => void): void {
  const query = raw.query.bind(raw);
  const dispose = (err: unknown) => {
    if (err instanceof Error && err.message === 'Query read timeout') {
      raw.__knex__disposed = err;
      raw.connection?.stream?.destroy();
    }
  };
  raw.query = (...args: unknown[]) => {
    const last = args.at(-1);
    if (typeof last === 'function') {
      // Callback style (Knex): (config, [values], callback).
      return query(...args.slice(0, -1), (err: unknown, result: unknown) => {
        dispose(err);
        (last as (err: unknown, result: unknown) => void)(err, result);
      });
    }
    const answer = query(...args);
    if (answer instanceof Promise) answer.catch(dispose);
    return answer;
  };
  done(null, raw);
}

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return migration;
  },
};

export async function migrateLatest(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

