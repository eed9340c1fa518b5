// /metrics behind a bearer token (FULCRUM_METRICS_TOKEN): the API checks it on its own route;
// the worker's Prometheus endpoint belongs to Temporal's core runtime, which has no auth, so
// the runtime serves on a loopback port and a small guard serves the configured address,
// passing only requests with the token through (all of them when no token is set), and
// answering /health for probes that cannot hold the token.
import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

/** Whether an Authorization header carries the token (compared in constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const sent = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  // Digests first, so the comparison does not leak the token's length.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(sent), digest(token));
}

/** A free loopback port for the runtime's own endpoint. */
export async function freeLoopbackAddress(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

/** Serves `publicAddress` (host:port): a request with the token is passed to `innerAddress`, /health says whether it answers, anything else is 401. */
export async function startMetricsGuard(publicAddress: string, innerAddress: string, token: string | undefined, logger: Logger): Promise<Server> {
  const [innerHost, innerPort] = splitAddress(innerAddress);
  const server = createServer((req, res) => {
    // Probes (which cannot hold a secret) ask /health: whether the runtime's endpoint answers, and nothing of what it says.
    const health = req.url === '/health';
    if (!health && token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="fulcrum-metrics"' }).end('metrics need FULCRUM_METRICS_TOKEN as a bearer token\n');
      return;
    }
    const inner = request({ host: innerHost, port: innerPort, path: health ? '/metrics' : req.url, method: 'GET' }, (answer) => {
      if (health) {
        answer.resume();
        res.writeHead(answer.statusCode === 200 ? 200 : 503, { 'content-type': 'text/plain' }).end(answer.statusCode === 200 ? 'ok\n' : 'metrics not answering\n');
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    inner.on('error', (err) => {
      logger.warn({ err }, 'the runtime’s metrics endpoint did not answer');
      if (!res.headersSent) res.writeHead(502).end();
    });
    inner.end();
  });
  const [host, port] = splitAddress(publicAddress);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  // Like the runtime's own endpoint, it does not keep the process alive once the worker has stopped.
  server.unref();
  return server;
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at).replace(/^\[(.*)\]$/, '$1'), Number(address.slice(at + 1))];
}
