/** Per-layer statistics of weights and gradients for the 'layers' training event. */

/** Summary statistics of one tensor. */
export interface TensorStats {
  l2: number;
  mean: number;
  std: number;
  /** Fixed-bin histogram between min and max. */
  histogram: { min: number; max: number; counts: number[] };
}

/** Statistics of one dense or conv2d layer. */
export interface LayerStats {
  id: string;
  weight: TensorStats;
  /** Absent when no gradient flows to the layer. */
  grad?: TensorStats;
  /** ReLU layers: fraction of units (conv2d: filters) that output 0 for every row (and position) of the last batch. */
  deadFraction?: number;
}

/** Number of histogram bins every event uses (fixed so charts can compare steps). */
export const HISTOGRAM_BINS = 20;

/** L2 norm, mean, std and a histogram of `a`. */
export function tensorStats(a: Float32Array, bins = HISTOGRAM_BINS): TensorStats {
  let sum = 0, sq = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    sum += v;
    sq += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const n = Math.max(1, a.length);
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, sq / n - mean * mean));
  const counts = new Array<number>(bins).fill(0);
  if (a.length === 0) { min = 0; max = 0; }
  const span = max - min;
  for (let i = 0; i < a.length; i++) {
    const b = span > 0 ? Math.min(bins - 1, Math.floor(((a[i] - min) / span) * bins)) : 0;
    counts[b]++;
  }
  return { l2: Math.sqrt(sq), mean, std, histogram: { min, max, counts } };
}

/** Fraction of columns (units) whose activation is zero in every row. */
export function deadFraction(out: Float32Array, rows: number, cols: number): number {
  let dead = 0;
  for (let c = 0; c < cols; c++) {
    let alive = false;
    for (let r = 0; r < rows && !alive; r++) if (out[r * cols + c] > 0) alive = true;
    if (!alive) dead++;
  }
  return cols > 0 ? dead / cols : 0;
}

/**
 * The index of the first non-finite value, or -1. The CPU checks every weight after every step,
 * so the usual answer (none) comes from one branch-free pass: x·0 is ±0 for every finite x and
 * NaN for NaN and ±Inf, so the sum is 0 exactly when all are finite (about twice as fast as
 * testing each value); only then is the first one looked for.
 */
export function firstNonFinite(a: Float32Array): number {
  const n = a.length;
  let s = 0, i = 0;
  for (; i + 3 < n; i += 4) s += a[i] * 0 + a[i + 1] * 0 + a[i + 2] * 0 + a[i + 3] * 0;
  for (; i < n; i++) s += a[i] * 0;
  if (s === 0) return -1;
  for (i = 0; i < n; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}
