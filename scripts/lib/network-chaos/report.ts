// What `npm run chaos:network` found: from the clients' own records (what each was told, how
// long it waited), from Postgres and Temporal directly (what exists, what runs), and from the
// readiness samples. Every count that must be zero is named in `failures`.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../../../db/knex.ts';
import { lossesAndDuplicates } from '../chaos.ts';
import { FAULT_TEXT, type Window } from './faults.ts';
import type { Attempt, Placement, ReadySample } from './orders.ts';

export interface NetworkChaosReport {
  orders: number;
  counts: Record<string, number>;
  /** `<status> <detail>` (or timeout / connection error) for every answer that was not 2xx or 4xx. */
  failuresByKind: Record<string, number>;
  /** Orders by the attempt that settled them. */
  attemptsNeeded: Record<string, number>;
  windows: { name: string; attempts: number; p50: number; p95: number; p99: number; max: number; outcomes: Record<string, number> }[];
  readiness: string[];
  failures: string[];
}

const isOk = (outcome: Attempt['outcome']) => typeof outcome === 'number' && outcome < 300;
const isFailure = (outcome: Attempt['outcome']) => typeof outcome !== 'number' || outcome >= 500;
const kindOf = (a: Attempt) => `${a.outcome} ${a.detail}`;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Request times and outcomes per fault window, by the window each attempt started in. */
function perWindow(attempts: Attempt[], windows: Window[]) {
  const groups = new Map<string, Attempt[]>();
  for (const a of attempts) {
    const w = windows.find((x) => a.start >= x.start && a.start < x.end);
    const name = w ? (w.name === 'calm' ? 'calm' : FAULT_TEXT[w.name]) : 'after the schedule';
    groups.set(name, [...(groups.get(name) ?? []), a]);
  }
  return [...groups].map(([name, list]) => {
    const ms = list.map((a) => a.ms).sort((x, y) => x - y);
    const outcomes: Record<string, number> = {};
    for (const a of list) outcomes[String(a.outcome)] = (outcomes[String(a.outcome)] ?? 0) + 1;
    return { name, attempts: list.length, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), max: ms.at(-1) ?? 0, outcomes };
  });
}

/** For each outage: how long /ready took to say 503 after it began, and 200 after it ended. */
function readiness(samples: ReadySample[], windows: Window[]): { lines: string[]; slow: string[] } {
  const lines: string[] = [];
  const slow: string[] = [];
  for (const w of windows.filter((x) => x.name === 'pg-down' || x.name === 'temporal-down')) {
    const down = samples.find((s) => s.at >= w.start && !s.ready);
    const back = samples.find((s) => s.at >= w.end && s.ready);
    const downIn = down ? (down.at - w.start) / 1000 : undefined;
    const backIn = back ? (back.at - w.end) / 1000 : undefined;
    const line = `${FAULT_TEXT[w.name as 'pg-down']} (cycle ${w.cycle}): /ready 503 after ${downIn?.toFixed(1) ?? 'never'} s, 200 again ${backIn?.toFixed(1) ?? 'never'} s after it ended`;
    lines.push(line);
    // A sample takes up to 3 s (the check's own 2 s timeouts) and comes every 250 ms; coming
    // back waits for gRPC's reconnect backoff, which grows with the outage's length.
    if (downIn === undefined || downIn > 5 || backIn === undefined || backIn > 30) slow.push(line);
  }
  return { lines, slow };
}

