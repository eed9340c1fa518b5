// The method for one series, chosen without hindsight: each candidate forecasts the last
// windows of the history from what came before them (rolling origins), and the one with the
// lowest mean RMSSE over those windows forecasts the future. Its errors on those windows
// give the p10–p90 band. A history too short for a window falls back on its demand class.
import { classifyDemand, mase, rmsse, type DemandClass } from './series.ts';
import { FORECASTERS, type ForecastMethod } from './methods.ts';

export interface BacktestSummary {
  origins: number;
  mase: number | null;
  rmsse: number | null;
  baseline: 'seasonal_naive';
  baselineRmsse: number | null;
  /** Standard deviation of the daily forecast error: the backtest's RMSE, or the history's spread when there was no backtest. */
  errorSd: number;
}

export interface SeriesForecast {
  method: ForecastMethod;
  demandClass: DemandClass;
  daily: { mean: number; p10: number; p90: number }[];
  backtest: BacktestSummary;
}

/** The shortest history a backtest window is cut from: four weeks. */
export const MIN_TRAINING_DAYS = 28;
const Z90 = 1.2816;

interface MethodScore {
  method: ForecastMethod;
  rmsse: number | null;
  mase: number | null;
  residuals: number[];
}

const mean = (values: number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : null);

/** The windows a series is backtested on: `origins` windows of `horizon` days at its end, or as many as fit. */
export function backtestOrigins(length: number, horizon: number, origins: number): number[] {
  const fit = Math.max(0, Math.min(origins, Math.floor((length - MIN_TRAINING_DAYS) / horizon)));
  return Array.from({ length: fit }, (_, i) => length - (fit - i) * horizon);
}

export function scoreMethod(series: readonly number[], method: ForecastMethod, horizon: number, cuts: readonly number[]): MethodScore {
  const rmsses: number[] = [];
  const mases: number[] = [];
  const residuals: number[] = [];
  for (const cut of cuts) {
    const train = series.slice(0, cut);
    const actual = series.slice(cut, cut + horizon);
    const forecast = FORECASTERS[method](train, actual.length);
    actual.forEach((y, i) => residuals.push(y - forecast[i]!));
    const r = rmsse(train, actual, forecast);
    const m = mase(train, actual, forecast);
    if (r !== undefined) rmsses.push(r);
    if (m !== undefined) mases.push(m);
  }
  return { method, rmsse: mean(rmsses), mase: mean(mases), residuals };
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (at - low);
}

/** The method a series' demand class suggests when no backtest window fits. */
export function methodForClass(demandClass: DemandClass): ForecastMethod {
  return demandClass === 'smooth' || demandClass === 'erratic' ? 'ses' : 'croston_sba';
}

export function forecastSeries(
  series: readonly number[],
  options: { horizon: number; backtestHorizon?: number; origins?: number; candidates?: readonly ForecastMethod[] },
): SeriesForecast {
  const demandClass = classifyDemand(series);
  const windowDays = options.backtestHorizon ?? options.horizon;
  const cuts = backtestOrigins(series.length, windowDays, options.origins ?? 3);
  const candidates = options.candidates ?? (Object.keys(FORECASTERS) as ForecastMethod[]);
  const scores = cuts.length ? candidates.map((m) => scoreMethod(series, m, windowDays, cuts)) : [];
  const ranked = scores.filter((s) => s.rmsse !== null).sort((a, b) => a.rmsse! - b.rmsse!);
  const chosen = ranked[0] ?? scores.find((s) => s.method === methodForClass(demandClass)) ?? { method: methodForClass(demandClass), rmsse: null, mase: null, residuals: [] };
  const baseline = scores.find((s) => s.method === 'seasonal_naive') ?? (cuts.length ? scoreMethod(series, 'seasonal_naive', windowDays, cuts) : undefined);

  const point = FORECASTERS[chosen.method](series, options.horizon);
  const band = bandOf(series, chosen.residuals);
  return {
    method: chosen.method,
    demandClass,
    daily: point.map((m) => ({ mean: m, p10: Math.max(0, m + band.low), p90: Math.max(m, m + band.high) })),
    backtest: { origins: cuts.length, mase: chosen.mase, rmsse: chosen.rmsse, baseline: 'seasonal_naive', baselineRmsse: baseline?.rmsse ?? null, errorSd: errorSdOf(series, chosen.residuals) },
  };
}

/** The daily error's standard deviation: the backtest's root mean squared error, or the history's standard deviation without one. */
function errorSdOf(series: readonly number[], residuals: readonly number[]): number {
  if (residuals.length >= 10) return Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / residuals.length);
  return historySd(series);
}

/** The history's standard deviation: the error's size when no backtest measured it. */
function historySd(series: readonly number[]): number {
  const m = mean([...series]) ?? 0;
  return Math.sqrt(series.reduce((s, y) => s + (y - m) ** 2, 0) / Math.max(1, series.length));
}

/** Offsets from the mean to p10 and p90: the backtest's error quantiles, or the history's spread when there was none. */
function bandOf(series: readonly number[], residuals: readonly number[]): { low: number; high: number } {
  if (residuals.length >= 10) {
    const sorted = [...residuals].sort((a, b) => a - b);
    return { low: quantile(sorted, 0.1), high: quantile(sorted, 0.9) };
  }
  const sd = historySd(series);
  return { low: -Z90 * sd, high: Z90 * sd };
}
