// `npm run bench:forecast`: Fulcrum's forecasts against statsforecast's (Nixtla, PyPI, in
// .tools/referees) on the same generated panel, the same rolling origins and the same scores.
//
// The panel: BENCH_SERIES (default 1,000) daily series of known shapes - smooth, weekly
// seasonal, erratic, intermittent, lumpy, trending, with promotions, with stock-outs - a year
// of history and 28 days held out. Stock-out days are recorded as zero with a flag; both sides
// are given the history as Fulcrum fits it (domain/forecasting/forecast.ts forecastInput fills
// them), and both are scored on the true demand of the held-out days.
//
// Each side picks a method per series without hindsight: the lowest mean RMSSE over the same
// three 28-day windows at the end of the history (Fulcrum's domain/forecasting/choose.ts);
// statsforecast picks among AutoETS, SeasonalNaive, SESOpt, CrostonClassic, CrostonSBA,
// TSB(0.1, 0.1), ADIDA and IMAPA. Printed per demand class (ADI/CV² of the history): mean RMSSE
// and MASE on the held-out days for both choices and each model, the ratio of Fulcrum's chosen
// to statsforecast's chosen (target ≤ 1.02), and how close the methods both define the same
// way come point for point (target: within 1%). Time per 1,000 series for each side.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backtestOrigins, forecastSeries } from '../domain/forecasting/choose.ts';
import { forecastInput } from '../domain/forecasting/forecast.ts';
import { FORECASTERS, fitTsb, type ForecastMethod } from '../domain/forecasting/methods.ts';
import { classifyDemand, mase, rmsse, type DemandClass } from '../domain/forecasting/series.ts';
import { generateSeries, rng, SHAPES, type Shape } from './lib/demand.ts';

