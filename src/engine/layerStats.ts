/** Per-layer statistics of weights and gradients for the 'layers' training event. */
import { simdHistogram, simdMoments } from './cpu/simdStats';

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

/**
 * L2 norm, mean, std and a histogram of `a`. It reads every weight and gradient of a layer (two
 * passes over 2M floats on a wide network), so both passes run four lanes side by side: four
 * partial sums (in doubles) and extremes, then four sets of bin counts, so no add waits on the
 * one before it (one chain of adds and increments ran at a third of the speed). A CPU buffer in
 * the products' memory runs both passes in wasm SIMD (cpu/simdStats.ts), lane by lane the same,
 * 4 to 8 times as fast. Bin b holds (x − min)·(bins / span) in [b, b + 1), in doubles; a value
 * exactly at the top lands in the last bin; a NaN (never there in a run that goes on) in the last too.
 */
export function tensorStats(a: Float32Array, bins = HISTOGRAM_BINS): TensorStats {
  const n0 = a.length;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
  let lo0 = Infinity, lo1 = Infinity, hi0 = -Infinity, hi1 = -Infinity;
  let i = 0;
  // A CPU buffer in the products' memory: the whole vectors in wasm SIMD, lane by lane as below.
  const fast = simdMoments(a);
  if (fast) {
    i = fast.done;
    [s0, s1, s2, s3] = fast.sum;
    [q0, q1, q2, q3] = fast.sq;
    lo0 = Math.min(...fast.min);
    hi0 = Math.max(...fast.max);
  }
  for (; i + 3 < n0; i += 4) {
    const v0 = a[i], v1 = a[i + 1], v2 = a[i + 2], v3 = a[i + 3];
    s0 += v0; s1 += v1; s2 += v2; s3 += v3;
    q0 += v0 * v0; q1 += v1 * v1; q2 += v2 * v2; q3 += v3 * v3;
    const m0 = v0 < v1 ? v0 : v1, m1 = v2 < v3 ? v2 : v3, x0 = v0 > v1 ? v0 : v1, x1 = v2 > v3 ? v2 : v3;
    if (m0 < lo0) lo0 = m0;
    if (m1 < lo1) lo1 = m1;
    if (x0 > hi0) hi0 = x0;
    if (x1 > hi1) hi1 = x1;
  }
  for (; i < n0; i++) {
    const v = a[i];
    s0 += v;
    q0 += v * v;
    if (v < lo0) lo0 = v;
    if (v > hi0) hi0 = v;
  }
  const sum = s0 + s1 + (s2 + s3), sq = q0 + q1 + (q2 + q3);
  let min = lo0 < lo1 ? lo0 : lo1, max = hi0 > hi1 ? hi0 : hi1;
  const n = Math.max(1, n0);
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, sq / n - mean * mean));
  if (n0 === 0) { min = 0; max = 0; }
  const span = max - min;
  // Four counts a bin (bin b, lane k at 4b + k), summed at the end.
  const c = new Int32Array(4 * bins);
  if (span > 0) {
    // (Written out: a helper function for the bin ran at half the speed.)
    const last = bins - 1, scale = bins / span;
    let j = simdHistogram(a, min, scale, last, c);
    for (; j + 3 < n0; j += 4) {
      const b0 = Math.floor((a[j] - min) * scale), b1 = Math.floor((a[j + 1] - min) * scale);
      const b2 = Math.floor((a[j + 2] - min) * scale), b3 = Math.floor((a[j + 3] - min) * scale);
      c[4 * (b0 < last ? b0 : last)]++;
      c[4 * (b1 < last ? b1 : last) + 1]++;
      c[4 * (b2 < last ? b2 : last) + 2]++;
      c[4 * (b3 < last ? b3 : last) + 3]++;
    }
    for (; j < n0; j++) {
      const b = Math.floor((a[j] - min) * scale);
      c[4 * (b < last ? b : last)]++;
    }
  } else c[0] = n0;
  const counts = new Array<number>(bins);
  for (let b = 0; b < bins; b++) counts[b] = c[4 * b] + c[4 * b + 1] + c[4 * b + 2] + c[4 * b + 3];
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
