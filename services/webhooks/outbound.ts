// Outgoing webhook requests that cannot be turned against the deployment's own network: the
// host is resolved once, every address it gives is checked (domain/webhooks/target-address.ts),
// and the connection goes to the address that was checked (no second lookup for a rebinding
// DNS server to answer differently). Redirects are never followed (a 3xx is a failed delivery)
// and at most a few KiB of the answer are read.
import { promises as dns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { lookup, LookupAddress } from 'node:dns';
import { allowedTargets, isIpAddress, refusedTarget, type AllowedTargets } from '../../domain/webhooks/target-address.ts';

/** Resolves a host to all its addresses (the system resolver, or a test's). */
export type Resolver = (host: string) => Promise<readonly LookupAddress[]>;

export const systemResolver: Resolver = (host) => dns.lookup(host, { all: true, verbatim: true });

/** How much of a receiver's answer is read: enough for an error message, never a download. */
export const MAX_RESPONSE_BYTES = 4096;

export interface TargetPolicy {
  allowed: AllowedTargets;
  resolve: Resolver;
}

export function targetPolicy(allowHosts: readonly string[], resolve: Resolver = systemResolver): TargetPolicy {
  return { allowed: allowedTargets(allowHosts), resolve };
}

export type CheckedTarget = { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: string; unresolved?: true };

/** Resolves the URL's host and checks every address it gave; the first is the one to connect to. */
export async function checkTarget(url: URL, policy: TargetPolicy): Promise<CheckedTarget> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: readonly LookupAddress[];
  const literal = isIpAddress(host);
  if (literal) {
    addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await policy.resolve(host);
    } catch (err) {
      return { ok: false, reason: `${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, unresolved: true };
    }
  }
  if (addresses.length === 0) return { ok: false, reason: `${host} does not resolve`, unresolved: true };
  for (const { address } of addresses) {
    const refused = refusedTarget(host, address, policy.allowed);
    if (refused) return { ok: false, reason: `${literal ? refused : `${host} resolves to ${refused}`}, inside the network; a deployment allows such hosts in FULCRUM_WEBHOOK_ALLOW_HOSTS` };
  }
  const first = addresses[0]!;
  return { ok: true, address: first.address, family: first.family === 6 ? 6 : 4 };
}

export type PostOutcome = { statusCode: number; body: string } | { error: string; refused?: true };

/** POSTs `body` to `url` at the checked address; never follows a redirect. */
export async function postToTarget(url: URL, request: { headers: Record<string, string>; body: string; timeoutMs: number }, policy: TargetPolicy): Promise<PostOutcome> {
  const target = await checkTarget(url, policy);
  if (!target.ok) return { error: `refused: ${target.reason}`, refused: true };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<PostOutcome>((resolve) => {
    const req = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        agent: false,
        timeout: request.timeoutMs,
        // The connection goes where the check looked, whatever DNS says now (TLS still verifies the hostname).
        lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
          if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
          else callback(null, target.address, target.family);
        }) as unknown as typeof lookup,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size >= MAX_RESPONSE_BYTES) return;
          chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - size));
          size += chunk.length;
          if (size >= MAX_RESPONSE_BYTES) res.destroy();
        });
        const done = () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${request.timeoutMs} ms`)));
    req.on('error', (err) => resolve({ error: err.message }));
    req.end(request.body);
  });
}
