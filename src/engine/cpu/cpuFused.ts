/**
 * Fused CPU kernels: neighbouring invocations of a program done in one pass over their data, with
 * every output written exactly as the separate kernels write it (the same float32 roundings, the
 * same summation order), so a fused program trains bit for bit like an unfused one.
 *
 * - biasAdd then an element-wise activation of its output: z = x + b and y = f(z) in one pass
 *   (z is still written: the activation's gradient reads it).
 * - activationGrad then biasGrad of its output: dz = f'·dy and db = Σ_rows dz in one pass.
 * - conv2d then the bias and activation of its output (relu or linear; cpuConv.ts), done on each
 *   chunk of the convolution's output while it is in cache.
 * - a run of plain SGD updates (no momentum, no regularisation): w −= lr·g for every parameter
 *   in one kernel (wasm SIMD for all but the smallest tensors), which also tells the step's weight
 *   check whether every weight it wrote is finite.
 *
 * A dense layer of a tiny network is three kernels forward and four backward, each a closure
 * call and a loop over a few dozen floats; fusing saves a call and a pass per pair.
 */
import { prepareKernel, type Backend, type Invocation, type Runnable, type StepContext } from '../backend';
import { sigmoid } from './cpuActivations';
import { cpuData, type CpuBuffer } from './cpuBuffer';
import { conv2dBiasActivationKernel, conv2dEpilogueFits } from './cpuConv';
import { simdActivationBiasGrad, simdBiasActivation, simdElementwiseFits } from './simdElementwise';
import { simdSgdAvailable, simdSgdKernel } from './simdSgd';

const fround = Math.fround;

/**
 * From this many floats a relu or linear layer of a width divisible by 4 runs the SIMD kernels
 * (simdElementwise.ts, the same results); below it the copies in and out outweigh the gain.
 */
export const SIMD_FROM = 4096;

/** Whether `act` applies an element-wise activation to exactly what `bias` wrote. */
function fusesForward(bias: Invocation, act: Invocation | undefined): act is Invocation<'activation'> {
  if (!act || bias.op !== 'biasAdd' || act.op !== 'activation') return false;
  const fn = (act as Invocation<'activation'>).attrs.fn;
  return fn !== 'softmax' && act.inputs[0] === bias.outputs[0] && act.dims.rows === bias.dims.rows && act.dims.cols === bias.dims.cols;
}

/** Whether `conv` is followed by the bias and activation of its output that its SIMD kernel can do on each chunk (cpuConv.ts). */
function fusesConv(conv: Invocation, bias: Invocation | undefined, act: Invocation | undefined): boolean {
  if (conv.op !== 'conv2d' || !bias || !fusesForward(bias, act) || bias.inputs[0] !== conv.outputs[0]) return false;
  const c = conv as Invocation<'conv2d'>;
  return bias.dims.cols === c.attrs.filters && (bias.dims.rows ?? 1) * c.attrs.filters >= SIMD_FROM && conv2dEpilogueFits(c, act);
}

/** Whether `grad` sums exactly what the element-wise `actGrad` wrote. */
function fusesBackward(actGrad: Invocation, grad: Invocation | undefined): grad is Invocation<'biasGrad'> {
  if (!grad || actGrad.op !== 'activationGrad' || grad.op !== 'biasGrad') return false;
  const fn = (actGrad as Invocation<'activationGrad'>).attrs.fn;
  return fn !== 'softmax' && grad.inputs[0] === actGrad.outputs[0] && (grad.dims.cols ?? 1) > 1 && grad.dims.rows === actGrad.dims.rows && grad.dims.cols === actGrad.dims.cols;
}

/** Whether `inv` is a plain SGD update (no momentum, no regularisation): w −= lr·g and nothing else. */
function plainSgd(inv: Invocation): boolean {
  if (inv.op !== 'sgdUpdate') return false;
  const a = (inv as Invocation<'sgdUpdate'>).attrs;
  return a.momentum === 0 && a.l1 === 0 && a.l2 === 0;
}

