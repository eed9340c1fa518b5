// `npm run bench:reservations`: reservations per second through Fulcrum's reserve path
// (reservation row + guarded level update + ledger entry, one statement) against a bare
// single-statement conditional UPDATE, on the same Postgres in the same run, for one hot
// SKU and for 10,000 SKUs at 1, 8, 32 and 64 concurrent clients — and, since Fulcrum batches
// concurrent reservations, against a bare *batched* baseline too (the same in-flight and
// batch limits, one `UPDATE … FROM unnest(…)` per batch), so batching is compared with
// batching. Then a scarcity round per path checks that neither ever oversells; the
// multi-line path (all or nothing in one transaction) and a 10,000-item feed are timed.
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../scripts/dev/embedded-postgres.ts';
import { checkInventoryInvariants } from '../db/inventory/invariants.ts';
import { createDb, migrateLatest, type Db } from '../db/knex.ts';
import { createInventoryRepository } from '../db/repositories/inventory.ts';
import { queryPrepared } from '../db/prepared.ts';
import { freePort } from '../scripts/dev/temporal-dev-server.ts';

const CONCURRENCY = [1, 8, 32, 64];
const SECONDS_PER_RUN = Number(process.env.BENCH_SECONDS ?? 2);
/** Bare and Fulcrum alternate this many times per cell; the median of each is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MANY_SKUS = 10_000;
const LOCATION = 'WH-BENCH';

type Reserve = (sku: string, n: number) => Promise<boolean>;

async function setup(db: Db): Promise<void> {
  await db('locations').insert({
    id: LOCATION, name: 'Bench DC', type: 'warehouse', lat: 41.9, lon: -87.6, timezone: 'America/Chicago',
    active: true, capabilities: JSON.stringify({ ship: true, pickup: false, curbside: false, sameDay: false, returns: false }),
  });
  const skus = Array.from({ length: MANY_SKUS }, (_, i) => `SKU-${i}`);
  await db.batchInsert('skus', ['SKU-HOT', 'SKU-SCARCE', ...skus].map((sku) => ({ sku, name: sku, weight_grams: 1 })), 2000);
}

/** Fresh stock for a run: enough that nobody runs out, so both paths do the same work. */
async function restock(db: Db, onHand: number): Promise<void> {
  await db.raw('TRUNCATE reservations, inventory_ledger');
  await db('inventory_levels').delete();
  const skus = ['SKU-HOT', ...Array.from({ length: MANY_SKUS }, (_, i) => `SKU-${i}`)];
  await db.batchInsert('inventory_levels', skus.map((sku) => ({ location_id: LOCATION, sku, on_hand: onHand })), 2000);
  await db.raw('VACUUM ANALYZE inventory_levels');
}

/** The baseline at its strongest: the bare conditional UPDATE, prepared once per connection too. */
function barePath(db: Db): Reserve {
  return async (sku) => {
    const rows = await queryPrepared(
      db,
      'bench_bare_reserve',
      `UPDATE inventory_levels SET reserved = reserved + 1
        WHERE location_id = $1 AND sku = $2 AND on_hand - reserved - safety_stock >= 1
        RETURNING 1 AS reserved`,
      [LOCATION, sku],
    );
    return rows.length === 1;
  };
}

/**
 * The bare baseline batched like Fulcrum's batcher (at most 2 batches in flight, 256 per
 * batch): each batch is one conditional UPDATE over the SKUs it asks for.
 */
function bareBatchedPath(db: Db): Reserve {
  let queue: { sku: string; resolve: (ok: boolean) => void; reject: (err: unknown) => void }[] = [];
  let inFlight = 0;
  const run = async (batch: typeof queue) => {
    try {
      const rows = await queryPrepared<{ sku: string }>(
        db,
        'bench_bare_batch',
        `WITH agg AS (SELECT sku, count(*)::int AS n FROM unnest($2::text[]) AS r(sku) GROUP BY sku)
         UPDATE inventory_levels l SET reserved = l.reserved + agg.n
           FROM agg
          WHERE l.location_id = $1 AND l.sku = agg.sku AND l.on_hand - l.reserved - l.safety_stock >= agg.n
         RETURNING l.sku`,
        [LOCATION, batch.map((b) => b.sku)],
      );
      const reserved = new Set(rows.map((r) => r.sku));
      for (const b of batch) b.resolve(reserved.has(b.sku));
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  };
  const pump = () => {
    while (queue.length > 0 && inFlight < 2) {
      const batch = queue.slice(0, 256);
      queue = queue.slice(256);
      inFlight += 1;
      void run(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  };
  return (sku) =>
    new Promise((resolve, reject) => {
      queue.push({ sku, resolve, reject });
      pump();
    });
}

function fulcrumPath(db: Db, runId: string): Reserve {
  const inventory = createInventoryRepository(db);
  return async (sku, n) => {
    const result = await inventory.reserveAtLocation({
      orderId: `${runId}-${n}`,
      locationId: LOCATION,
      attempt: 1,
      lines: [{ lineId: '1', sku, quantity: 1 }],
    });
    return result.ok;
  };
}

/** Runs `clients` loops for `seconds`, each reserving one unit at a time; returns reservations/s. */
async function measure(reserve: Reserve, clients: number, pickSku: (n: number) => string, seconds: number): Promise<number> {
  let counter = 0;
  let succeeded = 0;
  const until = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const n = counter++;
        if (await reserve(pickSku(n), n)) succeeded++;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return succeeded / elapsed;
}

/** 64 clients try to reserve 2 × the stock of one SKU: exactly the stock may succeed. */
async function scarcity(db: Db, reserve: Reserve, stock: number): Promise<{ succeeded: number; reserved: number }> {
  await db.raw('TRUNCATE reservations, inventory_ledger');
  await db('inventory_levels').where({ sku: 'SKU-SCARCE' }).delete();
  // Counted through Fulcrum, so the ledger explains the level and the invariant check applies.
  await createInventoryRepository(db).setCount({ locationId: LOCATION, sku: 'SKU-SCARCE', onHand: stock, idempotencyKey: `count-${stock}-${Math.random()}`, actor: 'bench' });
  let counter = 0;
  let succeeded = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (counter < stock * 2) {
        const n = counter++;
        if (await reserve('SKU-SCARCE', n)) succeeded++;
      }
    }),
  );
  const row = await db('inventory_levels').where({ location_id: LOCATION, sku: 'SKU-SCARCE' }).first('reserved');
  return { succeeded, reserved: (row as { reserved: number }).reserved };
}

