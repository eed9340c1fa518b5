// Generated daily demand of known shapes, for the forecasting and replenishment benches: a
// seeded generator (the same series on every run) and samplers for Poisson and gamma draws.

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Poisson(λ): multiplication for small λ, a rounded normal for large. */
export function poisson(random: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(random)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

/** Gamma(shape, scale) by Marsaglia and Tsang (shape < 1 boosted). */
export function gamma(random: () => number, shape: number, scale: number): number {
  if (shape < 1) return gamma(random, shape + 1, scale) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(random);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
  }
}

export type Shape = 'smooth' | 'seasonal' | 'erratic' | 'intermittent' | 'lumpy' | 'trend' | 'promotions' | 'stockouts';
export const SHAPES: readonly Shape[] = ['smooth', 'seasonal', 'erratic', 'intermittent', 'lumpy', 'trend', 'promotions', 'stockouts'];

/** Sunday first: busy weekends, quiet early week (a mean of 1). */
const WEEKLY = [1.45, 0.75, 0.8, 0.85, 0.95, 1.1, 1.6].map((w, _i, all) => w / (all.reduce((s, v) => s + v, 0) / 7));

export interface GeneratedSeries {
  shape: Shape;
  /** True demand each day. */
  demand: number[];
  /** Days with no stock: demand was lost and recorded as zero. */
  stockout: boolean[];
}

/** `days` of demand of the given shape; day 0 is a Sunday. */
export function generateSeries(random: () => number, shape: Shape, days: number): GeneratedSeries {
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const stockout = Array.from({ length: days }, () => false);
  let demand: number[];
  const level = between(4, 40);
  const seasonal = (t: number, amplitude: number) => 1 + amplitude * (WEEKLY[t % 7]! - 1);
  switch (shape) {
    case 'smooth':
      demand = Array.from({ length: days }, (_, t) => poisson(random, level * seasonal(t, 0.15)));
      break;
    case 'seasonal':
      demand = Array.from({ length: days }, (_, t) => poisson(random, level * seasonal(t, 1)));
      break;
    case 'erratic': {
      const shapeK = between(0.4, 0.9);
      demand = Array.from({ length: days }, (_, t) => poisson(random, gamma(random, shapeK, (level * seasonal(t, 0.5)) / shapeK)));
      break;
    }
    case 'intermittent': {
      const p = between(0.08, 0.5);
      const size = between(0.3, 2);
      demand = Array.from({ length: days }, () => (random() < p ? 1 + poisson(random, size) : 0));
      break;
    }
    case 'lumpy': {
      const p = between(0.05, 0.4);
      const mean = between(3, 15);
      demand = Array.from({ length: days }, () => (random() < p ? Math.max(1, Math.round(gamma(random, 0.5, mean / 0.5))) : 0));
      break;
    }
    case 'trend': {
      // From -40% to +120% over a year.
      const slope = between(-0.4, 1.2) / 365;
      demand = Array.from({ length: days }, (_, t) => poisson(random, Math.max(0.5, level * (1 + slope * t)) * seasonal(t, 0.7)));
      break;
    }
    case 'promotions': {
      const lift = Array.from({ length: days }, () => 1);
      for (let t = 0; t < days; ) {
        t += Math.floor(between(20, 60));
        const length = Math.floor(between(3, 8));
        for (let i = t; i < Math.min(days, t + length); i++) lift[i] = between(2, 3);
        t += length;
      }
      demand = Array.from({ length: days }, (_, t) => poisson(random, level * seasonal(t, 0.7) * lift[t]!));
      break;
    }
    case 'stockouts': {
      demand = Array.from({ length: days }, (_, t) => poisson(random, level * seasonal(t, 0.7)));
      for (let t = 0; t < days; ) {
        t += Math.floor(between(25, 70));
        const length = Math.floor(between(3, 12));
        for (let i = t; i < Math.min(days, t + length); i++) stockout[i] = true;
        t += length;
      }
      break;
    }
  }
  return { shape, demand, stockout };
}
