/**
 * The plain SGD update (w −= lr·g) in WebAssembly SIMD, reporting whether every weight it wrote
 * is finite: the CPU's per-step NaN/Inf check of the weights rides on the update's own pass
 * instead of a second pass over every weight (5–10% of an mnist-like step), and the update
 * itself runs at a fraction of the JavaScript loop's 3–5 ns a weight.
 *
 * Bit for bit the JavaScript kernel's results: `w[i] -= lr * g[i]` computes in doubles (w and g
 * widened, lr a double, the product and the difference rounded to double) and rounds once to
 * float32 on the store; here each pair of floats is widened to f64x2, multiplied by lr and
 * subtracted in f64x2, and demoted (round to nearest even), the very same IEEE operations.
 *
 * CPU buffers resident in the products' memory are updated in place; other tensors go through a
 * memory of this module's own a chunk at a time (simdUpdate.ts updatePass).
 */
import {
  ADD, DEMOTE, F64, F64X2_MUL, F64X2_SUB, I32, instantiateUpdate, LGET, LOAD64_ZERO, LTEE, PROMOTE, SHUFFLE, simd, splat,
  updateFunction, updateModuleBytes, updatePass, V128_STORE, type UpdateRuntime,
} from './simdUpdate';

/** Floats per chunk (64 KiB a tensor): w and g of a chunk stay in L2 between the copies and the pass. */
export const SGD_CHUNK = 16384;

// Params: w g (byte addresses) n (bytes, a multiple of 16) lr (f64); locals: i acc lrv mask r.
const W = 0, G = 1, N = 2, LR = 3, I = 4, ACC = 5, LRV = 6, MASK = 7, R = 8;

/** demote(promote(w[i+off/4 …+2]) − lr·promote(g[…])): two updated floats in lanes 0 and 1 (the memarg offset places the pair). */
const pair = (off: number): number[] => [
  LGET, W, LGET, I, ADD, ...simd(LOAD64_ZERO), 3, off, ...simd(PROMOTE),
  LGET, LRV, LGET, G, LGET, I, ADD, ...simd(LOAD64_ZERO), 3, off, ...simd(PROMOTE), ...simd(F64X2_MUL),
  ...simd(F64X2_SUB), ...simd(DEMOTE),
];

/** sgd(w, g, bytes, lr) → 1 when some weight it wrote is NaN/Inf (exponent bits all ones), else 0; four floats a turn. */
function sgdBody(): number[] {
  // r = the two pairs side by side; stored as one vector.
  const turn = [LGET, W, LGET, I, ADD, ...pair(0), ...pair(8), ...simd(SHUFFLE), 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, LTEE, R, ...simd(V128_STORE), 4, 0];
  return updateFunction({ i: I, n: N, acc: ACC, mask: MASK, r: R }, R - ACC + 1, splat(LR, LRV), turn, 16);
}

/** The module's bytes: one function `sgd` (i32, i32, i32, f64) → i32 over an imported memory (shared, of at most `maxPages`, when given). */
export function simdSgdModuleBytes(maxPages?: number): Uint8Array {
  return updateModuleBytes([I32, I32, I32, F64], ['sgd'], [sgdBody()], maxPages);
}

type SgdFn = (w: number, g: number, bytes: number, lr: number) => number;
let runtime: UpdateRuntime | null | undefined;

function getRuntime(): UpdateRuntime | null {
  if (runtime === undefined) runtime = instantiateUpdate(simdSgdModuleBytes, 2 * SGD_CHUNK);
  return runtime;
}

/** Whether the SIMD update can run here. */
export function simdSgdAvailable(): boolean {
  return getRuntime() !== null;
}

/**
 * w −= lr·g over the first `size` floats, bit for bit as the JavaScript loop; returns false when
 * some weight written is NaN or ±Inf. Needs simdSgdAvailable().
 */
export function simdSgd(w: Float32Array, g: Float32Array, size: number, lr: number): boolean {
  return simdSgdKernel(w, g, size, lr)();
}

/**
 * simdSgd() bound to one tensor (its chunks' views made once: a step's update of a small tensor
 * costs little more than the call).
 */
export function simdSgdKernel(w: Float32Array, g: Float32Array, size: number, lr: number): () => boolean {
  const rt = getRuntime() as UpdateRuntime;
  const quad = size & ~3;
  const pass = updatePass(rt, SGD_CHUNK, [w, g], [0], quad);
  const update = (fns: Record<string, unknown>, at: number[], bytes: number): number => (fns.sgd as SgdFn)(at[0], at[1], bytes, lr);
  return () => {
    let bad = pass(update);
    // The last one to three weights, as the JavaScript loop does them.
    for (let i = quad; i < size; i++) {
      w[i] -= lr * g[i];
      if (!Number.isFinite(w[i])) bad = 1;
    }
    return bad === 0;
  };
}
