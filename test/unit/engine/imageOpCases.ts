/**
 * The image ops' cases of the backend comparison (webgpuOps.test.ts): convolution, pooling and
 * batch normalization over odd sizes, strides, `same` padding with odd padding totals, a batch
 * of one, accumulation, max pooling with ties, and the moving statistics over several steps.
 * Each case carries a naive float64 reference (imageOpReference.ts) besides the CPU backend.
 */
import type { Invocation, OpName, Window2D } from '../../../src/engine/backend';
import { Random } from '../../../src/engine/random';
import { windowGeometry } from '../../../src/model/convGeometry';
import type { PaddingName } from '../../../src/model/types';
import {
  batchNormGradRef, batchNormInferenceRef, batchNormRef, conv2dGradInputRef, conv2dGradWeightRef, conv2dRef, pool2dGradRef, pool2dRef,
} from './imageOpReference';

/** One op invocation with the sizes of its buffers and how to fill them. */
export interface OpCase {
  name: string;
  op: OpName;
  attrs: Invocation['attrs'];
  dims: Invocation['dims'];
  inputs: number[];
  outputs: number[];
  /** Fills buffer j (inputs first, then outputs; outputs too, for in-place and accumulate ops). */
  fill?: (j: number, n: number, rng: Random) => Float32Array;
  /** Optimizer steps to run (the step counter is 1…steps). */
  steps?: number;
  /** A naive reference: from every buffer's contents before one run, the outputs after it. */
  reference?: (bufs: Float32Array[]) => Float32Array[];
}

export function uniform(n: number, rng: Random, lo = -1, hi = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(lo, hi);
  return a;
}

/** Small integers, so max pooling meets ties in most windows. */
const ties = (_j: number, n: number, rng: Random): Float32Array => uniform(n, rng, 0, 3).map(Math.floor);

/** The Window2D of an [h, w, c] input as the model computes it (Keras' padding split). */
function win(h: number, w: number, c: number, k: [number, number], s: [number, number], padding: PaddingName): Window2D {
  const g = windowGeometry([h, w, c], k, s, padding);
  return { h, w, c, kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw, padTop: g.padTop, padLeft: g.padLeft, oh: g.oh, ow: g.ow };
}

const label = (g: Window2D, rows: number, padding: string): string =>
  `${rows}×${g.h}×${g.w}×${g.c} k${g.kh}×${g.kw} s${g.sh}×${g.sw} ${padding} (pad ${g.padTop},${g.padLeft} → ${g.oh}×${g.ow})`;

/** Convolution geometries: odd sizes, strides, odd `same` padding totals, a batch of 1, tiles crossed. */
const CONVS: { rows: number; g: Window2D; padding: string; filters: number }[] = [
  { rows: 2, g: win(7, 5, 3, [2, 3], [1, 1], 'valid'), padding: 'valid', filters: 4 },
  // same, stride 2: H pads 1 + 2 (odd total), W pads 0 + 1.
  { rows: 3, g: win(7, 6, 2, [4, 3], [2, 2], 'same'), padding: 'same', filters: 5 },
  { rows: 1, g: win(5, 7, 1, [3, 3], [1, 2], 'same'), padding: 'same', filters: 3 },
  // Crosses the 32-wide tiles in every GEMM dimension.
  { rows: 3, g: win(9, 9, 5, [3, 3], [1, 1], 'same'), padding: 'same', filters: 37 },
];

function convCases(): OpCase[] {
  const out: OpCase[] = [];
  for (const { rows, g, padding, filters } of CONVS) {
    const x = rows * g.h * g.w * g.c, y = rows * g.oh * g.ow * filters, w = filters * g.kh * g.kw * g.c;
    const a = { ...g, filters };
    const name = `${label(g, rows, padding)} ×${filters}`;
    out.push({ name: `conv2d ${name}`, op: 'conv2d', attrs: a, dims: { rows }, inputs: [x, w], outputs: [y], reference: (b) => conv2dRef(a, rows, b) });
    for (const accumulate of [false, true]) {
      const acc = accumulate ? ' +=' : '';
      const gi = { ...a, accumulate };
      out.push({ name: `conv2dGradInput ${name}${acc}`, op: 'conv2dGradInput', attrs: gi, dims: { rows }, inputs: [y, w], outputs: [x], reference: (b) => conv2dGradInputRef(gi, rows, b) });
      out.push({ name: `conv2dGradWeight ${name}${acc}`, op: 'conv2dGradWeight', attrs: gi, dims: { rows }, inputs: [x, y], outputs: [w], reference: (b) => conv2dGradWeightRef(gi, rows, b) });
    }
  }
  // Enough pixels (4·14·14) that the weight gradient is summed in several slices, then added up.
  const g = win(14, 14, 3, [3, 3], [1, 1], 'same');
  for (const accumulate of [false, true]) {
    const gi = { ...g, filters: 8, accumulate };
    out.push({
      name: `conv2dGradWeight ${label(g, 4, 'same')} ×8 in K slices${accumulate ? ' +=' : ''}`, op: 'conv2dGradWeight', attrs: gi, dims: { rows: 4 },
      inputs: [4 * 14 * 14 * 3, 4 * 14 * 14 * 8], outputs: [8 * 9 * 3], reference: (b) => conv2dGradWeightRef(gi, 4, b),
    });
  }
  return out;
}

