/**
 * The CPU kernels of the image ops (conv2d and its gradients, pool2d and its gradient, batch
 * norm) against plain float64 references written from the definitions (convReference.ts), and
 * every backward against central differences of a scalar loss Σ c·f(x) over those references.
 */
import * as assert from 'node:assert/strict';
import { prepareKernel, type BufferHandle, type Dims, type OpAttrs, type OpName, type Window2D } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { conv2dGradInputKernel, conv2dGradWeightKernel, conv2dKernel, type ConvKernelOptions } from '../../../src/engine/cpu/cpuConv';
import { col2im, im2col, im2colChunkPixels, IM2COL_CAP_FLOATS } from '../../../src/engine/cpu/im2col';
import { simdGemmAvailable, simdGemmMemory, simdGemmModuleBytes } from '../../../src/engine/cpu/simdGemm';
import { im2colTable, simdCol2im, simdIm2col, simdIm2colAvailable } from '../../../src/engine/cpu/simdIm2col';
import { wasmApi } from '../../../src/engine/cpu/simdMatmul';
import { Random } from '../../../src/engine/random';
import { windowGeometry } from '../../../src/model/convGeometry';
import { close, distinct, numericGrad, rand, refBatchNorm, refConv, refGeometry, refPool, weighted } from './convReference';

const backend = new CpuBackend();
const ctx = { step: 1 };



/** Runs one op on fresh CPU buffers; outputs start as `init` (or zeros). Returns the outputs. */
function runOp<O extends OpName>(op: O, attrs: OpAttrs[O], inputs: ArrayLike<number>[], outSizes: number[], dims: Dims, init: Array<ArrayLike<number> | undefined> = []): Float32Array[] {
  const ins = inputs.map((v, i) => { const b = backend.createBuffer(v.length, `in${i}`); backend.write(b, Float32Array.from(v)); return b; });
  const outs = outSizes.map((n, i) => { const b = backend.createBuffer(n, `out${i}`); if (init[i]) backend.write(b, Float32Array.from(init[i] as ArrayLike<number>)); return b; });
  prepareKernel(backend, { op, attrs, inputs: ins, outputs: outs, dims }, ctx)();
  return outs.map((b) => backend.view(b));
}

const plus = (a: ArrayLike<number>, b: ArrayLike<number>): number[] => Array.from(a, (v, i) => v + b[i]);

interface ConvCase { name: string; rows: number; hwc: [number, number, number]; F: number; k: [number, number]; s: [number, number]; padding: 'valid' | 'same' }

const CONV_CASES: ConvCase[] = [
  { name: '7×5×3, 2×3 kernel, valid, batch 2', rows: 2, hwc: [7, 5, 3], F: 4, k: [2, 3], s: [1, 1], padding: 'valid' },
  { name: '7×5×3, 2×3 kernel, stride 2, same, batch 1', rows: 1, hwc: [7, 5, 3], F: 2, k: [2, 3], s: [2, 2], padding: 'same' },
  { name: '7×6×2, 4×3 kernel, stride 2, same (odd totals 3 and 1)', rows: 3, hwc: [7, 6, 2], F: 3, k: [4, 3], s: [2, 2], padding: 'same' },
  { name: '6×7×3, 3×3 kernel, strides 2×3, valid', rows: 2, hwc: [6, 7, 3], F: 3, k: [3, 3], s: [2, 3], padding: 'valid' },
  { name: '5×5×1, 1×1 kernel', rows: 2, hwc: [5, 5, 1], F: 5, k: [1, 1], s: [1, 1], padding: 'valid' },
  { name: '4×3×2, 5×5 kernel larger than the input, same', rows: 1, hwc: [4, 3, 2], F: 2, k: [5, 5], s: [1, 1], padding: 'same' },
  // From 4 channels on, im2col copies each pixel's kernel rows as runs (fewer go plane by plane).
  { name: '6×5×5, 3×2 kernel, strides 2×1, same, 9 filters', rows: 2, hwc: [6, 5, 5], F: 9, k: [3, 2], s: [2, 1], padding: 'same' },
  { name: '5×6×4, 3×3 kernel, same (padding on every side)', rows: 1, hwc: [5, 6, 4], F: 2, k: [3, 3], s: [1, 1], padding: 'same' },
];

