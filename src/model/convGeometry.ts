/**
 * The geometry of 2-D window ops (convolution and pooling), Keras' rules, in one place so the
 * model's shapes, the engine's kernels and every exporter agree.
 *
 * - `valid`: out = floor((in − k) / s) + 1, no padding (out ≤ 0 means the window does not fit).
 * - `same`: out = ceil(in / s); the total padding max((out − 1)·s + k − in, 0) is split with the
 *   smaller half before (top/left) and the larger after (bottom/right), as TensorFlow does.
 */
import type { PaddingName, Size2D } from './types';

/** [height, width] of a Size2D (one number means both). */
export function pair(size: Size2D): [number, number] {
  return typeof size === 'number' ? [size, size] : [size[0], size[1]];
}

/** Output length and padding along one axis. */
export interface AxisGeometry {
  out: number;
  padBefore: number;
  padAfter: number;
}

/** Output length and padding of a window of `k` cells at stride `s` over `size` cells. */
export function axisGeometry(size: number, k: number, s: number, padding: PaddingName): AxisGeometry {
  if (padding === 'same') {
    const out = Math.ceil(size / s);
    const total = Math.max((out - 1) * s + k - size, 0);
    const padBefore = Math.floor(total / 2);
    return { out, padBefore, padAfter: total - padBefore };
  }
  return { out: Math.floor((size - k) / s) + 1, padBefore: 0, padAfter: 0 };
}

/** Everything a kernel needs about one window op over an [h, w, c] input. */
export interface WindowGeometry {
  h: number;
  w: number;
  c: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
  oh: number;
  ow: number;
}

/** The window geometry over an [h, w, c] input; oh or ow ≤ 0 means the window does not fit. */
export function windowGeometry(input: readonly number[], kernel: Size2D, strides: Size2D, padding: PaddingName): WindowGeometry {
  const [h, w, c] = input;
  const [kh, kw] = pair(kernel);
  const [sh, sw] = pair(strides);
  const y = axisGeometry(h, kh, sh, padding);
  const x = axisGeometry(w, kw, sw, padding);
  return {
    h, w, c, kh, kw, sh, sw,
    padTop: y.padBefore, padLeft: x.padBefore, padBottom: y.padAfter, padRight: x.padAfter,
    oh: y.out, ow: x.out,
  };
}
