// Starts Temporal's own server (the production binary, built from the Go module proxy into
// .tools/temporal-server by scripts/build-temporal-server.sh) on a Postgres it is given:
// persistence and SQL visibility in two databases whose schemas temporal-sql-tool sets up,
// the `default` namespace and Fulcrum's search attributes registered. The production path's
// benches and tests run on it; `npm start` keeps the dev server.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import { msToTs } from '@temporalio/common/lib/time.js';
import { projectRoot } from '../../config/index.ts';
import { ensureSearchAttributes } from '../../workers/register-search-attributes.ts';
import { spawnServer, waitForFrontend, type RunningDevServer } from './temporal-dev-server.ts';

const run = promisify(execFile);

export const TEMPORAL_SERVER_VERSION = '1.29.1';
const binDir = join(projectRoot, '.tools', 'temporal-server', 'bin');
export const temporalServerBinary = join(binDir, 'server');
const sqlToolBinary = join(binDir, 'sql');
const uiServerBinary = join(binDir, 'ui-server');

export interface ClusterPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  createDatabase(name: string): Promise<void>;
}

export interface ClusterOptions {
  postgres: ClusterPostgres;
  dir: string;
  port: number;
  namespace?: string;
}

/** Where the server's Postgres schemas are: the server module's own source in the Go module cache. */
async function schemaDir(): Promise<string> {
  const { stdout } = await run('go', ['env', 'GOMODCACHE']);
  const dir = join(stdout.trim(), 'go.temporal.io', `server@v${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  if (!existsSync(dir)) throw new Error(`Temporal's schemas are not in the Go module cache (${dir}); run scripts/build-temporal-server.sh`);
  return dir;
}

/**
 * Creates the database and its schema, or (a database kept from an earlier run) brings its
 * schema up to this version: update-schema applies only the versions it lacks.
 */
async function setupSchema(options: ClusterOptions, database: string, versioned: string): Promise<void> {
  const { postgres } = options;
  const created = await postgres.createDatabase(database).then(
    () => true,
    (err: { code?: string }) => {
      if (err.code === '42P04') return false; // duplicate_database
      throw err;
    },
  );
  const common = ['--plugin', 'postgres12', '--ep', postgres.host, '-p', String(postgres.port), '-u', postgres.user, '--pw', postgres.password, '--db', database];
  if (created) await run(sqlToolBinary, [...common, 'setup-schema', '-v', '0.0']);
  await run(sqlToolBinary, [...common, 'update-schema', '-d', versioned]);
}

/** The cluster's Postgres from an admin connection URL (one that may create databases). */
export function clusterPostgres(adminUrl: string): ClusterPostgres {
  const url = new URL(adminUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
    },
  };
}

