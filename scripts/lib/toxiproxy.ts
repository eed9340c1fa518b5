// Shopify's toxiproxy (built by `node scripts/bootstrap.mjs --toxiproxy` into .tools/toxiproxy)
// and a client for its HTTP API: TCP proxies in front of Postgres and Temporal whose links can
// be slowed, reset, cut, or made to swallow every byte while the connection stays open.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/index.ts';
import { freePort } from '../dev/temporal-dev-server.ts';
import { waitFor } from './wait.ts';

export const TOXIPROXY_BIN = join(projectRoot, '.tools', 'toxiproxy', 'bin');

export type Toxic =
  | { type: 'latency'; attributes: { latency: number; jitter: number } }
  | { type: 'reset_peer'; attributes: { timeout: number } }
  | { type: 'timeout'; attributes: { timeout: number } };

export interface Toxiproxy {
  url: string;
  /** A proxy listening on a free local port in front of `upstream`; answers the port. */
  proxy(name: string, upstream: string): Promise<number>;
  /** Cut a proxy (its open connections are closed, new ones refused) or put it back. */
  enable(name: string, enabled: boolean): Promise<void>;
  /** A toxic on every link of the proxy, live ones included: on what the server sends back (downstream), or both ways. */
  addToxic(proxy: string, name: string, toxic: Toxic, streams?: ('upstream' | 'downstream')[]): Promise<void>;
  removeToxics(proxy: string): Promise<void>;
  stop(): Promise<void>;
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`toxiproxy ${method} ${path}: ${res.status} ${text}`);
  return text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : text;
}

export async function startToxiproxy(): Promise<Toxiproxy> {
  const server = join(TOXIPROXY_BIN, 'toxiproxy-server');
  if (!existsSync(server)) throw new Error(`toxiproxy is not built: run \`node scripts/bootstrap.mjs --toxiproxy\` (it needs Go)`);
  const port = await freePort();
  const child: ChildProcess = spawn(server, ['-host', '127.0.0.1', '-port', String(port)], { stdio: ['ignore', 'ignore', 'ignore'] });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('toxiproxy-server', async () => (await call(url, 'GET', '/version'), true), { ms: 30_000, everyMs: 100, process: child });
  const toxics = new Map<string, string[]>();
  return {
    url,
    async proxy(name, upstream) {
      const listen = await freePort();
      await call(url, 'POST', '/proxies', { name, listen: `127.0.0.1:${listen}`, upstream, enabled: true });
      return listen;
    },
    async enable(name, enabled) {
      await call(url, 'POST', `/proxies/${name}`, { enabled });
    },
    async addToxic(proxy, name, toxic, streams = ['upstream', 'downstream']) {
      for (const stream of streams) {
        await call(url, 'POST', `/proxies/${proxy}/toxics`, { name: `${name}_${stream}`, stream, toxicity: 1, ...toxic });
        toxics.set(proxy, [...(toxics.get(proxy) ?? []), `${name}_${stream}`]);
      }
    },
    async removeToxics(proxy) {
      for (const name of toxics.get(proxy) ?? []) await call(url, 'DELETE', `/proxies/${proxy}/toxics/${name}`);
      toxics.delete(proxy);
    },
    async stop() {
      child.kill('SIGKILL');
    },
  };
}
