// `npm run bench:intake`: how many orders per second the order path takes, against what
// Temporal itself does on the same server in the same run. One Postgres and one Temporal dev
// server started here; the real API (in this process) and the real worker (a child process,
// then two); closed-loop clients at 1, 8, 32 and 64:
//   (a) a bare workflow that returns at once, (b) one with a single no-op activity,
//   (c) POST /v1/orders?wait=routed (one-line ship orders), (d) orders driven to completed
//   (pick, pack, handoff, delivered) through the API.
// Prints orders/s, p50/p95/p99, (c) ÷ (a), and the history events and activities per order.
process.env.FULCRUM_RATE_LIMIT_PER_MINUTE ??= '10000000';
const { NativeConnection, Worker, bundleWorkflowCode } = await import('@temporalio/worker');
const { join } = await import('node:path');
const fsSync = await import('node:fs');
const { driveOrder, orderBody, seedChaosNetwork } = await import('../scripts/lib/chaos-drive.ts');
const { spawnWorker, startChaosStack, startWorker, stopChaosStack } = await import('../scripts/lib/chaos-stack.ts');
const { workflowBundleOptions } = await import('../workers/worker.ts');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,8,32,64').split(',').map(Number);

interface Cell {
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  failed: number;
}

/** CPU seconds used so far by each part of the stack, from /proc (Linux): where an operation's time goes. */
function cpuByPart(): Map<string, number> {
  const { readdirSync, readFileSync } = fsSync;
  const tick = 100; // USER_HZ on Linux
  const parts = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / tick;
    const part = Number(entry) === process.pid ? 'API + clients' : comm.startsWith('temporal') || comm === 'server' ? 'Temporal' : comm.startsWith('postgres') ? 'Postgres' : comm.startsWith('node') || comm.startsWith('tsx') ? 'worker' : undefined;
    if (part) parts.set(part, (parts.get(part) ?? 0) + seconds);
  }
  return parts;
}

/** CPU milliseconds per operation by part while `run` ran. */
async function cpuPerOperation<T extends Cell>(run: () => Promise<T>): Promise<T & { cpu: Map<string, number> }> {
  const before = cpuByPart();
  const started = Date.now();
  const cell = await run();
  const after = cpuByPart();
  const operations = Math.max(1, Math.round((cell.perSecond * (Date.now() - started)) / 1000));
  const cpu = new Map([...after].map(([part, s]) => [part, ((s - (before.get(part) ?? 0)) * 1000) / operations]));
  return { ...cell, cpu };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** `clients` loops run `op` back to back for SECONDS; an op that returns false counts as failed. */
async function closedLoop(clients: number, op: (n: number) => Promise<boolean>): Promise<Cell> {
  const latencies: number[] = [];
  let failed = 0;
  let n = 0;
  const end = Date.now() + SECONDS * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        const ok = await op(n++).catch(() => false);
        if (ok) latencies.push(performance.now() - t0);
        else failed += 1;
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), failed };
}

const { temporal: proto } = (await import('@temporalio/proto')).default;
const eventName = (type: unknown) => (typeof type === 'number' ? (proto.api.enums.v1.EventType[type] ?? String(type)) : String(type)).replace('EVENT_TYPE_', '');

/** BENCH_TRACE=1: when each history event of a few routed orders happened, from the request's start (ms). */
async function traceOrders(routedOrder: () => Promise<string | undefined>): Promise<void> {
  for (let k = 0; k < 3; k++) {
    const t0 = Date.now();
    const id = await routedOrder();
    const took = Date.now() - t0;
    if (!id) continue;
    const order = await temporal.workflow.getHandle(`order-${id}`).fetchHistory();
    const child = order.events?.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)?.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
    const lines: string[] = [];
    for (const [who, history] of [['order', order], ['child', child ? await temporal.workflow.getHandle(child).fetchHistory() : undefined]] as const) {
      for (const e of history?.events ?? []) {
        const at = Number(e.eventTime?.seconds ?? 0) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6);
        lines.push(`${String(at - t0).padStart(5)} ms ${who} ${eventName(e.eventType)}`);
      }
    }
    console.error(`order ${id}: answered after ${took} ms\n${lines.sort((a, b) => parseInt(a) - parseInt(b)).join('\n')}`);
  }
}