/** Prepares a program's invocations in order, fusing the pairs above (Backend.prepareAll of the CPU). */
export function prepareFused(backend: Backend, invs: Invocation[], ctx: StepContext): Runnable[] {
  const out: Runnable[] = [];
  for (let i = 0; i < invs.length; i++) {
    const inv = invs[i], next = invs[i + 1];
    if (fusesConv(inv, next, invs[i + 2])) {
      out.push(conv2dBiasActivationKernel(inv as Invocation<'conv2d'>, next as Invocation<'biasAdd'>, invs[i + 2] as Invocation<'activation'>));
      i += 2;
    } else if (fusesForward(inv, next)) {
      out.push(biasActivationKernel(inv as Invocation<'biasAdd'>, next));
      i++;
    } else if (fusesBackward(inv, next)) {
      out.push(activationBiasGradKernel(inv as Invocation<'activationGrad'>, next));
      i++;
    } else if (plainSgd(inv)) {
      let j = i + 1;
      while (j < invs.length && plainSgd(invs[j])) j++;
      out.push(plainSgdKernel(invs.slice(i, j) as Invocation<'sgdUpdate'>[]));
      i = j - 1;
    } else {
      out.push(prepareKernel(backend, inv, ctx));
    }
  }
  return out;
}

/** z = x + b (b broadcast over rows), y = f(z): biasAdd's and activation's outputs in one pass. */
export function biasActivationKernel(bias: Invocation<'biasAdd'>, act: Invocation<'activation'>): Runnable {
  const x = cpuData(bias.inputs[0]);
  const b = cpuData(bias.inputs[1]);
  const z = cpuData(bias.outputs[0]);
  const y = cpuData(act.outputs[0]);
  const { rows = 1, cols = 1 } = bias.dims;
  const size = rows * cols;
  const alpha = act.attrs.alpha;
  if (size >= SIMD_FROM && simdElementwiseFits(act.attrs.fn, cols)) return simdBiasActivation(act.attrs.fn as 'relu' | 'linear', x, b, z, y, rows, cols);
  // One flat loop with a wrapping column counter (as biasAdd's narrow case); z[i] is read back as
  // the float32 it was stored as, as the activation kernel reads it. Each case is its kernel's
  // formula (cpuActivations.ts: relu branch-free, as there).
  switch (act.attrs.fn) {
    case 'sigmoid': return () => { let c = 0; for (let i = 0; i < size; i++) { const v = fround(x[i] + b[c]); z[i] = v; y[i] = sigmoid(v); if (++c === cols) c = 0; } };
    case 'tanh': return () => { let c = 0; for (let i = 0; i < size; i++) { const v = fround(x[i] + b[c]); z[i] = v; y[i] = Math.tanh(v); if (++c === cols) c = 0; } };
    case 'relu': return () => { let c = 0; for (let i = 0; i < size; i++) { const v = fround(x[i] + b[c]); z[i] = v; y[i] = (v + Math.abs(v)) * 0.5; if (++c === cols) c = 0; } };
    case 'leaky_relu': return () => { let c = 0; for (let i = 0; i < size; i++) { const v = fround(x[i] + b[c]); z[i] = v; y[i] = v >= 0 ? v : alpha * v; if (++c === cols) c = 0; } };
    case 'elu': return () => { let c = 0; for (let i = 0; i < size; i++) { const v = fround(x[i] + b[c]); z[i] = v; y[i] = v >= 0 ? v : alpha * Math.expm1(v); if (++c === cols) c = 0; } };
    case 'step': return () => { let c = 0; for (let i = 0; i < size; i++) { const v = fround(x[i] + b[c]); z[i] = v; y[i] = v >= 0 ? 1 : 0; if (++c === cols) c = 0; } };
    default: return () => { let c = 0; for (let i = 0; i < size; i++) { const v = fround(x[i] + b[c]); z[i] = v; y[i] = v; if (++c === cols) c = 0; } };
  }
}

/**
 * dz = f'(x)·dy (straight-through for step), then db (+)= Σ_rows dz: activationGrad's and
 * biasGrad's outputs in one pass, adding into db in index order as biasGrad does for two or more
 * columns (a single column sums in a double: left unfused).
 */