/** What exists and runs, read past the proxies; waits up to `settleMs` for every order to be routed. */
async function stateOfOrders(db: Db, temporal: Client, settleMs: number) {
  const deadline = Date.now() + settleMs;
  while ((await db('orders').whereNot({ status: 'routed' }).count({ n: '*' }).first())!.n !== 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const orders = (await db('orders').select('id', 'channel_order_id', 'status')) as { id: string; channel_order_id: string; status: string }[];
  const fulfillments = (await db('fulfillments').select('id', 'order_id')) as { id: string; order_id: string }[];
  let notRunning = 0;
  for (const workflowId of [...orders.map((o) => `order-${o.id}`), ...fulfillments.map((f) => `fulfillment-${f.id}`)]) {
    const status = await temporal.workflow
      .getHandle(workflowId)
      .describe()
      .then((d) => d.status.name)
      .catch((err: unknown) => (err instanceof WorkflowNotFoundError ? 'NOT_FOUND' : Promise.reject(err)));
    if (status !== 'RUNNING') notRunning += 1;
  }
  const one = async (sql: string) => Number(((await db.raw(sql)) as { rows: { n: string }[] }).rows[0]?.n ?? 0);
  return {
    orders,
    notRouted: orders.filter((o) => o.status !== 'routed').length,
    notRunning,
    duplicateOrders: await one(`SELECT count(*) AS n FROM (SELECT 1 FROM orders GROUP BY channel, channel_order_id HAVING count(*) > 1) d`),
    held: await one(`SELECT coalesce(sum(quantity), 0) AS n FROM reservations WHERE state = 'held'`),
    allocated: await one(`SELECT coalesce(sum(reserved), 0) AS n FROM inventory_levels`),
  };
}

export async function buildReport(input: {
  db: Db;
  temporal: Client;
  placements: Placement[];
  windows: Window[];
  samples: ReadySample[];
  processExits: string[];
  settleMs: number;
}): Promise<NetworkChaosReport> {
  const { placements, windows } = input;
  const attempts = placements.flatMap((p) => p.attempts);
  const state = await stateOfOrders(input.db, input.temporal, input.settleMs);
  const existing = new Set(state.orders.map((o) => o.id));
  const sideEffects = await lossesAndDuplicates(input.db, [...existing]);
  const failuresByKind: Record<string, number> = {};
  for (const a of attempts.filter((x) => isFailure(x.outcome))) failuresByKind[kindOf(a)] = (failuresByKind[kindOf(a)] ?? 0) + 1;
  const attemptsNeeded: Record<string, number> = {};
  for (const p of placements) attemptsNeeded[String(p.attempts.length)] = (attemptsNeeded[String(p.attempts.length)] ?? 0) + 1;
  const ready = readiness(input.samples, windows);
  const counts: Record<string, number> = {
    'orders told 2xx': placements.filter((p) => isOk(p.final)).length,
    'orders that exist': state.orders.length,
    'lost (told 2xx, not in Postgres)': placements.filter((p) => p.orderId && !existing.has(p.orderId)).length,
    'unanswered (retries ran out)': placements.filter((p) => !isOk(p.final)).length,
    'duplicate orders': state.duplicateOrders + placements.filter((p) => p.ids.size > 1).length,
    'duplicate reservations': sideEffects.duplicateReservations,
    'duplicate ledger rows': sideEffects.duplicateLedgerRows,
    'stuck (not routed)': state.notRouted,
    'workflows not running': state.notRunning,
    'units ordered': state.orders.length,
    'units held': state.held,
    'units allocated': state.allocated,
    'inventory invariant violations': sideEffects.invariantViolations,
    '500s (5xx other than 503)': attempts.filter((a) => typeof a.outcome === 'number' && a.outcome >= 500 && a.outcome !== 503).length,
    '503s': attempts.filter((a) => a.outcome === 503).length,
    'client timeouts': attempts.filter((a) => a.outcome === 'timeout').length,
    'connection errors': attempts.filter((a) => a.outcome === 'connection error').length,
    '409s after a 5xx': placements.filter((p) => p.attempts.some((a, i) => a.outcome === 409 && p.attempts.slice(0, i).some((b) => isFailure(b.outcome)))).length,
    '409s': attempts.filter((a) => a.outcome === 409).length,
    'other 4xx': attempts.filter((a) => typeof a.outcome === 'number' && a.outcome >= 400 && a.outcome < 500 && a.outcome !== 409).length,
    "201 'received' (routing after the answer)": placements.filter((p) => p.attempts.at(-1)?.detail === 'received').length,
    retries: attempts.length - placements.length,
    'process exits': input.processExits.length,
  };
  const mustBeZero = [
    'lost (told 2xx, not in Postgres)',
    'unanswered (retries ran out)',
    'duplicate orders',
    'duplicate reservations',
    'duplicate ledger rows',
    'stuck (not routed)',
    'workflows not running',
    'inventory invariant violations',
    '500s (5xx other than 503)',
    '409s',
    'other 4xx',
    'process exits',
  ];
  const failures = [
    ...mustBeZero.filter((name) => counts[name] !== 0).map((name) => `${name}: ${counts[name]}`),
    ...(counts['units held'] === counts['units ordered'] && counts['units allocated'] === counts['units ordered'] ? [] : ['units held, allocated and ordered differ']),
    ...(counts['orders that exist'] === placements.length ? [] : [`${counts['orders that exist']} orders exist of ${placements.length} placed`]),
    ...ready.slow.map((line) => `readiness slow: ${line}`),
    // A fault no request met proves nothing.
    ...windows.filter((w) => w.name !== 'calm' && !attempts.some((a) => a.start >= w.start && a.start < w.end)).map((w) => `no request began during: ${FAULT_TEXT[w.name as 'pg-down']} (cycle ${w.cycle})`),
    ...input.processExits,
  ];
  return { orders: placements.length, counts, failuresByKind, attemptsNeeded, windows: perWindow(attempts, windows), readiness: ready.lines, failures };
}

export function formatReport(report: NetworkChaosReport): string {
  const pad = (s: string, n: number) => s.padEnd(n);
  return [
    ...Object.entries(report.counts).map(([name, n]) => `${pad(name, 44)}${n}`),
    'orders by the attempt that settled them: ' + Object.entries(report.attemptsNeeded).map(([n, c]) => `${n}: ${c}`).join(', '),
    'failed answers by kind:',
    ...Object.entries(report.failuresByKind)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `  ${String(n).padStart(5)}  ${kind}`),
    'request times by the window the attempt began in (ms):',
    `  ${pad('window', 40)}${['attempts', 'p50', 'p95', 'p99', 'max'].map((h) => h.padStart(9)).join('')}  outcomes`,
    ...report.windows.map(
      (w) => `  ${pad(w.name, 40)}${[w.attempts, w.p50, w.p95, w.p99, w.max].map((v) => String(v).padStart(9)).join('')}  ${Object.entries(w.outcomes).map(([o, n]) => `${o}×${n}`).join(' ')}`,
    ),
    'readiness:',
    ...report.readiness.map((line) => `  ${line}`),
    report.failures.length === 0 ? 'PASS: nothing lost, duplicated or stuck; no 500 and no 409' : `FAIL:\n${report.failures.map((f) => `  ${f}`).join('\n')}`,
  ].join('\n');
}
