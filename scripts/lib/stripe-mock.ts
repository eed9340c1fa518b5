// Stripe's own mock of its API (github.com/stripe/stripe-mock), built by `node
// scripts/bootstrap.mjs --stripe-mock`. It validates every request against Stripe's OpenAPI
// specification and answers with fixtures; it keeps no state, so it proves that each request
// Fulcrum makes is one Stripe accepts, not what Stripe would then hold. Bound to 127.0.0.1 for
// HTTP and HTTPS (it would otherwise listen on every interface). `requests()` reads what it was
// asked from its verbose log.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../config/index.ts';
import { freePort } from '../dev/temporal-dev-server.ts';
import { waitFor } from './wait.ts';

export interface StripeRequest {
  method: string;
  path: string;
  /** The form fields as stripe-mock printed them (`map[amount_to_capture:1200 …]`). */
  data: string;
  status?: number;
}

export interface RunningStripeMock {
  url: string;
  requests(): StripeRequest[];
  stop(): Promise<void>;
}

export async function startStripeMock(): Promise<RunningStripeMock> {
  const [http, https] = [await freePort(), await freePort()];
  const binary = join(projectRoot, '.tools', 'stripe-mock', 'bin', 'stripe-mock');
  const child = spawn(binary, ['-verbose', '-http-addr', `127.0.0.1:${http}`, '-https-addr', `127.0.0.1:${https}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const seen: StripeRequest[] = [];
  let buffer = '';
  const read = (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      const request = /^Request: (GET|POST|DELETE) (\S+)/.exec(line);
      if (request) seen.push({ method: request[1]!, path: request[2]!, data: '' });
      const data = /^Request data: (.*)$/.exec(line);
      if (data && seen.length > 0) seen.at(-1)!.data = data[1]!;
      const response = /^Response: .*status=(\d+)/.exec(line);
      if (response && seen.length > 0) seen.at(-1)!.status = Number(response[1]);
    }
  };
  child.stdout!.on('data', read);
  child.stderr!.on('data', read);
  const url = `http://127.0.0.1:${http}`;
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  };
  try {
    await waitFor(`stripe-mock on ${url} (is it built? node scripts/bootstrap.mjs --stripe-mock)`, async () => (await fetch(`${url}/v1/balance`, { headers: { authorization: 'Bearer sk_test_123' }, signal: AbortSignal.timeout(2000) })).ok, {
      ms: 30_000,
      everyMs: 200,
      process: child,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, requests: () => [...seen], stop };
}
