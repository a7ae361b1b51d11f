/**
 * CPU kernels for every op in OP_NAMES; the activations, convolution, pooling, batch norm and
 * optimizer updates live in their own files (cpuActivations.ts, cpuConv.ts, cpuPool.ts,
 * cpuBatchNorm.ts, cpuOptimizers.ts). Each is a
 * prepare function: it reads dims/attrs and binds the Float32Arrays once, and returns the
 * closure the Program replays every step.
 */
import { dropoutUniform, type Invocation, type KernelRegistry, type Runnable, type StepContext } from '../backend';
import { activationGradKernel, activationKernel } from './cpuActivations';
import { batchNormGradKernel, batchNormInferenceKernel, batchNormKernel } from './cpuBatchNorm';
import { cpuData } from './cpuBuffer';
import { conv2dGradInputKernel, conv2dGradWeightKernel, conv2dKernel } from './cpuConv';
import { adamKernel, rmspropKernel, sgdKernel } from './cpuOptimizers';
import { pool2dGradKernel, pool2dKernel } from './cpuPool';
import { matmulNN, matmulNT, matmulTN, SMALL_MATMUL, transpose } from './matmul';
import { simdAvailable, simdMatmul } from './simdMatmul';

/** From this many multiply-adds the SIMD kernel's staging copies pay for themselves. */
const SIMD_MATMUL = 16384;


/** Keras' clip for probabilities fed to plain (non-logit) cross-entropy. */
const PROB_EPS = 1e-7;

function matmulKernel(inv: Invocation<'matmul'>): Runnable {
  const A = cpuData(inv.inputs[0]);
  const B = cpuData(inv.inputs[1]);
  const C = cpuData(inv.outputs[0]);
  const { m = 1, k = 1, n = 1 } = inv.dims;
  const { transposeA, transposeB, accumulate } = inv.attrs;
  if (transposeA && transposeB) throw new Error('matmul with both operands transposed is not implemented on the cpu backend');
  // Big products go to the wasm SIMD kernel (about 5× the JS kernel, measured), when present.
  if (m * k * n >= SIMD_MATMUL && simdAvailable()) return () => simdMatmul(A, B, C, m, k, n, transposeA, transposeB, accumulate);
  if (transposeB) return () => matmulNT(A, B, C, m, k, n, accumulate);
  if (m * k * n < SMALL_MATMUL) {
    if (transposeA) return () => matmulTN(A, B, C, m, k, n, accumulate);
    return () => matmulNN(A, B, C, m, k, n, accumulate);
  }
  // Big products: transpose into scratch (allocated here, once) so the fast A·Bᵀ kernel does
  // the work; the transposes cost O(k·(m+n)) against O(m·k·n) multiply-adds.
  const Bt = new Float32Array(n * k);
  if (transposeA) {
    const At = new Float32Array(m * k);
    return () => { transpose(A, k, m, At); transpose(B, k, n, Bt); matmulNT(At, Bt, C, m, k, n, accumulate); };
  }
  return () => { transpose(B, k, n, Bt); matmulNT(A, Bt, C, m, k, n, accumulate); };
}

function biasAddKernel(inv: Invocation<'biasAdd'>): Runnable {
  const x = cpuData(inv.inputs[0]);
  const b = cpuData(inv.inputs[1]);
  const y = cpuData(inv.outputs[0]);
  const { rows = 1, cols = 1 } = inv.dims;
  const size = rows * cols;
  // Narrow layers (the tiny nets) pay more for a nested loop's setup than for the adds: one
  // flat loop with a wrapping column counter is about twice as fast there.
  if (cols < 16) {
    return () => {
      let c = 0;
      for (let i = 0; i < size; i++) {
        y[i] = x[i] + b[c];
        if (++c === cols) c = 0;
      }
    };
  }
  return () => {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let c = 0; c < cols; c++) y[o + c] = x[o + c] + b[c];
    }
  };
}