function convGeometry(c: ConvCase): Window2D {
  const g = windowGeometry(c.hwc, c.k, c.s, c.padding);
  const ref = refGeometry(...c.hwc, ...c.k, ...c.s, c.padding);
  assert.deepEqual({ oh: g.oh, ow: g.ow, padTop: g.padTop, padLeft: g.padLeft }, { oh: ref.oh, ow: ref.ow, padTop: ref.padTop, padLeft: ref.padLeft }, `${c.name}: geometry`);
  return { h: g.h, w: g.w, c: g.c, kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw, padTop: g.padTop, padLeft: g.padLeft, oh: g.oh, ow: g.ow };
}

describe('cpu conv2d kernels', () => {
  it('the strided SIMD product computes op(A)·B, A and Aᵀ, overwriting or accumulating, at every tile shape it builds', () => {
    const api = wasmApi as NonNullable<typeof wasmApi>;
    for (const [tileRows, unroll] of [[4, 1], [4, 2], [6, 1], [6, 2]]) {
      const mem = new api.Memory({ initial: 1 });
      const gemm = new api.Instance(new api.Module(simdGemmModuleBytes(tileRows, unroll)), { env: { mem } }).exports.gemm as (...a: number[]) => void;
      const f = new Float32Array(mem.buffer);
      const m = 2 * tileRows, n = 16;
      for (const k of [1, 6, 7]) {
        for (let i = 0; i < 3000; i++) f[i] = Math.sin(i * 1.3 + k);
        for (const transposed of [false, true]) {
          const before = f.slice(2000, 2000 + m * n);
          const rs = transposed ? 1 : k, ds = transposed ? m : 1;
          for (const acc of [0, 1]) {
            if (acc) before.set(f.subarray(2000, 2000 + m * n));
            gemm(0, 4000, 8000, m, k, n, 4 * rs, 4 * ds, 4 * n, 4 * n, acc);
            for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
              let s = acc ? before[i * n + j] : 0;
              for (let p = 0; p < k; p++) s += f[i * rs + p * ds] * f[1000 + p * n + j];
              assert.ok(Math.abs(f[2000 + i * n + j] - s) < 1e-5, `tile ${tileRows}×8 unroll ${unroll}, k ${k}, transposed ${transposed}, accumulate ${acc}: C[${i}][${j}]`);
            }
          }
        }
      }
    }
  });

  it('same padding with an odd total pads the smaller half first (TensorFlow): [1..5] ⊛ [1, 10] at stride 2 is [21, 43, 5]', () => {
    const g = convGeometry({ name: 'row', rows: 1, hwc: [1, 5, 1], F: 1, k: [1, 2], s: [2, 2], padding: 'same' });
    const [y] = runOp('conv2d', { ...g, filters: 1 }, [[1, 2, 3, 4, 5], [1, 10]], [3], { rows: 1 });
    assert.deepEqual(Array.from(y), [21, 43, 5]);
  });

  for (const c of CONV_CASES) {
    it(`${c.name}: forward matches the float64 reference; both gradients match finite differences`, () => {
      const rng = new Random(17);
      const g = convGeometry(c);
      const K = g.kh * g.kw * g.c, xs = c.rows * g.h * g.w * g.c, ys = c.rows * g.oh * g.ow * c.F;
      const X = rand(rng, xs), W = rand(rng, c.F * K), cw = rand(rng, ys);
      const [Y] = runOp('conv2d', { ...g, filters: c.F }, [X, W], [ys], { rows: c.rows });
      close(Y, refConv(X, W, g, c.F, c.rows), 1e-4, 'Y');

      const X64 = Float64Array.from(X), W64 = Float64Array.from(W);
      const loss = (): number => weighted(refConv(X64, W64, g, c.F, c.rows), cw);
      const dXnum = numericGrad(X64, loss, 1e-3), dWnum = numericGrad(W64, loss, 1e-3);
      // Outputs start as garbage: without accumulate they are overwritten.
      const junkX = rand(rng, xs, 5, 9), junkW = rand(rng, c.F * K, 5, 9);
      const [dX] = runOp('conv2dGradInput', { ...g, filters: c.F, accumulate: false }, [cw, W], [xs], { rows: c.rows }, [junkX]);
      close(dX, dXnum, 1e-4, 'dX');
      const [dW] = runOp('conv2dGradWeight', { ...g, filters: c.F, accumulate: false }, [X, cw], [c.F * K], { rows: c.rows }, [junkW]);
      close(dW, dWnum, 1e-4, 'dW');
      // accumulate adds onto what is there.
      const [dXa] = runOp('conv2dGradInput', { ...g, filters: c.F, accumulate: true }, [cw, W], [xs], { rows: c.rows }, [junkX]);
      close(dXa, plus(junkX, dXnum), 1e-4, 'dX accumulate');
      const [dWa] = runOp('conv2dGradWeight', { ...g, filters: c.F, accumulate: true }, [X, cw], [c.F * K], { rows: c.rows }, [junkW]);
      close(dWa, plus(junkW, dWnum), 1e-4, 'dW accumulate');
    });
  }

  it('the wasm im2col and col2im give the JS ones\' results (padding, strides, a row range cut mid-image, rows wider than K)', () => {
    assert.ok(simdIm2colAvailable());
    const cases: Window2D[] = [
      refGeometry(7, 6, 5, 3, 2, 2, 1, 'same'),
      refGeometry(13, 13, 32, 3, 3, 1, 1, 'valid'),
      refGeometry(5, 5, 6, 3, 3, 1, 1, 'same'),
    ];
    for (const g of cases) {
      const rows = 3, K = g.kh * g.kw * g.c, P = rows * g.oh * g.ow, xs = rows * g.h * g.w * g.c;
      const X = Float32Array.from({ length: xs }, (_, i) => Math.sin(i));
      const stride = K + 3, p0 = 2, p1 = P - 1;
      const colJs = new Float32Array(P * stride).fill(7);
      im2col(X, colJs, 0, stride, g, p0, p1);
      const tab = im2colTable(g);
      const xOff = 16, tabOff = xOff + xs, colOff = tabOff + tab.length, dxOff = colOff + P * stride;
      const mem = simdGemmMemory(dxOff + xs + 16);
      mem.set(X, xOff);
      new Int32Array(mem.buffer).set(tab, tabOff);
      mem.fill(7, colOff, colOff + P * stride);
      simdIm2col(xOff, colOff, stride, tabOff, g, p0, p1);
      // Same rows; the floats past K in each row are left as they were.
      assert.deepEqual(mem.slice(colOff, colOff + P * stride), colJs, `im2col ${JSON.stringify(g)}`);
      const dxJs = new Float32Array(xs).fill(0.5);
      col2im(colJs, 0, stride, dxJs, g, p0, p1);
      mem.fill(0.5, dxOff, dxOff + xs);
      mem.set(colJs, colOff);
      simdCol2im(dxOff, colOff, stride, tabOff, g, p0, p1);
      close(mem.slice(dxOff, dxOff + xs), dxJs, 1e-6, `col2im ${JSON.stringify(g)}`);
    }
  });

  it('an im2col chunk stays under its cap whatever the batch', () => {
    for (const [pixels, K, cap] of [[64 * 26 * 26, 9, IM2COL_CAP_FLOATS], [10000 * 121, 288, IM2COL_CAP_FLOATS], [50, 7, 40], [3, 5, 1000]]) {
      const per = im2colChunkPixels(pixels, K, cap);
      assert.ok(per >= 1 && per <= pixels, `${pixels}×${K}: ${per} pixels per chunk`);
      assert.ok(per * K <= cap, `${pixels}×${K}: ${per * K} floats over the cap ${cap}`);
    }
    // A single pixel wider than the cap still makes progress, one pixel at a time.
    assert.equal(im2colChunkPixels(10, 500, 100), 1);
  });

  /** Runs the three conv kernels with the given options (cap, SIMD or JS path). */
  function convAll(c: ConvCase, opts: ConvKernelOptions, seed = 23): Float32Array[] {
    const rng = new Random(seed);
    const g = convGeometry(c);
    const K = g.kh * g.kw * g.c, xs = c.rows * g.h * g.w * g.c, ys = c.rows * g.oh * g.ow * c.F;
    const X = rand(rng, xs), W = rand(rng, c.F * K), dY = rand(rng, ys);
    const buf = (v: Float32Array | number): BufferHandle => {
      const b = backend.createBuffer(typeof v === 'number' ? v : v.length, 'b');
      if (typeof v !== 'number') backend.write(b, v);
      return b;
    };
    const [Y, dX, dW] = [buf(ys), buf(xs), buf(c.F * K)];
    const attrs = { ...g, filters: c.F, accumulate: false };
    const dims = { rows: c.rows };
    conv2dKernel({ op: 'conv2d', attrs, inputs: [buf(X), buf(W)], outputs: [Y], dims }, ctx, opts)();
    conv2dGradInputKernel({ op: 'conv2dGradInput', attrs, inputs: [buf(dY), buf(W)], outputs: [dX], dims }, ctx, opts)();
    conv2dGradWeightKernel({ op: 'conv2dGradWeight', attrs, inputs: [buf(X), buf(dY)], outputs: [dW], dims }, ctx, opts)();
    return [Y, dX, dW].map((b) => backend.view(b));
  }

  function chunkedVsWhole(c: ConvCase, cap: number, simd: boolean): void {
    const whole = convAll(c, { cap: Infinity, simd });
    const parts = convAll(c, { cap, simd });
    // Y is computed row by row alike: identical. dX adds its contributions in another order
    // when few channels are lowered plane by plane, and dW sums the chunks in another order
    // (thousands of float32 terms: 1e-4 relative, against errors of O(1) for a lost chunk).
    assert.deepEqual(parts[0], whole[0], 'Y chunked = Y whole');
    close(parts[1], whole[1], 1e-5, 'dX chunked ≈ dX whole');
    close(parts[2], whole[2], 1e-4, 'dW chunked ≈ dW whole');
  }

  it('the SIMD path and the JS path (runtimes without wasm SIMD) agree on every case', () => {
    assert.ok(simdGemmAvailable(), 'wasm SIMD runs here, so the default path is the SIMD one');
    for (const c of CONV_CASES) {
      const simd = convAll(c, { simd: true }), js = convAll(c, { simd: false });
      ['Y', 'dX', 'dW'].forEach((what, i) => close(simd[i], js[i], 1e-5, `${c.name}: ${what}`));
    }
  });

  it('a batch lowered in chunks that cut across samples and rows gives the unchunked results', () => {
    const c = CONV_CASES[2];
    const K = c.k[0] * c.k[1] * c.hwc[2];
    // 5 output pixels per chunk: chunks start mid-row and mid-sample.
    for (const simd of [true, false]) chunkedVsWhole({ ...c, rows: 9 }, 5 * K + 3, simd);
    // Many channels (pixel by pixel lowering), stride 2 and same padding.
    const wide: ConvCase = { name: 'wide', rows: 5, hwc: [7, 6, 5], F: 3, k: [3, 2], s: [2, 1], padding: 'same' };
    for (const simd of [true, false]) chunkedVsWhole(wide, 7 * 30 + 1, simd);
  });

  it('the bench\'s second conv (13×13×32 → 64 filters 3×3, batch 64) is chunked at the default cap and matches the whole product', () => {
    const c: ConvCase = { name: 'bench conv 2', rows: 64, hwc: [13, 13, 32], F: 64, k: [3, 3], s: [1, 1], padding: 'valid' };
    assert.ok(im2colChunkPixels(64 * 11 * 11, 288) < 64 * 11 * 11, 'the default cap splits this batch');
    chunkedVsWhole(c, IM2COL_CAP_FLOATS, true);
  });
});

