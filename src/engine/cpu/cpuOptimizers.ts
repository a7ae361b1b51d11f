/**
 * The CPU's optimizer updates (sgdUpdate with or without momentum, adamUpdate, rmspropUpdate).
 * Each marks its weight buffer finite or not (CpuBuffer.finite): it sees every weight it writes,
 * so the step's NaN/Inf weight check need not read them again. From SIMD_UPDATE_FROM weights,
 * momentum, Adam and RMSprop (without L1) run in wasm SIMD, bit for bit the JavaScript loops
 * (plain SGD's SIMD run is cpuFused.ts's plainSgdKernel).
 */
import type { Invocation, Runnable, StepContext } from '../backend';
import { cpuData, type CpuBuffer } from './cpuBuffer';
import { simdAdamAvailable, simdAdamKernel } from './simdAdam';
import { simdMomentumAvailable, simdMomentumKernel } from './simdMomentum';
import { simdRmspropAvailable, simdRmspropKernel } from './simdRmsprop';

const fround = Math.fround;

/** From this many weights SGD with momentum, Adam and RMSprop (without L1) update a tensor in wasm SIMD. */
export const SIMD_UPDATE_FROM = 64;

/** SGD: w −= lr·g, with momentum (plain or Nesterov's) and L1/L2 when set. */
export function sgdKernel(inv: Invocation<'sgdUpdate'>): Runnable {
  const g = cpuData(inv.inputs[0]);
  const w = cpuData(inv.outputs[0]);
  const { lr, momentum, nesterov, l1, l2 } = inv.attrs;
  // Plain SGD has no velocity: the session allocates none (see sgdUpdate in backend.ts).
  const v = momentum !== 0 ? cpuData(inv.outputs[1]) : undefined;
  const size = inv.dims.size ?? w.length;
  const l2x2 = 2 * l2;
  const buf = inv.outputs[0] as CpuBuffer;
  // Each kernel tells the step's weight check whether every weight it wrote is finite (CpuBuffer.finite):
  // x·0 is ±0 for a finite x, NaN for NaN and ±Inf, so s stays 0 exactly when all are.
  if (momentum === 0 && l1 === 0 && l2 === 0) return () => { let s = 0; for (let i = 0; i < size; i++) { const nw = fround(w[i] - lr * g[i]); w[i] = nw; s += nw * 0; } buf.finite = s === 0; };
  if (v && l1 === 0 && size >= SIMD_UPDATE_FROM && simdMomentumAvailable()) {
    // The same doubles in wasm SIMD (simdMomentum.ts), bit for bit.
    const k = simdMomentumKernel(w, g, v, size, lr, momentum, l2x2, nesterov);
    return () => { buf.finite = k(); };
  }
  return () => {
    let s = 0;
    for (let i = 0; i < size; i++) {
      const wi = w[i];
      const gi = g[i] + l2x2 * wi + (l1 !== 0 ? l1 * Math.sign(wi) : 0);
      let nw: number;
      if (!v) nw = fround(wi - lr * gi);
      else {
        const vi = momentum * v[i] - lr * gi;
        v[i] = vi;
        nw = fround(wi + (nesterov ? momentum * vi - lr * gi : vi));
      }
      w[i] = nw;
      s += nw * 0;
    }
    buf.finite = s === 0;
  };
}

/** Adam, its bias corrections from the step counter. */
export function adamKernel(inv: Invocation<'adamUpdate'>, ctx: StepContext): Runnable {
  const g = cpuData(inv.inputs[0]);
  const w = cpuData(inv.outputs[0]);
  const m = cpuData(inv.outputs[1]);
  const v = cpuData(inv.outputs[2]);
  const size = inv.dims.size ?? w.length;
  const { lr, beta1, beta2, epsilon, l1, l2 } = inv.attrs;
  const l2x2 = 2 * l2;
  const buf = inv.outputs[0] as CpuBuffer;
  if (l1 === 0 && size >= SIMD_UPDATE_FROM && simdAdamAvailable()) {
    // The same doubles in wasm SIMD (simdAdam.ts), bit for bit.
    const k = simdAdamKernel(w, g, m, v, size);
    const st = { lr, beta1, beta2, epsilon, l2x2, c1: 0, c2: 0 };
    return () => {
      const t = ctx.step;
      st.c1 = 1 / (1 - Math.pow(beta1, t));
      st.c2 = 1 / (1 - Math.pow(beta2, t));
      buf.finite = k(st);
    };
  }
  return () => {
    const t = ctx.step;
    const c1 = 1 / (1 - Math.pow(beta1, t));
    const c2 = 1 / (1 - Math.pow(beta2, t));
    let s = 0;
    for (let i = 0; i < size; i++) {
      const wi = w[i];
      const gi = g[i] + l2x2 * wi + (l1 !== 0 ? l1 * Math.sign(wi) : 0);
      const mi = beta1 * m[i] + (1 - beta1) * gi;
      const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      const nw = fround(wi - (lr * mi * c1) / (Math.sqrt(vi * c2) + epsilon));
      w[i] = nw;
      s += nw * 0;
    }
    buf.finite = s === 0;
  };
}

/** RMSprop. */
export function rmspropKernel(inv: Invocation<'rmspropUpdate'>): Runnable {
  const g = cpuData(inv.inputs[0]);
  const w = cpuData(inv.outputs[0]);
  const ms = cpuData(inv.outputs[1]);
  const size = inv.dims.size ?? w.length;
  const { lr, rho, epsilon, l1, l2 } = inv.attrs;
  const l2x2 = 2 * l2;
  const buf = inv.outputs[0] as CpuBuffer;
  if (l1 === 0 && size >= SIMD_UPDATE_FROM && simdRmspropAvailable()) {
    // The same doubles in wasm SIMD (simdRmsprop.ts), bit for bit.
    const k = simdRmspropKernel(w, g, ms, size, lr, rho, epsilon, l2x2);
    return () => { buf.finite = k(); };
  }
  return () => {
    let fin = 0;
    for (let i = 0; i < size; i++) {
      const wi = w[i];
      const gi = g[i] + l2x2 * wi + (l1 !== 0 ? l1 * Math.sign(wi) : 0);
      const s = rho * ms[i] + (1 - rho) * gi * gi;
      ms[i] = s;
      const nw = fround(wi - (lr * gi) / (Math.sqrt(s) + epsilon));
      w[i] = nw;
      fin += nw * 0;
    }
    buf.finite = fin === 0;
  };
}
