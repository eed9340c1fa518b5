// Point-forecast methods for daily demand, each a pure function of the history and the
// horizon. The smoothing constants each method fits are chosen by least squares of its own
// one-step-ahead errors in sample (a grid search: small, deterministic, and enough for
// daily retail series); Croston's keep the textbook 0.1.

import { averageDemandInterval } from './series.ts';

export type Forecaster = (history: readonly number[], horizon: number) => number[];

const WEEK = 7;
const flat = (value: number, horizon: number) => Array.from({ length: horizon }, () => Math.max(0, value));
const grid = (from: number, to: number, step: number) => Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => from + i * step);

/** The last value again (the benchmark MASE is scaled by). */
export const naive: Forecaster = (history, horizon) => flat(history.at(-1) ?? 0, horizon);

/** The same weekday last week. */
export const seasonalNaive: Forecaster = (history, horizon) => {
  if (history.length < WEEK) return naive(history, horizon);
  const lastWeek = history.slice(-WEEK);
  return Array.from({ length: horizon }, (_, h) => lastWeek[h % WEEK]!);
};

/** Simple exponential smoothing with a fixed constant: the final level and the in-sample one-step squared error. */
export function smooth(series: readonly number[], alpha: number): { level: number; sse: number } {
  let level = series[0] ?? 0;
  let sse = 0;
  for (let t = 1; t < series.length; t++) {
    sse += (series[t]! - level) ** 2;
    level += alpha * (series[t]! - level);
  }
  return { level, sse };
}

