// A worker process killed (SIGKILL) in the middle of a batch of orders, then started again:
// no ledger entry is written twice and no reservation leaks.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../config/index.ts';
import { locationBody, seedNetwork, shipOrder } from '../support/fixtures.ts';
import { expectInventoryConsistent } from '../support/invariants.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let ops: ReturnType<typeof client>;
let web: ReturnType<typeof client>;
const workers: ChildProcess[] = [];

/** The real worker entry point, as the image runs it (with the prebuilt workflow bundle), on this test's database and task queue. */
function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'workers/main.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      FULCRUM_TASK_QUEUE: stack.taskQueue,
      FULCRUM_PAYLOAD_KEYS: stack.payloadKeys,
      FULCRUM_PAYLOAD_REGION_KEYS: stack.payloadRegionKeys,
      // The run's prebuilt bundle, as the image ships one: a start then takes seconds, not a bundling.
      FULCRUM_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The worker logs JSON lines (pino): its Runtime says when it polls.
      if (output.includes('"state":"RUNNING"')) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before running:\n${output}`)));
  });
}

async function settledCount(ids: string[]): Promise<number> {
  const rows = await stack.db('orders').whereIn('id', ids).whereIn('status', ['routed', 'backordered']).select('id');
  return rows.length;
}

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  ops = client(stack, await stack.key('ops'));
  web = client(stack, await stack.key('channel', { channel: 'web' }));
  await seedNetwork(ops, {
    locations: { 'WH-1': locationBody(41.88, -87.64), 'WH-2': locationBody(41.52, -88.08) },
    skus: ['SKU-A', 'SKU-B'],
    stock: [
      ['WH-1', 'SKU-A', 30],
      ['WH-2', 'SKU-A', 30],
      ['WH-1', 'SKU-B', 25],
    ],
  });
});

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await stack?.close();
});

describe('a worker killed mid-batch', () => {
  it('leaves no duplicate ledger entry and no leaked reservation once a worker runs again', async () => {
    const first = await startWorkerProcess();
    const created = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        web.post('/v1/orders', shipOrder(`CRASH-${i}`, [{ sku: 'SKU-A', quantity: 1 }, { sku: 'SKU-B', quantity: 1 }])),
      ),
    );
    const ids = created.map((r) => r.body.id as string);

    // Kill it once some, but not all, orders are routed.
    const deadline = Date.now() + 60_000;
    while ((await settledCount(ids)) < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(await settledCount(ids)).toBeLessThan(ids.length);

    await startWorkerProcess();
    const finish = Date.now() + 120_000;
    while ((await settledCount(ids)) < ids.length && Date.now() < finish) await new Promise((r) => setTimeout(r, 250));
    expect(await settledCount(ids)).toBe(ids.length);

    // Every reservation has exactly one ledger entry, and every ledger key is unique by construction.
    const reservations = await stack.db('reservations').whereIn('order_id', ids);
    const reserveEntries = await stack.db('inventory_ledger').where({ reason: 'reserve' });
    expect(reserveEntries).toHaveLength(reservations.length);

    // Each routed order holds exactly its lines at one location; backordered orders hold nothing.
    const orders = await Promise.all(ids.map(async (id) => (await web.get(`/v1/orders/${id}`)).body));
    for (const order of orders) {
      const held = reservations.filter((r) => r.order_id === order.id && r.state === 'held');
      if (order.status === 'routed') {
        expect(held.map((r) => r.line_id).sort()).toEqual(['1', '2']);
        expect(new Set(held.map((r) => r.location_id))).toEqual(new Set([order.fulfillments[0].locationId]));
      } else {
        expect(order.status).toBe('backordered');
        expect(held).toEqual([]);
      }
    }
    // SKU-B exists only at WH-1 (25 units): exactly 25 orders can be routed.
    expect(orders.filter((o) => o.status === 'routed')).toHaveLength(25);
    await expectInventoryConsistent(stack.db);
  }, 240_000);
});