export function activationBiasGradKernel(actGrad: Invocation<'activationGrad'>, grad: Invocation<'biasGrad'>): Runnable {
  const [xb, yb, dyb] = actGrad.inputs;
  const x = cpuData(xb);
  const y = cpuData(yb);
  const dy = cpuData(dyb);
  const dz = cpuData(actGrad.outputs[0]);
  const db = cpuData(grad.outputs[0]);
  const { rows = 1, cols = 1 } = actGrad.dims;
  const size = rows * cols;
  const alpha = actGrad.attrs.alpha;
  const accumulate = grad.attrs.accumulate;
  if (size >= SIMD_FROM && simdElementwiseFits(actGrad.attrs.fn, cols)) return simdActivationBiasGrad(actGrad.attrs.fn as 'relu' | 'linear', x, dy, dz, db, rows, cols, accumulate);
  const zero = (): void => { if (!accumulate) db.fill(0, 0, cols); };
  // Each case stores f'(x)·dy as activationGrad does, then adds the stored float32 into db.
  switch (actGrad.attrs.fn) {
    case 'sigmoid': return () => { zero(); let c = 0; for (let i = 0; i < size; i++) { const s = y[i]; const d = fround(dy[i] * s * (1 - s)); dz[i] = d; db[c] += d; if (++c === cols) c = 0; } };
    case 'tanh': return () => { zero(); let c = 0; for (let i = 0; i < size; i++) { const t = y[i]; const d = fround(dy[i] * (1 - t * t)); dz[i] = d; db[c] += d; if (++c === cols) c = 0; } };
    case 'relu': return () => { zero(); let c = 0; for (let i = 0; i < size; i++) { const d = dy[i] * +(x[i] > 0); dz[i] = d; db[c] += d; if (++c === cols) c = 0; } };
    case 'leaky_relu': return () => { zero(); let c = 0; for (let i = 0; i < size; i++) { const d = fround(x[i] > 0 ? dy[i] : alpha * dy[i]); dz[i] = d; db[c] += d; if (++c === cols) c = 0; } };
    case 'elu': return () => { zero(); let c = 0; for (let i = 0; i < size; i++) { const d = fround(x[i] > 0 ? dy[i] : dy[i] * (y[i] + alpha)); dz[i] = d; db[c] += d; if (++c === cols) c = 0; } };
    default: return () => { zero(); let c = 0; for (let i = 0; i < size; i++) { const d = dy[i]; dz[i] = d; db[c] += d; if (++c === cols) c = 0; } };
  }
}

/** From this many weights a tensor's plain SGD update runs in wasm SIMD (simdSgd.ts, the same results). */
export const SIMD_SGD_FROM = 128;

/**
 * w −= lr·g for each of a run of plain SGD updates, in order, as sgdUpdate does for each; each
 * weight buffer records whether every value written was finite (CpuBuffer.finite: the step's
 * weight check then skips it).
 */
export function plainSgdKernel(invs: Invocation<'sgdUpdate'>[]): Runnable {
  const bufs = invs.map((inv) => inv.outputs[0] as CpuBuffer);
  const ws = invs.map((inv) => cpuData(inv.outputs[0]));
  const gs = invs.map((inv) => cpuData(inv.inputs[0]));
  const sizes = invs.map((inv, p) => inv.dims.size ?? ws[p].length);
  const lrs = invs.map((inv) => inv.attrs.lr);
  const simd = sizes.map((size, p) => (size >= SIMD_SGD_FROM && simdSgdAvailable() ? simdSgdKernel(ws[p], gs[p], size, lrs[p]) : undefined));
  const n = invs.length;
  return () => {
    for (let p = 0; p < n; p++) {
      const w = ws[p], g = gs[p], lr = lrs[p], size = sizes[p];
      const k = simd[p];
      if (k) {
        bufs[p].finite = k();
        continue;
      }
      // x·0 is ±0 for a finite x, NaN for NaN and ±Inf: s stays 0 exactly when all are finite.
      let s = 0;
      for (let i = 0; i < size; i++) {
        const v = fround(w[i] - lr * g[i]);
        w[i] = v;
        s += v * 0;
      }
      bufs[p].finite = s === 0;
    }
  };
}
