// Daily demand series and how they are judged: the demand pattern (Syntetos–Boylan's ADI and
// CV² classes: smooth, erratic, intermittent, lumpy) and the scaled errors a forecast is
// scored by (MASE against the one-step naive forecast's in-sample error, RMSSE as in M5).

export type DemandClass = 'smooth' | 'erratic' | 'intermittent' | 'lumpy';

/** Syntetos–Boylan cut-offs: average inter-demand interval 1.32, squared coefficient of variation 0.49. */
export const ADI_CUTOFF = 1.32;
export const CV2_CUTOFF = 0.49;

/** Average interval between demands in periods (the first counted from the start of the series). */
export function averageDemandInterval(series: readonly number[]): number {
  let demands = 0;
  let last = -1;
  series.forEach((y, t) => {
    if (y > 0) {
      demands += 1;
      last = t;
    }
  });
  return demands === 0 ? Infinity : (last + 1) / demands;
}

/** Squared coefficient of variation of the non-zero demand sizes. */
export function sizeVariation(series: readonly number[]): number {
  const sizes = series.filter((y) => y > 0);
  if (sizes.length < 2) return 0;
  const mean = sizes.reduce((s, y) => s + y, 0) / sizes.length;
  const variance = sizes.reduce((s, y) => s + (y - mean) ** 2, 0) / sizes.length;
  return variance / mean ** 2;
}

export function classifyDemand(series: readonly number[]): DemandClass {
  const adi = averageDemandInterval(series);
  const cv2 = sizeVariation(series);
  if (adi < ADI_CUTOFF) return cv2 < CV2_CUTOFF ? 'smooth' : 'erratic';
  return cv2 < CV2_CUTOFF ? 'intermittent' : 'lumpy';
}

/** Mean squared (or absolute) one-step naive error in sample: the scale of MASE and RMSSE. */
function naiveScale(train: readonly number[], power: 1 | 2): number {
  let sum = 0;
  for (let t = 1; t < train.length; t++) sum += Math.abs(train[t]! - train[t - 1]!) ** power;
  return train.length > 1 ? sum / (train.length - 1) : 0;
}

/** Mean absolute scaled error; undefined when the history never changes (no scale). */
export function mase(train: readonly number[], actual: readonly number[], forecast: readonly number[]): number | undefined {
  const scale = naiveScale(train, 1);
  if (scale === 0 || actual.length === 0) return undefined;
  const mae = actual.reduce((s, y, i) => s + Math.abs(y - forecast[i]!), 0) / actual.length;
  return mae / scale;
}

/** Root mean squared scaled error (M5's measure); undefined when the history never changes. */
export function rmsse(train: readonly number[], actual: readonly number[], forecast: readonly number[]): number | undefined {
  const scale = naiveScale(train, 2);
  if (scale === 0 || actual.length === 0) return undefined;
  const mse = actual.reduce((s, y, i) => s + (y - forecast[i]!) ** 2, 0) / actual.length;
  return Math.sqrt(mse / scale);
}