function config(options: ClusterOptions, ports: number[]): string {
  const { postgres } = options;
  const store = (database: string, conns: number) => `      sql:
        pluginName: "postgres12"
        databaseName: "${database}"
        connectAddr: "${postgres.host}:${postgres.port}"
        connectProtocol: "tcp"
        user: "${postgres.user}"
        password: "${postgres.password}"
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: "1h"`;
  const service = (name: string, grpc: number, membership: number) => `  ${name}:
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true`;
  const [history, matching, worker, m1, m2, m3, m4] = ports as [number, number, number, number, number, number, number];
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:
${store('temporal', 20)}
    visibility:
${store('temporal_visibility', 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
services:
${service('frontend', options.port, m1)}
${service('history', history, m2)}
${service('matching', matching, m3)}
${service('worker', worker, m4)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${options.port}"
dcRedirectionPolicy:
  policy: "noop"
dynamicConfigClient:
  filepath: "${join(options.dir, 'dynamicconfig.yaml')}"
  pollInterval: "10s"
`;
}

/** A free port below 32768: the server stores membership ports as a signed smallint. */
async function lowFreePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** The namespace (one day of retention) and Fulcrum's search attributes, as an operator would register them. */
async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') }).catch((err: { code?: number }) => {
      if (err.code !== 6) throw err; // ALREADY_EXISTS
    });
  } finally {
    await connection.close();
  }
  // The frontend learns of a new namespace a moment after registering it.
  for (let attempt = 0; ; attempt++) {
    try {
      return await ensureSearchAttributes(address, namespace);
    } catch (err) {
      if (attempt >= 40) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export async function startTemporalCluster(options: ClusterOptions): Promise<RunningDevServer> {
  if (!existsSync(temporalServerBinary) || !existsSync(sqlToolBinary)) {
    throw new Error(`Temporal server ${TEMPORAL_SERVER_VERSION} is not built: run scripts/build-temporal-server.sh (about ten minutes)`);
  }
  const versioned = await schemaDir();
  await setupSchema(options, 'temporal', join(versioned, 'temporal', 'versioned'));
  await setupSchema(options, 'temporal_visibility', join(versioned, 'visibility', 'versioned'));
  mkdirSync(join(options.dir, 'config'), { recursive: true });
  const ports: number[] = [];
  while (ports.length < 7) {
    const port = await lowFreePort();
    if (!ports.includes(port)) ports.push(port);
  }
  writeFileSync(join(options.dir, 'config', 'production.yaml'), config(options, ports));
  // Dynamic config as a production deployment would tune it for Fulcrum: custom search attributes in SQL visibility.
  writeFileSync(join(options.dir, 'dynamicconfig.yaml'), 'frontend.enableUpdateWorkflowExecution:\n  - value: true\nfrontend.enableExecuteMultiOperation:\n  - value: true\n');
  const logFile = join(options.dir, 'temporal-server.log');
  const server = spawnServer(temporalServerBinary, ['--root', options.dir, '--config', 'config', '--env', 'production', '--allow-no-auth', 'start'], logFile);
  const address = `127.0.0.1:${options.port}`;
  await waitForFrontend(server.child, address, { what: 'Temporal server', logFile, timeoutMs: 120_000 });
  await registerNamespace(address, options.namespace ?? 'default');
  return {
    address,
    uiUrl: undefined,
    stop: () => server.stop(15_000),
  };
}

/**
 * The Temporal UI for Temporal's own server (the CLI's dev server has its own built in): the
 * UI's server, built beside Temporal's, on `port`, decoding payloads through Fulcrum's
 * `/codec` with the signed-in console session (docs/security.md).
 */
export async function startTemporalUi(options: { temporalAddress: string; port: number; dir: string; codecEndpoint?: string; namespace?: string }): Promise<{ url: string; stop(): Promise<void> }> {
  if (!existsSync(uiServerBinary)) throw new Error(`the Temporal UI server is not built: run scripts/build-temporal-server.sh`);
  const configDir = join(options.dir, 'ui-config');
  mkdirSync(configDir, { recursive: true });
  const codec = options.codecEndpoint ? `codec:\n  endpoint: "${options.codecEndpoint}"\n  includeCredentials: true\n` : '';
  writeFileSync(
    join(configDir, 'production.yaml'),
    `temporalGrpcAddress: "${options.temporalAddress}"\nhost: 127.0.0.1\nport: ${options.port}\nenableUi: true\ndefaultNamespace: "${options.namespace ?? 'default'}"\n${codec}`,
  );
  const logFile = join(options.dir, 'temporal-ui.log');
  const server = spawnServer(uiServerBinary, ['--root', options.dir, '--config', 'ui-config', '--env', 'production', 'start'], logFile);
  const url = `http://127.0.0.1:${options.port}`;
  for (const deadline = Date.now() + 30_000; ; ) {
    if (server.child.exitCode !== null) throw new Error(`the Temporal UI server exited; see ${logFile}`);
    const up = await fetch(`${url}/api/v1/settings`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`the Temporal UI server did not answer on ${url}; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop: () => server.stop(5_000) };
}
