// Knex connection factory and the migration runner (migrations are listed statically
// so they run the same under tsx, vitest and a compiled build).
import { readFileSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrations } from './migrations/index.ts';

// Return BIGINT (count(*), sums) as numbers: our quantities stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

export type Db = Knex;

export function createDb(
  url: string,
  pool: { min?: number; max?: number } = {},
  ssl: { mode: 'off' | 'require' | 'verify'; caPath?: string } = { mode: 'off' },
  /** Where Knex's own warnings go (connection errors while Postgres restarts); the console by default. */
  log?: Knex.Logger,
): Db {
  return knexFactory({
    client: 'pg',
    ...(log ? { log } : {}),
    // TLS to Postgres: `require` encrypts; `verify` also checks the server certificate (DATABASE_SSL_CA or system CAs).
    connection:
      ssl.mode === 'off'
        ? url
        : { connectionString: url, ssl: { rejectUnauthorized: ssl.mode === 'verify', ...(ssl.caPath ? { ca: readFileSync(ssl.caPath, 'utf8') } : {}) } },
    pool: { min: pool.min ?? 0, max: pool.max ?? 20 },
  });
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

