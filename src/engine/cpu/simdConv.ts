/**
 * conv2d and its gradients on the strided SIMD product (simdGemm.ts), with every operand laid
 * out in the wasm memory directly: im2col writes its rows there, col2im reads the column
 * gradient from there, and no operand is transposed or staged twice. Images are lowered in wasm
 * too (simdIm2col.ts, from a copy of the image in the memory), or in JavaScript (im2col.ts)
 * where that module cannot run. The batch is lowered in
 * chunks of output pixels sized so one chunk's scratch (column matrix and product) stays under
 * the cap and in L2 (L2_CHUNK_FLOATS); offsets are planned, and the memory grown, when the kernel is prepared.
 *
 * With P output pixels, K = kh·kw·c and F filters (products as in cpuConv.ts):
 * - forward      Y (P×F)    = Col · Wᵀ       A = Col (rows of K), B = Wᵀ (K×F, built per step)
 * - grad input   dCol (P×K) = dY · W         A = dY (rows of F), B = W (F×K as stored)
 * - grad weight  dW (F×K)   = dYᵀ · Col      A = dY read transposed, B = Col; depth blocks of
 *                                            DEPTH_BLOCK pixels keep both panels in cache.
 * The kernel computes 4-row × 8-column tiles: extra rows of A are zeroed and extra columns of
 * B run on into the next row (or a zeroed tail); their results are never copied out.
 */
import type { Runnable, Window2D } from '../backend';
import { col2im, im2col, im2colChunkPixels } from './im2col';
import { simdGemm, simdGemmMemory } from './simdGemm';
import type { BiasActivationFn } from './simdElementwise';
import { im2colTable, simdCol2im, simdIm2col, simdIm2colAvailable } from './simdIm2col';

const pad4 = (x: number): number => (x + 3) & ~3;
const pad8 = (x: number): number => (x + 7) & ~7;

/** Pixels per depth block of the weight gradient: 256 rows of Col and dY stay in L2. */
const DEPTH_BLOCK = 256;

/**
 * Floats of scratch per chunk at most, whatever the cap: 2¹⁶ (256 KiB), so a chunk's column
 * matrix and product stay in L2 from the lowering through the product to the copy out. Against
 * chunks of the 8 MiB cap it took the cnn workload's 13×13×32 → 64 layer from 40–48 to 34–35 ms
 * (forward and both gradients, one thread, batch 64) and the 28×28×1 → 32 layer from 15–16 to
 * 13.5–15.
 */
export const L2_CHUNK_FLOATS = 1 << 16;

/** What the three kernels share: the geometry, the chunking of the P output pixels. */
export interface ConvPlan {
  g: Window2D;
  F: number;
  K: number;
  P: number;
  /** Floats of scratch per output pixel of a chunk; the chunk size follows from the cap. */
  per: number;
  starts: number[];
  ends: number[];
}

/**
 * How a kernel lowers its images: in wasm (the image and the pixel→cell table copied into the
 * memory each step) or in JavaScript. Even one channel pays in wasm: the cnn workload's
 * 28×28×1 → 32 layer's forward went from 4.2 to 3.4 ms and its input gradient from 5.0 to 4.0
 * (one thread, batch 64) against the JavaScript plane-by-plane lowering.
 */
interface Lowering {
  wasm: boolean;
  tab: Int32Array;
  /** Floats of the batch's images (h·w·c per sample). */
  size: number;
  /** Floats the wasm lowering needs in the memory: the image copy, then the table. */
  floats: number;
}

function lowering(g: Window2D, rows: number): Lowering {
  const wasm = simdIm2colAvailable();
  const tab = wasm ? im2colTable(g) : new Int32Array(0);
  const size = rows * g.h * g.w * g.c;
  return { wasm, tab, size, floats: wasm ? size + tab.length : 0 };
}

let i32Buffer: ArrayBufferLike | undefined;
let i32View: Int32Array = new Int32Array(0);

/** The memory as int32 (for the tables), one view per memory buffer. */
function int32(mem: Float32Array): Int32Array {
  if (mem.buffer !== i32Buffer) { i32Buffer = mem.buffer; i32View = new Int32Array(mem.buffer); }
  return i32View;
}

export function planConv(g: Window2D, F: number, rows: number, floatsPerPixel: number, cap: number): ConvPlan {
  const K = g.kh * g.kw * g.c, P = rows * g.oh * g.ow;
  const per = Math.min(P, im2colChunkPixels(P, floatsPerPixel, cap));
  const starts: number[] = [], ends: number[] = [];
  for (let p0 = 0; p0 < P; p0 += per) { starts.push(p0); ends.push(Math.min(P, p0 + per)); }
  return { g, F, K, P, per, starts, ends };
}

