// Scale out: two API processes and two worker processes (the real entry points, as a
// deployment runs them) against one Temporal and one Postgres. 200 one-unit orders race for
// 10 units through both APIs: exactly 10 are reserved, the rest wait as backordered; once
// every order is cancelled nothing is held, and the inventory invariants hold throughout.
// What is per process by design: the reservation batcher (it batches a process's own
// concurrent reservations; the database's guarded UPDATE decides between processes), the
// API's rate limits (per process; a deployment divides or shares them), and the webhook
// dispatcher (every worker runs one; deliveries are claimed with SKIP LOCKED and a lease).
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Db } from '../../db/knex.ts';
import { freePort } from '../../scripts/dev/temporal-dev-server.ts';
import { generatePayloadKey } from '../../services/temporal/payload-codec.ts';
import { generateApiKey } from '../../db/repositories/api-keys.ts';
import { eventually } from '../support/eventually.ts';
import { locationBody, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { callWithKey, fulcrumProcesses } from '../support/processes.ts';
import { createTestDatabase } from '../support/stack.ts';

const processes = fulcrumProcesses();
let db: Db;
let apis: string[] = [];
const adminKey = generateApiKey();

const call = (api: string, method: string, path: string, body?: unknown) => callWithKey(api, adminKey, method, path, body);

beforeAll(async () => {
  const created = await createTestDatabase();
  db = created.db;
  const env = {
    DATABASE_URL: created.databaseUrl,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    FULCRUM_TASK_QUEUE: `scale-out-${process.pid}`,
    FULCRUM_PAYLOAD_KEYS: generatePayloadKey('scale'),
    FULCRUM_ADMIN_KEY: adminKey,
    FULCRUM_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
  };
  const ports = [await freePort(), await freePort()];
  apis = ports.map((port) => `http://127.0.0.1:${port}`);
  for (const port of ports) processes.start('api/main.ts', { ...env, PORT: String(port) });
  for (let i = 0; i < 2; i++) processes.start('workers/main.ts', env);
  for (const api of apis) await eventually(() => fetch(`${api}/ready`).then((r) => r.status, () => 0), (s) => s === 200, `${api} ready`, 60_000);
  const seeded = await call(apis[0]!, 'PUT', '/v1/locations/WH-1', locationBody(41.88, -87.64));
  expect(seeded.status).toBeLessThan(300);
  expect((await call(apis[1]!, 'PUT', '/v1/skus/RACE', { name: 'Race', weightGrams: 300 })).status).toBeLessThan(300);
  expect((await call(apis[0]!, 'PUT', '/v1/inventory/WH-1/RACE', { onHand: 10 })).status).toBe(200);
}, 180_000);

afterAll(async () => {
  await processes.stopAll();
  await db?.destroy();
});

describe('two APIs and two workers', () => {
  it('reserve exactly the 10 units 200 racing orders ask for, and leak nothing', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => call(apis[i % 2]!, 'POST', '/v1/orders?wait=routed', shipOrder(`RACE-${i}`, [{ sku: 'RACE', quantity: 1 }]))),
    );
    expect(answers.filter((a) => a.status !== 201)).toEqual([]);
    const ids = answers.map((a) => a.body.id as string);
    // Every order has decided (some answers may have come before their decision reached the read model).
    const statuses = await eventually(
      async () => (await db('orders').whereIn('id', ids).select('status')).map((r: { status: string }) => r.status),
      (s) => s.length === 200 && s.every((x) => x === 'routed' || x === 'backordered'),
      'every order decided',
      60_000,
    );
    expect(statuses.filter((s) => s === 'routed')).toHaveLength(10);
    expect(await db('reservations').where({ state: 'held' }).sum({ n: 'quantity' }).first()).toEqual({ n: 10 });
    const level = (await call(apis[1]!, 'GET', '/v1/availability?sku=RACE&locationId=WH-1')).body.items[0].locations[0];
    expect(level).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    await expectInventoryConsistent(db);

    for (const [i, id] of ids.entries()) expect((await call(apis[i % 2]!, 'POST', `/v1/orders/${id}/cancel`, { reason: 'race over' })).status).toBe(200);
    await eventually(() => db('reservations').where({ state: 'held' }).count({ n: '*' }).first(), (r) => Number(r?.n) === 0, 'nothing held', 60_000);
    await eventually(async () => (await db('orders').whereIn('id', ids).whereNot({ status: 'cancelled' }).count({ n: '*' }).first())?.n, (n) => Number(n) === 0, 'every order cancelled', 60_000);
    await expectInventoryConsistent(db);
  }, 240_000);
});
