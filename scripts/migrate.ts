// `npm run migrate`: applies pending migrations to DATABASE_URL.
import { loadConfig } from '../config/index.ts';
import { createDb, migrateLatest } from '../db/knex.ts';

const { databaseUrl, databaseSsl } = loadConfig();
if (!databaseUrl) {
  console.error('migrate: set DATABASE_URL (`npm start` migrates its embedded database itself)');
  process.exit(1);
}
const db = createDb(databaseUrl, { max: 1 }, databaseSsl);
await migrateLatest(db);
await db.destroy();
console.log('migrate: up to date');
