// `npm run bench:worker-memory [-- --orders 10000 --measure 2000]`: how much memory a worker
// needs for open orders, and what bounds it. One Postgres, one Temporal dev server and the API
// (in this process); the real worker as a child process, started twice on the same servers:
//   (a) baseline: a cache large enough that every open workflow stays in it.
//       `--measure` orders are placed and routed, and the worker's resident memory growth
//       divided by the workflows it caches is the memory per cached open workflow.
//   (b) bounded: FULCRUM_MAX_CACHED_WORKFLOWS and the heap as docs/deploy.md sets them.
//       `--orders` more orders (each an open order workflow and an open fulfillment workflow)
//       are placed; its resident memory must stay within the bound (evictions, not growth).
// Prints both and their ratio; exits 1 when (b) outgrows its bound or its cache its size.
process.env.FULCRUM_RATE_LIMIT_PER_MINUTE ??= '10000000';
const { readFileSync } = await import('node:fs');
const { orderBody, seedChaosNetwork } = await import('../scripts/lib/chaos-drive.ts');
const { spawnWorker, startChaosStack, stopChaosStack } = await import('../scripts/lib/chaos-stack.ts');
const { freePort } = await import('../scripts/dev/temporal-dev-server.ts');
const { eachConcurrently, sleep, waitFor } = await import('../scripts/lib/wait.ts');
const { WORKER_MEMORY } = await import('../config/worker-memory.ts');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}
const ORDERS = option('orders', 10_000);
const MEASURE = option('measure', 2_000);
const WARMUP = 200;
const MiB = 1024 * 1024;

// The workflows prebuilt, as the production image has them: a worker that bundles at start keeps webpack's memory.
const { bundleWorkflowCode } = await import('@temporalio/worker');
const { workflowBundleOptions } = await import('../workers/worker.ts');
const { stack, databaseUrl, clients } = await startChaosStack();
const bundlePath = `${stack.dir}/workflow-bundle.js`;
(await import('node:fs')).writeFileSync(bundlePath, (await bundleWorkflowCode(workflowBundleOptions)).code);
process.env.FULCRUM_WORKFLOW_BUNDLE = bundlePath;
type Child = ReturnType<typeof spawnWorker>;

/** Resident memory of a process (Linux), in MiB. */
function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return (kb * 1024) / MiB;
}

async function cacheOf(metricsUrl: string): Promise<{ size: number; evictions: number }> {
  const text = await (await fetch(metricsUrl)).text();
  const sum = (name: RegExp) => text.split('\n').filter((l) => name.test(l)).reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
  return { size: sum(/^temporal_sticky_cache_size[{ ]/), evictions: sum(/^temporal_sticky_cache_total_forced_eviction(_total)?[{ ]/) };
}

async function routed(): Promise<number> {
  return Number((await stack.db('orders').where({ status: 'routed' }).count({ n: '*' }).first())!.n);
}

/** Places orders [from, to) 16 at a time and waits until all are routed; samples the worker's memory meanwhile. */
async function place(from: number, to: number, worker: Child, peak: { rss: number }): Promise<void> {
  const sampler = setInterval(() => (peak.rss = Math.max(peak.rss, rssMiB(worker.pid!))), 1000);
  try {
    await eachConcurrently(to - from, 16, async (k) => {
      const i = from + k;
      const res = await clients.web('POST', '/v1/orders', orderBody(i), `mem-${i}`);
      if (res.status !== 201 && res.status !== 200) throw new Error(`order ${i}: ${res.status} ${JSON.stringify(res.body)}`);
    });
    const deadline = Date.now() + 30 * 60_000;
    while ((await routed()) < to && Date.now() < deadline) await sleep(2000);
    if ((await routed()) < to) throw new Error(`only ${await routed()} of ${to} orders routed`);
  } finally {
    clearInterval(sampler);
  }
}

async function startWorkerWith(env: NodeJS.ProcessEnv): Promise<{ child: Child; metricsUrl: string }> {
  const port = await freePort();
  const child = spawnWorker(stack, databaseUrl, { ...env, FULCRUM_WORKER_METRICS_ADDRESS: `127.0.0.1:${port}` });
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;
  await waitFor('the worker', async () => (await fetch(metricsUrl)).ok, { ms: 180_000, everyMs: 500, process: child });
  return { child, metricsUrl };
}

async function stopWorker(child: Child): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(30_000)]);
  child.kill('SIGKILL');
}

