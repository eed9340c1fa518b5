// The network-chaos stack: Postgres and a Temporal dev server, each behind a toxiproxy proxy,
// and Fulcrum's API and worker as separate processes (the real entry points, api/main.ts and
// workers/main.ts) that reach both only through the proxies. The run's own checks read
// Postgres and Temporal directly, past the proxies.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { projectRoot } from '../../../config/index.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../../dev/embedded-postgres.ts';
import { createDb, migrateLatest, type Db } from '../../../db/knex.ts';
import { createApiKeysRepository, generateApiKey } from '../../../db/repositories/api-keys.ts';
import { generatePayloadKey } from '../../../services/temporal/payload-codec.ts';
import { dataConverter } from '../../../services/temporal/options.ts';
import { freePort, startTemporalDevServer, type RunningDevServer } from '../../dev/temporal-dev-server.ts';
import { startToxiproxy, type Toxiproxy } from '../toxiproxy.ts';
import { waitFor } from '../wait.ts';

export interface NetworkChaosStack {
  dir: string;
  postgres: RunningPostgres;
  temporal: RunningDevServer;
  toxiproxy: Toxiproxy;
  /** Direct to Postgres and Temporal, for the checks. */
  db: Db;
  temporalClient: Client;
  apiUrl: string;
  keys: { ops: string; web: string };
  processes: { name: 'api' | 'worker'; child: ChildProcess; exits: string[] }[];
  stop(): Promise<void>;
}

/** One of Fulcrum's own processes, its output kept in the run's directory; an exit is recorded (none is expected). */
function fulcrumProcess(name: 'api' | 'worker', entry: string, env: NodeJS.ProcessEnv, dir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, entry)], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(join(dir, `${name}.log`));
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const record = { name, child, exits: [] as string[] };
  child.once('exit', (code, signal) => record.exits.push(`${name} exited (${signal ?? code})`));
  return record;
}

export async function startNetworkChaosStack(log: (line: string) => void): Promise<NetworkChaosStack> {
  const dir = mkdtempSync(join(tmpdir(), 'fulcrum-network-chaos-'));
  const started: (() => Promise<unknown>)[] = [];
  try {
    return await startIn(dir, log, started);
  } catch (err) {
    // Whatever did start is stopped, so a failed start leaves no server behind.
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    throw err;
  }
}

async function startIn(dir: string, log: (line: string) => void, started: (() => Promise<unknown>)[]): Promise<NetworkChaosStack> {
  const [pgPort, temporalPort] = await Promise.all([freePort(), freePort()]);
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port: pgPort, persistent: false });
  started.push(() => postgres.stop());
  await postgres.createDatabase('fulcrum');
  const temporal = await startTemporalDevServer({ port: temporalPort, headless: true, dbFilename: join(dir, 'temporal.sqlite'), logFile: join(dir, 'temporal.log') });
  started.push(() => temporal.stop());
  const toxiproxy = await startToxiproxy();
  started.push(() => toxiproxy.stop());
  const pgProxy = await toxiproxy.proxy('postgres', `127.0.0.1:${pgPort}`);
  const temporalProxy = await toxiproxy.proxy('temporal', temporal.address);
  log(`Postgres :${pgPort} behind toxiproxy :${pgProxy}; Temporal ${temporal.address} behind :${temporalProxy}; logs in ${dir}`);

  const quiet = () => {};
  const db = createDb(postgres.url('fulcrum'), { max: 10 }, { mode: 'off' }, { warn: quiet, error: quiet, debug: quiet, deprecate: quiet });
  started.push(() => db.destroy());
  await migrateLatest(db);
  const repo = createApiKeysRepository(db);
  const keys = { ops: generateApiKey(), web: generateApiKey() };
  await repo.create(keys.ops, { id: 'key_netchaos_ops', name: 'network chaos ops', role: 'ops' });
  await repo.create(keys.web, { id: 'key_netchaos_web', name: 'network chaos web', role: 'channel', channel: 'web' });

  const payloadKeys = generatePayloadKey('netchaos');
  const apiPort = await freePort();
  const env = {
    DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${pgProxy}/fulcrum`,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalProxy}`,
    FULCRUM_TASK_QUEUE: 'netchaos',
    FULCRUM_PAYLOAD_KEYS: payloadKeys,
    FULCRUM_WORKER_METRICS_ADDRESS: 'off',
    LOG_LEVEL: 'warn',
    PORT: String(apiPort),
  };
  const processes = [fulcrumProcess('api', 'api/main.ts', env, dir), fulcrumProcess('worker', 'workers/main.ts', env, dir)];
  started.push(async () => processes.forEach((p) => p.child.kill('SIGKILL')));
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const [api, worker] = processes.map((p) => p.child);
  await waitFor('the API', async () => (await fetch(`${apiUrl}/ready`, { signal: AbortSignal.timeout(3000) })).status === 200, { ms: 120_000, process: api! });
  const connection = await Connection.connect({ address: temporal.address });
  const converter = dataConverter({ payloadKeys, payloadKeyId: undefined }, db);
  started.push(() => connection.close());
  const temporalClient = new Client({ connection, namespace: 'default', ...(converter ? { dataConverter: converter } : {}) });
  // The worker is up once it polls its task queue (it bundles the workflows first).
  await waitFor(
    'the worker',
    async () => ((await temporalClient.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: 'netchaos' }, taskQueueType: 1 })).pollers?.length ?? 0) > 0,
    { ms: 180_000, process: worker! },
  );
  return {
    dir,
    postgres,
    temporal,
    toxiproxy,
    db,
    temporalClient,
    apiUrl,
    keys,
    processes,
    async stop() {
      for (const p of processes) p.child.kill('SIGKILL');
      await connection.close().catch(() => undefined);
      await db.destroy().catch(() => undefined);
      await toxiproxy.stop();
      await temporal.stop().catch(() => undefined);
      await postgres.stop().catch(() => undefined);
      if (!process.env.FULCRUM_KEEP_CHAOS_DIR) rmSync(dir, { recursive: true, force: true });
    },
  };
}