function biasGradKernel(inv: Invocation<'biasGrad'>): Runnable {
  const dy = cpuData(inv.inputs[0]);
  const db = cpuData(inv.outputs[0]);
  const { rows = 1, cols = 1 } = inv.dims;
  const size = rows * cols;
  const accumulate = inv.attrs.accumulate;
  if (cols === 1) {
    return () => {
      let s = 0;
      for (let i = 0; i < size; i++) s += dy[i];
      db[0] = accumulate ? db[0] + s : s;
    };
  }
  if (cols < 16) {
    return () => {
      if (!accumulate) db.fill(0, 0, cols);
      let c = 0;
      for (let i = 0; i < size; i++) {
        db[c] += dy[i];
        if (++c === cols) c = 0;
      }
    };
  }
  return () => {
    if (!accumulate) db.fill(0, 0, cols);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let c = 0; c < cols; c++) db[c] += dy[o + c];
    }
  };
}

function addKernel(inv: Invocation<'add'>): Runnable {
  const a = cpuData(inv.inputs[0]);
  const b = cpuData(inv.inputs[1]);
  const c = cpuData(inv.outputs[0]);
  const size = inv.dims.size ?? c.length;
  return () => { for (let i = 0; i < size; i++) c[i] = a[i] + b[i]; };
}

function mulKernel(inv: Invocation<'mul'>): Runnable {
  const a = cpuData(inv.inputs[0]);
  const b = cpuData(inv.inputs[1]);
  const c = cpuData(inv.outputs[0]);
  const size = inv.dims.size ?? c.length;
  return () => { for (let i = 0; i < size; i++) c[i] = a[i] * b[i]; };
}

function scaleKernel(inv: Invocation<'scale'>): Runnable {
  const a = cpuData(inv.inputs[0]);
  const c = cpuData(inv.outputs[0]);
  const size = inv.dims.size ?? c.length;
  const f = inv.attrs.factor;
  if (inv.attrs.accumulate) return () => { for (let i = 0; i < size; i++) c[i] += f * a[i]; };
  return () => { for (let i = 0; i < size; i++) c[i] = f * a[i]; };
}

function fillKernel(inv: Invocation<'fill'>): Runnable {
  const x = cpuData(inv.outputs[0]);
  const size = inv.dims.size ?? x.length;
  const v = inv.attrs.value;
  return () => { x.fill(v, 0, size); };
}

function concatKernel(inv: Invocation<'concat'>): Runnable {
  const parts = inv.inputs.map(cpuData);
  const out = cpuData(inv.outputs[0]);
  const { rows = 1, cols = 1 } = inv.dims;
  const widths = inv.attrs.widths;
  return () => {
    let off = 0;
    for (let p = 0; p < parts.length; p++) {
      const src = parts[p];
      const w = widths[p];
      for (let r = 0; r < rows; r++) {
        const o = r * cols + off;
        const s = r * w;
        for (let c = 0; c < w; c++) out[o + c] = src[s + c];
      }
      off += w;
    }
  };
}

function concatGradKernel(inv: Invocation<'concatGrad'>): Runnable {
  const d = cpuData(inv.inputs[0]);
  const parts = inv.outputs.map(cpuData);
  const { rows = 1, cols = 1 } = inv.dims;
  const { widths, accumulate } = inv.attrs;
  return () => {
    let off = 0;
    for (let p = 0; p < parts.length; p++) {
      const dst = parts[p];
      const w = widths[p];
      for (let r = 0; r < rows; r++) {
        const o = r * cols + off;
        const s = r * w;
        if (accumulate) for (let c = 0; c < w; c++) dst[s + c] += d[o + c];
        else for (let c = 0; c < w; c++) dst[s + c] = d[o + c];
      }
      off += w;
    }
  };
}

function dropoutKernel(inv: Invocation<'dropout'>, ctx: StepContext): Runnable {
  const x = cpuData(inv.inputs[0]);
  const y = cpuData(inv.outputs[0]);
  const mask = cpuData(inv.outputs[1]);
  const size = inv.dims.size ?? x.length;
  const { rate, seed } = inv.attrs;
  const keep = 1 / (1 - rate);
  return () => {
    const step = ctx.step;
    for (let i = 0; i < size; i++) {
      const m = dropoutUniform(seed, step, i) >= rate ? keep : 0;
      mask[i] = m;
      y[i] = x[i] * m;
    }
  };
}

