// The one typed configuration module: every setting comes from an environment
// variable, with defaults that make `npm start` work on a laptop with nothing else running.
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER_MEMORY } from './worker-memory.ts';
import { loadCarrierGatewayConfig, type CarrierGatewayConfig } from './carriers.ts';
import { loadPaymentProviderConfig, type PaymentProviderConfig } from './payments.ts';
import { loadMessagesConfig, type MessagesConfig } from './messages.ts';
import { nonEmpty } from './env.ts';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface FulcrumConfig {
  /** External Postgres; when unset the project starts embedded Postgres. */
  databaseUrl: string | undefined;
  /** External Temporal frontend (host:port); when unset the project starts a Temporal server itself. */
  temporalAddress: string | undefined;
  /** Which Temporal `npm start` starts when there is no external one: the CLI's dev server, or Temporal's own server on Postgres (`npm run cluster`). */
  temporalServer: 'dev' | 'cluster';
  temporalNamespace: string;
  taskQueue: string;
  /** HTTP port of the API. */
  port: number;
  /** Behind a TLS-terminating proxy or ingress: trust its X-Forwarded-Proto/-For (the session cookie is then Secure, limits count the client's address). */
  trustProxy: boolean;
  /** First admin key; when unset `npm start` generates one and keeps it in the data directory. */
  adminKey: string | undefined;
  /** Where embedded Postgres and the Temporal dev server keep their data across restarts. */
  dataDir: string;
  embeddedPostgresPort: number;
  temporalDevPort: number;
  temporalUiPort: number;
  logLevel: string;
  orderPolicy: OrderPolicy;
  /** When ops are alerted (`alert.*` events). */
  alertPolicy: { webhookFailingMinutes: number };
  /** Requests per minute per API key unless the key sets its own. */
  rateLimitPerMinute: number;
  /** Unknown or revoked API keys one client (IP address) may try per minute before it gets 429s. */
  authFailuresPerMinute: number;
  /** How long answers stored under an Idempotency-Key are kept before they are swept. */
  idempotencyRetentionHours: number;
  /** Webhook hosts allowed although they are inside the network (loopback, private, …): hostnames, IPs or CIDRs. */
  webhookAllowHosts: string[];
  /** A bearer token /metrics (API and worker) requires; unset: /metrics is open. */
  metricsToken: string | undefined;
  /** A request still unanswered after this long gets a 503. */
  requestTimeoutMs: number;
  /** A Postgres query unanswered this long fails and its connection is closed (API and worker). */
  databaseQueryTimeoutMs: number;
  /** Open workflows a worker keeps in memory; beyond it the least recently used is evicted (and replayed from history when it next has work). */
  maxCachedWorkflows: number;
  /** `?wait=routed` requests one API process lets run at once; the rest queue, first come first served. */
  routingWaits: number;
  /** How often each API process sweeps for orders registered but never started. */
  intakeSweepSeconds: number;
  /** How long a console session lasts before its user signs in again. */
  sessionHours: number;
  /** Where ops open the Temporal UI (the console links orders there). */
  temporalUiUrl: string;
  /** AES-256-GCM keys for Temporal payloads (`id:base64,…`) and the one new payloads use; unset: payloads in clear. */
  payloadKeys: string | undefined;
  payloadKeyId: string | undefined;
  /** Keys of data regions (`region=keyId,…`, ids from payloadKeys, current first): markets with that `dataRegion` have their payloads sealed with them. */
  payloadRegionKeys: string | undefined;
  /** Origins allowed to call the codec endpoint (the Temporal UI). */
  codecCorsOrigins: string[];
  /** TLS to Temporal: server verification (CA, server name) and, with cert + key, mutual TLS. */
  temporalTls: { enabled: boolean; caPath?: string; certPath?: string; keyPath?: string; serverName?: string };
  /** A Temporal Cloud API key (TEMPORAL_API_KEY): sent by the worker, the API and npm start's registration; implies TLS. */
  temporalApiKey?: string;
  /** create: register missing search attributes; check: only say which are missing (Temporal Cloud, where the operator API cannot add them). */
  searchAttributes: 'create' | 'check';
  /** Where the worker serves Prometheus metrics (host:port, e.g. 0.0.0.0:9464); unset: no endpoint. */
  workerMetricsAddress: string | undefined;
  /** How often the worker refreshes its gauges (orders by status, board tiles, webhook backlog) from Postgres. */
  metricsPollSeconds: number;
  /** OTLP/HTTP traces endpoint (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces); unset: no tracing. */
  otlpTracesUrl: string | undefined;
  /** TLS to Postgres: `require` (encrypted) or `verify` (encrypted, certificate checked against DATABASE_SSL_CA or the system CAs). */
  databaseSsl: { mode: 'off' | 'require' | 'verify'; caPath?: string };
  /** Which carrier gateway each market buys labels through (config/carriers.ts). */
  carriers: CarrierGatewayConfig;
  /** Which payment provider each channel pays through (config/payments.ts). */
  payments: PaymentProviderConfig;
  /** Customer messages: SMTP, the default sender, tracking links (config/messages.ts). */
  messages: MessagesConfig;
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
  /** Where days are counted for orders with no location of their own (ship orders): an IANA zone. */
  timezone?: string;
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

/** FULCRUM_MAX_CACHED_WORKFLOWS: a whole number of at least 2, or 0 (no cache: every task replays its history). */
function cachedWorkflows(env: NodeJS.ProcessEnv): number {
  const raw = nonEmpty(env.FULCRUM_MAX_CACHED_WORKFLOWS);
  if (raw === undefined) return WORKER_MEMORY.maxCachedWorkflows;
  const value = Number(raw);
  if (!Number.isInteger(value) || value === 1 || value < 0 || value > 1_000_000) {
    throw new Error(`config: FULCRUM_MAX_CACHED_WORKFLOWS must be 0 or a whole number from 2 to 1000000, got "${raw}"`);
  }
  return value;
}

function searchAttributesMode(env: NodeJS.ProcessEnv): 'create' | 'check' {
  const raw = nonEmpty(env.FULCRUM_SEARCH_ATTRIBUTES);
  if (raw === undefined) return nonEmpty(env.TEMPORAL_API_KEY) ? 'check' : 'create';
  if (raw !== 'create' && raw !== 'check') throw new Error(`config: FULCRUM_SEARCH_ATTRIBUTES must be create or check, got "${raw}"`);
  return raw;
}

function sslMode(raw: string | undefined): 'off' | 'require' | 'verify' {
  if (raw === undefined || raw === '' || raw === 'off') return 'off';
  if (raw === 'require' || raw === 'verify') return raw;
  throw new Error(`config: DATABASE_SSL must be off, require or verify, got "${raw}"`);
}

function booleanFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new Error(`config: ${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

function temporalServerKind(env: NodeJS.ProcessEnv): 'dev' | 'cluster' {
  const raw = nonEmpty(env.FULCRUM_TEMPORAL_SERVER) ?? 'dev';
  if (raw !== 'dev' && raw !== 'cluster') throw new Error(`config: FULCRUM_TEMPORAL_SERVER must be dev or cluster, got "${raw}"`);
  return raw;
}

function metricsAddress(env: NodeJS.ProcessEnv): string | undefined {
  const raw = nonEmpty(env.FULCRUM_WORKER_METRICS_ADDRESS);
  if (raw === undefined || raw === 'off') return undefined;
  const match = /^(?:\[[0-9a-fA-F:]+\]|[\w.-]+):(\d{1,5})$/.exec(raw);
  if (!match || Number(match[1]) > 65535) throw new Error(`config: FULCRUM_WORKER_METRICS_ADDRESS must be host:port (e.g. 0.0.0.0:9464) or off, got "${raw}"`);
  return raw;
}

function otlpTracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  const traces = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const base = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const url = traces ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new Error(`config: the OTLP traces endpoint must be an http(s) URL, got "${url}"`);
  return url;
}


export function loadConfig(env: NodeJS.ProcessEnv = process.env): FulcrumConfig {
  const temporalUiPort = intFromEnv(env, 'FULCRUM_TEMPORAL_UI_PORT', 8233);
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL),
    temporalAddress: nonEmpty(env.TEMPORAL_ADDRESS),
    temporalServer: temporalServerKind(env),
    temporalNamespace: nonEmpty(env.TEMPORAL_NAMESPACE) ?? 'default',
    taskQueue: nonEmpty(env.FULCRUM_TASK_QUEUE) ?? 'fulcrum',
    port: intFromEnv(env, 'PORT', 3000),
    trustProxy: booleanFromEnv(env, 'FULCRUM_TRUST_PROXY', false),
    adminKey: nonEmpty(env.FULCRUM_ADMIN_KEY),
    dataDir: resolve(projectRoot, nonEmpty(env.FULCRUM_DATA_DIR) ?? '.data'),
    embeddedPostgresPort: intFromEnv(env, 'FULCRUM_PG_PORT', 5433),
    temporalDevPort: intFromEnv(env, 'FULCRUM_TEMPORAL_PORT', 7233),
    temporalUiPort,
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
    payloadKeys: nonEmpty(env.FULCRUM_PAYLOAD_KEYS),
    payloadKeyId: nonEmpty(env.FULCRUM_PAYLOAD_KEY_ID),
    payloadRegionKeys: nonEmpty(env.FULCRUM_PAYLOAD_REGION_KEYS),
    codecCorsOrigins: (nonEmpty(env.FULCRUM_CODEC_CORS_ORIGINS) ?? 'http://127.0.0.1:8233,http://localhost:8233').split(',').map((o) => o.trim()).filter(Boolean),
    temporalTls: {
      enabled: env.TEMPORAL_TLS === 'true' || nonEmpty(env.TEMPORAL_TLS_CERT) !== undefined || nonEmpty(env.TEMPORAL_TLS_CA) !== undefined || nonEmpty(env.TEMPORAL_API_KEY) !== undefined,
      ...(nonEmpty(env.TEMPORAL_TLS_CA) ? { caPath: env.TEMPORAL_TLS_CA } : {}),
      ...(nonEmpty(env.TEMPORAL_TLS_CERT) ? { certPath: env.TEMPORAL_TLS_CERT } : {}),
      ...(nonEmpty(env.TEMPORAL_TLS_KEY) ? { keyPath: env.TEMPORAL_TLS_KEY } : {}),
      ...(nonEmpty(env.TEMPORAL_TLS_SERVER_NAME) ? { serverName: env.TEMPORAL_TLS_SERVER_NAME } : {}),
    },
    ...(nonEmpty(env.TEMPORAL_API_KEY) ? { temporalApiKey: nonEmpty(env.TEMPORAL_API_KEY) } : {}),
    searchAttributes: searchAttributesMode(env),
    databaseSsl: {
      mode: sslMode(env.DATABASE_SSL),
      ...(nonEmpty(env.DATABASE_SSL_CA) ? { caPath: env.DATABASE_SSL_CA } : {}),
    },
    workerMetricsAddress: metricsAddress(env),
    metricsPollSeconds: positiveFromEnv(env, 'FULCRUM_METRICS_POLL_SECONDS', 15),
    otlpTracesUrl: otlpTracesUrl(env),
    carriers: loadCarrierGatewayConfig(env),
    payments: loadPaymentProviderConfig(env),
    messages: loadMessagesConfig(env),
    rateLimitPerMinute: positiveFromEnv(env, 'FULCRUM_RATE_LIMIT_PER_MINUTE', 3000),
    authFailuresPerMinute: positiveFromEnv(env, 'FULCRUM_AUTH_FAILURES_PER_MINUTE', 60),
    requestTimeoutMs: positiveFromEnv(env, 'FULCRUM_REQUEST_TIMEOUT_MS', 30_000),
    databaseQueryTimeoutMs: positiveFromEnv(env, 'FULCRUM_DB_QUERY_TIMEOUT_MS', 30_000),
    maxCachedWorkflows: cachedWorkflows(env),
    idempotencyRetentionHours: positiveFromEnv(env, 'FULCRUM_IDEMPOTENCY_RETENTION_HOURS', 24),
    webhookAllowHosts: (nonEmpty(env.FULCRUM_WEBHOOK_ALLOW_HOSTS) ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== ''),
    metricsToken: nonEmpty(env.FULCRUM_METRICS_TOKEN),
    routingWaits: positiveFromEnv(env, 'FULCRUM_ROUTING_WAITS', 8),
    intakeSweepSeconds: positiveFromEnv(env, 'FULCRUM_INTAKE_SWEEP_SECONDS', 30),
    sessionHours: positiveFromEnv(env, 'FULCRUM_SESSION_HOURS', 12),
    temporalUiUrl: nonEmpty(env.FULCRUM_TEMPORAL_UI_URL) ?? `http://127.0.0.1:${temporalUiPort}`,
    alertPolicy: { webhookFailingMinutes: positiveFromEnv(env, 'FULCRUM_ALERT_WEBHOOK_FAILING_MINUTES', 60) },
    orderPolicy: {
      holdOrderValueOver: nonEmpty(env.FULCRUM_HOLD_ORDER_VALUE_OVER) === undefined ? 250_000 : positiveFromEnv(env, 'FULCRUM_HOLD_ORDER_VALUE_OVER', 0),
      holdEscalateAfterHours: positiveFromEnv(env, 'FULCRUM_HOLD_ESCALATE_AFTER_HOURS', 24),
      holdAutoCancelAfterHours: positiveFromEnv(env, 'FULCRUM_HOLD_AUTO_CANCEL_AFTER_HOURS', 72),
      backorderRecheckMinutes: positiveFromEnv(env, 'FULCRUM_BACKORDER_RECHECK_MINUTES', 60),
      backorderPromiseDays: positiveFromEnv(env, 'FULCRUM_BACKORDER_PROMISE_DAYS', 14),
      timezone: nonEmpty(env.FULCRUM_BUSINESS_TIMEZONE) ?? 'UTC',
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
