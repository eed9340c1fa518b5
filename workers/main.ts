// Worker process entry point: connects to Temporal and Postgres and runs until SIGINT/SIGTERM.
// Telemetry first (the Runtime must be installed before any connection): JSON logs, the
// Prometheus endpoint with SDK and business series, and OpenTelemetry traces when configured.
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client/index.js';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config/index.ts';
import { createDb } from '../db/knex.ts';
import { ensureSearchAttributes } from './register-search-attributes.ts';
import { ensureSchedules } from './schedules.ts';
import { createFulcrumWorker } from './worker.ts';
import { startWebhookDispatcher } from './webhook-dispatcher.ts';
import { startMessageDispatcher } from './message-dispatcher.ts';
import { createMessageSender } from '../activities/adapters/messages/index.ts';
import { installWorkerRuntime, pollOperationsGauges } from './telemetry.ts';
import { dataConverter, temporalAccess } from '../services/temporal/options.ts';
import { startTracing } from '../services/telemetry/tracing.ts';
import { createLogger } from '../services/logger.ts';

const config = loadConfig();
const logger = createLogger(config.logLevel, 'worker');
if (!config.databaseUrl || !config.temporalAddress) {
  logger.fatal('DATABASE_URL and TEMPORAL_ADDRESS are required (`npm start` sets both)');
  process.exit(1);
}
const metrics = await installWorkerRuntime(logger, config.workerMetricsAddress, config.metricsToken);
const tracing = startTracing('fulcrum-worker', config);
// Workflows upsert these; make sure an external server knows them (a no-op when it does).
const access = temporalAccess(config);
await ensureSearchAttributes(config.temporalAddress, config.temporalNamespace, access, config.searchAttributes);
const db = createDb(config.databaseUrl, { queryTimeoutMs: config.databaseQueryTimeoutMs }, config.databaseSsl);
const converter = dataConverter(config, db);
const connection = await NativeConnection.connect({ address: config.temporalAddress, ...access });
const clientConnection = await Connection.connect({ address: config.temporalAddress, ...access });
const temporal = new Client({
  connection: clientConnection,
  namespace: config.temporalNamespace,
  interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
  ...(converter ? { dataConverter: converter } : {}),
});
await ensureSchedules(temporal, config.taskQueue, { planningTimezone: config.orderPolicy.timezone });
const worker = await createFulcrumWorker({
  connection,
  namespace: config.temporalNamespace,
  taskQueue: config.taskQueue,
  db,
  temporal,
  metrics,
  tracing,
  maxCachedWorkflows: config.maxCachedWorkflows,
  ...(converter ? { dataConverter: converter } : {}),
  // A prebuilt workflow bundle: the production image builds one (scripts/build-workflow-bundle.ts); tests and benches share one.
  ...(process.env.FULCRUM_WORKFLOW_BUNDLE ? { workflowBundle: { codePath: process.env.FULCRUM_WORKFLOW_BUNDLE } } : {}),
});
// The outbox goes out to webhook subscribers from this process too.
const dispatcher = startWebhookDispatcher({ db, logger: logger.child({ component: 'webhooks' }), metrics });
// And to customers, by email (config/messages.ts).
const messages = startMessageDispatcher({ db, logger: logger.child({ component: 'messages' }), sender: createMessageSender(config.messages), defaultFrom: config.messages.defaultFrom, trackingUrls: config.messages.trackingUrls });
const gauges = pollOperationsGauges(db, metrics, { seconds: config.metricsPollSeconds, timezone: config.orderPolicy.timezone ?? 'UTC', logger });
if (config.workerMetricsAddress) logger.info({ url: `http://${config.workerMetricsAddress}/metrics` }, 'worker metrics');
// Worker.run() shuts down gracefully on SIGINT/SIGTERM by default.
await worker.run();
gauges.stop();
await dispatcher.stop();
await messages.stop();
await tracing.shutdown();
await connection.close();
await clientConnection.close();
await db.destroy();
