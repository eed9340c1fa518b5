// The chaos run's own servers and clients: a persistent Postgres and Temporal dev server (so
// they can be restarted), the real API in-process, the real worker as a supervised child
// process, and API clients that retry through outages as real clients would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { projectRoot } from '../../config/index.ts';
import { startApi, type RunningApi } from '../../api/server.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../dev/embedded-postgres.ts';
import { createDb, migrateLatest, type Db } from '../../db/knex.ts';
import { createApiKeysRepository, generateApiKey } from '../../db/repositories/api-keys.ts';
import { generatePayloadKey } from '../../services/temporal/payload-codec.ts';
import { payloadCodec } from '../../services/temporal/options.ts';
import { freePort, startTemporalDevServer, type RunningDevServer } from '../dev/temporal-dev-server.ts';
import { startTemporalCluster } from '../dev/temporal-cluster.ts';
import { sleep } from './wait.ts';

// HTTP answers are read loosely, as a client script reads JSON it did not type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Stack {
  dir: string;
  pgPort: number;
  temporalPort: number;
  postgres: RunningPostgres;
  temporal: RunningDevServer;
  db: Db;
  api: RunningApi;
  worker?: ChildProcess;
  payloadKeys: string;
  taskQueue: string;
  stopping: boolean;
}

export async function startPostgres(dir: string, port: number) {
  return startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port, persistent: true });
}

export async function startTemporal(dir: string, port: number) {
  return startTemporalDevServer({ port, headless: true, dbFilename: join(dir, 'temporal.sqlite'), logFile: join(dir, 'temporal.log') });
}

/** The real worker entry point; restarted by this supervisor whenever it dies (as a process manager would). */
export function startWorker(stack: Stack, databaseUrl: string): void {
  const child = spawnWorker(stack, databaseUrl);
  stack.worker = child;
  child.once('exit', () => {
    if (stack.stopping || stack.worker !== child) return;
    setTimeout(() => {
      if (!stack.stopping && stack.worker === child) startWorker(stack, databaseUrl);
    }, 500);
  });
}

/** One worker process on the stack's servers and task queue (unsupervised). */
export function spawnWorker(stack: Stack, databaseUrl: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  // FULCRUM_WORKER_NODE_ARGS: e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the worker.
  const nodeArgs = process.env.FULCRUM_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(projectRoot, 'workers/main.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: `127.0.0.1:${stack.temporalPort}`,
      FULCRUM_TASK_QUEUE: stack.taskQueue,
      FULCRUM_PAYLOAD_KEYS: stack.payloadKeys,
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
}

/** A client that retries through outages: network errors, 5xx, 429 and "still being processed". */
export function chaosClient(url: string, key: string, counters: { retries: number }) {
  return async function call(method: string, path: string, body?: unknown, idempotencyKey?: string, until = Date.now() + 240_000) {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(40_000),
        });
        const text = await res.text();
        const retryable = res.status >= 500 || res.status === 429 || (res.status === 409 && /still being processed/.test(text));
        if (!retryable || Date.now() > until) return { status: res.status, body: text ? (JSON.parse(text) as Json) : undefined };
      } catch (err) {
        if (Date.now() > until) throw err;
      }
      counters.retries += 1;
      await sleep(Math.min(200 * 2 ** Math.min(attempt, 5), 5000));
    }
  };
}

export type ChaosClient = ReturnType<typeof chaosClient>;

/** Postgres, Temporal and the API, each on its own port in a fresh directory, and a client per role. */
export async function startChaosStack() {
  const dir = mkdtempSync(join(tmpdir(), 'fulcrum-chaos-'));
  const [pgPort, temporalPort] = await Promise.all([freePort(), freePort()]);
  const postgres = await startPostgres(dir, pgPort);
  await postgres.createDatabase('fulcrum');
  const databaseUrl = postgres.url('fulcrum');
  // FULCRUM_TEMPORAL_SERVER=cluster: Temporal's own server on this Postgres (the production path), not the dev server.
  const temporal =
    process.env.FULCRUM_TEMPORAL_SERVER === 'cluster'
      ? await startTemporalCluster({ postgres: { host: '127.0.0.1', port: pgPort, user: 'postgres', password: 'postgres', createDatabase: (name) => postgres.createDatabase(name) }, dir, port: temporalPort })
      : await startTemporal(dir, temporalPort);
  // Postgres is restarted on purpose here: its connection errors are expected, not news.
  const quiet = () => {};
  const db = createDb(databaseUrl, { max: 40 }, { mode: 'off' }, { warn: quiet, error: quiet, debug: quiet, deprecate: quiet });
  await migrateLatest(db);
  const payloadKeys = generatePayloadKey('chaos');
  const codec = payloadCodec({ payloadKeys, payloadKeyId: undefined })!;
  const taskQueue = 'chaos';
  const api = await startApi({ codec, db, temporalAddress: temporal.address, namespace: 'default', taskQueue, port: 0, logger: pino({ level: 'silent' }) });
  const stack: Stack = { dir, pgPort, temporalPort, postgres, temporal, db, api, payloadKeys, taskQueue, stopping: false };
  const keys = createApiKeysRepository(db);
  const made = async (role: 'ops' | 'channel' | 'carrier' | 'exceptions', extra: { channel?: string; carrier?: string } = {}) => {
    const key = generateApiKey();
    await keys.create(key, { id: `key_chaos_${role}${extra.carrier ? `_${extra.carrier}` : ''}`, name: `chaos ${role}`, role, ...extra });
    return key;
  };
  // Each carrier posts with its own key (a carrier key speaks for one carrier).
  const carrierKeys = new Map<string, Promise<ChaosClient>>();
  const carrier: ChaosClient = async (method, path, body, idempotencyKey, until) => {
    const name = decodeURIComponent(/^\/v1\/carriers\/([^/]+)\//.exec(path)?.[1] ?? 'unknown');
    if (!carrierKeys.has(name)) carrierKeys.set(name, made('carrier', { carrier: name }).then((key) => chaosClient(api.url, key, counters)));
    return (await carrierKeys.get(name)!)(method, path, body, idempotencyKey, until);
  };
  const counters = { retries: 0 };
  const clients = {
    ops: chaosClient(api.url, await made('ops'), counters),
    web: chaosClient(api.url, await made('channel', { channel: 'web' }), counters),
    exceptions: chaosClient(api.url, await made('exceptions'), counters),
    carrier,
  };
  return { stack, databaseUrl, codec, clients, counters };
}

export async function stopChaosStack(stack: Stack): Promise<void> {
  stack.stopping = true;
  const worker = stack.worker;
  if (worker && process.env.FULCRUM_WORKER_NODE_ARGS && worker.exitCode === null) {
    // A profiled worker writes its profile on a graceful exit.
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  }
  worker?.kill('SIGKILL');
  await stack.api.close().catch(() => undefined);
  await stack.db.destroy().catch(() => undefined);
  await stack.temporal.stop().catch(() => undefined);
  await stack.postgres.stop().catch(() => undefined);
  rmSync(stack.dir, { recursive: true, force: true });
}