/**
 * The bias and activation that follow a convolution, done on each chunk of its output while it
 * is in L2 (cpuFused.ts): z = Y + b and act = f(z), written beside Y (simdElementwise.ts's kernel,
 * so bit for bit what biasAdd then activation write). Only for F divisible by 8.
 */
export interface ConvEpilogue {
  b: Float32Array;
  z: Float32Array;
  act: Float32Array;
  kernel: BiasActivationFn;
}

/** Y = conv(X, W), then (with an epilogue) z = Y + b and act = f(z). */
export function simdConv2d(X: Float32Array, W: Float32Array, Y: Float32Array, g: Window2D, F: number, rows: number, cap: number, epi?: ConvEpilogue): Runnable {
  const K = g.kh * g.kw * g.c, Fp = pad8(F);
  if (epi && Fp !== F) throw new Error(`a conv epilogue needs filters divisible by 8, not ${F}`);
  const plan = planConv(g, F, rows, K + Fp + (epi ? 2 * F : 0), Math.min(cap, L2_CHUNK_FLOATS));
  const mp = pad4(plan.per);
  const low = lowering(g, rows);
  // [Wᵀ: K×F, 8 zeros][Col: mp×K][C: mp×Fp][X][table] (the last two for the wasm lowering)
  // then, with an epilogue, [b: F][z: mp×F][act: mp×F]
  const colOff = K * F + 8, cOff = colOff + mp * K, xOff = cOff + mp * Fp, tabOff = xOff + low.size;
  const bOff = xOff + low.floats, zOff = bOff + F, aOff = zOff + mp * F;
  const total = epi ? aOff + mp * F : xOff + low.floats;
  simdGemmMemory(total); // grow the memory now, not in the step loop
  const xv = X.subarray(0, low.size);
  const bv = epi?.b.subarray(0, F);
  let viewsOf: Float32Array | undefined;
  let outViews: Float32Array[] = [], zViews: Float32Array[] = [], aViews: Float32Array[] = [];
  return () => {
    const mem = simdGemmMemory(total);
    for (let f = 0; f < F; f++) for (let k = 0; k < K; k++) mem[k * F + f] = W[f * K + k];
    mem.fill(0, K * F, K * F + 8);
    if (low.wasm) { mem.set(xv, xOff); int32(mem).set(low.tab, tabOff); }
    if (bv) mem.set(bv, bOff);
    for (let i = 0; i < plan.starts.length; i++) {
      const p0 = plan.starts[i], np = plan.ends[i] - p0, m4 = pad4(np);
      if (low.wasm) simdIm2col(xOff, colOff, K, tabOff, g, p0, p0 + np);
      else im2col(X, mem, colOff, K, g, p0, p0 + np);
      mem.fill(0, colOff + np * K, colOff + m4 * K);
      simdGemm(colOff, 0, cOff, m4, K, Fp, K, 1, F, Fp, false);
      if (Fp === F) {
        // Rows are not padded: one block copy, through views made once per memory.
        if (mem !== viewsOf) {
          viewsOf = mem;
          const at = (off: number): Float32Array[] => plan.starts.map((q, j) => mem.subarray(off, off + (plan.ends[j] - q) * F));
          outViews = at(cOff);
          if (epi) { zViews = at(zOff); aViews = at(aOff); }
        }
        Y.set(outViews[i], p0 * F);
        if (epi) {
          epi.kernel(cOff * 4, bOff * 4, zOff * 4, aOff * 4, np * F * 4, F * 4);
          epi.z.set(zViews[i], p0 * F);
          epi.act.set(aViews[i], p0 * F);
        }
        continue;
      }
      let d = p0 * F;
      for (let r = 0; r < np; r++) {
        const s = cOff + r * Fp;
        for (let f = 0; f < F; f++) Y[d++] = mem[s + f];
      }
    }
  };
}

