/**
 * The image layers of the independent float64 forward pass (forward64.ts): one sample, channels
 * last (index (y·w + x)·c + ch), written straight from the definitions with plain loops, so Check
 * Gradients compares the engine's kernels with code that shares nothing with them.
 */
import type { LayerSpec } from '../engine';

type Window = NonNullable<LayerSpec['window']>;

/** Cross-correlation of one [h, w, c] image with kernels [filters][kh][kw][c], plus bias; zero padding. */
export function conv2d64(x: Float64Array, win: Window, filters: number, kernels: Float64Array, bias: Float64Array | undefined): Float64Array {
  const { h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow } = win;
  const out = new Float64Array(oh * ow * filters);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let f = 0; f < filters; f++) {
        let s = bias ? bias[f] : 0;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky - padTop;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx - padLeft;
            if (ix < 0 || ix >= w) continue;
            for (let ch = 0; ch < c; ch++) s += kernels[((f * kh + ky) * kw + kx) * c + ch] * x[(iy * w + ix) * c + ch];
          }
        }
        out[(oy * ow + ox) * filters + f] = s;
      }
    }
  }
  return out;
}

/** Max or average pooling per channel; padding cells are ignored (average over the cells inside). */
export function pool2d64(x: Float64Array, win: Window, mode: 'max' | 'avg'): Float64Array {
  const { h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow } = win;
  const out = new Float64Array(oh * ow * c);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = mode === 'max' ? -Infinity : 0;
        let n = 0;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky - padTop;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx - padLeft;
            if (ix < 0 || ix >= w) continue;
            const v = x[(iy * w + ix) * c + ch];
            acc = mode === 'max' ? Math.max(acc, v) : acc + v;
            n++;
          }
        }
        out[(oy * ow + ox) * c + ch] = mode === 'max' ? acc : acc / Math.max(1, n);
      }
    }
  }
  return out;
}

/** Batch normalization at inference over the last axis of width `c`. */
export function batchNorm64(x: Float64Array, c: number, epsilon: number, gamma: Float64Array, beta: Float64Array, mean: Float64Array, variance: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const ch = i % c;
    out[i] = gamma[ch] * (x[i] - mean[ch]) / Math.sqrt(variance[ch] + epsilon) + beta[ch];
  }
  return out;
}
