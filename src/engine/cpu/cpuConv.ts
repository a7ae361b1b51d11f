/**
 * CPU kernels of conv2d and its two gradients, lowered to matrix products with im2col
 * (im2col.ts). Where wasm SIMD runs, simdConv.ts lays the operands out in the SIMD product's
 * memory directly; elsewhere the JS path below runs on the JS matmul loops. Either way the batch
 * is lowered in chunks of output pixels so the column matrix never exceeds IM2COL_CAP_FLOATS,
 * and every scratch buffer is allocated when the kernel is prepared, never in the step loop.
 *
 * With P output pixels, K = kh·kw·c and F filters:
 * - forward      Y (P×F)  = Col (P×K) · Wᵀ
 * - grad weight  dW (F×K) = Σ_chunks dY_chunkᵀ · Col_chunk
 * - grad input   dCol (P×K) = dY · W, then col2im adds it onto dX
 */
import type { Invocation, Runnable, Window2D } from '../backend';
import { cpuData } from './cpuBuffer';
import { col2im, im2col, IM2COL_CAP_FLOATS } from './im2col';
import { matmulNN, matmulNT, matmulTN } from './matmul';
import { planConv, simdConv2d, simdConv2dGradInput, simdConv2dGradWeight, type ConvPlan } from './simdConv';
import { simdBiasActivationFn, simdElementwiseFits } from './simdElementwise';
import { simdGemmAvailable } from './simdGemm';

/** Options for tests: the scratch cap in floats, and whether to use the SIMD path (default: where it runs). */
export interface ConvKernelOptions {
  cap?: number;
  simd?: boolean;
}

/** C (+)= op(A)·op(B) on the JS loops (the path for runtimes without wasm SIMD). */
function gemm(A: Float32Array, B: Float32Array, C: Float32Array, m: number, k: number, n: number, tA: boolean, tB: boolean, acc: boolean): void {
  if (tB) matmulNT(A, B, C, m, k, n, acc);
  else if (tA) matmulTN(A, B, C, m, k, n, acc);
  else matmulNN(A, B, C, m, k, n, acc);
}

/** Per-chunk views (made once) of a buffer laid out P × cols. */
function views(buf: Float32Array, ch: ConvPlan, cols: number): Float32Array[] {
  return ch.starts.map((p0, i) => buf.subarray(p0 * cols, ch.ends[i] * cols));
}

function geometry(inv: Invocation<'conv2d' | 'conv2dGradInput' | 'conv2dGradWeight'>): { g: Window2D; F: number; K: number } {
  const g = inv.attrs;
  return { g, F: g.filters, K: g.kh * g.kw * g.c };
}

/** Y = conv(X, W). in [X, W], out [Y]. */
export function conv2dKernel(inv: Invocation<'conv2d'>, _ctx?: unknown, opts: ConvKernelOptions = {}): Runnable {
  const X = cpuData(inv.inputs[0]);
  const W = cpuData(inv.inputs[1]);
  const Y = cpuData(inv.outputs[0]);
  const { g, F, K } = geometry(inv);
  const cap = opts.cap ?? IM2COL_CAP_FLOATS;
  if (opts.simd ?? simdGemmAvailable()) return simdConv2d(X, W, Y, g, F, inv.dims.rows ?? 1, cap);
  const ch = planConv(g, F, inv.dims.rows ?? 1, K, cap);
  const col = new Float32Array(ch.per * K);
  const yv = views(Y, ch, F);
  return () => {
    for (let i = 0; i < yv.length; i++) {
      const p0 = ch.starts[i], p1 = ch.ends[i];
      im2col(X, col, 0, K, g, p0, p1);
      gemm(col, W, yv[i], p1 - p0, K, F, false, true, false);
    }
  };
}

/**
 * conv2d, then the biasAdd and activation (relu or linear) of its output, on each chunk while it
 * is in L2: all three outputs written, bit for bit as the three kernels write them (cpuFused.ts
 * fuses them where conv2dEpilogueFits says so).
 */