interface PoolCase { name: string; rows: number; hwc: [number, number, number]; k: [number, number]; s: [number, number]; padding: 'valid' | 'same' }

const POOL_CASES: PoolCase[] = [
  { name: '7×5×3, 2×2, valid (edges left over), batch 2', rows: 2, hwc: [7, 5, 3], k: [2, 2], s: [2, 2], padding: 'valid' },
  { name: '7×6×2, 3×3 stride 2, same (overlapping, padded)', rows: 2, hwc: [7, 6, 2], k: [3, 3], s: [2, 2], padding: 'same' },
  { name: '5×7×2, 2×3 stride 1, same, batch 1', rows: 1, hwc: [5, 7, 2], k: [2, 3], s: [1, 1], padding: 'same' },
  { name: '5×5×2, 2×2 stride 2, same (partial windows at the edges)', rows: 2, hwc: [5, 5, 2], k: [2, 2], s: [2, 2], padding: 'same' },
  { name: 'global average 7×5×3 (window = h×w)', rows: 3, hwc: [7, 5, 3], k: [7, 5], s: [1, 1], padding: 'valid' },
];

describe('cpu pool2d kernels', () => {
  for (const c of POOL_CASES) {
    for (const mode of ['max', 'avg'] as const) {
      it(`${mode} ${c.name}: forward matches the reference; the gradient matches finite differences`, () => {
        const rng = new Random(29);
        const g = refGeometry(...c.hwc, ...c.k, ...c.s, c.padding);
        const xs = c.rows * g.h * g.w * g.c, ys = c.rows * g.oh * g.ow * g.c;
        const X = distinct(rng, xs), cw = rand(rng, ys);
        const [Y] = runOp('pool2d', { ...g, mode }, [X], [ys], { rows: c.rows });
        close(Y, refPool(X, g, mode, c.rows), 1e-5, 'Y');
        const X64 = Float64Array.from(X);
        const dXnum = numericGrad(X64, () => weighted(refPool(X64, g, mode, c.rows), cw), 1e-4);
        const junk = rand(rng, xs, 5, 9);
        const [dX] = runOp('pool2dGrad', { ...g, mode, accumulate: false }, [X, cw], [xs], { rows: c.rows }, [junk]);
        close(dX, dXnum, 1e-4, 'dX');
        const [dXa] = runOp('pool2dGrad', { ...g, mode, accumulate: true }, [X, cw], [xs], { rows: c.rows }, [junk]);
        close(dXa, plus(junk, dXnum), 1e-4, 'dX accumulate');
      });
    }
  }

  it('average pooling divides by the cells inside the input, not the padded window', () => {
    // 3×3 of ones, 2×2 windows at stride 2, same: the right and bottom windows hang over.
    const g = refGeometry(3, 3, 1, 2, 2, 2, 2, 'same');
    const [Y] = runOp('pool2d', { ...g, mode: 'avg' }, [new Array(9).fill(1)], [4], { rows: 1 });
    assert.deepEqual(Array.from(Y), [1, 1, 1, 1]);
  });

  it('max: the first largest cell in row-major order takes a tied window\'s gradient; overlapping windows add', () => {
    // 2×2 window over 2 channels: channel 0 ties everywhere, channel 1 ties at cells 1 and 3.
    const g = refGeometry(2, 2, 2, 2, 2, 2, 2, 'valid');
    const X = [5, 0, 5, 7, 5, 1, 5, 7];
    const [dX] = runOp('pool2dGrad', { ...g, mode: 'max', accumulate: false }, [X, [2, 3]], [8], { rows: 1 });
    assert.deepEqual(Array.from(dX), [2, 0, 0, 3, 0, 0, 0, 0]);
    // 3×3 with the maximum in the middle, 2×2 windows at stride 1: all four windows pick it.
    const g2 = refGeometry(3, 3, 1, 2, 2, 1, 1, 'valid');
    const [d2] = runOp('pool2dGrad', { ...g2, mode: 'max', accumulate: false }, [[0, 0, 0, 0, 9, 0, 0, 0, 0], [1, 2, 3, 4]], [9], { rows: 1 });
    assert.deepEqual(Array.from(d2), [0, 0, 0, 0, 10, 0, 0, 0, 0]);
  });

  it('max over a window of negative values and padding takes the largest input cell, not a padding zero', () => {
    const g = refGeometry(3, 3, 1, 3, 3, 1, 1, 'same');
    const X = [-9, -8, -7, -6, -5, -4, -3, -2, -1];
    const [Y] = runOp('pool2d', { ...g, mode: 'max' }, [X], [9], { rows: 1 });
    assert.deepEqual(Array.from(Y), [-5, -4, -4, -2, -1, -1, -2, -1, -1]);
  });
});