/** The multi-line path (every line at one location, all or nothing, one transaction) and one 10,000-item feed. */
async function timeMultiLineAndFeed(db: Db): Promise<void> {
  await restock(db, 100_000_000);
  const inventory = createInventoryRepository(db);
  const orders = 500;
  const started = performance.now();
  for (let n = 0; n < orders; n++) {
    const lines = Array.from({ length: 5 }, (_, i) => ({ lineId: String(i + 1), sku: `SKU-${(n * 31 + i * 977) % MANY_SKUS}`, quantity: 1 }));
    const result = await inventory.reserveAtLocation({ orderId: `multi-${n}`, locationId: LOCATION, attempt: 1, lines });
    if (!result.ok) throw new Error('a multi-line reservation was refused with stock to spare');
  }
  const perOrder = (performance.now() - started) / orders;
  const items = Array.from({ length: MANY_SKUS }, (_, i) => ({ locationId: LOCATION, sku: `SKU-${i}`, onHand: 5_000 + i }));
  const feedStarted = performance.now();
  const feed = await inventory.applyFeed({ source: 'bench', asOf: new Date(), items, actor: 'bench' });
  const feedMs = performance.now() - feedStarted;
  console.log(`\nMulti-line reservation (5 lines, one client, ${orders} orders): ${perOrder.toFixed(2)} ms per order.`);
  console.log(`Feed of ${items.length.toLocaleString('en-US')} items (one transaction): ${(feedMs / 1000).toFixed(2)} s, ${feed.applied} applied (target < 2 s).`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  let stop = async () => {};
  let url = process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'fulcrum-bench-'));
    chmodSync(dir, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), persistent: false });
    await pg.createDatabase('bench');
    url = pg.url('bench');
    stop = async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const db = createDb(url, { min: 0, max: Math.max(...CONCURRENCY) + 4 });
  try {
    await migrateLatest(db);
    await setup(db);
    console.log(`Reservations per second (median of ${ROUNDS} alternating ${SECONDS_PER_RUN}-second runs per cell), same Postgres, same run.\n`);
    console.log('| workload | clients | bare UPDATE /s | bare batched /s | Fulcrum reserve /s | ratio to bare | ratio to bare batched |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    let run = 0;
    let worst = Infinity;
    let worstBatched = Infinity;
    for (const [workload, pickSku] of [
      ['one hot SKU', () => 'SKU-HOT'],
      ['10,000 SKUs', (n: number) => `SKU-${(n * 7919) % MANY_SKUS}`],
    ] as const) {
      for (const clients of CONCURRENCY) {
        const bareRates: number[] = [];
        const batchedRates: number[] = [];
        const fulcrumRates: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          await restock(db, 100_000_000);
          bareRates.push(await measure(barePath(db), clients, pickSku, SECONDS_PER_RUN));
          await restock(db, 100_000_000);
          batchedRates.push(await measure(bareBatchedPath(db), clients, pickSku, SECONDS_PER_RUN));
          await restock(db, 100_000_000);
          fulcrumRates.push(await measure(fulcrumPath(db, `run${run++}`), clients, pickSku, SECONDS_PER_RUN));
        }
        const bare = median(bareRates);
        const batched = median(batchedRates);
        const fulcrum = median(fulcrumRates);
        const ratio = fulcrum / bare;
        worst = Math.min(worst, ratio);
        worstBatched = Math.min(worstBatched, fulcrum / batched);
        console.log(`| ${workload} | ${clients} | ${bare.toFixed(0)} | ${batched.toFixed(0)} | ${fulcrum.toFixed(0)} | ${ratio.toFixed(2)} | ${(fulcrum / batched).toFixed(2)} |`);
      }
    }

    const bareScarce = await scarcity(db, barePath(db), 500);
    const fulcrumScarce = await scarcity(db, fulcrumPath(db, 'scarce'), 500);
    const violations = await checkInventoryInvariants(db);
    console.log(`\nScarcity (64 clients, 1,000 attempts at 500 units): bare ${bareScarce.succeeded} reserved (level ${bareScarce.reserved}), ` +
      `Fulcrum ${fulcrumScarce.succeeded} reserved (level ${fulcrumScarce.reserved}); oversells: ${Math.max(0, bareScarce.succeeded - 500) + Math.max(0, fulcrumScarce.succeeded - 500)}.`);
    console.log(`Worst ratio ${worst.toFixed(2)} to the bare UPDATE, ${worstBatched.toFixed(2)} to the bare batched one (targets ≥ 0.80). Fulcrum's ledger and reservations after the scarcity round: ${violations.filter((v) => v.sku === 'SKU-SCARCE').length === 0 ? 'consistent' : 'INCONSISTENT'}.`);
    await timeMultiLineAndFeed(db);
  } finally {
    await db.destroy();
    await stop();
  }
}

await main();
