// The crash-and-restart run behind `npm run chaos` (and its smaller twin in `npm test`): its own
// Postgres and Temporal dev server (both persistent, so they can be restarted), the real API,
// and the real worker as a child process. Clients place orders and drive each to the state
// its script names, retrying through outages as a real client would (same body, same
// Idempotency-Key, reading the state back before acting again), while the worker is killed
// with SIGKILL, Temporal is restarted and Postgres is restarted. Then every count that would
// show a loss or a duplicate is taken from the database and Temporal.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import pino from 'pino';
import { projectRoot } from '../../config/index.ts';
import { startApi, type RunningApi } from '../../api/server.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../../db/embedded-postgres.ts';
import { checkInventoryInvariants } from '../../db/inventory/invariants.ts';
import { createDb, migrateLatest, type Db } from '../../db/knex.ts';
import { createApiKeysRepository, generateApiKey } from '../../db/repositories/api-keys.ts';
import { generatePayloadKey } from '../../services/temporal/payload-codec.ts';
import { payloadCodec } from '../../services/temporal/options.ts';
import { freePort, startTemporalDevServer, type RunningDevServer } from '../../workers/temporal-dev-server.ts';
import { saveHistory } from './history-file.ts';

export interface ChaosOptions {
  orders: number;
  clients: number;
  /** Faults, each when this share of the orders has been placed. */
  faults: { at: number; what: 'kill-worker' | 'restart-temporal' | 'restart-postgres' }[];
  log?: (line: string) => void;
  /** A directory to save the histories of orders that did not end as scripted (for a post-mortem). */
  keepHistoriesOfMismatches?: string;
}

export type Script = 'deliver' | 'cancel' | 'route';
const EXPECTED: Record<Script, string> = { deliver: 'completed', cancel: 'cancelled', route: 'routed' };

export interface ChaosReport {
  ordersPlaced: number;
  ordersWithoutWorkflow: number;
  ordersNotInExpectedState: number;
  faults: string[];
  duplicateReservations: number;
  duplicateLedgerRows: number;
  duplicateCaptures: number;
  duplicateRefunds: number;
  duplicateLabels: number;
  leakedReservations: number;
  invariantViolations: number;
  clientRetries: number;
  seconds: number;
  /** Orders whose state was not the expected one, for the report. */
  mismatches: string[];
}

// HTTP answers are read loosely, as a client script reads JSON it did not type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Stack {
  dir: string;
  pgPort: number;
  temporalPort: number;
  postgres: RunningPostgres;
  temporal: RunningDevServer;
  db: Db;
  api: RunningApi;
  worker?: ChildProcess;
  payloadKeys: string;
  taskQueue: string;
  stopping: boolean;
}

async function startPostgres(dir: string, port: number) {
  return startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port, persistent: true });
}

async function startTemporal(dir: string, port: number) {
  return startTemporalDevServer({ port, headless: true, dbFilename: join(dir, 'temporal.sqlite'), logFile: join(dir, 'temporal.log') });
}

/** The real worker entry point; restarted by this supervisor whenever it dies (as a process manager would). */
function startWorker(stack: Stack, databaseUrl: string): void {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'workers/main.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: `127.0.0.1:${stack.temporalPort}`,
      FULCRUM_TASK_QUEUE: stack.taskQueue,
      FULCRUM_PAYLOAD_KEYS: stack.payloadKeys,
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  stack.worker = child;
  child.once('exit', () => {
    if (stack.stopping || stack.worker !== child) return;
    setTimeout(() => {
      if (!stack.stopping && stack.worker === child) startWorker(stack, databaseUrl);
    }, 500);
  });
}

/** A client that retries through outages: network errors, 5xx, 429 and "still being processed". */
function chaosClient(url: string, key: string, counters: { retries: number }) {
  return async function call(method: string, path: string, body?: unknown, idempotencyKey?: string, until = Date.now() + 240_000) {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(40_000),
        });
        const text = await res.text();
        const retryable = res.status >= 500 || res.status === 429 || (res.status === 409 && /still being processed/.test(text));
        if (!retryable || Date.now() > until) return { status: res.status, body: text ? (JSON.parse(text) as Json) : undefined };
      } catch (err) {
        if (Date.now() > until) throw err;
      }
      counters.retries += 1;
      await sleep(Math.min(200 * 2 ** Math.min(attempt, 5), 5000));
    }
  };
}