describe('cpu batch norm kernels', () => {
  // 12×3: narrower than one 4-column block; 150×6: several row blocks, a block and a remainder.
  for (const [rows, cols] of [[12, 3], [150, 6]]) {
    const eps = 1e-3, momentum = 0.9;
    const rng = new Random(31);
    // Means far from zero and unequal spreads, as activations are.
    const X = Float32Array.from({ length: rows * cols }, (_, i) => 4 * (i % cols) - 3 + (1 + (i % cols)) * rng.uniform(-1, 1));
    const gamma = rand(rng, cols, 0.5, 1.5), beta = rand(rng, cols);

    it(`${rows}×${cols}: training: Y, batch mean, invStd (biased variance) and the Keras moving-statistic update in place`, () => {
      const mm0 = Array.from({ length: cols }, (_, c) => c / 2 - 1), mv0 = Array.from({ length: cols }, (_, c) => 0.5 + c);
      const [Y, mean, invStd, mm, mv] = runOp('batchNorm', { epsilon: eps, momentum }, [X, gamma, beta], [rows * cols, cols, cols, cols, cols], { rows, cols }, [undefined, undefined, undefined, mm0, mv0]);
      const ref = refBatchNorm(X, gamma, beta, rows, cols, eps);
      close(Y, ref.Y, 1e-5, 'Y');
      close(mean, ref.mean, 1e-5, 'mean');
      close(invStd, Array.from(ref.variance, (v) => 1 / Math.sqrt(v + eps)), 1e-5, 'invStd');
      close(mm, mm0.map((m, c) => momentum * m + (1 - momentum) * ref.mean[c]), 1e-5, 'moving mean');
      close(mv, mv0.map((v, c) => momentum * v + (1 - momentum) * ref.variance[c]), 1e-5, 'moving variance');
    });

    it(`${rows}×${cols}: inference uses the moving statistics`, () => {
      const mm = Array.from({ length: cols }, (_, c) => c / 2 - 1), mv = Array.from({ length: cols }, (_, c) => 0.5 + c);
      const [Y] = runOp('batchNormInference', { epsilon: eps }, [X, gamma, beta, mm, mv], [rows * cols], { rows, cols });
      close(Y, Array.from(X, (x, i) => { const c = i % cols; return gamma[c] * (x - mm[c]) / Math.sqrt(mv[c] + eps) + beta[c]; }), 1e-5, 'Y');
    });

    it(`${rows}×${cols}: the gradient (dX, dGamma, dBeta) matches finite differences; dX accumulates, dGamma and dBeta are written`, () => {
      const [, mean, invStd] = runOp('batchNorm', { epsilon: eps, momentum }, [X, gamma, beta], [rows * cols, cols, cols, cols, cols], { rows, cols });
      const cw = rand(rng, rows * cols);
      const X64 = Float64Array.from(X), g64 = Float64Array.from(gamma), b64 = Float64Array.from(beta);
      const loss = (): number => weighted(refBatchNorm(X64, g64, b64, rows, cols, eps).Y, cw);
      const dXnum = numericGrad(X64, loss, 1e-5), dGnum = numericGrad(g64, loss, 1e-5), dBnum = numericGrad(b64, loss, 1e-5);
      const junk = [rand(rng, rows * cols, 5, 9), rand(rng, cols, 5, 9), rand(rng, cols, 5, 9)];
      const ins = [X, cw, gamma, mean, invStd];
      const [dX, dG, dB] = runOp('batchNormGrad', { accumulate: false }, ins, [rows * cols, cols, cols], { rows, cols }, junk);
      close(dX, dXnum, 1e-4, 'dX');
      close(dG, dGnum, 1e-4, 'dGamma');
      close(dB, dBnum, 1e-4, 'dBeta');
      const [dXa, dGa, dBa] = runOp('batchNormGrad', { accumulate: true }, ins, [rows * cols, cols, cols], { rows, cols }, junk);
      close(dXa, plus(junk[0], dXnum), 1e-4, 'dX accumulate');
      close(dGa, dGnum, 1e-4, 'dGamma written, not added');
      close(dBa, dBnum, 1e-4, 'dBeta written, not added');
    });
  }

  it('a batch of one image normalizes over its pixels (rows = h·w)', () => {
    const r = 4, c = 2;
    const x = [1, 10, 2, 20, 3, 30, 4, 40];
    const [Y] = runOp('batchNorm', { epsilon: 0, momentum: 0.99 }, [x, [1, 1], [0, 0]], [r * c, c, c, c, c], { rows: r, cols: c });
    const z = [-3, -1, 1, 3].map((v) => v / Math.sqrt(5));
    close(Y, [z[0], z[0], z[1], z[1], z[2], z[2], z[3], z[3]], 1e-6, 'Y');
  });
});