/** Pooling geometries: windows that drop the last row/column, overlapping same windows, global average. */
const POOLS: { rows: number; g: Window2D; padding: string }[] = [
  { rows: 2, g: win(7, 5, 3, [2, 2], [2, 2], 'valid'), padding: 'valid' },
  { rows: 1, g: win(7, 6, 2, [3, 3], [2, 2], 'same'), padding: 'same' },
  { rows: 2, g: win(5, 7, 3, [3, 2], [1, 1], 'same'), padding: 'same' },
  { rows: 3, g: win(4, 6, 5, [4, 6], [4, 6], 'valid'), padding: 'global' },
];

function poolCases(): OpCase[] {
  const out: OpCase[] = [];
  for (const { rows, g, padding } of POOLS) {
    const x = rows * g.h * g.w * g.c, y = rows * g.oh * g.ow * g.c;
    for (const mode of ['max', 'avg'] as const) {
      if (padding === 'global' && mode === 'max') continue;
      const a = { ...g, mode };
      const fill = mode === 'max' ? ties : undefined;
      const name = `${mode} ${label(g, rows, padding)}${mode === 'max' ? ' with ties' : ''}`;
      out.push({ name: `pool2d ${name}`, op: 'pool2d', attrs: a, dims: { rows }, inputs: [x], outputs: [y], fill, reference: (b) => pool2dRef(a, rows, b) });
      for (const accumulate of [false, true]) {
        const ga = { ...a, accumulate };
        // Ties in X only; dY and a prior dX stay continuous.
        const gradFill = fill && ((j: number, n: number, rng: Random) => (j === 0 ? ties(j, n, rng) : uniform(n, rng)));
        out.push({
          name: `pool2dGrad ${name}${accumulate ? ' +=' : ''}`, op: 'pool2dGrad', attrs: ga, dims: { rows }, inputs: [x, y], outputs: [x], fill: gradFill,
          reference: (b) => pool2dGradRef(ga, rows, b),
        });
      }
    }
  }
  return out;
}

function batchNormCases(): OpCase[] {
  const out: OpCase[] = [];
  // An image batch (rows = 2·7·5, 3 channels), a vector batch summed in chunks, a batch of 1, a
  // tall image batch (2·45·45 rows) in 15 chunks, and 40 channels: two blocks of column lanes.
  for (const [rows, cols] of [[70, 3], [300, 17], [1, 4], [4050, 3], [600, 40]]) {
    const a = { epsilon: 0.001, momentum: 0.99 };
    // Offset inputs (mean ≈ 2) and moving variances that start positive, as they do in training.
    const fill = (j: number, n: number, rng: Random): Float32Array => (j === 0 ? uniform(n, rng, 1, 3) : j === 7 ? uniform(n, rng, 0.5, 1.5) : uniform(n, rng));
    out.push({
      name: `batchNorm ${rows}×${cols}, moving statistics over 3 steps`, op: 'batchNorm', attrs: a, dims: { rows, cols }, steps: 3,
      inputs: [rows * cols, cols, cols], outputs: [rows * cols, cols, cols, cols, cols], fill, reference: (b) => batchNormRef(a, rows, cols, b),
    });
    const ia = { epsilon: 0.001 };
    out.push({
      name: `batchNormInference ${rows}×${cols}`, op: 'batchNormInference', attrs: ia, dims: { rows, cols },
      inputs: [rows * cols, cols, cols, cols, cols], outputs: [rows * cols], fill: (j, n, rng) => (j === 4 ? uniform(n, rng, 0, 2) : uniform(n, rng)),
      reference: (b) => batchNormInferenceRef(ia, cols, b),
    });
    for (const accumulate of [false, true]) {
      const ga = { accumulate };
      out.push({
        name: `batchNormGrad ${rows}×${cols}${accumulate ? ' +=' : ''}`, op: 'batchNormGrad', attrs: ga, dims: { rows, cols },
        inputs: [rows * cols, rows * cols, cols, cols, cols], outputs: [rows * cols, cols, cols],
        // invStd is positive, as 1/sqrt(var + ε) always is.
        fill: (j, n, rng) => (j === 4 ? uniform(n, rng, 0.5, 2) : uniform(n, rng)),
        reference: (b) => batchNormGradRef(ga, rows, cols, b),
      });
    }
  }
  return out;
}

/** Every image-op case. */
export function imageOpCases(): OpCase[] {
  return [...convCases(), ...poolCases(), ...batchNormCases()];
}
