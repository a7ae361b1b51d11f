/**
 * Plain float64 references of the image ops (conv2d, pool2d, batch norm), written from their
 * definitions with no lowering or blocking, for the engine's tests to compare kernels with.
 * Padding is derived here from TensorFlow's rule (total padding split smaller half first),
 * independently of src/model/convGeometry.ts.
 */
import * as assert from 'node:assert/strict';
import type { Window2D } from '../../../src/engine/backend';
import type { Random } from '../../../src/engine/random';

/** Keras/TF geometry, written out independently of the model's convGeometry. */
export function refGeometry(h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number, padding: 'valid' | 'same'): Window2D {
  const axis = (size: number, k: number, s: number): [number, number] => {
    if (padding === 'valid') return [Math.floor((size - k) / s) + 1, 0];
    const out = Math.ceil(size / s);
    const total = Math.max(0, (out - 1) * s + k - size);
    return [out, Math.floor(total / 2)];
  };
  const [oh, padTop] = axis(h, kh, sh);
  const [ow, padLeft] = axis(w, kw, sw);
  return { h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow };
}

/** X at (n, y, x, ch), or 0 in the padding. */
function at(X: ArrayLike<number>, g: Window2D, n: number, y: number, x: number, ch: number): number {
  if (y < 0 || y >= g.h || x < 0 || x >= g.w) return 0;
  return X[((n * g.h + y) * g.w + x) * g.c + ch];
}

/** Y[n, oy, ox, f] = Σ_{ky,kx,ch} X[n, oy·sh − pt + ky, ox·sw − pl + kx, ch] · W[f, ky, kx, ch]. */
export function refConv(X: ArrayLike<number>, W: ArrayLike<number>, g: Window2D, F: number, rows: number): Float64Array {
  const Y = new Float64Array(rows * g.oh * g.ow * F);
  for (let n = 0; n < rows; n++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) for (let f = 0; f < F; f++) {
    let s = 0;
    for (let ky = 0; ky < g.kh; ky++) for (let kx = 0; kx < g.kw; kx++) for (let ch = 0; ch < g.c; ch++) {
      s += at(X, g, n, oy * g.sh - g.padTop + ky, ox * g.sw - g.padLeft + kx, ch) * W[((f * g.kh + ky) * g.kw + kx) * g.c + ch];
    }
    Y[((n * g.oh + oy) * g.ow + ox) * F + f] = s;
  }
  return Y;
}

/** Max or average over the window cells inside the input. */
export function refPool(X: ArrayLike<number>, g: Window2D, mode: 'max' | 'avg', rows: number): Float64Array {
  const Y = new Float64Array(rows * g.oh * g.ow * g.c);
  for (let n = 0; n < rows; n++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) for (let ch = 0; ch < g.c; ch++) {
    let best = -Infinity, sum = 0, count = 0;
    for (let ky = 0; ky < g.kh; ky++) for (let kx = 0; kx < g.kw; kx++) {
      const y = oy * g.sh - g.padTop + ky, x = ox * g.sw - g.padLeft + kx;
      if (y < 0 || y >= g.h || x < 0 || x >= g.w) continue;
      const v = X[((n * g.h + y) * g.w + x) * g.c + ch];
      best = Math.max(best, v);
      sum += v;
      count++;
    }
    Y[((n * g.oh + oy) * g.ow + ox) * g.c + ch] = mode === 'max' ? best : sum / count;
  }
  return Y;
}

/** Training batch norm over the last axis: Y, the batch mean and the biased variance. */
export function refBatchNorm(X: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, rows: number, cols: number, eps: number): { Y: Float64Array; mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(cols), variance = new Float64Array(cols), Y = new Float64Array(rows * cols);
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += X[r * cols + c];
    mean[c] = s / rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += (X[r * cols + c] - mean[c]) ** 2;
    variance[c] = v / rows;
    for (let r = 0; r < rows; r++) Y[r * cols + c] = gamma[c] * (X[r * cols + c] - mean[c]) / Math.sqrt(variance[c] + eps) + beta[c];
  }
  return { Y, mean, variance };
}

/** Σ c·f(x), the scalar loss whose finite differences check a backward kernel. */
export function weighted(y: ArrayLike<number>, c: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i] * c[i];
  return s;
}

/**
 * Central differences of `loss` with respect to every element of `x` (float64, modified in
 * place and restored).
 */
export function numericGrad(x: Float64Array, loss: () => number, h = 1e-4): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    x[i] = v + h; const lp = loss();
    x[i] = v - h; const lm = loss();
    x[i] = v;
    g[i] = (lp - lm) / (2 * h);
  }
  return g;
}

/** n values drawn uniformly from [lo, hi). */
export function rand(rng: Random, n: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
}

/** Shuffled values 2/n apart: max pooling has no ties and no kinks within a finite-difference step. */
export function distinct(rng: Random, n: number): Float32Array {
  const a = Float32Array.from({ length: n }, (_, i) => (2 * i) / n - 1);
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(rng.next() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }
  return a;
}

/** |a − e| ≤ tol·(1 + |e|) elementwise: 1e-4 is a relative check for O(1) float32 values. */
export function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    assert.ok(Math.abs(a - e) <= tol * (1 + Math.abs(e)), `${what}[${i}]: got ${a}, expected ${e}`);
  }
}
