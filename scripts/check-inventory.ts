// `npm run check:inventory`: verifies the inventory invariants on DATABASE_URL (default: the
// embedded database `npm start` runs). Exits 1 and lists every violation when one fails.
import { loadConfig } from '../config/index.ts';
import { checkInventoryInvariants } from '../db/inventory/invariants.ts';
import { createDb } from '../db/knex.ts';

const config = loadConfig();
const url = config.databaseUrl ?? `postgres://postgres:postgres@127.0.0.1:${config.embeddedPostgresPort}/fulcrum`;
const db = createDb(url, { max: 1 });
try {
  const violations = await checkInventoryInvariants(db);
  const [{ count }] = (await db('inventory_levels').count('* as count')) as { count: number }[] as [{ count: number }];
  if (violations.length === 0) {
    console.log(`check:inventory: ${count} stock levels consistent with the ledger and reservations`);
  } else {
    for (const v of violations) console.error(`check:inventory: ${v.locationId}/${v.sku}: ${v.problem}`);
    console.error(`check:inventory: ${violations.length} violation(s)`);
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
}
