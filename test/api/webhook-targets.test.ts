// Webhook targets over HTTP (issue 28): registration refuses every address class inside the
// network, by literal or by what a name resolves to; a delivery re-checks and connects to the
// address it checked, follows no redirect; patterns have at most 8 stars.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetPolicy, type Resolver } from '../../services/webhooks/outbound.ts';
import { startWebhookDispatcher } from '../../workers/webhook-dispatcher.ts';
import { eventually } from '../support/eventually.ts';
import { shipOrder } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';
import { startTrustStack, type Api, type TrustStack } from '../support/trust-stack.ts';

let t: TrustStack;
let stack: TestStack;
let admin: Api;
let web: Api;

/** Hosts a test makes up, resolved as it says (the rest as the system does). */
const fakeDns = new Map<string, () => string>();
const resolve: Resolver = async (host) => {
  const answer = fakeDns.get(host);
  if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  const address = answer();
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};


beforeAll(async () => {
  // Deliveries go out from this file's own dispatcher (below), with its made-up DNS.
  t = await startTrustStack({ webhooks: false });
  ({ stack, admin, web } = t);
  // Registration checks with the same made-up DNS; 127.0.0.1 is allowed, as in the test configuration.
  stack.api.deps.webhookTargets = targetPolicy(['127.0.0.1'], resolve);
});
afterAll(async () => stack?.close());

describe('webhook targets', () => {
  const INSIDE = [
    'http://10.1.2.3/hook',
    'http://172.16.0.9/hook',
    'http://192.168.1.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.100.100.200/latest/meta-data/',
    'http://0.0.0.0/hook',
    'http://224.0.0.1/hook',
    'http://[::1]/hook',
    'http://[fd00:ec2::254]/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:127.0.0.2]/hook',
    'http://[::ffff:10.0.0.1]/hook',
    'http://[64:ff9b::a00:1]/hook',
    'http://127.0.0.2/hook',
    'http://intranet.test/hook',
  ];

  it('refuses, at registration, every address class inside the network, by address or by what a name resolves to', async () => {
    fakeDns.set('127.0.0.1.nip.invalid', () => '127.0.0.1');
    fakeDns.set('intranet.test', () => '10.20.30.40');
    for (const url of INSIDE) {
      const res = await admin.post('/v1/webhooks', { url, events: ['*'], secret: 'tb-secret-0123456789' });
      expect(res.status, `${url}: ${res.text}`).toBe(422);
      expect(res.body.errors[0].path).toBe('url');
    }
    // The deployment allows 127.0.0.1 (an address): a name resolving to it is allowed too, 127.0.0.2 is not (above).
    const allowed = await admin.post('/v1/webhooks', { url: 'http://127.0.0.1.nip.invalid/hook', events: ['*'], secret: 'tb-secret-0123456789' });
    expect(allowed.status).toBe(201);
    await admin.delete(`/v1/webhooks/${allowed.body.id}`);
    expect((await admin.post('/v1/webhooks', { url: 'http://nowhere.invalid/hook', events: ['*'], secret: 'tb-secret-0123456789' })).status).toBe(422);
  });

  it('refuses a delivery to a name that resolves inside the network by then, and never follows a redirect', async () => {
    let stolen = 0;
    const sink = await listen((_req, res) => {
      stolen += 1;
      res.writeHead(204).end();
    });
    let redirected = 0;
    const redirecting = await listen((_req, res) => {
      redirected += 1;
      res.writeHead(303, { location: `http://127.0.0.1:${port(sink)}/stolen` }).end();
    });
    // A public address at registration; loopback (127.0.0.2, not allowed) by the time of delivery.
    let rebound = false;
    fakeDns.set('rebind.test', () => (rebound ? '127.0.0.2' : '93.184.216.34'));
    const rebinding = (await admin.post('/v1/webhooks', { url: `http://rebind.test:${port(sink)}/hook`, events: ['order.*'], secret: 'tb-secret-0123456789' })).body;
    expect(rebinding.id).toBeDefined();
    rebound = true;
    const redirect = (await admin.post('/v1/webhooks', { url: `http://127.0.0.1:${port(redirecting)}/hook`, events: ['order.received'], secret: 'tb-secret-0123456789' })).body;

    const dispatcher = startWebhookDispatcher({ db: stack.db, logger: pino({ level: 'silent' }), intervalMs: 100, baseDelayMs: 60_000, allowHosts: ['127.0.0.1'], resolve });
    try {
      await web.post('/v1/orders?wait=routed', shipOrder('TB-WEBHOOK-1', [{ sku: 'TB-PEN', quantity: 1 }]));
      const refused = await eventually(() => admin.get(`/v1/webhooks/${rebinding.id}/deliveries`), (r) => r.body.items?.some((d: { attempts: number }) => d.attempts > 0), 'a delivery attempt', 30_000);
      const attempt = refused.body.items.find((d: { attempts: number }) => d.attempts > 0);
      expect(attempt).toMatchObject({ status: 'pending', lastStatusCode: null });
      expect(attempt.lastError).toMatch(/refused: rebind\.test resolves to 127\.0\.0\.2 is loopback/);

      const bounced = await eventually(() => admin.get(`/v1/webhooks/${redirect.id}/deliveries`), (r) => r.body.items?.some((d: { attempts: number }) => d.attempts > 0), 'a redirected attempt', 30_000);
      expect(bounced.body.items.find((d: { attempts: number }) => d.attempts > 0)).toMatchObject({ status: 'pending', lastStatusCode: 303, lastError: expect.stringMatching(/redirects are not followed/) });
      expect(redirected).toBeGreaterThanOrEqual(1);
      expect(stolen).toBe(0);
    } finally {
      await dispatcher.stop();
      await admin.delete(`/v1/webhooks/${rebinding.id}`);
      await admin.delete(`/v1/webhooks/${redirect.id}`);
      sink.close();
      redirecting.close();
    }
  });

  it('refuses an event pattern with more than 8 stars', async () => {
    const url = 'http://127.0.0.1:9/hook';
    const forty = await admin.post('/v1/webhooks', { url, events: ['order.routed', '*'.repeat(40)], secret: 'tb-secret-0123456789' });
    expect(forty.status).toBe(422);
    expect(forty.body.errors.map((e: { path: string }) => e.path)).toEqual(['events[1]']);
    expect((await admin.post('/v1/webhooks', { url, events: ['*a*a*a*a*a*a*a*a*a'], secret: 'tb-secret-0123456789' })).status).toBe(422);
    const eight = await admin.post('/v1/webhooks', { url, events: ['*.*.*.*.*.*.*.*'], secret: 'tb-secret-0123456789' });
    expect(eight.status).toBe(201);
    await admin.delete(`/v1/webhooks/${eight.body.id}`);
  });
});


function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function port(server: Server): number {
  return (server.address() as AddressInfo).port;
}

