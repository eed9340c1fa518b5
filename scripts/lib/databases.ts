// A fresh database beside another on the same Postgres server (tests and the Medusa harness).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Creates `<prefix>_<random>` on the server `anyUrl` points at; answers its URL. */
export async function createDatabaseBeside(anyUrl: string, prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: anyUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(anyUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
