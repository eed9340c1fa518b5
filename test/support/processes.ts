// Fulcrum's real entry points (api/main.ts, workers/main.ts) as child processes, as a
// deployment runs them: for tests of what only a whole process does (scale-out, telemetry).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../config/index.ts';

export interface FulcrumProcesses {
  start(entry: 'api/main.ts' | 'workers/main.ts', env: Record<string, string>, options?: { output?: (line: string) => void }): ChildProcess;
  /** SIGTERM to each, then waits for all to exit. */
  stopAll(): Promise<void>;
}

/** A JSON call to an API started here, with an admin key (the processes install it from FULCRUM_ADMIN_KEY). */
export async function callWithKey(baseUrl: string, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export function fulcrumProcesses(): FulcrumProcesses {
  const children: ChildProcess[] = [];
  return {
    start(entry, env, options = {}) {
      const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, entry)], {
        cwd: projectRoot,
        env: { ...process.env, LOG_LEVEL: 'error', ...env },
        stdio: ['ignore', options.output ? 'pipe' : 'ignore', 'ignore'],
      });
      if (options.output && child.stdout) {
        let partial = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          const lines = (partial + chunk).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) options.output!(line);
        });
      }
      children.push(child);
      return child;
    },
    async stopAll() {
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)))));
    },
  };
}
