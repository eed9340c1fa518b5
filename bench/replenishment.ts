// `npm run bench:replenishment`: 180 simulated days on the demo network (3 DCs, 12 stores, a
// dark store, 50 SKUs) with generated demand (the forecast bench's shapes; two thirds of the SKUs
// also sell by the summer or winter season) and lead times, replenished two ways from the same
// starting stock:
//   - Fulcrum: each night the plan the nightly activity runs (domain/replenishment/plan.ts:
//     reorder point and order-up-to level from the forecast and its error, the source's spare
//     stock first, rebalancing, then buying), every proposal approved; forecasts refitted every
//     7 days by the production forecaster (domain/forecasting) on the demand observed, stock-out
//     days marked;
//   - a static min/max rule, Odoo-style: each location's min and max fixed from the 90 days
//     before the simulation (min = mean × (L + 1) + k·σ·√(L + 1), max = min + mean × R), with the
//     one safety factor k tuned by bisection to reach Fulcrum's fill rate.
// Demand a store cannot serve from its shelf is lost. Transfers take 1–3 days (planned as 2),
// purchases 8–12 (planned as 10). Prints fill rate, lost units, average inventory on hand,
// transfers and purchases for both, and checks one reorder point against stockpyl's base-stock
// level for the same demand distribution.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { addDays, forecastFromHistory } from '../domain/forecasting/forecast.ts';
import { distanceKm } from '../domain/geo.ts';
import { planReplenishment, targetsOf, type PlanItem, type PlanPolicy } from '../domain/replenishment/plan.ts';
import { demoLocations, demoSkus } from '../scripts/lib/demo-network.ts';
import { generateSeries, rng, type Shape } from './lib/demand.ts';

const DAYS = Number(process.env.BENCH_DAYS ?? 180);
const HISTORY = 365;
const REFIT_EVERY = 7;
const START = '2026-01-04';
const SHAPES: Shape[] = ['smooth', 'seasonal', 'erratic', 'intermittent', 'lumpy', 'trend', 'promotions'];

const random = rng(20261205);
const locations = demoLocations();
const dcs = locations.filter(([, l]) => l.type === 'warehouse').map(([id, l]) => ({ id, geo: l.geo }));
const stores = locations.filter(([, l]) => l.type !== 'warehouse').map(([id, l]) => ({ id, geo: l.geo, dc: dcs.reduce((best, dc) => (distanceKm(l.geo, dc.geo) < distanceKm(l.geo, best.geo) ? dc : best)).id }));
const skus = demoSkus().map((s) => s.sku);

const storePolicy = (dc: string): PlanPolicy => ({ serviceLevel: 0.98, serviceMeasure: 'fill_rate', leadTimeDays: 2, reviewPeriodDays: 3, sourceLocationId: dc, supplier: null, minQuantity: null, multiple: null, autoApprove: true });
const DC_POLICY: PlanPolicy = { serviceLevel: 0.98, serviceMeasure: 'fill_rate', leadTimeDays: 10, reviewPeriodDays: 14, sourceLocationId: null, supplier: 'Supplier', minQuantity: null, multiple: null, autoApprove: true };

// Outdoor gear sells by the season: a third of the SKUs peak in July (tents, sunscreen), a third
// in January (down, beanies), a third all year; ±50% over the year, stochastically rounded.
const peakDay = (i: number) => [196, 15, null][i % 3];
function seasonal(series: number[], peak: number | null | undefined): number[] {
  if (peak === null || peak === undefined) return series;
  return series.map((q, t) => {
    const x = q * (1 + 0.5 * Math.cos((2 * Math.PI * (t - peak)) / 365));
    return Math.floor(x) + (random() < x - Math.floor(x) ? 1 : 0);
  });
}

// Each store × SKU: a shape and a year of history plus the simulated days; the actual lead times drawn once.
const demand = new Map<string, number[]>();
for (const s of stores)
  for (const [i, sku] of skus.entries()) demand.set(`${s.id}|${sku}`, seasonal(generateSeries(random, SHAPES[(i + s.id.length) % SHAPES.length]!, HISTORY + DAYS).demand, peakDay(i)));
const storeKeys = new Set(demand.keys());
const transferDays = Array.from({ length: 200_000 }, () => 1 + Math.floor(random() * 3));
const purchaseDays = Array.from({ length: 200_000 }, () => 8 + Math.floor(random() * 5));

interface Result {
  fill: number;
  lost: number;
  storeStock: number;
  dcStock: number;
  transfers: number;
  purchases: number;
}

type Planner = (day: number, state: State) => { from: string | null; to: string; sku: string; quantity: number }[];

interface State {
  onHand: Map<string, number>;
  pipeline: Map<string, number>;
  /** What each store sold each day, and whether it ran out (for refitting). */
  observed: Map<string, { quantity: number; stockout: boolean }[]>;
}

