// The crash-and-restart run behind `npm run chaos` (and its smaller twin in `npm test`): its own
// Postgres and Temporal dev server (both persistent, so they can be restarted), the real API,
// and the real worker as a child process. Clients place orders and drive each to the state
// its script names, retrying through outages as a real client would (same body, same
// Idempotency-Key, reading the state back before acting again), while the worker is killed
// with SIGKILL, Temporal is restarted and Postgres is restarted. Then every count that would
// show a loss or a duplicate is taken from the database and Temporal.
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { checkInventoryInvariants } from '../../db/inventory/invariants.ts';
import type { Db } from '../../db/knex.ts';
import { driveOrder, EXPECTED, scriptOf, seedChaosNetwork, until, type DriveClients } from './chaos-drive.ts';
import { startChaosStack, startPostgres, startTemporal, startWorker, stopChaosStack, type Stack } from './chaos-stack.ts';
import { saveHistory } from './history-file.ts';
import { eachConcurrently, sleep } from './wait.ts';

export { scriptOf, type Script } from './chaos-drive.ts';

export interface ChaosOptions {
  orders: number;
  clients: number;
  /** Faults, each when this share of the orders has been placed. */
  faults: { at: number; what: 'kill-worker' | 'restart-temporal' | 'restart-postgres' }[];
  log?: (line: string) => void;
  /** A directory to save the histories of orders that did not end as scripted (for a post-mortem). */
  keepHistoriesOfMismatches?: string;
}


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

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const { stack, databaseUrl, codec, clients, counters } = await startChaosStack();
  try {
    await seedChaosNetwork(clients.ops, options.orders);
    startWorker(stack, databaseUrl);
    const placed = new Map<number, string>();
    const faults = faultInjector(stack, options, placed, log);
    const failures = await driveAll(options, clients, placed, () => faults.check());
    await faults.done();
    log(`${placed.size} orders placed; ${failures.length} scripts did not finish; checking`);
    const { mismatches, withoutWorkflow } = await settle(stack, clients, codec, placed, failures, options);
    return {
      ordersPlaced: placed.size,
      ordersWithoutWorkflow: withoutWorkflow,
      ordersNotInExpectedState: mismatches.length,
      faults: faults.happened,
      ...(await lossesAndDuplicates(stack.db, [...placed.values()])),
      clientRetries: counters.retries,
      seconds: Math.round((Date.now() - started) / 1000),
      mismatches: mismatches.slice(0, 20),
    };
  } finally {
    await stopChaosStack(stack);
  }
}

/** The faults, each injected once its share of the orders has been placed (one at a time). */
function faultInjector(stack: Stack, options: ChaosOptions, placed: Map<number, string>, log: (line: string) => void) {
  const { dir, temporalPort, pgPort } = stack;
  const happened: string[] = [];
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
      happened.push(`${fault.what} after ${placed.size} orders`);
    }
  };
  let faulting: Promise<void> = Promise.resolve();
  return {
  happened,
  check: () => {
    faulting = faulting.then(injectFaults);
  },
  done: () => faulting,
  };
}

/** The clients place and drive every order; what did not finish is reported with its trail. */
async function driveAll(options: ChaosOptions, clients: DriveClients, placed: Map<number, string>, afterPlacing: () => void): Promise<string[]> {
  const failures: string[] = [];
  await eachConcurrently(options.orders, options.clients, async (i) => {
    const trail: string[] = [];
    await driveOrder(i, clients, trail, (orderId) => {
      placed.set(i, orderId);
      afterPlacing();
    }).catch((err: Error) => failures.push(`order ${i} (${scriptOf(i)}) [${trail.join(', ')}]: ${err.message.slice(0, 300)}`));
  });
  return failures;
}

/** Everything settles: the read models catch up with the workflows; what does not end as scripted is a mismatch. */
async function settle(stack: Stack, clients: DriveClients, codec: PayloadCodec, placed: Map<number, string>, failures: string[], options: ChaosOptions) {
  const { api, db } = stack;
  const { web } = clients;
  const log = options.log ?? (() => {});
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
  return { mismatches, withoutWorkflow };
}

/** Every count that would show a loss or a duplicate, from the database. */
export async function lossesAndDuplicates(db: Db, ids: string[]) {
  const one = async (sql: string, bindings: string[][] = []) => Number(((await db.raw(sql, bindings)) as { rows: { n: string }[] }).rows[0]?.n ?? 0);
  return {
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
  };
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
