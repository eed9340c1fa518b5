// API process entry point. Installs the admin key from FULCRUM_ADMIN_KEY, then serves.
import { loadConfig } from '../config/index.ts';
import { createDb } from '../db/knex.ts';
import { createApiKeysRepository } from '../db/repositories/api-keys.ts';
import { createLogger } from '../services/logger.ts';
import { startApi } from './server.ts';
import { payloadCodec, temporalAccess } from '../services/temporal/options.ts';
import { startTracing } from '../services/telemetry/tracing.ts';

function optional<K extends string, V>(name: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [name]: value } as Record<K, V>);
}

const config = loadConfig();
const logger = createLogger(config.logLevel, 'api');
if (!config.databaseUrl || !config.temporalAddress) {
  logger.fatal('DATABASE_URL and TEMPORAL_ADDRESS are required (`npm start` sets both)');
  process.exit(1);
}
const tracing = startTracing('fulcrum-api', config);
const db = createDb(config.databaseUrl, { queryTimeoutMs: config.databaseQueryTimeoutMs }, config.databaseSsl);
if (config.adminKey) {
  const installed = await createApiKeysRepository(db).install(config.adminKey, { id: 'key_admin', name: 'Admin (FULCRUM_ADMIN_KEY)', role: 'admin' }, 'env');
  if (installed.outcome === 'installed') {
    const replaced = installed.replaced.length > 0 ? `; the key it replaces (${installed.replaced.join(', ')}) is revoked` : '';
    logger.warn({ keyId: installed.id, replaced: installed.replaced }, `FULCRUM_ADMIN_KEY is a new key: installed as ${installed.id}${replaced}`);
  } else if (installed.outcome === 'revoked') {
    logger.warn({ keyId: installed.id }, `FULCRUM_ADMIN_KEY was revoked (${installed.id}) and stays revoked: set a new FULCRUM_ADMIN_KEY to have an admin key from the environment`);
  }
}
const api = await startApi({
  db,
  temporalAddress: config.temporalAddress,
  namespace: config.temporalNamespace,
  taskQueue: config.taskQueue,
  port: config.port,
  host: process.env.FULCRUM_API_HOST ?? '127.0.0.1',
  logger,
  ...temporalAccess(config),
  ...optional('codec', payloadCodec(config, db)),
});
logger.info({ url: api.url }, 'API listening');

async function shutdown(signal: string) {
  logger.info({ signal }, 'API stopping');
  await api.close();
  await tracing.shutdown();
  await db.destroy();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