const SERIES = Number(process.env.BENCH_SERIES ?? 1000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const TRAIN = 364;
const HORIZON = 28;
const ORIGINS = 3;
const CUTS = backtestOrigins(TRAIN, HORIZON, ORIGINS);

interface PanelSeries {
  id: number;
  shape: Shape;
  demandClass: DemandClass;
  train: number[];
  test: number[];
  tsbAlphas: [number, number];
}

const random = rng(20261204);
const panel: PanelSeries[] = Array.from({ length: SERIES }, (_, id) => {
  const shape = SHAPES[id % SHAPES.length]!;
  const g = generateSeries(random, shape, TRAIN + HORIZON);
  const history = g.demand.slice(0, TRAIN).map((q, t) => ({ date: String(t), quantity: g.stockout[t] ? 0 : q, stockout: g.stockout[t]! }));
  // Every series has demand on its first days here, so forecastInput only fills stock-outs.
  const filled = forecastInput(history);
  const train = filled.values.length === TRAIN ? filled.values : history.map((d) => d.quantity);
  const tsb = fitTsb(train);
  return { id, shape, demandClass: classifyDemand(train), train, test: g.demand.slice(TRAIN), tsbAlphas: [tsb.alphaD, tsb.alphaP] };
});

// Fulcrum: the choice as production makes it, timed; and each method on the whole history.
const fulcrumStarted = performance.now();
const chosen = panel.map((s) => forecastSeries(s.train, { horizon: HORIZON, origins: ORIGINS }));
const fulcrumSeconds = (performance.now() - fulcrumStarted) / 1000;
const METHODS = Object.keys(FORECASTERS) as ForecastMethod[];
const fulcrumFinal = panel.map((s) => Object.fromEntries(METHODS.map((m) => [m, FORECASTERS[m](s.train, HORIZON)])) as Record<ForecastMethod, number[]>);

// statsforecast, through the referee script.
const dir = mkdtempSync(join(tmpdir(), 'fulcrum-bench-forecast-'));
writeFileSync(join(dir, 'panel.json'), JSON.stringify({ horizon: HORIZON, cuts: CUTS, series: panel }));
const python = join(import.meta.dirname, '..', '.tools', 'referees', 'bin', 'python');
console.log(`statsforecast: ${SERIES} series × 8 models × ${CUTS.length + 1} fits on ${WORKERS} processes…`);
const run = spawnSync(python, [join(import.meta.dirname, 'referees', 'statsforecast_panel.py'), join(dir, 'panel.json'), join(dir, 'out.json'), String(WORKERS)], { stdio: 'inherit' });
if (run.status !== 0) throw new Error(`the statsforecast referee failed (${run.status ?? run.error?.message}); run \`node scripts/bootstrap.mjs --referees\``);
const reference = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as {
  seconds: number;
  workers: number;
  series: { final: Record<string, number[]>; cuts: Record<string, number[][]>; seconds: Record<string, number> }[];
};
const SF_MODELS = Object.keys(reference.series[0]!.cuts);

const meanOf = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
const scores = (s: PanelSeries, forecast: readonly number[]) => ({ rmsse: rmsse(s.train, s.test, forecast) ?? NaN, mase: mase(s.train, s.test, forecast) ?? NaN });

// statsforecast's choice per series, the same way: mean RMSSE over the same cuts.
const sfChosen = panel.map((s, i) => {
  let best = { model: SF_MODELS[0]!, score: Infinity };
  for (const model of SF_MODELS) {
    const windows = CUTS.map((cut, c) => rmsse(s.train.slice(0, cut), s.train.slice(cut, cut + HORIZON), reference.series[i]!.cuts[model]![c]!)).filter((v): v is number => v !== undefined);
    const score = windows.length ? meanOf(windows) : Infinity;
    if (score < best.score) best = { model, score };
  }
  return best.model;
});

type Row = { label: string; pick: (i: number) => number[] };
const rows: Row[] = [
  { label: 'Fulcrum (chosen)', pick: (i) => chosen[i]!.daily.map((d) => d.mean) },
  { label: 'statsforecast (chosen)', pick: (i) => reference.series[i]!.final[sfChosen[i]!]! },
  ...['AutoETS', 'CrostonSBA', 'TSB', 'ADIDA', 'IMAPA', 'SeasonalNaive'].map((m) => ({ label: `sf ${m}`, pick: (i: number) => reference.series[i]!.final[m]! })),
  ...(['ets_weekly', 'croston_sba', 'tsb', 'adida'] as const).map((m) => ({ label: `Fulcrum ${m}`, pick: (i: number) => fulcrumFinal[i]![m] })),
];

function table(groupOf: (s: PanelSeries) => string, groups: readonly string[], title: string) {
  console.log(`\n${title}: mean RMSSE / MASE on the 28 held-out days`);
  const header = ['', ...groups.map((g) => `${g} (${panel.filter((s) => groupOf(s) === g).length})`), 'all'];
  const lines = [header];
  for (const row of rows) {
    const cells = [...groups, 'all'].map((g) => {
      const members = panel.filter((s) => g === 'all' || groupOf(s) === g);
      const sc = members.map((s) => scores(s, row.pick(s.id))).filter((x) => Number.isFinite(x.rmsse));
      return members.length ? `${meanOf(sc.map((x) => x.rmsse)).toFixed(3)} / ${meanOf(sc.map((x) => x.mase)).toFixed(3)}` : '–';
    });
    lines.push([row.label, ...cells]);
  }
  const ratio = [...groups, 'all'].map((g) => {
    const members = panel.filter((s) => g === 'all' || groupOf(s) === g);
    const ours = meanOf(members.map((s) => scores(s, rows[0]!.pick(s.id)).rmsse).filter(Number.isFinite));
    const theirs = meanOf(members.map((s) => scores(s, rows[1]!.pick(s.id)).rmsse).filter(Number.isFinite));
    return members.length ? `${(ours / theirs).toFixed(3)} ${ours / theirs <= 1.02 ? 'ok' : 'MISSED'}` : '–';
  });
  lines.push(['Fulcrum ÷ sf (RMSSE, ≤ 1.02)', ...ratio]);
  const widths = header.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  for (const l of lines) console.log(l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
}

table((s) => s.demandClass, ['smooth', 'erratic', 'intermittent', 'lumpy'], 'By demand class (ADI/CV² of the history)');
table((s) => s.shape, SHAPES, 'By generated shape');

// The methods both define the same way, point for point on the same history.
const SHARED: [ForecastMethod, string][] = [
  ['seasonal_naive', 'SeasonalNaive'],
  ['croston', 'CrostonClassic'],
  ['croston_sba', 'CrostonSBA'],
  ['tsb', 'TSB@fulcrum'],
  ['adida', 'ADIDA'],
];
console.log('\nShared methods, point forecasts on the whole history: |Fulcrum − statsforecast| ÷ statsforecast (mean over the horizon)');
console.log(`${'method'.padEnd(28)}${'within 1%'.padStart(12)}${'median'.padStart(10)}${'max'.padStart(10)}`);
for (const [ours, theirs] of SHARED) {
  const diffs = panel.map((s) => {
    const a = fulcrumFinal[s.id]![ours];
    const b = reference.series[s.id]!.final[theirs]!;
    const scale = meanOf(b.map(Math.abs));
    const gap = meanOf(a.map((v, h) => Math.abs(v - b[h]!)));
    return scale < 1e-9 ? (gap < 1e-9 ? 0 : Infinity) : gap / scale;
  });
  const sorted = [...diffs].sort((x, y) => x - y);
  const within = diffs.filter((d) => d <= 0.01).length / diffs.length;
  console.log(`${`${ours} / ${theirs}`.padEnd(28)}${`${(within * 100).toFixed(1)}%`.padStart(12)}${`${(sorted[Math.floor(sorted.length / 2)]! * 100).toFixed(3)}%`.padStart(10)}${`${(sorted.at(-1)! * 100).toFixed(3)}%`.padStart(10)}`);
}

const methodsChosen = (names: string[]) => Object.entries(names.reduce<Record<string, number>>((acc, m) => ((acc[m] = (acc[m] ?? 0) + 1), acc), {})).sort((a, b) => b[1] - a[1]).map(([m, n]) => `${m} ${n}`).join(', ');
console.log(`\nChosen by Fulcrum: ${methodsChosen(chosen.map((c) => c.method))}`);
console.log(`Chosen by statsforecast: ${methodsChosen(sfChosen)}`);

const sfCpu = reference.series.reduce((s, r) => s + Object.values(r.seconds).reduce((a, b) => a + b, 0), 0);
const per1000 = (seconds: number) => ((seconds * 1000) / SERIES).toFixed(1);
console.log(`\nTime per 1,000 series (choice by backtest + final fit, every candidate):`);
console.log(`  Fulcrum       ${per1000(fulcrumSeconds)} s on one core (7 methods)`);
console.log(`  statsforecast ${per1000(sfCpu)} s CPU (8 models; ${per1000(reference.seconds)} s wall on ${reference.workers} processes)`);
