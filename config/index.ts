// The one typed configuration module: every setting comes from an environment
// variable, with defaults that make `npm start` work on a laptop with nothing else running.
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface FulcrumConfig {
  /** External Postgres; when unset the project starts embedded Postgres. */
  databaseUrl: string | undefined;
  /** External Temporal frontend (host:port); when unset the project starts the Temporal dev server. */
  temporalAddress: string | undefined;
  temporalNamespace: string;
  taskQueue: string;
  /** HTTP port of the API. */
  port: number;
  /** First admin key; when unset `npm start` generates one and keeps it in the data directory. */
  adminKey: string | undefined;
  /** Where embedded Postgres and the Temporal dev server keep their data across restarts. */
  dataDir: string;
  embeddedPostgresPort: number;
  temporalDevPort: number;
  temporalUiPort: number;
  logLevel: string;
  orderPolicy: OrderPolicy;
  /** Requests per minute per API key unless the key sets its own. */
  rateLimitPerMinute: number;
  /** A request still unanswered after this long gets a 503. */
  requestTimeoutMs: number;
}

/** Rules every order goes through; the order workflow reads them once, when it starts. */
export interface OrderPolicy {
  /** Orders whose payment exceeds this (minor units) go on hold for review; unset: no value rule. */
  holdOrderValueOver: number | undefined;
  /** A hold not released within this many hours is escalated to ops … */
  holdEscalateAfterHours: number;
  /** … and the order is cancelled after this many hours on hold. */
  holdAutoCancelAfterHours: number;
  /** Backordered lines are re-routed this often (and whenever ops ask) … */
  backorderRecheckMinutes: number;
  /** … until this many days after the order, when they are cancelled. */
  backorderPromiseDays: number;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`config: ${name} must be an integer port number, got "${raw}"`);
  }
  return value;
}

function positiveFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`config: ${name} must be a positive number, got "${raw}"`);
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): FulcrumConfig {
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL),
    temporalAddress: nonEmpty(env.TEMPORAL_ADDRESS),
    temporalNamespace: nonEmpty(env.TEMPORAL_NAMESPACE) ?? 'default',
    taskQueue: nonEmpty(env.FULCRUM_TASK_QUEUE) ?? 'fulcrum',
    port: intFromEnv(env, 'PORT', 3000),
    adminKey: nonEmpty(env.FULCRUM_ADMIN_KEY),
    dataDir: resolve(projectRoot, nonEmpty(env.FULCRUM_DATA_DIR) ?? '.data'),
    embeddedPostgresPort: intFromEnv(env, 'FULCRUM_PG_PORT', 5433),
    temporalDevPort: intFromEnv(env, 'FULCRUM_TEMPORAL_PORT', 7233),
    temporalUiPort: intFromEnv(env, 'FULCRUM_TEMPORAL_UI_PORT', 8233),
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
    rateLimitPerMinute: positiveFromEnv(env, 'FULCRUM_RATE_LIMIT_PER_MINUTE', 3000),
    requestTimeoutMs: positiveFromEnv(env, 'FULCRUM_REQUEST_TIMEOUT_MS', 30_000),
    orderPolicy: {
      holdOrderValueOver: nonEmpty(env.FULCRUM_HOLD_ORDER_VALUE_OVER) === undefined ? 250_000 : positiveFromEnv(env, 'FULCRUM_HOLD_ORDER_VALUE_OVER', 0),
      holdEscalateAfterHours: positiveFromEnv(env, 'FULCRUM_HOLD_ESCALATE_AFTER_HOURS', 24),
      holdAutoCancelAfterHours: positiveFromEnv(env, 'FULCRUM_HOLD_AUTO_CANCEL_AFTER_HOURS', 72),
      backorderRecheckMinutes: positiveFromEnv(env, 'FULCRUM_BACKORDER_RECHECK_MINUTES', 60),
      backorderPromiseDays: positiveFromEnv(env, 'FULCRUM_BACKORDER_PROMISE_DAYS', 14),
    },
  };
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** A Temporal binary: its env variable, else the command on PATH, else the one bootstrap installed. */
function temporalBinary(env: NodeJS.ProcessEnv, variable: string, command: string, what: string): string {
  const found = nonEmpty(env[variable]) ?? onPath(command, env) ?? join(projectRoot, '.tools', 'venv', 'bin', command);
  if (!existsSync(found)) throw new Error(`${what} not found at ${found}; run \`npm run bootstrap\``);
  return found;
}

/** The Temporal CLI: TEMPORAL_CLI_PATH, else a `temporal` on PATH, else the one bootstrap installed. */
export function temporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return temporalBinary(env, 'TEMPORAL_CLI_PATH', 'temporal', 'Temporal CLI');
}

/** The time-skipping test server: TEMPORAL_TEST_SERVER_PATH, else PATH, else bootstrap's. */
export function temporalTestServerPath(env: NodeJS.ProcessEnv = process.env): string {
  return temporalBinary(env, 'TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server', 'Temporal test server');
}
