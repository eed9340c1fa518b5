// Named prepared statements on a connection from Knex's pool. Knex has no API for them; the
// reserve hot path uses them so Postgres parses and plans its statements once per connection.
import type pg from 'pg';
import type { Db } from './knex.ts';

export async function queryPrepared<Row extends Record<string, unknown>>(
  db: Db,
  name: string,
  text: string,
  values: unknown[],
): Promise<Row[]> {
  const connection = (await db.client.acquireConnection()) as pg.PoolClient;
  try {
    const result = await connection.query<Row>({ name, text, values });
    return result.rows;
  } finally {
    await db.client.releaseConnection(connection);
  }
}

/** The same `$n` statement for `knex.raw` (which takes `?` placeholders), e.g. inside a transaction. */
export function positionalToKnex(text: string, values: unknown[]): [string, unknown[]] {
  const expanded: unknown[] = [];
  const sql = text.replace(/\$(\d+)/g, (_, n: string) => {
    expanded.push(values[Number(n) - 1]);
    return '?';
  });
  return [sql, expanded];
}
