// `npm run bench:reservations`: reservations per second through Fulcrum's reserve path
// (reservation row + guarded level update + ledger entry, one statement) against a bare
// single-statement conditional UPDATE, on the same Postgres in the same run, for one hot
// SKU and for 10,000 SKUs at 1, 8, 32 and 64 concurrent clients. Then a scarcity round
// per path checks that neither ever oversells. Prints a Markdown table with the ratios.
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { checkInventoryInvariants } from '../db/inventory/invariants.ts';
import { createDb, migrateLatest, type Db } from '../db/knex.ts';
import { createInventoryRepository } from '../db/repositories/inventory.ts';
import { queryPrepared } from '../db/prepared.ts';
import { freePort } from '../workers/temporal-dev-server.ts';

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
    console.log('| workload | clients | bare UPDATE /s | Fulcrum reserve /s | ratio |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    let run = 0;
    let worst = Infinity;
    for (const [workload, pickSku] of [
      ['one hot SKU', () => 'SKU-HOT'],
      ['10,000 SKUs', (n: number) => `SKU-${(n * 7919) % MANY_SKUS}`],
    ] as const) {
      for (const clients of CONCURRENCY) {
        const bareRates: number[] = [];
        const fulcrumRates: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          await restock(db, 100_000_000);
          bareRates.push(await measure(barePath(db), clients, pickSku, SECONDS_PER_RUN));
          await restock(db, 100_000_000);
          fulcrumRates.push(await measure(fulcrumPath(db, `run${run++}`), clients, pickSku, SECONDS_PER_RUN));
        }
        const bare = median(bareRates);
        const fulcrum = median(fulcrumRates);
        const ratio = fulcrum / bare;
        worst = Math.min(worst, ratio);
        console.log(`| ${workload} | ${clients} | ${bare.toFixed(0)} | ${fulcrum.toFixed(0)} | ${ratio.toFixed(2)} |`);
      }
    }

    const bareScarce = await scarcity(db, barePath(db), 500);
    const fulcrumScarce = await scarcity(db, fulcrumPath(db, 'scarce'), 500);
    const violations = await checkInventoryInvariants(db);
    console.log(`\nScarcity (64 clients, 1,000 attempts at 500 units): bare ${bareScarce.succeeded} reserved (level ${bareScarce.reserved}), ` +
      `Fulcrum ${fulcrumScarce.succeeded} reserved (level ${fulcrumScarce.reserved}); oversells: ${Math.max(0, bareScarce.succeeded - 500) + Math.max(0, fulcrumScarce.succeeded - 500)}.`);
    console.log(`Worst ratio ${worst.toFixed(2)} (target ≥ 0.80). Fulcrum's ledger and reservations after the scarcity round: ${violations.filter((v) => v.sku === 'SKU-SCARCE').length === 0 ? 'consistent' : 'INCONSISTENT'}.`);
  } finally {
    await db.destroy();
    await stop();
  }
}

await main();
