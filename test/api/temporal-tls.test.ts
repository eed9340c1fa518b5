// Search attributes are registered over the same TLS settings as the worker: against a
// TLS-only Temporal frontend (a TLS terminator in front of the run's dev server, with a
// self-signed certificate made here by openssl), registration with the configured TLS
// succeeds and a plain connection does not.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ensureSearchAttributes } from '../../workers/register-search-attributes.ts';
import { temporalTls } from '../../services/temporal/options.ts';

let dir: string;
let server: Server;
let address: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fulcrum-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=temporal.test', '-addext', 'subjectAltName=DNS:temporal.test',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const [host, port] = inject('temporalAddress').split(':') as [string, string];
  // gRPC over TLS is HTTP/2 (ALPN h2) inside TLS: the same bytes the plaintext port speaks.
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')), ALPNProtocols: ['h2'] }, (socket) => {
    const upstream = connect(Number(port), host);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('search attributes over TLS', () => {
  it('registers over the configured TLS, as the worker connects', async () => {
    const tls = temporalTls({ temporalTls: { enabled: true, caPath: join(dir, 'cert.pem'), serverName: 'temporal.test' } });
    expect(tls).toMatchObject({ serverNameOverride: 'temporal.test' });
    await expect(ensureSearchAttributes(address, 'default', { tls })).resolves.toBeUndefined();
  });

  it('connects with a Temporal Cloud API key over TLS (the SDK sends it; this frontend ignores it)', async () => {
    const tls = temporalTls({ temporalTls: { enabled: true, caPath: join(dir, 'cert.pem'), serverName: 'temporal.test' } });
    await expect(ensureSearchAttributes(address, 'default', { tls, apiKey: 'cloud-key-123' }, 'check')).resolves.toBeUndefined();
  });

  it('cannot register over a plain connection to a TLS-only server', async () => {
    await expect(ensureSearchAttributes(address, 'default')).rejects.toThrow();
  }, 30_000);
});