function lossKernel(inv: Invocation<'loss'>): Runnable {
  const p = cpuData(inv.inputs[0]);
  const t = cpuData(inv.inputs[1]);
  const out = cpuData(inv.outputs[0]);
  const d = cpuData(inv.outputs[1]);
  const { rows = 1, cols = 1 } = inv.dims;
  const size = rows * cols;
  const { kind, accumulate } = inv.attrs;
  const store = (v: number): void => { if (accumulate) out[0] += v; else out[0] = v; };
  switch (kind) {
    case 'sigmoidBceLogits': return () => {
      // max(z,0) − z·y + log(1 + e^−|z|): never takes the log of a saturated probability.
      let s = 0;
      const inv = 1 / size;
      // One exp per element: e = e^−|z| gives the log term and sigmoid(z) (1/(1+e) for z ≥ 0,
      // e/(1+e) below), the very operations sigmoid() does.
      for (let i = 0; i < size; i++) {
        const z = p[i], y = t[i];
        const e = Math.exp(-Math.abs(z));
        s += (z > 0 ? z : 0) - z * y + Math.log1p(e);
        d[i] = ((z >= 0 ? 1 / (1 + e) : e / (1 + e)) - y) * inv;
      }
      store(s * inv);
    };
    case 'softmaxCeLogits': return () => {
      let s = 0;
      const inv = 1 / rows;
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        let max = -Infinity;
        for (let c = 0; c < cols; c++) if (p[o + c] > max) max = p[o + c];
        let sum = 0;
        for (let c = 0; c < cols; c++) sum += Math.exp(p[o + c] - max);
        const lse = max + Math.log(sum);
        let ySum = 0;
        for (let c = 0; c < cols; c++) { s += t[o + c] * (lse - p[o + c]); ySum += t[o + c]; }
        for (let c = 0; c < cols; c++) d[o + c] = (Math.exp(p[o + c] - lse) * ySum - t[o + c]) * inv;
      }
      store(s * inv);
    };
    case 'bce': return () => {
      let s = 0;
      const inv = 1 / size;
      for (let i = 0; i < size; i++) {
        const q = Math.min(1 - PROB_EPS, Math.max(PROB_EPS, p[i])), y = t[i];
        s -= y * Math.log(q) + (1 - y) * Math.log(1 - q);
        d[i] = ((q - y) / (q * (1 - q))) * inv;
      }
      store(s * inv);
    };
    case 'ce': return () => {
      let s = 0;
      const inv = 1 / rows;
      for (let i = 0; i < size; i++) {
        const q = Math.min(1 - PROB_EPS, Math.max(PROB_EPS, p[i])), y = t[i];
        s -= y * Math.log(q);
        d[i] = (-y / q) * inv;
      }
      store(s * inv);
    };
    case 'mse': return () => {
      let s = 0;
      const inv = 1 / size;
      for (let i = 0; i < size; i++) {
        const e = p[i] - t[i];
        s += e * e;
        d[i] = 2 * e * inv;
      }
      store(s * inv);
    };
  }
}

/** Every CPU kernel, by op name. */
export const cpuKernels: KernelRegistry = {
  matmul: matmulKernel,
  biasAdd: biasAddKernel,
  biasGrad: biasGradKernel,
  add: addKernel,
  mul: mulKernel,
  scale: scaleKernel,
  fill: fillKernel,
  concat: concatKernel,
  concatGrad: concatGradKernel,
  activation: activationKernel,
  activationGrad: activationGradKernel,
  dropout: dropoutKernel,
  loss: lossKernel,
  sgdUpdate: sgdKernel,
  adamUpdate: adamKernel,
  rmspropUpdate: rmspropKernel,
  conv2d: conv2dKernel,
  conv2dGradInput: conv2dGradInputKernel,
  conv2dGradWeight: conv2dGradWeightKernel,
  pool2d: pool2dKernel,
  pool2dGrad: pool2dGradKernel,
  batchNorm: batchNormKernel,
  batchNormInference: batchNormInferenceKernel,
  batchNormGrad: batchNormGradKernel,
};
