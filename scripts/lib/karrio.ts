// A local Karrio server (issue 30): installed by `node scripts/bootstrap.mjs --karrio` into
// .tools/karrio, started here from a copy of its migrated SQLite database, with an admin user,
// an API key (`Authorization: Token …`) and carrier connections of Karrio's offline `generic`
// carrier whose rate sheets Fulcrum fills in. Tests and `npm start` run their gateway on it.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../config/index.ts';
import { freePort } from '../dev/temporal-dev-server.ts';
import { waitFor } from './wait.ts';

const KARRIO_DIR = join(projectRoot, '.tools', 'karrio');
const ADMIN = { email: 'admin@fulcrum.local', password: 'fulcrum-local-karrio' };

export interface RunningKarrio {
  url: string;
  /** An API key for `Authorization: Token <key>`. */
  apiKey: string;
  /** A GraphQL call as the admin user (rate sheets, API keys). */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** A REST call with the API key; throws unless Karrio answers 2xx. */
  rest<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  /** Runs Python in Karrio's Django shell (what its API cannot do); `input` arrives as the JSON in INPUT. Returns what it printed. */
  shell(python: string, input?: unknown): Promise<string>;
  /** Freezes the server (SIGSTOP to its process group): connections are taken and never answered, as by a hung gateway. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** As scripts/bootstrap.mjs migrated the template with. */
function karrioEnv(workDir: string): NodeJS.ProcessEnv {
  return { ...process.env, WORK_DIR: workDir, DATABASE_ENGINE: 'sqlite3', WORKER_IMMEDIATE_MODE: 'True', SECRET_KEY: 'fulcrum-local-karrio', DEBUG_MODE: 'False' };
}

async function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode ?? new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`Karrio ${what}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export async function startKarrio(): Promise<RunningKarrio> {
  const dir = mkdtempSync(join(tmpdir(), 'fulcrum-karrio-'));
  copyFileSync(join(KARRIO_DIR, 'template', 'db.sqlite3'), join(dir, 'db.sqlite3'));
  const env = karrioEnv(dir);
  const bin = join(KARRIO_DIR, 'venv', 'bin');
  const admin = spawn(join(bin, 'karrio'), ['createsuperuser', '--noinput'], { env: { ...env, DJANGO_SUPERUSER_EMAIL: ADMIN.email, DJANGO_SUPERUSER_PASSWORD: ADMIN.password }, stdio: 'ignore' });
  if ((await exited(admin)) !== 0) throw new Error('Karrio: createsuperuser failed (is it installed? node scripts/bootstrap.mjs --karrio)');
  const port = await freePort();
  // Its own process group, so pause() freezes the worker that answers with the master.
  const server = spawn(join(bin, 'gunicorn'), ['karrio.server.wsgi', '-b', `127.0.0.1:${port}`, '-w', '1', '--timeout', '120'], { cwd: dir, env, stdio: 'ignore', detached: true });
  const group = (signal: NodeJS.Signals) => {
    if (server.pid !== undefined && server.exitCode === null) process.kill(-server.pid, signal);
  };
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    group('SIGCONT');
    server.kill('SIGTERM');
    await Promise.race([exited(server), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(`Karrio on ${url}`, async () => (await fetch(`${url}/`, { signal: AbortSignal.timeout(5000) })).ok, { ms: 120_000, everyMs: 500, process: server });
    const { access } = await json<{ access: string }>(
      await fetch(`${url}/api/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN), signal: AbortSignal.timeout(30_000) }),
      'token',
    );
    const graphql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = await json<{ data?: T; errors?: { message: string }[] }>(res, 'GraphQL');
      if (body.errors?.length || !body.data) throw new Error(`Karrio GraphQL: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const created = await graphql<{ create_api_key: { api_key: { key: string } | null; errors: unknown } }>(
      'mutation($input: CreateAPIKeyMutationInput!) { create_api_key(input: $input) { api_key { key } errors { field messages } } }',
      { input: { label: 'fulcrum', password: ADMIN.password, permissions: [] } },
    );
    const apiKey = created.create_api_key.api_key?.key;
    if (!apiKey) throw new Error(`Karrio: no API key (${JSON.stringify(created.create_api_key.errors)})`);
    const rest = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> =>
      json<T>(
        await fetch(`${url}${path}`, {
          method,
          headers: { authorization: `Token ${apiKey}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(60_000),
        }),
        `${method} ${path}`,
      );
    const shell = async (python: string, input: unknown = null): Promise<string> => {
      const run = spawn(join(bin, 'karrio'), ['shell', '-c', `import json, os\nINPUT = json.loads(os.environ['FULCRUM_INPUT'])\n${python}`], {
        env: { ...env, FULCRUM_INPUT: JSON.stringify(input) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      run.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      run.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
      if ((await exited(run)) !== 0) throw new Error(`Karrio shell failed: ${err.slice(-1500)}`);
      return out;
    };
    return { url, apiKey, graphql, rest, shell, pause: () => group('SIGSTOP'), resume: () => group('SIGCONT'), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
