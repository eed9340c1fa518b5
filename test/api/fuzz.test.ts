// Property-based fuzzing of every endpoint in the OpenAPI document: malformed, type-confused
// and oversized bodies, odd path segments, query strings and headers — aimed at real
// resources (a seeded location and SKU, a routed order and its fulfillment), so a refusal that
// still changed something would show. No input may produce a 5xx; every error is a problem
// document (a 422 names its fields); and no refused request changes the stock or the ledger.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let key: string;
let operations: { method: string; path: string }[];
let realIds: string[];

beforeAll(async () => {
  stack = await startTestStack();
  const admin = { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' };
  const created = await fetch(`${stack.url}/v1/api-keys`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'fuzzer', role: 'admin', rateLimitPerMinute: 1_000_000 }) });
  key = ((await created.json()) as { key: string }).key;
  await seedNetwork(client(stack, key), { locations: { 'WH-F': locationBody(41.88, -87.64) }, skus: ['FUZZ'], stock: [['WH-F', 'FUZZ', 7]] });
  const web = client(stack, await stack.key('channel', { channel: 'web' }));
  const order = (await web.post('/v1/orders?wait=routed', shipOrder('FUZZ-1', [{ sku: 'FUZZ', quantity: 2 }]))).body;
  realIds = ['WH-F', 'FUZZ', 'web', order.id, order.fulfillments[0].id, 'default'];
  const doc = (await (await fetch(`${stack.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
});
afterAll(async () => stack?.close());

/** The fingerprint once it has stopped changing (for 300 ms). */
async function settledFingerprint(): Promise<string> {
  let last = await stockFingerprint();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await stockFingerprint();
    if (now === last) return now;
    last = now;
  }
}

async function stockFingerprint(): Promise<string> {
  const levels = await stack.db('inventory_levels').orderBy(['location_id', 'sku']).select('location_id', 'sku', 'on_hand', 'reserved', 'safety_stock', 'quarantined');
  const ledger = await stack.db('inventory_ledger').count({ n: '*' }).first();
  return JSON.stringify({ levels, ledger });
}

// Real ids most of the time: the request reaches a resource, and only its body or query is off.
const segment = () => fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...realIds) },
  fc.constant('X-NONE'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('..', '%', '%zz', '%00', ' ', 'a'.repeat(300), '1e309', '-1', '0', '{id}', 'ord_x', 'null'),
);

const typeConfused = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.anything({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v ?? null) ?? 'null') as unknown),
  fc.record({
    reason: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string())),
    lines: fc.oneof(fc.constant([]), fc.array(fc.record({ lineId: fc.oneof(fc.string(), fc.integer()), quantity: fc.oneof(fc.integer(), fc.double(), fc.string()) }), { maxLength: 3 }), fc.string()),
    scans: fc.oneof(fc.array(fc.record({ barcode: fc.oneof(fc.string(), fc.integer()), quantity: fc.oneof(fc.integer(), fc.string()) }), { maxLength: 3 }), fc.constant({})),
    onHand: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(-1)),
    packages: fc.oneof(fc.constant([{}]), fc.array(fc.record({ weightGrams: fc.oneof(fc.integer(), fc.string()) }))),
    shipTo: fc.oneof(fc.constant({}), fc.string(), fc.record({ line1: fc.string(), country: fc.string() })),
  }, { requiredKeys: [] }),
);

function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return 'X';
  }
}

describe('fuzzing every endpoint', () => {
  it('never answers 5xx, always with a problem document naming the field, and changes no stock when it refuses', async () => {
    let fingerprint = await settledFingerprint();
    let requests = 0;
    let accepted = 0;
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(segment(), { minLength: 3, maxLength: 3 }),
          typeConfused,
          fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
          fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
          async (segments, body, query, idempotencyKey) => {
            let i = 0;
            const path = op.path.replace(/\{\w+\}/g, () => encode(segments[i++ % segments.length]!));
            const qs = new URLSearchParams(query).toString();
            const res = await fetch(`${stack.url}${path}${qs ? `?${qs}` : ''}`, {
              method: op.method,
              headers: {
                authorization: `Bearer ${key}`,
                'content-type': 'application/json',
                ...(idempotencyKey !== undefined && /^[\x20-\x7e]*$/.test(idempotencyKey) && idempotencyKey !== '' ? { 'idempotency-key': idempotencyKey } : {}),
              },
              ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { body: JSON.stringify(body) ?? 'null' }),
            });
            requests += 1;
            const text = await res.text();
            if (res.status < 400) {
              accepted += 1;
              // An accepted change may move stock, now or a moment later (a cancel releases it): settle first.
              if (op.method !== 'GET') fingerprint = await settledFingerprint();
            } else {
              const after = await stockFingerprint();
              if (after !== fingerprint) throw new Error(`${op.method} ${path} was refused (${res.status}) but changed stock: ${text.slice(0, 200)}`);
            }
            if (res.status >= 500) throw new Error(`${op.method} ${path}?${qs} → ${res.status} ${text.slice(0, 300)} for body ${JSON.stringify(body)?.slice(0, 300)}`);
            if (res.status >= 400) {
              expect(res.headers.get('content-type')).toContain('application/problem+json');
              const problem = JSON.parse(text) as { type: string; status: number; errors?: { path: string; message: string }[] };
              expect(problem.status).toBe(res.status);
              if (res.status === 422) {
                expect(problem.errors?.length).toBeGreaterThan(0);
                for (const e of problem.errors!) expect(typeof e.path === 'string' && e.path.length > 0 && typeof e.message === 'string').toBe(true);
              }
            }
          },
        ),
        { numRuns: 60 },
      );
    }
    expect(requests).toBeGreaterThan(3000);
    // Most requests are refused: the property is about those.
    expect(accepted).toBeLessThan(requests / 2);

    // Malformed and oversized bodies, and bodies that are not JSON at all.
    for (const op of operations.filter((o) => o.method === 'POST' || o.method === 'PUT')) {
      let i = 0;
      const path = op.path.replace(/\{\w+\}/g, () => realIds[i++ % realIds.length]!);
      for (const [body, type] of [
        ['{"unterminated": ', 'application/json'],
        ['x'.repeat(2 * 1024 * 1024), 'application/json'],
        ['<xml/>', 'application/xml'],
        ['', 'application/json'],
      ] as const) {
        const res = await fetch(`${stack.url}${path}`, { method: op.method, headers: { authorization: `Bearer ${key}`, 'content-type': type }, body });
        expect(res.status, `${op.method} ${path} with ${type} ${body.slice(0, 20)}`).toBeLessThan(500);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    }

    expect(await stockFingerprint()).toBe(fingerprint);
    await expectInventoryConsistent(stack.db);
  }, 600_000);
});

describe('fuzzing sums', () => {
  it('never overflows a count: each change applies exactly when the result fits its column, else 409/422 and nothing changes', async () => {
    const MAX = 2_147_483_647;
    const ops = client(stack, key);
    let run = 0;
    const big = fc.integer({ min: 1, max: 100_000_000 });
    const change = fc.oneof(
      fc.record({ kind: fc.constant('count' as const), onHand: fc.integer({ min: 0, max: 100_000_000 }) }),
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('adjust' as const), delta: fc.oneof(big, big.map((d) => -d), fc.constantFrom(100_000_000, -100_000_000)) }) },
      fc.record({ kind: fc.constant('quarantine' as const), quantity: big, action: fc.constantFrom('quarantine', 'restock', 'dispose') }),
    );
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(change, { minLength: 5, maxLength: 40 }), async (nearTheTop, changes) => {
        run += 1;
        const sku = `SUM-${run}`;
        await ops.put(`/v1/skus/${sku}`, { name: 'Sums', weightGrams: 1 });
        let level = { onHand: 0, quarantined: 0 };
        // Half the runs start 47 million units below the top, where sums overflow an int4.
        if (nearTheTop) {
          expect((await ops.put(`/v1/inventory/WH-F/${sku}`, { onHand: 100_000_000 })).status).toBe(200);
          for (let i = 0; i < 20; i++) expect((await ops.post('/v1/inventory/adjustments', { locationId: 'WH-F', sku, delta: 100_000_000, reason: 'fill' })).status).toBe(200);
          level = { onHand: 2_100_000_000, quarantined: 0 };
        }
        for (const c of changes) {
          let res: Awaited<ReturnType<typeof ops.post>>;
          let next = level;
          if (c.kind === 'count') {
            res = await ops.put(`/v1/inventory/WH-F/${sku}`, { onHand: c.onHand });
            next = { ...level, onHand: c.onHand };
          } else if (c.kind === 'adjust') {
            res = await ops.post('/v1/inventory/adjustments', { locationId: 'WH-F', sku, delta: c.delta, reason: 'fuzz' });
            next = { ...level, onHand: level.onHand + c.delta };
          } else {
            res = await ops.post('/v1/inventory/quarantine', { locationId: 'WH-F', sku, quantity: c.quantity, reason: 'fuzz', action: c.action });
            const q = c.quantity;
            next = c.action === 'quarantine' ? { onHand: level.onHand - q, quarantined: level.quarantined + q } : c.action === 'restock' ? { onHand: level.onHand + q, quarantined: level.quarantined - q } : { ...level, quarantined: level.quarantined - q };
          }
          const fits = next.onHand >= 0 && next.onHand <= MAX && next.quarantined >= 0 && next.quarantined <= MAX;
          const what = `${JSON.stringify(c)} on ${JSON.stringify(level)}: ${res.status} ${res.text.slice(0, 200)}`;
          if (fits) {
            expect(res.status, what).toBe(200);
            level = next;
          } else {
            expect([409, 422], what).toContain(res.status);
          }
          const stored = await stack.db('inventory_levels').where({ location_id: 'WH-F', sku }).first('on_hand', 'quarantined');
          expect({ onHand: stored?.on_hand ?? 0, quarantined: stored?.quarantined ?? 0 }).toEqual(level);
        }
      }),
      { numRuns: 16 },
    );
    await expectInventoryConsistent(stack.db);
  }, 240_000);
});