const { stack, databaseUrl, clients } = await startChaosStack();
const temporal = stack.api.deps.temporal;
try {
  // The network: two warehouses with stock for every order the run can place.
  await seedChaosNetwork(clients.ops, 1_000_000);
  // One bundle for every worker of the run.
  const bundlePath = join(stack.dir, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode(workflowBundleOptions);
  (await import('node:fs')).writeFileSync(bundlePath, code);
  process.env.FULCRUM_WORKFLOW_BUNDLE = bundlePath;
  startWorker(stack, databaseUrl);

  const connection = await NativeConnection.connect({ address: stack.temporal.address });
  const bare = await Worker.create({ connection, taskQueue: 'bench-bare', workflowsPath: join(import.meta.dirname, 'bare-workflows.ts'), activities: { noop: async () => {} } });
  const bareRun = bare.run();

  let orderSeq = 0;
  const routedOrder = async () => {
    const i = 4 * orderSeq++; // unique in the run; scriptOf(i) is 'deliver' for multiples of 4
    const r = await clients.web('POST', '/v1/orders?wait=routed', orderBody(i), undefined);
    return r.status === 201 && r.body?.status === 'routed' ? (r.body.id as string) : undefined;
  };
  // Warm-up: the worker's first orders pay for caches and connections.
  for (let i = 0; i < 5; i++) await routedOrder();
  if (process.env.BENCH_TRACE) await traceOrders(routedOrder);

  const rows: string[] = [];
  const profile: string[] = [];
  const sampleIds: string[] = [];
  for (const n of CLIENTS) {
    const a = await cpuPerOperation(() => closedLoop(n, async (k) => (await temporal.workflow.execute('emptyWorkflow', { taskQueue: 'bench-bare', workflowId: `bare-a-${n}-${k}-${Date.now()}` }), true)));
    const b = await closedLoop(n, async (k) => (await temporal.workflow.execute('oneActivityWorkflow', { taskQueue: 'bench-bare', workflowId: `bare-b-${n}-${k}-${Date.now()}` }), true));
    const c = await cpuPerOperation(() =>
      closedLoop(n, async () => {
        const id = await routedOrder();
        if (id && sampleIds.length < 5) sampleIds.push(id);
        return id !== undefined;
      }),
    );
    const parts = [...new Set([...a.cpu.keys(), ...c.cpu.keys()])].sort();
    profile.push(`| ${n} | ${parts.map((p) => `${p} ${(a.cpu.get(p) ?? 0).toFixed(1)} / ${(c.cpu.get(p) ?? 0).toFixed(1)}`).join(' · ')} |`);
    const d = await closedLoop(n, async () => {
      const i = 4 * orderSeq++;
      await driveOrder(i, clients, [], () => {});
      return true;
    });
    if (process.env.BENCH_TRACE) await traceOrders(routedOrder);
    const fmt = (x: Cell) => `${x.perSecond.toFixed(1)} | ${Math.round(x.p50)} / ${Math.round(x.p95)} / ${Math.round(x.p99)} ms${x.failed ? ` (${x.failed} failed)` : ''}`;
    rows.push(`| ${n} | ${fmt(a)} | ${fmt(b)} | ${fmt(c)} | ${fmt(d)} | ${(c.perSecond / a.perSecond).toFixed(2)} |`);
    console.error(`clients ${n} done`);
  }

  // History events and activities per routed order (the order and its fulfillment, as they stand at routed).
  let events = 0;
  let activities = 0;
  let localActivities = 0;
  let workflowTasks = 0;
  for (const id of sampleIds) {
    const order = await temporal.workflow.getHandle(`order-${id}`).fetchHistory();
    const fulfillmentIds = order.events?.flatMap((e) => (e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ? [e.startChildWorkflowExecutionInitiatedEventAttributes.workflowId] : [])) ?? [];
    for (const history of [order, ...(await Promise.all(fulfillmentIds.map((w) => temporal.workflow.getHandle(w).fetchHistory())))]) {
      events += history.events?.length ?? 0;
      activities += history.events?.filter((e) => e.activityTaskScheduledEventAttributes).length ?? 0;
      // A local activity leaves a marker (a patch leaves one too, under another name).
      localActivities += history.events?.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length ?? 0;
      workflowTasks += history.events?.filter((e) => e.workflowTaskCompletedEventAttributes).length ?? 0;
    }
  }
  const per = (x: number) => (sampleIds.length ? (x / sampleIds.length).toFixed(1) : '–');

  console.log(`\nOrder intake, ${SECONDS} s per cell, same ${process.env.FULCRUM_TEMPORAL_SERVER === 'cluster' ? 'Temporal server (Postgres persistence and SQL visibility)' : 'Temporal dev server'} and Postgres, same run (one worker process).\n`);
  console.log('| clients | (a) empty workflow /s | p50 / p95 / p99 | (b) one activity /s | p50 / p95 / p99 | (c) routed orders /s | p50 / p95 / p99 | (d) to completed /s | p50 / p95 / p99 | (c) ÷ (a) |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
  console.log('\nCPU milliseconds per operation by process, (a) empty workflow / (c) routed order:\n');
  console.log('| clients | part (a) / (c) |');
  console.log('| ---: | --- |');
  for (const row of profile) console.log(row);
  console.log(`\nPer routed order (order + fulfillment workflows at routed, mean of ${sampleIds.length}): ${per(events)} history events, ${per(workflowTasks)} workflow tasks, ${per(activities)} activity tasks and ${per(localActivities)} local activities.`);

  // Scale out: the same routed orders with a second worker process.
  const one = await closedLoop(32, async () => (await routedOrder()) !== undefined);
  const second = spawnWorker(stack, databaseUrl);
  await new Promise((resolve) => setTimeout(resolve, 8000));
  const two = await closedLoop(32, async () => (await routedOrder()) !== undefined);
  second.kill('SIGTERM');
  console.log(`\nRouted orders/s at 32 clients: one worker ${one.perSecond.toFixed(1)} (p50 ${Math.round(one.p50)} ms), two workers ${two.perSecond.toFixed(1)} (p50 ${Math.round(two.p50)} ms).`);
  bare.shutdown();
  await bareRun;
  await connection.close();
} finally {
  await stopChaosStack(stack);
}
