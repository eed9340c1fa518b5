// A real Medusa 2.21 store (integrations/medusa/example: the merchant's setup, with the
// Fulcrum plugin) on a database of its own, for `npm run test:medusa`. Installed and built by
// `node scripts/bootstrap.mjs --medusa`; bound to 127.0.0.1 (Medusa listens on every interface
// by default); no Redis (Medusa's in-memory event bus, locking and workflow engine).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectRoot } from '../../config/index.ts';
import { freePort } from '../dev/temporal-dev-server.ts';
import type { Json } from './chaos-stack.ts';
import { createDatabaseBeside } from './databases.ts';
import { waitFor } from './wait.ts';

export const MEDUSA_DIR = join(projectRoot, 'integrations', 'medusa');
const APP_DIR = join(MEDUSA_DIR, 'example');
const ADMIN = { email: 'ops@fulcrum.test', password: randomBytes(12).toString('hex') };

export interface MedusaSettings {
  fulcrumUrl: string;
  apiKey: string;
  webhookSecret: string;
  channel: string;
}

export interface RunningMedusa {
  url: string;
  /** An admin API call (Bearer token of the store's admin user). */
  admin<T = Json>(method: string, path: string, body?: unknown): Promise<T>;
  /** A storefront call with the publishable key. */
  store<T = Json>(method: string, path: string, body: unknown, publishableKey: string): Promise<T>;
  /** Where Medusa's output goes (test-results/medusa-<port>.log). */
  logFile: string;
  stop(): Promise<void>;
}

function medusaBin(): string {
  const bin = join(MEDUSA_DIR, 'node_modules', '.bin', 'medusa');
  if (!existsSync(bin) || !existsSync(join(MEDUSA_DIR, '.medusa', 'server', 'src'))) {
    throw new Error('The Medusa plugin is not installed and built: run `node scripts/bootstrap.mjs --medusa` (npm run test:medusa does).');
  }
  return bin;
}

async function call(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Medusa ${method} ${path} answered ${response.status}: ${text.slice(0, 800)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Starts the store; `databaseUrl` names any database on the Postgres server to create its own beside. */
export async function startMedusa(databaseUrl: string, settings: MedusaSettings): Promise<RunningMedusa> {
  const bin = medusaBin();
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: await createDatabaseBeside(databaseUrl, 'medusa_test'),
    FULCRUM_URL: settings.fulcrumUrl,
    FULCRUM_API_KEY: settings.apiKey,
    FULCRUM_WEBHOOK_SECRET: settings.webhookSecret,
    FULCRUM_CHANNEL: settings.channel,
    MEDUSA_DISABLE_TELEMETRY: 'true',
    JWT_SECRET: randomBytes(24).toString('hex'),
    COOKIE_SECRET: randomBytes(24).toString('hex'),
  };
  for (const args of [['db:migrate'], ['user', '-e', ADMIN.email, '-p', ADMIN.password]]) {
    const done = spawnSync(bin, args, { cwd: APP_DIR, env, encoding: 'utf8', timeout: 300_000 });
    if (done.status !== 0) throw new Error(`medusa ${args[0]} failed (${done.status}): ${(done.stderr || done.stdout).slice(-2000)}`);
  }
  const child: ChildProcess = spawn(bin, ['start', '-H', '127.0.0.1', '-p', String(port)], { cwd: APP_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Medusa's whole log (the plugin logs each hand-over and failure there) goes to a file.
  const logFile = join(projectRoot, 'test-results', `medusa-${port}.log`);
  mkdirSync(dirname(logFile), { recursive: true });
  const out = createWriteStream(logFile);
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  try {
    await waitFor(`Medusa on ${url}`, async () => (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).ok, { ms: 120_000, everyMs: 250, process: child });
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${log().slice(-3000)}`);
  }
  const { token } = await call(url, 'POST', '/auth/user/emailpass', {}, ADMIN);
  return {
    url,
    admin: (method, path, body) => call(url, method, path, { Authorization: `Bearer ${token}` }, body),
    store: (method, path, body, publishableKey) => call(url, method, path, { 'x-publishable-api-key': publishableKey }, body),
    logFile,
    stop,
  };
}