/** SES with its constant fitted in sample. */
export function fittedLevel(series: readonly number[]): number {
  let best = { level: series.at(-1) ?? 0, sse: Infinity };
  for (const alpha of grid(0.01, 0.99, 0.01)) {
    const fit = smooth(series, alpha);
    if (fit.sse < best.sse) best = fit;
  }
  return best.level;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** SES with its constant fitted by golden-section search within [low, high] (the SSE is unimodal there in practice). */
export function boundedLevel(series: readonly number[], low: number, high: number): number {
  let a = low;
  let b = high;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = smooth(series, c).sse;
  let fd = smooth(series, d).sse;
  while (b - a > 1e-7) {
    if (fc < fd) {
      [b, d, fd] = [d, c, fc];
      c = b - GOLDEN * (b - a);
      fc = smooth(series, c).sse;
    } else {
      [a, c, fc] = [c, d, fd];
      d = a + GOLDEN * (b - a);
      fd = smooth(series, d).sse;
    }
  }
  return smooth(series, (a + b) / 2).level;
}

export const simpleExponentialSmoothing: Forecaster = (history, horizon) => flat(fittedLevel(history), horizon);

/** Croston: demand sizes and the intervals between demands smoothed apart; forecast = size ÷ interval. */
function croston(history: readonly number[], alpha: number): number {
  let size: number | undefined;
  let interval = 0;
  let sinceLast = 0;
  for (const y of history) {
    sinceLast += 1;
    if (y <= 0) continue;
    if (size === undefined) {
      size = y;
      interval = sinceLast;
    } else {
      size += alpha * (y - size);
      interval += alpha * (sinceLast - interval);
    }
    sinceLast = 0;
  }
  return size === undefined ? 0 : size / interval;
}

export const CROSTON_ALPHA = 0.1;
export const crostonClassic: Forecaster = (history, horizon) => flat(croston(history, CROSTON_ALPHA), horizon);
/** Syntetos–Boylan's correction of Croston's bias: × (1 − α/2). */
export const crostonSba: Forecaster = (history, horizon) => flat(croston(history, CROSTON_ALPHA) * (1 - CROSTON_ALPHA / 2), horizon);

/** Teunter–Syntetos–Babai: the probability of a demand (updated every period) times its size (updated on demand). */
function tsbFit(history: readonly number[], alphaD: number, alphaP: number): { forecast: number; sse: number } {
  const first = history.findIndex((y) => y > 0);
  if (first < 0) return { forecast: 0, sse: 0 };
  let probability = history.filter((y) => y > 0).length / history.length;
  let size = history[first]!;
  let sse = 0;
  for (let t = first + 1; t < history.length; t++) {
    const y = history[t]!;
    sse += (y - probability * size) ** 2;
    probability += alphaP * ((y > 0 ? 1 : 0) - probability);
    if (y > 0) size += alphaD * (y - size);
  }
  return { forecast: probability * size, sse };
}

/** TSB's constants, fitted in sample (a grid over 0.05–0.5 each), and its forecast. */
export function fitTsb(history: readonly number[]): { forecast: number; alphaD: number; alphaP: number } {
  let best = { forecast: 0, sse: Infinity, alphaD: 0.1, alphaP: 0.1 };
  for (const alphaD of grid(0.05, 0.5, 0.05)) {
    for (const alphaP of grid(0.05, 0.5, 0.05)) {
      const fit = tsbFit(history, alphaD, alphaP);
      if (fit.sse < best.sse) best = { ...fit, alphaD, alphaP };
    }
  }
  return { forecast: best.forecast, alphaD: best.alphaD, alphaP: best.alphaP };
}

export const tsb: Forecaster = (history, horizon) => flat(fitTsb(history).forecast, horizon);

/**
 * ADIDA: sum the days into buckets of the average inter-demand interval (the oldest days that
 * do not fill a bucket are left out), smooth those with SES (its constant fitted within
 * 0.1–0.3, as Nikolopoulos et al. and statsforecast do), share back per day.
 */
export const adida: Forecaster = (history, horizon) => {
  const interval = averageDemandInterval(history);
  if (interval === Infinity) return flat(0, horizon);
  const size = Math.max(1, Math.round(interval));
  const buckets: number[] = [];
  for (let end = history.length; end - size >= 0; end -= size) buckets.unshift(history.slice(end - size, end).reduce((s, y) => s + y, 0));
  return flat(boundedLevel(buckets, 0.1, 0.3) / size, horizon);
};

/** Additive Holt–Winters with weekly seasonality and no trend (ETS(A,N,A)), fitted in sample. */
function holtWinters(history: readonly number[], alpha: number, gamma: number): { level: number; season: number[]; sse: number } {
  const season = history.slice(0, WEEK);
  const start = season.reduce((s, y) => s + y, 0) / WEEK;
  let level = start;
  for (let i = 0; i < WEEK; i++) season[i] = season[i]! - start;
  let sse = 0;
  for (let t = WEEK; t < history.length; t++) {
    const y = history[t]!;
    const s = season[t % WEEK]!;
    sse += (y - level - s) ** 2;
    const next = alpha * (y - s) + (1 - alpha) * level;
    season[t % WEEK] = gamma * (y - next) + (1 - gamma) * s;
    level = next;
  }
  return { level, season, sse };
}

export const weeklyEts: Forecaster = (history, horizon) => {
  if (history.length < 2 * WEEK) return seasonalNaive(history, horizon);
  let best = { level: 0, season: [] as number[], sse: Infinity };
  for (const alpha of grid(0.02, 0.6, 0.02)) {
    for (const gamma of grid(0, 0.3, 0.05)) {
      const fit = holtWinters(history, alpha, gamma);
      if (fit.sse < best.sse) best = fit;
    }
  }
  const n = history.length;
  return Array.from({ length: horizon }, (_, h) => Math.max(0, best.level + best.season[(n + h) % WEEK]!));
};

export const FORECASTERS = {
  seasonal_naive: seasonalNaive,
  ses: simpleExponentialSmoothing,
  ets_weekly: weeklyEts,
  croston: crostonClassic,
  croston_sba: crostonSba,
  tsb,
  adida,
} satisfies Record<string, Forecaster>;

export type ForecastMethod = keyof typeof FORECASTERS;
