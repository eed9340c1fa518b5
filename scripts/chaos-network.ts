// `npm run chaos:network [-- --short] [--orders N] [--in-flight N]`: Fulcrum's API and worker as
// separate processes, Postgres and Temporal reached only through toxiproxy, orders arriving
// evenly over a schedule of network faults (Postgres slow, reset, down, silently dropping
// bytes; Temporal slow, down), twice. Each request retries as docs/deploy.md tells a channel to.
// Prints what every client was told and what exists, and exits 1 unless nothing was lost,
// duplicated or left stuck, no answer was a 500 or a 409, and every order was answered.
// `--short` runs every fault once, shorter (what .ci/run runs).
import { formatReport, buildReport } from './lib/network-chaos/report.ts';
import { FULL_SCHEDULE, runSchedule, scheduleSeconds, SHORT_SCHEDULE } from './lib/network-chaos/faults.ts';
import { placeOrders, watchReadiness } from './lib/network-chaos/orders.ts';
import { startNetworkChaosStack } from './lib/network-chaos/stack.ts';
import { seedChaosNetwork } from './lib/chaos-drive.ts';
import { chaosClient } from './lib/chaos-stack.ts';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

const short = process.argv.includes('--short');
const schedule = short ? SHORT_SCHEDULE : FULL_SCHEDULE;
const orders = option('orders', short ? 120 : 800);
const inFlight = option('in-flight', 64);
const log = (line: string) => console.log(`chaos:network: ${line}`);
const seconds = scheduleSeconds(schedule);
log(`${orders} orders (at most ${inFlight} requests at once) over ${seconds} s of faults (${schedule.cycles} cycle${schedule.cycles > 1 ? 's' : ''})`);

const stack = await startNetworkChaosStack(log);
let failed = true;
try {
  await seedChaosNetwork(chaosClient(stack.apiUrl, stack.keys.ops, { retries: 0 }), orders);
  const readiness = watchReadiness(stack.apiUrl);
  const t0 = Date.now();
  const [windows, placements] = await Promise.all([
    runSchedule(stack.toxiproxy, schedule, t0, log),
    // The last order is due a calm spell before the schedule ends.
    placeOrders({ url: stack.apiUrl, key: stack.keys.web, orders, inFlight, t0, spacingMs: ((seconds - schedule.calmSeconds) * 1000) / orders }),
  ]);
  log(`all ${placements.length} orders answered or given up on after ${Math.round((Date.now() - t0) / 1000)} s; checking`);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  await readiness.stop();
  const report = await buildReport({
    db: stack.db,
    temporal: stack.temporalClient,
    placements,
    windows,
    samples: readiness.samples,
    processExits: stack.processes.flatMap((p) => p.exits),
    settleMs: 180_000,
  });
  console.log(formatReport(report));
  failed = report.failures.length > 0;
  if (failed) console.log(`chaos:network: the API's and worker's logs: ${stack.dir} (kept)`);
} finally {
  if (failed) process.env.FULCRUM_KEEP_CHAOS_DIR = '1';
  await stack.stop();
}
process.exit(failed ? 1 : 0);
