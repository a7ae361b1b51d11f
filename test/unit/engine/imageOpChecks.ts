/**
 * Conformance checks of the image ops (conv2d, pool2d, batch norm and their gradients) that run
 * on any backend: forwards against the float64 references of convReference.ts, every backward
 * against central differences of Σ c·f(x) over those references, at odd sizes, strides, `same`
 * padding with odd totals, a batch of one, and the accumulate flags.
 */
import * as assert from 'node:assert/strict';
import { prepareKernel, type Backend, type Dims, type OpAttrs, type OpName, type Window2D } from '../../../src/engine/backend';
import { Random } from '../../../src/engine/random';
import { Program } from '../../../src/engine/session';
import { close, distinct, numericGrad, rand, refBatchNorm, refConv, refGeometry, refPool, weighted } from './convReference';

const plus = (a: ArrayLike<number>, b: ArrayLike<number>): number[] => Array.from(a, (v, i) => v + b[i]);

/** Runs one op on fresh buffers (outputs start as `init`, or zeros) and reads every output back. */
async function runOp<O extends OpName>(backend: Backend, op: O, attrs: OpAttrs[O], inputs: ArrayLike<number>[], outSizes: number[], dims: Dims, init: Array<ArrayLike<number> | undefined> = []): Promise<Float32Array[]> {
  const ins = inputs.map((v, i) => { const b = backend.createBuffer(v.length, `in${i}`); backend.write(b, Float32Array.from(v)); return b; });
  const outs = outSizes.map((n, i) => { const b = backend.createBuffer(n, `out${i}`); if (init[i]) backend.write(b, Float32Array.from(init[i] as ArrayLike<number>)); return b; });
  new Program(backend, [prepareKernel(backend, { op, attrs, inputs: ins, outputs: outs, dims }, { step: 1 })]).run();
  return Promise.all(outs.map((b) => backend.read(b)));
}

type Case = { rows: number; hwc: [number, number, number]; k: [number, number]; s: [number, number]; padding: 'valid' | 'same' };

const geometry = (c: Case): Window2D => refGeometry(...c.hwc, ...c.k, ...c.s, c.padding);

/** conv2d, conv2dGradInput and conv2dGradWeight. */
export async function checkConvOps(backend: Backend): Promise<void> {
  const cases: Array<Case & { F: number }> = [
    { rows: 2, hwc: [7, 5, 3], F: 4, k: [2, 3], s: [1, 1], padding: 'valid' },
    { rows: 1, hwc: [7, 6, 2], F: 3, k: [4, 3], s: [2, 2], padding: 'same' },
    { rows: 2, hwc: [6, 7, 3], F: 2, k: [3, 3], s: [2, 3], padding: 'valid' },
    { rows: 2, hwc: [5, 6, 5], F: 9, k: [3, 3], s: [1, 2], padding: 'same' },
  ];
  const rng = new Random(41);
  for (const c of cases) {
    const g = geometry(c), what = JSON.stringify(c);
    const K = g.kh * g.kw * g.c, xs = c.rows * g.h * g.w * g.c, ys = c.rows * g.oh * g.ow * c.F;
    const X = rand(rng, xs), W = rand(rng, c.F * K), cw = rand(rng, ys);
    const [Y] = await runOp(backend, 'conv2d', { ...g, filters: c.F }, [X, W], [ys], { rows: c.rows });
    close(Y, refConv(X, W, g, c.F, c.rows), 1e-4, `conv2d ${what}`);
    const X64 = Float64Array.from(X), W64 = Float64Array.from(W);
    const loss = (): number => weighted(refConv(X64, W64, g, c.F, c.rows), cw);
    const dXnum = numericGrad(X64, loss, 1e-3), dWnum = numericGrad(W64, loss, 1e-3);
    const junkX = rand(rng, xs, 5, 9), junkW = rand(rng, c.F * K, 5, 9);
    for (const accumulate of [false, true]) {
      const [dX] = await runOp(backend, 'conv2dGradInput', { ...g, filters: c.F, accumulate }, [cw, W], [xs], { rows: c.rows }, [junkX]);
      close(dX, accumulate ? plus(junkX, dXnum) : dXnum, 1e-4, `conv2dGradInput accumulate=${accumulate} ${what}`);
      const [dW] = await runOp(backend, 'conv2dGradWeight', { ...g, filters: c.F, accumulate }, [X, cw], [c.F * K], { rows: c.rows }, [junkW]);
      close(dW, accumulate ? plus(junkW, dWnum) : dWnum, 1e-4, `conv2dGradWeight accumulate=${accumulate} ${what}`);
    }
  }
}

