// The forecasting methods in domain/forecasting: each one's definition on series small enough
// to work by hand, and the choice by rolling-origin backtest on series of known shape.
import { describe, expect, it } from 'vitest';
import { backtestOrigins, forecastSeries, MIN_TRAINING_DAYS } from '../../domain/forecasting/choose.ts';
import { adida, boundedLevel, crostonClassic, crostonSba, fittedLevel, seasonalNaive, smooth, tsb, weeklyEts } from '../../domain/forecasting/methods.ts';
import { averageDemandInterval, classifyDemand, mase, rmsse, sizeVariation } from '../../domain/forecasting/series.ts';
import { addDays, fillStockouts, forecastFromHistory, forecastInput, sumLocations } from '../../domain/forecasting/forecast.ts';

/** A seeded generator, so every series here is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEEKLY = [3, 4, 4, 5, 8, 12, 10];
const weekly = (weeks: number) => Array.from({ length: weeks * 7 }, (_, i) => WEEKLY[i % 7]!);

function noisyWeekly(days: number, seed: number): number[] {
  const r = random(seed);
  return Array.from({ length: days }, (_, i) => Math.max(0, Math.round(WEEKLY[i % 7]! * (0.8 + 0.4 * r()))));
}

function intermittent(days: number, seed: number, chance = 0.15): number[] {
  const r = random(seed);
  return Array.from({ length: days }, () => (r() < chance ? 1 + Math.floor(r() * 3) : 0));
}

describe('demand patterns', () => {
  it('measure the interval between demands and the variation of their sizes', () => {
    expect(averageDemandInterval([0, 0, 2, 0, 2, 0, 2, 0])).toBeCloseTo(7 / 3);
    expect(averageDemandInterval([0, 0, 0])).toBe(Infinity);
    expect(sizeVariation([0, 2, 0, 2])).toBe(0);
    expect(sizeVariation([1, 3])).toBeCloseTo(1 / 4);
  });

  it('sort series into smooth, erratic, intermittent and lumpy', () => {
    expect(classifyDemand(weekly(4))).toBe('smooth');
    expect(classifyDemand([1, 20, 2, 30, 1, 25, 2, 1])).toBe('erratic');
    expect(classifyDemand([0, 0, 2, 0, 0, 2, 0, 0, 3, 0])).toBe('intermittent');
    expect(classifyDemand([0, 0, 1, 0, 0, 30, 0, 0, 2, 0])).toBe('lumpy');
  });

  it('score errors against the one-step naive forecast in sample (MASE, RMSSE as in M5)', () => {
    const train = [1, 3, 2, 4];
    // Naive in-sample errors 2, 1, 2: mean absolute 5/3, mean squared 3.
    expect(mase(train, [4, 2], [3, 3])).toBeCloseTo(1 / (5 / 3));
    expect(rmsse(train, [4, 2], [3, 3])).toBeCloseTo(Math.sqrt(1 / 3));
    expect(rmsse([2, 2, 2], [2], [1])).toBeUndefined();
  });
});

describe('forecasting methods', () => {
  it('seasonal naive repeats last week, weekday by weekday', () => {
    expect(seasonalNaive(weekly(2), 9)).toEqual([...WEEKLY, 3, 4]);
  });

  it('exponential smoothing fits its constant in sample: a level series stays level, a step is followed', () => {
    expect(fittedLevel([5, 5, 5, 5, 5])).toBe(5);
    expect(fittedLevel([...Array(20).fill(2), ...Array(20).fill(10)])).toBeGreaterThan(9.9);
  });

  it('Croston smooths sizes and intervals apart (α = 0.1), and SBA takes off its bias', () => {
    const series = [0, 0, 3, 0, 0, 0, 6, 0, 3];
    // Sizes 3 → 3.3 → 3.27 and intervals 3 → 3.1 → 2.99, worked by hand.
    expect(crostonClassic(series, 2)).toEqual([3.27 / 2.99, 3.27 / 2.99].map((v) => expect.closeTo(v, 10)));
    expect(crostonSba(series, 1)[0]).toBeCloseTo((3.27 / 2.99) * 0.95, 10);
    expect(crostonClassic([0, 0, 0], 1)).toEqual([0]);
  });

  it('TSB lets the forecast of an item no longer sold fall, where Croston keeps the old rate', () => {
    const dying = [...intermittent(120, 7, 0.3), ...Array(60).fill(0)];
    expect(tsb(dying, 1)[0]!).toBeLessThan(crostonClassic(dying, 1)[0]! / 3);
  });

  it('ADIDA sums days into buckets of the average interval between demands and shares the forecast back', () => {
    const everySeventh = Array.from({ length: 70 }, (_, i) => (i % 7 === 6 ? 7 : 0));
    expect(adida(everySeventh, 3)).toEqual([1, 1, 1].map((v) => expect.closeTo(v, 6)));
  });

  it('weekly exponential smoothing recovers a weekly pattern', () => {
    const forecast = weeklyEts(weekly(8), 14);
    forecast.forEach((f, i) => expect(f).toBeCloseTo(WEEKLY[i % 7]!, 6));
  });
});

describe('choosing the method by rolling-origin backtest', () => {
  it('cuts as many windows of the horizon as fit after four weeks of training', () => {
    expect(backtestOrigins(200, 28, 3)).toEqual([116, 144, 172]);
    expect(backtestOrigins(MIN_TRAINING_DAYS + 30, 28, 3)).toEqual([30]);
    expect(backtestOrigins(40, 28, 3)).toEqual([]);
  });

  it('picks a weekly method for weekly demand, and beats seasonal naive on its own windows', () => {
    const f = forecastSeries(noisyWeekly(182, 1), { horizon: 28 });
    expect(['ets_weekly', 'seasonal_naive']).toContain(f.method);
    expect(f.backtest.origins).toBe(3);
    expect(f.backtest.rmsse!).toBeLessThanOrEqual(f.backtest.baselineRmsse!);
    expect(f.daily).toHaveLength(28);
  });

  it('picks a method for intermittent demand that beats seasonal naive', () => {
    const f = forecastSeries(intermittent(182, 3), { horizon: 28 });
    expect(f.demandClass === 'intermittent' || f.demandClass === 'lumpy').toBe(true);
    expect(f.method).not.toBe('seasonal_naive');
    expect(f.backtest.rmsse!).toBeLessThan(f.backtest.baselineRmsse!);
  });

  it('falls back on the demand class when the history is too short to backtest', () => {
    const f = forecastSeries([0, 0, 2, 0, 0, 0, 1, 0, 0, 3], { horizon: 7 });
    expect(f.backtest).toMatchObject({ origins: 0, mase: null, rmsse: null, baseline: 'seasonal_naive', baselineRmsse: null });
    // Without a backtest the error is sized by the history's spread.
    expect(f.backtest.errorSd).toBeCloseTo(Math.sqrt(1.04), 9);
    expect(f.method).toBe('croston_sba');
  });

  it('gives a band with p10 ≤ mean ≤ p90, never below zero', () => {
    for (const series of [noisyWeekly(120, 5), intermittent(120, 6), [0, 1, 0]]) {
      for (const day of forecastSeries(series, { horizon: 14 }).daily) {
        expect(day.p10).toBeGreaterThanOrEqual(0);
        expect(day.p10).toBeLessThanOrEqual(day.mean);
        expect(day.p90).toBeGreaterThanOrEqual(day.mean);
      }
    }
  });
});

describe('what a forecast is fitted on', () => {
  const day = (date: string, quantity: number, stockout = false) => ({ date, quantity, stockout });
  const weeks = (n: number, values: number[]) => Array.from({ length: n * 7 }, (_, t) => day(addDays('2026-01-01', t), values[t % 7]!));

  it('starts at the first day with demand', () => {
    expect(forecastInput([day('2026-01-01', 0), day('2026-01-02', 0), day('2026-01-03', 4), day('2026-01-04', 0)])).toEqual({ values: [4, 0], from: '2026-01-03', stockoutDays: 0 });
    expect(forecastInput([day('2026-01-01', 0, true), day('2026-01-02', 0)])).toEqual({ values: [], from: null, stockoutDays: 0 });
  });

  it('fills a stock-out day with the same weekday of the four weeks before', () => {
    const days = weeks(5, [1, 2, 3, 4, 5, 6, 7]);
    days[30] = day(days[30]!.date, 0, true); // a third day of the week: 3 in each week before
    days[33] = day(days[33]!.date, 0, true);
    const { values, stockoutDays } = forecastInput(days);
    expect(stockoutDays).toBe(2);
    expect(values[30]).toBe(3);
    expect(values[33]).toBe(6);
  });

  it('fills a stock-out with the in-stock mean when no earlier same weekday is in stock', () => {
    expect(fillStockouts([day('2026-01-01', 4), day('2026-01-02', 0, true), day('2026-01-03', 2)]).map((d) => d.quantity)).toEqual([4, 3, 2]);
  });

  it('sums locations day by day, each filled first', () => {
    const a = [day('2026-01-01', 2), day('2026-01-02', 0, true)];
    const b = [day('2026-01-01', 1), day('2026-01-02', 5)];
    expect(sumLocations([a, b])).toEqual([day('2026-01-01', 3), day('2026-01-02', 7)]);
  });

  it('dates the forecast from the day after the history, and forecasts no demand as zero', () => {
    const f = forecastFromHistory([day('2026-01-01', 0)], '2026-01-01');
    expect(f.daily[0]).toEqual({ date: '2026-01-02', mean: 0, p10: 0, p90: 0 });
    expect(f.daily).toHaveLength(56);
    expect(f.historyFrom).toBeNull();
  });
});

describe('SES fitted within bounds (ADIDA)', () => {
  it('finds the constant with the least in-sample error between the bounds', () => {
    const series = [3, 9, 1, 4, 6, 2, 8, 5, 5, 7, 2, 9, 4];
    let best = { sse: Infinity, level: 0 };
    for (let a = 0.1; a <= 0.3 + 1e-9; a += 0.0001) {
      const fit = smooth(series, a);
      if (fit.sse < best.sse) best = fit;
    }
    expect(boundedLevel(series, 0.1, 0.3)).toBeCloseTo(best.level, 3);
  });
});