export function conv2dBiasActivationKernel(conv: Invocation<'conv2d'>, bias: Invocation<'biasAdd'>, act: Invocation<'activation'>): Runnable {
  const { g, F } = geometry(conv);
  const epi = { b: cpuData(bias.inputs[1]), z: cpuData(bias.outputs[0]), act: cpuData(act.outputs[0]), kernel: simdBiasActivationFn(act.attrs.fn as 'relu' | 'linear') };
  return simdConv2d(cpuData(conv.inputs[0]), cpuData(conv.inputs[1]), cpuData(conv.outputs[0]), g, F, conv.dims.rows ?? 1, IM2COL_CAP_FLOATS, epi);
}

/** Whether conv2dBiasActivationKernel takes this convolution and activation: SIMD, relu or linear, filters divisible by 8. */
export function conv2dEpilogueFits(conv: Invocation<'conv2d'>, act: Invocation<'activation'>): boolean {
  return conv.attrs.filters % 8 === 0 && simdGemmAvailable() && simdElementwiseFits(act.attrs.fn, conv.attrs.filters);
}

/** dX (+)= the gradient of conv2d with respect to its input. in [dY, W], out [dX]. */
export function conv2dGradInputKernel(inv: Invocation<'conv2dGradInput'>, _ctx?: unknown, opts: ConvKernelOptions = {}): Runnable {
  const dY = cpuData(inv.inputs[0]);
  const W = cpuData(inv.inputs[1]);
  const dX = cpuData(inv.outputs[0]);
  const { g, F, K } = geometry(inv);
  const rows = inv.dims.rows ?? 1;
  const cap = opts.cap ?? IM2COL_CAP_FLOATS;
  if (opts.simd ?? simdGemmAvailable()) return simdConv2dGradInput(dY, W, dX, g, F, rows, inv.attrs.accumulate, cap);
  const size = rows * g.h * g.w * g.c;
  const ch = planConv(g, F, inv.dims.rows ?? 1, K, cap);
  const dcol = new Float32Array(ch.per * K);
  const dyv = views(dY, ch, F);
  const accumulate = inv.attrs.accumulate;
  return () => {
    if (!accumulate) dX.fill(0, 0, size);
    for (let i = 0; i < dyv.length; i++) {
      const p0 = ch.starts[i], p1 = ch.ends[i];
      gemm(dyv[i], W, dcol, p1 - p0, F, K, false, false, false);
      col2im(dcol, 0, K, dX, g, p0, p1);
    }
  };
}

/** dW (+)= the gradient of conv2d with respect to its weights, summed over the batch. in [X, dY], out [dW]. */
export function conv2dGradWeightKernel(inv: Invocation<'conv2dGradWeight'>, _ctx?: unknown, opts: ConvKernelOptions = {}): Runnable {
  const X = cpuData(inv.inputs[0]);
  const dY = cpuData(inv.inputs[1]);
  const dW = cpuData(inv.outputs[0]);
  const { g, F, K } = geometry(inv);
  const cap = opts.cap ?? IM2COL_CAP_FLOATS;
  if (opts.simd ?? simdGemmAvailable()) return simdConv2dGradWeight(X, dY, dW, g, F, inv.dims.rows ?? 1, inv.attrs.accumulate, cap);
  const ch = planConv(g, F, inv.dims.rows ?? 1, K, cap);
  const col = new Float32Array(ch.per * K);
  const dyv = views(dY, ch, F);
  const accumulate = inv.attrs.accumulate;
  return () => {
    if (!accumulate) dW.fill(0, 0, F * K);
    for (let i = 0; i < dyv.length; i++) {
      const p0 = ch.starts[i], p1 = ch.ends[i];
      im2col(X, col, 0, K, g, p0, p1);
      gemm(dyv[i], col, dW, F, p1 - p0, K, true, false, true);
    }
  };
}
