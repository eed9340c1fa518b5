// The pure parts of the trust boundaries: event patterns matched in linear time, which
// addresses a webhook may reach, how much of an answer is read, and the in-memory set of
// live credentials.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { KnownCredentials } from '../../api/known-credentials.ts';
import { eventPatternMatches, MAX_PATTERN_STARS, starCount } from '../../domain/webhooks/event-pattern.ts';
import { allowedTargets, forbiddenAddressClass, refusedTarget } from '../../domain/webhooks/target-address.ts';
import { MAX_RESPONSE_BYTES, postToTarget, targetPolicy } from '../../services/webhooks/outbound.ts';

describe('event patterns', () => {
  it('keep the contract’s meaning: * is any run of characters', () => {
    const cases: [string, string, boolean][] = [
      ['order.*', 'order.routed', true],
      ['order.*', 'fulfillment.shipped', false],
      ['*', 'return.refunded', true],
      ['*', '', true],
      ['fulfillment.shipped', 'fulfillment.shipped_late', false],
      ['*.shipped', 'fulfillment.shipped', true],
      ['*.shipped', 'fulfillment.shipped_late', false],
      ['order.*ed', 'order.routed', true],
      ['order.*ed', 'order.route', false],
      ['*a*b*', 'xxaxxbxx', true],
      ['*a*b*', 'xxbxxaxx', false],
      ['a*a', 'a', false],
      ['a*a', 'aa', true],
      ['**', 'anything', true],
      ['*ab*ab', 'ab_ab_ab', true],
    ];
    for (const [pattern, type, expected] of cases) expect(eventPatternMatches(pattern, type), `${pattern} ~ ${type}`).toBe(expected);
  });

  it('match a worst case for a backtracking regex (eight stars, a near miss on a long type) at once', () => {
    // `^.*a.*a.*a.*a.*a.*a.*a.*b$` on 200,000 a's takes a backtracking engine longer than this test may run.
    const pattern = `${'*a'.repeat(MAX_PATTERN_STARS - 1)}*b`;
    expect(starCount(pattern)).toBe(MAX_PATTERN_STARS);
    const type = 'a'.repeat(200_000);
    expect(eventPatternMatches(pattern, type)).toBe(false);
    expect(eventPatternMatches(pattern, `${type}b`)).toBe(true);
  });
});

describe('webhook target addresses', () => {
  it('allow public unicast only, judging an IPv4-mapped address as the IPv4 address it carries', () => {
    expect(forbiddenAddressClass('93.184.216.34')).toBeUndefined();
    expect(forbiddenAddressClass('2606:2800:220:1:248:1893:25c8:1946')).toBeUndefined();
    const inside: [string, RegExp][] = [
      ['127.0.0.1', /loopback/],
      ['127.255.0.9', /loopback/],
      ['::1', /loopback/],
      ['10.0.0.1', /private/],
      ['172.31.255.255', /private/],
      ['192.168.0.1', /private/],
      ['169.254.169.254', /link-local/],
      ['fe80::1', /link-local/],
      ['fd00:ec2::254', /unique-local/],
      ['100.100.100.200', /carrier-grade NAT/],
      ['224.0.0.251', /multicast/],
      ['ff02::1', /multicast/],
      ['0.0.0.0', /unspecified/],
      ['::', /unspecified/],
      ['255.255.255.255', /broadcast/],
      ['::ffff:127.0.0.1', /loopback/],
      ['::ffff:7f00:1', /loopback/],
      ['::ffff:169.254.169.254', /link-local/],
      ['64:ff9b::a00:1', /reserved/],
      ['2002:a00:1::', /reserved/],
      ['240.0.0.1', /reserved/],
    ];
    for (const [address, why] of inside) expect(forbiddenAddressClass(address), address).toMatch(why);
  });

  it('let a deployment allow hosts by name, address or range', () => {
    const allowed = allowedTargets(['localhost', '127.0.0.0/8', '::1', 'receiver.internal']);
    expect(refusedTarget('localhost', '127.0.0.1', allowed)).toBeUndefined();
    expect(refusedTarget('anything', '127.0.0.2', allowed)).toBeUndefined();
    expect(refusedTarget('anything', '::1', allowed)).toBeUndefined();
    expect(refusedTarget('receiver.internal', '10.9.9.9', allowed)).toBeUndefined();
    expect(refusedTarget('other.internal', '10.9.9.9', allowed)).toMatch(/10\.9\.9\.9 is private/);
    expect(refusedTarget('anything', '169.254.169.254', allowed)).toMatch(/link-local/);
    expect(refusedTarget('anything', '93.184.216.34', allowedTargets([]))).toBeUndefined();
  });

  it('refuse a delivery to every class, before connecting', async () => {
    const policy = targetPolicy([], async (host) => [{ address: host.replace(/^x-/, '').replace(/-/g, '.'), family: 4 }]);
    for (const host of ['x-127-0-0-1', 'x-10-0-0-1', 'x-169-254-169-254', 'x-100-64-0-1', 'x-0-0-0-0']) {
      const outcome = await postToTarget(new URL(`http://${host}:9/hook`), { headers: {}, body: '{}', timeoutMs: 1000 }, policy);
      expect(outcome, host).toMatchObject({ refused: true, error: expect.stringMatching(/^refused: /) });
    }
    for (const url of ['http://[::1]:9/', 'http://[fd00::1]:9/', 'http://[::ffff:10.0.0.1]:9/', 'http://127.0.0.1:9/']) {
      expect(await postToTarget(new URL(url), { headers: {}, body: '{}', timeoutMs: 1000 }, policy), url).toMatchObject({ refused: true });
    }
  });

  it('read at most a few KiB of an answer, and take a redirect as the answer it is', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(307, { location: 'http://127.0.0.1:9/elsewhere' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const more = () => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('close', () => undefined);
      more();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const policy = targetPolicy(['127.0.0.1']);
      const big = await postToTarget(new URL(`${base}/big`), { headers: {}, body: '{}', timeoutMs: 10_000 }, policy);
      expect(big).toMatchObject({ statusCode: 200 });
      expect((big as { body: string }).body.length).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
      expect(await postToTarget(new URL(`${base}/redirect`), { headers: {}, body: '{}', timeoutMs: 10_000 }, policy)).toMatchObject({ statusCode: 307 });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('the set of live credentials', () => {
  it('reloads for an unknown hash at most once per interval, sharing one load', async () => {
    let loads = 0;
    let now = 0;
    let live = ['a'];
    const known = new KnownCredentials(async () => {
      loads += 1;
      return live;
    }, 2_000, () => now);
    expect(await known.has('a')).toBe(true);
    expect(loads).toBe(1);
    live = ['a', 'b'];
    const guesses = await Promise.all(Array.from({ length: 50 }, (_, i) => known.has(`guess-${i}`)));
    expect(guesses.every((g) => !g)).toBe(true);
    expect(loads).toBe(1);
    expect(await known.has('b')).toBe(false);
    now += 2_000;
    expect(await known.has('b')).toBe(true);
    expect(loads).toBe(2);
    known.add('c');
    expect(await known.has('c')).toBe(true);
    expect(loads).toBe(2);
  });
});