const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);
const sd = (xs: readonly number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const recent = (key: string) => demand.get(key)!.slice(HISTORY - 90, HISTORY);

function initialState(): State {
  const onHand = new Map<string, number>();
  for (const s of stores) for (const sku of skus) onHand.set(`${s.id}|${sku}`, Math.round(mean(recent(`${s.id}|${sku}`)) * 10));
  for (const dc of dcs)
    for (const sku of skus) onHand.set(`${dc.id}|${sku}`, Math.round(stores.filter((s) => s.dc === dc.id).reduce((sum, s) => sum + mean(recent(`${s.id}|${sku}`)), 0) * 20));
  const observed = new Map<string, { quantity: number; stockout: boolean }[]>();
  for (const key of demand.keys()) observed.set(key, demand.get(key)!.slice(0, HISTORY).map((quantity) => ({ quantity, stockout: false })));
  return { onHand, pipeline: new Map(), observed };
}

function simulate(plan: Planner): Result {
  const state = initialState();
  const arrivals = new Map<number, { key: string; quantity: number }[]>();
  let demanded = 0;
  let served = 0;
  let storeStock = 0;
  let dcStock = 0;
  let transfers = 0;
  let purchases = 0;
  let draw = 0;
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  for (let day = 0; day < DAYS; day++) {
    for (const a of arrivals.get(day) ?? []) {
      add(state.onHand, a.key, a.quantity);
      add(state.pipeline, a.key, -a.quantity);
    }
    for (const [key, series] of demand) {
      const want = series[HISTORY + day]!;
      const have = state.onHand.get(key)!;
      const sold = Math.min(want, have);
      state.onHand.set(key, have - sold);
      demanded += want;
      served += sold;
      state.observed.get(key)!.push({ quantity: sold, stockout: sold < want || have - sold === 0 });
    }
    for (const [key, units] of state.onHand) {
      if (storeKeys.has(key)) storeStock += units;
      else dcStock += units;
    }
    for (const move of plan(day, state)) {
      const to = `${move.to}|${move.sku}`;
      const lead = move.from ? transferDays[draw++ % transferDays.length]! : purchaseDays[draw++ % purchaseDays.length]!;
      if (move.from) {
        const from = `${move.from}|${move.sku}`;
        const units = Math.min(move.quantity, state.onHand.get(from) ?? 0);
        if (units <= 0) continue;
        add(state.onHand, from, -units);
        move.quantity = units;
        transfers += 1;
      } else purchases += 1;
      add(state.pipeline, to, move.quantity);
      arrivals.set(day + lead, [...(arrivals.get(day + lead) ?? []), { key: to, quantity: move.quantity }]);
    }
  }
  return { fill: served / demanded, lost: demanded - served, storeStock: storeStock / DAYS, dcStock: dcStock / DAYS, transfers, purchases };
}

// Fulcrum: the nightly plan on forecasts refitted weekly.
function fulcrumPlanner(): Planner {
  const forecasts = new Map<string, { from: number; daily: number[]; errorSd: number; method: string }>();
  return (day, state) => {
    if (day % REFIT_EVERY === 0) {
      for (const key of demand.keys()) {
        const seen = state.observed.get(key)!.slice(-HISTORY);
        const through = addDays(START, HISTORY + day - 1);
        const f = forecastFromHistory(
          seen.map((d, i) => ({ date: addDays(through, i - seen.length + 1), quantity: d.quantity, stockout: d.stockout })),
          through,
        );
        forecasts.set(key, { from: day, daily: f.daily.map((d) => d.mean), errorSd: f.backtest.errorSd, method: f.method });
      }
    }
    const items: PlanItem[] = [];
    for (const s of stores)
      for (const sku of skus) {
        const key = `${s.id}|${sku}`;
        const f = forecasts.get(key)!;
        // Tonight plans for tomorrow on: the forecast from the day after the one being closed.
        items.push({ locationId: s.id, sku, policy: storePolicy(s.dc), forecast: { method: f.method, daily: f.daily.slice(day - f.from + 1), errorSd: f.errorSd }, onHand: state.onHand.get(key)!, reserved: 0, incoming: state.pipeline.get(key) ?? 0 });
      }
    for (const dc of dcs) for (const sku of skus) items.push({ locationId: dc.id, sku, policy: DC_POLICY, forecast: null, onHand: state.onHand.get(`${dc.id}|${sku}`)!, reserved: 0, incoming: state.pipeline.get(`${dc.id}|${sku}`) ?? 0 });
    return planReplenishment(items).map((p) => ({ from: p.kind === 'transfer' ? p.fromLocationId : null, to: p.locationId, sku: p.sku, quantity: p.quantity }));
  };
}

// Odoo-style static min/max with safety factor k.
function minMaxPlanner(k: number): Planner {
  const rule = new Map<string, { min: number; max: number }>();
  const set = (key: string, m: number, s: number, lead: number, review: number) => {
    const min = m * (lead + 1) + k * s * Math.sqrt(lead + 1);
    rule.set(key, { min, max: min + m * review });
  };
  for (const s of stores) for (const sku of skus) set(`${s.id}|${sku}`, mean(recent(`${s.id}|${sku}`)), sd(recent(`${s.id}|${sku}`)), 2, 3);
  for (const dc of dcs)
    for (const sku of skus) {
      const served = stores.filter((s) => s.dc === dc.id).map((s) => recent(`${s.id}|${sku}`));
      set(`${dc.id}|${sku}`, served.reduce((sum, r) => sum + mean(r), 0), Math.sqrt(served.reduce((sum, r) => sum + sd(r) ** 2, 0)), 10, 14);
    }
  return (_day, state) => {
    const moves: ReturnType<Planner> = [];
    for (const s of stores)
      for (const sku of skus) {
        const key = `${s.id}|${sku}`;
        const position = state.onHand.get(key)! + (state.pipeline.get(key) ?? 0);
        const { min, max } = rule.get(key)!;
        if (position <= min) moves.push({ from: s.dc, to: s.id, sku, quantity: Math.ceil(max - position) });
      }
    for (const dc of dcs)
      for (const sku of skus) {
        const key = `${dc.id}|${sku}`;
        const committed = moves.filter((m) => m.from === dc.id && m.sku === sku).reduce((sum, m) => sum + m.quantity, 0);
        const position = state.onHand.get(key)! - Math.min(committed, state.onHand.get(key)!) + (state.pipeline.get(key) ?? 0);
        const { min, max } = rule.get(key)!;
        if (position <= min) moves.push({ from: null, to: dc.id, sku, quantity: Math.ceil(max - position) });
      }
    return moves;
  };
}

const started = performance.now();
const fulcrum = simulate(fulcrumPlanner());
const fulcrumSeconds = (performance.now() - started) / 1000;
// The smallest k whose fill rate reaches Fulcrum's (fill rises with k).
let low = 0;
let high = 8;
let tuned = simulate(minMaxPlanner(high));
if (tuned.fill < fulcrum.fill) console.log(`(min/max does not reach Fulcrum's fill rate even at k = ${high})`);
for (let i = 0; i < 14; i++) {
  const k = (low + high) / 2;
  const r = simulate(minMaxPlanner(k));
  if (r.fill >= fulcrum.fill) {
    high = k;
    tuned = r;
  } else low = k;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const rows: [string, (r: Result) => string][] = [
  ['fill rate', (r) => pct(r.fill)],
  ['lost units', (r) => r.lost.toLocaleString('en-US')],
  ['avg on hand, stores', (r) => Math.round(r.storeStock).toLocaleString('en-US')],
  ['avg on hand, DCs', (r) => Math.round(r.dcStock).toLocaleString('en-US')],
  ['avg on hand, total', (r) => Math.round(r.storeStock + r.dcStock).toLocaleString('en-US')],
  ['transfers', (r) => r.transfers.toLocaleString('en-US')],
  ['purchases', (r) => r.purchases.toLocaleString('en-US')],
];
console.log(`\n${DAYS} days, ${stores.length} stores × ${skus.length} SKUs from ${dcs.length} DCs (${(fulcrumSeconds).toFixed(0)} s for Fulcrum's run)`);
console.log(`${''.padEnd(22)}${'Fulcrum'.padStart(14)}${`min/max k=${high.toFixed(2)}`.padStart(18)}`);
for (const [label, cell] of rows) console.log(`${label.padEnd(22)}${cell(fulcrum).padStart(14)}${cell(tuned).padStart(18)}`);
const ratio = (fulcrum.storeStock + fulcrum.dcStock) / (tuned.storeStock + tuned.dcStock);
console.log(`\nAverage inventory, Fulcrum ÷ min/max at the same fill rate: ${ratio.toFixed(3)} (${pct(1 - ratio)} less; target ≥ 15% less) ${ratio <= 0.85 ? 'ok' : 'MISSED'}`);

// One reorder point against stockpyl's base-stock level for the same normal demand.
const check = { serviceLevel: 0.95, mean: 12.5, sd: 4.2, lead: 3 };
const ours = targetsOf({ ...DC_POLICY, serviceMeasure: 'cycle', serviceLevel: check.serviceLevel, leadTimeDays: check.lead }, { method: 'check', daily: Array.from({ length: 56 }, () => check.mean), errorSd: check.sd }).reorderPoint;
const python = join(import.meta.dirname, '..', '.tools', 'referees', 'bin', 'python');
const referee = spawnSync(python, [join(import.meta.dirname, 'referees', 'stockpyl_base_stock.py'), String(check.serviceLevel), String(check.mean), String(check.sd), String(check.lead)], { encoding: 'utf8' });
if (referee.status !== 0) throw new Error(`the stockpyl referee failed: ${referee.stderr}; run \`node scripts/bootstrap.mjs --referees\``);
const theirs = (JSON.parse(referee.stdout) as { baseStockLevel: number }).baseStockLevel;
console.log(`Base-stock level, N(${check.mean}, ${check.sd}²) a day, lead time ${check.lead}, α = ${check.serviceLevel}: Fulcrum ${ours.toFixed(4)}, stockpyl ${theirs.toFixed(4)} (${(Math.abs(ours - theirs) / theirs * 100).toFixed(4)}% apart)`);