/** A quiet moment, then the worker's memory and cache. */
async function settle(worker: Child, metricsUrl: string) {
  await sleep(10_000);
  return { rss: rssMiB(worker.pid!), ...(await cacheOf(metricsUrl)) };
}

let failed = false;
try {
  await seedChaosNetwork(clients.ops, WARMUP + MEASURE + ORDERS + 100);
  console.log(`worker memory: (a) baseline, a cache nothing is evicted from, ${MEASURE} orders after ${WARMUP} to warm up`);
  // Large enough that nothing is evicted: every open workflow stays cached.
  const a = await startWorkerWith({ FULCRUM_MAX_CACHED_WORKFLOWS: '1000000' });
  const peakA = { rss: 0 };
  await place(0, WARMUP, a.child, peakA);
  const before = await settle(a.child, a.metricsUrl);
  await place(WARMUP, WARMUP + MEASURE, a.child, peakA);
  const after = await settle(a.child, a.metricsUrl);
  await stopWorker(a.child);
  const cached = after.size - before.size;
  const perWorkflow = (after.rss - before.rss) / Math.max(1, cached);
  console.log(`  resident ${before.rss.toFixed(0)} → ${after.rss.toFixed(0)} MiB (peak ${peakA.rss.toFixed(0)}); cached workflows ${before.size} → ${after.size}, evictions ${after.evictions}`);
  console.log(`  per cached open workflow: ${(perWorkflow * 1024).toFixed(0)} KiB; per open order (order + fulfillment): ${(((after.rss - before.rss) / MEASURE) * 1024).toFixed(0)} KiB`);

  const { maxCachedWorkflows, heapMiB, boundMiB } = WORKER_MEMORY;
  console.log(`worker memory: (b) FULCRUM_MAX_CACHED_WORKFLOWS=${maxCachedWorkflows}, --max-old-space-size=${heapMiB}: ${ORDERS} more orders (bound ${boundMiB} MiB resident)`);
  const b = await startWorkerWith({ FULCRUM_MAX_CACHED_WORKFLOWS: String(maxCachedWorkflows), NODE_OPTIONS: `--max-old-space-size=${heapMiB}` });
  const peakB = { rss: 0 };
  const start = WARMUP + MEASURE;
  const steps = 5;
  for (let step = 1; step <= steps; step++) {
    await place(start + Math.floor(((step - 1) * ORDERS) / steps), start + Math.floor((step * ORDERS) / steps), b.child, peakB);
    const now = await settle(b.child, b.metricsUrl);
    console.log(`  ${start + Math.floor((step * ORDERS) / steps)} open orders: resident ${now.rss.toFixed(0)} MiB (peak ${peakB.rss.toFixed(0)}), cached ${now.size}, evictions ${now.evictions}`);
    if (step === steps) {
      failed = peakB.rss > boundMiB || now.size > maxCachedWorkflows || now.evictions === 0;
    }
  }
  await stopWorker(b.child);
  console.log(`worker memory: peak resident (b) ÷ (a): ${(peakB.rss / peakA.rss).toFixed(2)} with ${(ORDERS / MEASURE).toFixed(1)}× the open orders`);
  console.log(failed ? `FAIL: the bounded worker outgrew ${boundMiB} MiB or its cache` : `PASS: the bounded worker stayed within ${boundMiB} MiB, evicting rather than growing`);
} finally {
  await stopChaosStack(stack);
}
process.exit(failed ? 1 : 0);