function orderBody(i: number) {
  return {
    channel: 'web',
    channelOrderId: `CHAOS-${i}`,
    customer: { id: `c-${i % 50}`, name: 'Chaos Customer', email: 'chaos@example.com' },
    fulfillment: { method: 'ship', shipTo: { line1: '233 S Wacker Dr', city: 'Chicago', region: 'IL', postalCode: '60606', country: 'US', geo: { lat: 41.8789, lon: -87.6359 } } },
    serviceLevel: 'standard',
    lines: [{ lineId: '1', sku: i % 2 === 0 ? 'CHAOS-A' : 'CHAOS-B', quantity: 1, unitPrice: { amount: 1500, currency: 'USD' } }],
    payment: { authorizationId: `pay_chaos_${i}`, amount: { amount: 1500, currency: 'USD' } },
  };
}

export function scriptOf(i: number): Script {
  return (['deliver', 'deliver', 'cancel', 'route'] as const)[i % 4]!;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'fulcrum-chaos-'));
  const [pgPort, temporalPort] = await Promise.all([freePort(), freePort()]);
  const postgres = await startPostgres(dir, pgPort);
  await postgres.createDatabase('fulcrum');
  const databaseUrl = postgres.url('fulcrum');
  const temporal = await startTemporal(dir, temporalPort);
  // Postgres is restarted on purpose here: its connection errors are expected, not news.
  const quiet = () => {};
  const db = createDb(databaseUrl, { max: 40 }, { mode: 'off' }, { warn: quiet, error: quiet, debug: quiet, deprecate: quiet });
  await migrateLatest(db);
  const payloadKeys = generatePayloadKey('chaos');
  const codec = payloadCodec({ payloadKeys, payloadKeyId: undefined })!;
  const taskQueue = 'chaos';
  const api = await startApi({ codec, db, temporalAddress: temporal.address, namespace: 'default', taskQueue, port: 0, logger: pino({ level: 'silent' }) });
  const stack: Stack = { dir, pgPort, temporalPort, postgres, temporal, db, api, payloadKeys, taskQueue, stopping: false };
  const keys = createApiKeysRepository(db);
  const made = async (role: 'ops' | 'channel' | 'carrier' | 'exceptions', extra: { channel?: string } = {}) => {
    const key = generateApiKey();
    await keys.create(key, { id: `key_chaos_${role}`, name: `chaos ${role}`, role, ...extra });
    return key;
  };
  const counters = { retries: 0 };
  const ops = chaosClient(api.url, await made('ops'), counters);
  const web = chaosClient(api.url, await made('channel', { channel: 'web' }), counters);
  const exceptions = chaosClient(api.url, await made('exceptions'), counters);
  const carrier = chaosClient(api.url, await made('carrier'), counters);
  const faultsDone: string[] = [];
  try {
    const location = { name: 'Chaos DC', type: 'warehouse', timezone: 'America/Chicago', active: true, capabilities: { ship: true, pickup: false, curbside: false, sameDay: false, returns: true } };
    await ops('PUT', '/v1/locations/WH-1', { ...location, geo: { lat: 41.88, lon: -87.64 } });
    await ops('PUT', '/v1/locations/WH-2', { ...location, geo: { lat: 41.9, lon: -87.7 } });
    for (const sku of ['CHAOS-A', 'CHAOS-B']) {
      await ops('PUT', `/v1/skus/${sku}`, { name: sku, weightGrams: 400 });
      await ops('PUT', `/v1/inventory/WH-1/${sku}`, { onHand: options.orders });
      await ops('PUT', `/v1/inventory/WH-2/${sku}`, { onHand: options.orders });
    }
    startWorker(stack, databaseUrl);

    const placed = new Map<number, string>();
    let next = 0;
    let faultIndex = 0;
    const faults = [...options.faults].sort((a, b) => a.at - b.at);
    const injectFaults = async () => {
      while (faultIndex < faults.length && placed.size >= faults[faultIndex]!.at * options.orders) {
        const fault = faults[faultIndex++]!;
        log(`fault at ${placed.size} orders: ${fault.what}`);
        if (fault.what === 'kill-worker') stack.worker?.kill('SIGKILL');
        if (fault.what === 'restart-temporal') {
          await stack.temporal.stop();
          await sleep(1000);
          stack.temporal = await startTemporal(dir, temporalPort);
        }
        if (fault.what === 'restart-postgres') {
          await stack.postgres.stop();
          await sleep(1000);
          stack.postgres = await startPostgres(dir, pgPort);
        }
        faultsDone.push(`${fault.what} after ${placed.size} orders`);
      }
    };
    let faulting: Promise<void> = Promise.resolve();

    const steps = new Map<number, string[]>();
    const drive = async (i: number) => {
      const script = scriptOf(i);
      const trail: string[] = [];
      steps.set(i, trail);
      const note = async (what: string, call: Promise<{ status: number; body: Json }>) => {
        const r = await call;
        trail.push(`${what} ${r.status}${r.status >= 300 ? ` ${String(r.body?.detail ?? '').slice(0, 80)}` : ''}`);
        return r;
      };
      const created = await web('POST', '/v1/orders?wait=routed', orderBody(i), `create-${i}`);
      if (created.status !== 201 && created.status !== 200) throw new Error(`order ${i}: ${created.status} ${JSON.stringify(created.body)}`);
      const orderId = created.body.id as string;
      placed.set(i, orderId);
      faulting = faulting.then(injectFaults);
      if (script === 'route') return;
      // Read back until routed: the answer may have come from a retry while routing was under way.
      const routed = await until(() => web('GET', `/v1/orders/${orderId}`), (o) => o.body?.fulfillments?.some((f: { status: string }) => f.status === 'pending'));
      if (script === 'cancel') {
        await note('cancel', exceptions('POST', `/v1/orders/${orderId}/cancel`, { reason: 'chaos: customer changed their mind' }, `cancel-${i}`));
        await until(() => web('GET', `/v1/orders/${orderId}`), (o) => o.body?.status === 'cancelled');
        return;
      }
      const fulfillmentId = routed.body.fulfillments.find((f: { status: string }) => f.status === 'pending').id as string;
      // Read until the API answers (it may say 503 "not answering yet" while no worker runs).
      const fulfillment = () => until(() => ops('GET', `/v1/fulfillments/${fulfillmentId}`), (r) => r.status === 200);
      const now = await fulfillment();
      if (now.body?.status === 'pending') await note('pick', ops('POST', `/v1/fulfillments/${fulfillmentId}/pick`, { scans: [{ barcode: routed.body.lines[0].sku, quantity: 1 }] }, `pick-${i}`));
      await until(fulfillment, (f) => f.body?.status !== 'pending');
      if ((await fulfillment()).body?.status === 'picking') {
        await note('pack', ops('POST', `/v1/fulfillments/${fulfillmentId}/pack`, { packages: [{ weightGrams: 500, lengthCm: 20, widthCm: 15, heightCm: 10 }] }, `pack-${i}`));
      }
      const packed = await until(fulfillment, (f) => f.body?.status !== 'picking');
      if (packed.body.status === 'packed') await note('handoff', ops('POST', `/v1/fulfillments/${fulfillmentId}/handoff`, {}, `handoff-${i}`));
      const shipped = await until(fulfillment, (f) => f.body?.status === 'shipped' || f.body?.status === 'delivered');
      await carrier('POST', `/v1/carriers/${shipped.body.carrier}/events`, { trackingNumber: shipped.body.trackingNumber, status: 'delivered', at: new Date().toISOString() }, `delivered-${i}`);
      await until(() => web('GET', `/v1/orders/${orderId}`), (o) => o.body?.status === 'completed');
    };

    async function until(read: () => Promise<{ status: number; body: Json }>, done: (r: { status: number; body: Json }) => boolean, ms = 240_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const r = await read();
        if (done(r)) return r;
        if (Date.now() > deadline) throw new Error(`gave up waiting; last ${r.status} ${JSON.stringify(r.body)?.slice(0, 300)}`);
        await sleep(150);
      }
    }

    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: options.clients }, async () => {
        while (next < options.orders) {
          const i = next++;
          await drive(i).catch((err: Error) => failures.push(`order ${i} (${scriptOf(i)}) [${steps.get(i)?.join(', ')}]: ${err.message.slice(0, 300)}`));
        }
      }),
    );
    await faulting;
    log(`${placed.size} orders placed; ${failures.length} scripts did not finish; checking`);

    // Everything settles: the read models catch up with the workflows.
    const mismatches: string[] = [...failures];
    let withoutWorkflow = 0;
    for (const [i, orderId] of placed) {
      try {
        await api.deps.temporal.workflow.getHandle(`order-${orderId}`).describe();
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) withoutWorkflow += 1;
        else throw err;
      }
      const expected = EXPECTED[scriptOf(i)];
      const row = await db('orders').where({ id: orderId }).first();
      if (row?.status !== expected) {
        const settled = await until(() => web('GET', `/v1/orders/${orderId}`), (o) => o.body?.status === expected, 30_000).catch(() => undefined);
        const again = await db('orders').where({ id: orderId }).first();
        if (!settled || again?.status !== expected) {
          mismatches.push(`order ${i} ${orderId}: ${again?.status ?? 'missing'}, expected ${expected}`);
          if (options.keepHistoriesOfMismatches) await keepHistories(orderId, options.keepHistoriesOfMismatches);
        }
      }
    }
    async function keepHistories(orderId: string, into: string) {
      const fulfillments = (await db('fulfillments').where({ order_id: orderId }).select('id')) as { id: string }[];
      for (const workflowId of [`order-${orderId}`, ...fulfillments.map((f) => `fulfillment-${f.id}`)]) {
        await saveHistory(api.deps.temporal, workflowId, join(into, `${workflowId}.json`), codec).catch((err: Error) => log(`could not keep ${workflowId}: ${err.message}`));
      }
    }
    const ids = [...placed.values()];
    const one = async (sql: string, bindings: string[][] = []) => Number(((await db.raw(sql, bindings)) as { rows: { n: string }[] }).rows[0]?.n ?? 0);
    return {
      ordersPlaced: placed.size,
      ordersWithoutWorkflow: withoutWorkflow,
      ordersNotInExpectedState: mismatches.length,
      faults: faultsDone,
      // More units held or committed for a line than it ordered.
      duplicateReservations: await one(
        `SELECT count(*) AS n FROM (SELECT order_id, line_id FROM reservations WHERE state IN ('held','committed') AND order_id = ANY(?) GROUP BY order_id, line_id HAVING sum(quantity) > 1) d`,
        [ids],
      ),
      // Each reservation is taken once and committed at most once. (A routing attempt that died
      // before deciding releases its reservations and reserves again: reserve, release, reserve
      // are three real movements, each with its own reservation row, not a duplicate.)
      duplicateLedgerRows:
        Math.max(0, (await one(`SELECT count(*) AS n FROM inventory_ledger WHERE reason = 'reserve' AND split_part(reference, '/', 1) = ANY(?)`, [ids])) - (await one(`SELECT count(*) AS n FROM reservations WHERE order_id = ANY(?)`, [ids]))) +
        Math.max(0, (await one(`SELECT count(*) AS n FROM inventory_ledger WHERE reason = 'commit' AND split_part(reference, '/', 1) = ANY(?)`, [ids])) - (await one(`SELECT count(*) AS n FROM reservations WHERE state = 'committed' AND order_id = ANY(?)`, [ids]))),
      duplicateCaptures: await one(`SELECT count(*) AS n FROM (SELECT order_id FROM payment_transactions WHERE kind = 'capture' GROUP BY order_id HAVING count(*) > 1 OR sum(amount) > 1500) d`),
      duplicateRefunds: await one(`SELECT count(*) AS n FROM (SELECT order_id FROM payment_transactions WHERE kind = 'refund' GROUP BY order_id HAVING count(*) > 1) d`),
      duplicateLabels: await one(
        `SELECT count(*) AS n FROM (SELECT f.order_id FROM shipping_labels l JOIN fulfillments f ON f.id = l.fulfillment_id WHERE l.voided_at IS NULL GROUP BY f.order_id HAVING count(*) > 1) d`,
      ),
      leakedReservations: await one(`SELECT count(*) AS n FROM reservations r JOIN orders o ON o.id = r.order_id WHERE r.state = 'held' AND o.status IN ('completed','cancelled')`),
      invariantViolations: (await checkInventoryInvariants(db)).length,
      clientRetries: counters.retries,
      seconds: Math.round((Date.now() - started) / 1000),
      mismatches: mismatches.slice(0, 20),
    };
  } finally {
    stack.stopping = true;
    stack.worker?.kill('SIGKILL');
    await api.close().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    await stack.temporal.stop().catch(() => undefined);
    await stack.postgres.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The report as ops would read it: one count a line, every loss and duplicate named. */
export function formatChaosReport(report: ChaosReport): string {
  const lines = [
    `orders placed                      ${report.ordersPlaced}`,
    `orders without a workflow          ${report.ordersWithoutWorkflow}`,
    `orders not in their script's state ${report.ordersNotInExpectedState}`,
    `duplicate reservations             ${report.duplicateReservations}`,
    `duplicate ledger rows              ${report.duplicateLedgerRows}`,
    `duplicate captures                 ${report.duplicateCaptures}`,
    `duplicate refunds                  ${report.duplicateRefunds}`,
    `duplicate labels                   ${report.duplicateLabels}`,
    `leaked reservations                ${report.leakedReservations}`,
    `inventory invariant violations     ${report.invariantViolations}`,
    `client retries through the faults  ${report.clientRetries}`,
    `faults                             ${report.faults.join('; ')}`,
    `took                               ${report.seconds} s`,
    ...report.mismatches.map((m) => `  ${m}`),
  ];
  return lines.join('\n');
}