/** dX (+)= the input gradient of conv2d. */
export function simdConv2dGradInput(dY: Float32Array, W: Float32Array, dX: Float32Array, g: Window2D, F: number, rows: number, accumulate: boolean, cap: number): Runnable {
  const K = g.kh * g.kw * g.c, Kp = pad8(K);
  const plan = planConv(g, F, rows, F + Kp, Math.min(cap, L2_CHUNK_FLOATS));
  const mp = pad4(plan.per);
  const low = lowering(g, rows);
  // [W: F×K, 8 zeros][dY chunk: mp×F][dCol: mp×Kp][dX][table] (the last two for the wasm lowering)
  const dyOff = F * K + 8, cOff = dyOff + mp * F, dxOff = cOff + mp * Kp, tabOff = dxOff + low.size;
  const total = dxOff + low.floats;
  simdGemmMemory(total);
  const wv = W.subarray(0, F * K);
  const dyViews = plan.starts.map((p0, i) => dY.subarray(p0 * F, plan.ends[i] * F));
  const dxv = dX.subarray(0, low.size);
  let viewOf: Float32Array | undefined;
  let dxMem: Float32Array = new Float32Array(0);
  return () => {
    const mem = simdGemmMemory(total);
    if (low.wasm) {
      // dX is summed in the memory, then copied out once.
      if (accumulate) mem.set(dxv, dxOff);
      else mem.fill(0, dxOff, dxOff + low.size);
      int32(mem).set(low.tab, tabOff);
    } else if (!accumulate) {
      dX.fill(0, 0, low.size);
    }
    mem.set(wv, 0);
    mem.fill(0, F * K, F * K + 8);
    for (let i = 0; i < plan.starts.length; i++) {
      const p0 = plan.starts[i], np = plan.ends[i] - p0, m4 = pad4(np);
      mem.set(dyViews[i], dyOff);
      mem.fill(0, dyOff + np * F, dyOff + m4 * F);
      simdGemm(dyOff, 0, cOff, m4, F, Kp, F, 1, K, Kp, false);
      if (low.wasm) simdCol2im(dxOff, cOff, Kp, tabOff, g, p0, p0 + np);
      else col2im(mem, cOff, Kp, dX, g, p0, p0 + np);
    }
    if (low.wasm) {
      if (mem !== viewOf) { viewOf = mem; dxMem = mem.subarray(dxOff, dxOff + low.size); }
      dX.set(dxMem, 0);
    }
  };
}

/** dW (+)= the weight gradient of conv2d, summed over the batch. */
export function simdConv2dGradWeight(X: Float32Array, dY: Float32Array, dW: Float32Array, g: Window2D, F: number, rows: number, accumulate: boolean, cap: number): Runnable {
  const K = g.kh * g.kw * g.c, Kp = pad8(K), F4 = pad4(F);
  const plan = planConv(g, F, rows, F + K, Math.min(cap, L2_CHUNK_FLOATS));
  const low = lowering(g, rows);
  // [dY chunk: per×F, 4 zeros][Col: per×K, 8 zeros][dW: F4×Kp][X][table] (the last two for the wasm lowering)
  const colOff = plan.per * F + 4, cOff = colOff + plan.per * K + 8, xOff = cOff + F4 * Kp, tabOff = xOff + low.size;
  const total = xOff + low.floats;
  simdGemmMemory(total);
  const dyViews = plan.starts.map((p0, i) => dY.subarray(p0 * F, plan.ends[i] * F));
  const xv = X.subarray(0, low.size);
  return () => {
    if (plan.P === 0) { if (!accumulate) dW.fill(0, 0, F * K); return; }
    const mem = simdGemmMemory(total);
    if (low.wasm) { mem.set(xv, xOff); int32(mem).set(low.tab, tabOff); }
    for (let i = 0; i < plan.starts.length; i++) {
      const p0 = plan.starts[i], np = plan.ends[i] - p0;
      mem.set(dyViews[i], 0);
      mem.fill(0, np * F, np * F + 4);
      if (low.wasm) simdIm2col(xOff, colOff, K, tabOff, g, p0, p0 + np);
      else im2col(X, mem, colOff, K, g, p0, p0 + np);
      mem.fill(0, colOff + np * K, colOff + np * K + 8);
      for (let q = 0; q < np; q += DEPTH_BLOCK) {
        simdGemm(q * F, colOff + q * K, cOff, F4, Math.min(DEPTH_BLOCK, np - q), Kp, 1, F, K, Kp, i > 0 || q > 0);
      }
    }
    for (let f = 0; f < F; f++) {
      const s = cOff + f * Kp, d = f * K;
      if (accumulate) for (let k = 0; k < K; k++) dW[d + k] += mem[s + k];
      else for (let k = 0; k < K; k++) dW[d + k] = mem[s + k];
    }
  };
}