/** pool2d and pool2dGrad, max and avg, with global average pooling. */
export async function checkPoolOps(backend: Backend): Promise<void> {
  const cases: Case[] = [
    { rows: 2, hwc: [7, 5, 3], k: [2, 2], s: [2, 2], padding: 'valid' },
    { rows: 1, hwc: [7, 6, 2], k: [3, 3], s: [2, 2], padding: 'same' },
    { rows: 2, hwc: [5, 7, 3], k: [5, 7], s: [1, 1], padding: 'valid' },
  ];
  const rng = new Random(43);
  for (const c of cases) {
    for (const mode of ['max', 'avg'] as const) {
      const g = geometry(c), what = `${mode} ${JSON.stringify(c)}`;
      const xs = c.rows * g.h * g.w * g.c, ys = c.rows * g.oh * g.ow * g.c;
      const X = distinct(rng, xs), cw = rand(rng, ys);
      const [Y] = await runOp(backend, 'pool2d', { ...g, mode }, [X], [ys], { rows: c.rows });
      close(Y, refPool(X, g, mode, c.rows), 1e-5, `pool2d ${what}`);
      const X64 = Float64Array.from(X);
      const dXnum = numericGrad(X64, () => weighted(refPool(X64, g, mode, c.rows), cw), 1e-4);
      const junk = rand(rng, xs, 5, 9);
      for (const accumulate of [false, true]) {
        const [dX] = await runOp(backend, 'pool2dGrad', { ...g, mode, accumulate }, [X, cw], [xs], { rows: c.rows }, [junk]);
        close(dX, accumulate ? plus(junk, dXnum) : dXnum, 1e-4, `pool2dGrad accumulate=${accumulate} ${what}`);
      }
    }
  }
  // Ties: the first largest cell in row-major order takes the gradient.
  const g = refGeometry(2, 2, 2, 2, 2, 2, 2, 'valid');
  const [dX] = await runOp(backend, 'pool2dGrad', { ...g, mode: 'max', accumulate: false }, [[5, 0, 5, 7, 5, 1, 5, 7], [2, 3]], [8], { rows: 1 });
  assert.deepEqual(Array.from(dX), [2, 0, 0, 3, 0, 0, 0, 0], 'max pool ties');
}

/** batchNorm (with the moving-statistic update), batchNormInference and batchNormGrad. */
export async function checkBatchNormOps(backend: Backend): Promise<void> {
  const rng = new Random(47);
  const eps = 1e-3, momentum = 0.9;
  for (const [rows, cols] of [[12, 3], [70, 6], [5, 1]]) {
    const X = Float32Array.from({ length: rows * cols }, (_, i) => 3 * (i % cols) - 2 + (1 + (i % cols)) * rng.uniform(-1, 1));
    const gamma = rand(rng, cols, 0.5, 1.5), beta = rand(rng, cols), mm0 = rand(rng, cols), mv0 = rand(rng, cols, 0.5, 2);
    const what = `${rows}×${cols}`;
    const [Y, mean, invStd, mm, mv] = await runOp(backend, 'batchNorm', { epsilon: eps, momentum }, [X, gamma, beta], [rows * cols, cols, cols, cols, cols], { rows, cols }, [undefined, undefined, undefined, mm0, mv0]);
    const ref = refBatchNorm(X, gamma, beta, rows, cols, eps);
    close(Y, ref.Y, 1e-4, `batchNorm Y ${what}`);
    close(mean, ref.mean, 1e-5, `batchNorm mean ${what}`);
    close(invStd, Array.from(ref.variance, (v) => 1 / Math.sqrt(v + eps)), 1e-4, `batchNorm invStd ${what}`);
    close(mm, Array.from(mm0, (m, c) => momentum * m + (1 - momentum) * ref.mean[c]), 1e-5, `batchNorm moving mean ${what}`);
    close(mv, Array.from(mv0, (v, c) => momentum * v + (1 - momentum) * ref.variance[c]), 1e-5, `batchNorm moving variance ${what}`);
    const [Yi] = await runOp(backend, 'batchNormInference', { epsilon: eps }, [X, gamma, beta, mm0, mv0], [rows * cols], { rows, cols });
    close(Yi, Array.from(X, (x, i) => { const c = i % cols; return gamma[c] * (x - mm0[c]) / Math.sqrt(mv0[c] + eps) + beta[c]; }), 1e-4, `batchNormInference ${what}`);
    const cw = rand(rng, rows * cols);
    const X64 = Float64Array.from(X), g64 = Float64Array.from(gamma), b64 = Float64Array.from(beta);
    const loss = (): number => weighted(refBatchNorm(X64, g64, b64, rows, cols, eps).Y, cw);
    const num = [numericGrad(X64, loss, 1e-5), numericGrad(g64, loss, 1e-5), numericGrad(b64, loss, 1e-5)];
    const junk = [rand(rng, rows * cols, 5, 9), rand(rng, cols, 5, 9), rand(rng, cols, 5, 9)];
    for (const accumulate of [false, true]) {
      const [dX, dG, dB] = await runOp(backend, 'batchNormGrad', { accumulate }, [X, cw, gamma, mean, invStd], [rows * cols, cols, cols], { rows, cols }, junk);
      close(dX, accumulate ? plus(junk[0], num[0]) : num[0], 1e-4, `batchNormGrad dX accumulate=${accumulate} ${what}`);
      close(dG, num[1], 1e-4, `batchNormGrad dGamma (written) ${what}`);
      close(dB, num[2], 1e-4, `batchNormGrad dBeta (written) ${what}`);
    }
  }
}
