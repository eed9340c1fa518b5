// Starts the API over real connections: used by the API process and by the tests.
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import type { TLSConfig } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client/index.js';
import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import { createApp } from './app.ts';
import { createApiDeps, type ApiCodec, type ApiDeps } from './deps.ts';
import { startIntakeSweep } from './intake-sweep.ts';
import { sweepIdempotencyKeys } from './idempotency.ts';
import { loadConfig } from '../config/index.ts';

export interface RunningApi {
  server: Server;
  url: string;
  deps: ApiDeps;
  /** Runs the intake sweep now (it also runs every FULCRUM_INTAKE_SWEEP_SECONDS). */
  sweepIntake(): Promise<number>;
  /** Deletes Idempotency-Key answers past their retention now (it also runs every 10 minutes). */
  sweepIdempotency(): Promise<number>;
  close(): Promise<void>;
}

export async function startApi(options: {
  db: Db;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  port: number;
  host?: string;
  logger: Logger;
  tls?: TLSConfig;
  /** A Temporal Cloud API key. */
  apiKey?: string;
  intakeSweepSeconds?: number;
  /** Encrypts payloads; its codec also serves the /codec endpoint for the Temporal UI and CLI. */
  codec?: ApiCodec;
  /** Trust a TLS-terminating proxy's X-Forwarded-* headers (default: FULCRUM_TRUST_PROXY). */
  trustProxy?: boolean;
}): Promise<RunningApi> {
  const connection = await Connection.connect({ address: options.temporalAddress, ...(options.tls ? { tls: options.tls } : {}), ...(options.apiKey ? { apiKey: options.apiKey } : {}) });
  const temporal = new Client({
    connection,
    namespace: options.namespace,
    // Starts, Updates and signals carry the request's trace into the workflow (no-ops when tracing is off).
    interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    ...(options.codec ? { dataConverter: { payloadCodecs: [options.codec] } } : {}),
  });
  const deps = createApiDeps({
    db: options.db,
    temporal,
    temporalConnection: connection,
    taskQueue: options.taskQueue,
    logger: options.logger,
    ...(options.codec ? { codec: options.codec } : {}),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
  });
  const app = createApp(deps);
  const intakeSweep = startIntakeSweep(deps, options.intakeSweepSeconds ?? loadConfig().intakeSweepSeconds);
  const sweepIdempotency = () =>
    sweepIdempotencyKeys(deps).catch((err: unknown) => {
      deps.logger.error({ err }, 'sweeping old Idempotency-Key answers failed; the next sweep tries again');
      return 0;
    });
  void sweepIdempotency();
  const idempotencySweep = setInterval(() => void sweepIdempotency(), 10 * 60_000);
  idempotencySweep.unref();
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port, host, () => resolve(s));
    s.on('error', reject);
  });
  // Idle connections stay open longer than the clients and load balancers that reuse them
  // (undici, ALB: up to 60 s). With Node's 5 s a request sent on a connection the server is
  // closing at that moment fails with ECONNRESET, which a loaded test machine hit.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    deps,
    sweepIntake: intakeSweep.sweep,
    sweepIdempotency,
    async close() {
      clearInterval(idempotencySweep);
      await intakeSweep.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await connection.close();
    },
  };
}
