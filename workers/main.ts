// Worker process entry point: connects to Temporal and Postgres and runs until SIGINT/SIGTERM.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config/index.ts';
import { createDb } from '../db/knex.ts';
import { ensureSearchAttributes } from './register-search-attributes.ts';
import { ensureSchedules } from './schedules.ts';
import { createFulcrumWorker } from './worker.ts';
import { startWebhookDispatcher } from './webhook-dispatcher.ts';
import { dataConverter, temporalAccess } from '../services/temporal/options.ts';
import pino from 'pino';

const config = loadConfig();
if (!config.databaseUrl || !config.temporalAddress) {
  console.error('worker: DATABASE_URL and TEMPORAL_ADDRESS are required (`npm start` sets both)');
  process.exit(1);
}
// Workflows upsert these; make sure an external server knows them (a no-op when it does).
const access = temporalAccess(config);
await ensureSearchAttributes(config.temporalAddress, config.temporalNamespace, access, config.searchAttributes);
const db = createDb(config.databaseUrl, {}, config.databaseSsl);
const converter = dataConverter(config);
const connection = await NativeConnection.connect({ address: config.temporalAddress, ...access });
const clientConnection = await Connection.connect({ address: config.temporalAddress, ...access });
const temporal = new Client({ connection: clientConnection, namespace: config.temporalNamespace, ...(converter ? { dataConverter: converter } : {}) });
await ensureSchedules(temporal, config.taskQueue);
const worker = await createFulcrumWorker({
  connection,
  namespace: config.temporalNamespace,
  taskQueue: config.taskQueue,
  db,
  temporal,
  ...(converter ? { dataConverter: converter } : {}),
  // A prebuilt workflow bundle (tests and benches start several workers from one build).
  ...(process.env.FULCRUM_WORKFLOW_BUNDLE ? { workflowBundle: { codePath: process.env.FULCRUM_WORKFLOW_BUNDLE } } : {}),
});
// The outbox goes out to webhook subscribers from this process too.
const dispatcher = startWebhookDispatcher({ db, logger: pino({ level: config.logLevel }).child({ component: 'webhooks' }) });
// Worker.run() shuts down gracefully on SIGINT/SIGTERM by default.
await worker.run();
await dispatcher.stop();
await connection.close();
await clientConnection.close();
await db.destroy();
