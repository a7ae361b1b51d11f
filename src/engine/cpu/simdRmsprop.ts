/**
 * RMSprop's update (without L1) in WebAssembly SIMD, bit for bit the JavaScript kernel's
 * (cpuOptimizers.ts), reporting whether every weight it wrote is finite, as simdSgd.ts does for
 * plain SGD. The JavaScript loop computes in doubles, rounding to float32 only on each store:
 *   gi = (g + l2x2·w) + 0;  s = ρ·ms + ((1−ρ)·gi)·gi;  ms ← f32(s);  w ← f32(w − (lr·gi) / (√s + ε))
 * Here each pair of floats goes through the same IEEE double operations in f64x2, in the same
 * order, and is demoted once per store.
 */
import {
  ADD, DEMOTE, F64, F64X2_ADD, F64X2_DIV, F64X2_MUL, F64X2_SQRT, F64X2_SUB, I32, instantiateUpdate, LGET, LOAD64_ZERO, LSET, PROMOTE,
  simd, splat, STORE64_LANE, updateFunction, updateModuleBytes, updatePass, type UpdateRuntime,
} from './simdUpdate';

/** Floats per chunk and array (w, g, ms: 3 × 32 KiB). */
export const RMSPROP_CHUNK = 8192;

// Params: w g ms (byte addresses), n (bytes, a multiple of 8); lr rho orho eps l2x2 (f64).
const W = 0, G = 1, MS = 2, N = 3, LR = 4, RHO = 5, ORHO = 6, EPS = 7, L2 = 8;
// Locals: i; then v128: acc mask lr rho orho eps l2 zero wi gi s r.
const I = 9, ACC = 10, MASK = 11, VLR = 12, VRHO = 13, VORHO = 14, VEPS = 15, VL2 = 16, ZERO = 17, WI = 18, GI = 19, S = 20, R = 21;

const at = (base: number): number[] => [LGET, base, LGET, I, ADD];
const load = (base: number): number[] => [...at(base), ...simd(LOAD64_ZERO), 3, 0, ...simd(PROMOTE)];
const op = (o: number): number[] => simd(o);

function rmspropBody(): number[] {
  const turn = [
    ...load(W), LSET, WI,
    ...load(G), LGET, VL2, LGET, WI, ...op(F64X2_MUL), ...op(F64X2_ADD), LGET, ZERO, ...op(F64X2_ADD), LSET, GI,
    // s = rho·ms + (orho·gi)·gi; ms ← f32(s)
    LGET, VRHO, ...load(MS), ...op(F64X2_MUL), LGET, VORHO, LGET, GI, ...op(F64X2_MUL), LGET, GI, ...op(F64X2_MUL), ...op(F64X2_ADD), LSET, S,
    ...at(MS), LGET, S, ...simd(DEMOTE), ...simd(STORE64_LANE), 3, 0, 0,
    // r = f32(wi − (lr·gi) / (√s + eps))
    LGET, WI, LGET, VLR, LGET, GI, ...op(F64X2_MUL), LGET, S, ...op(F64X2_SQRT), LGET, VEPS, ...op(F64X2_ADD), ...op(F64X2_DIV), ...op(F64X2_SUB), ...simd(DEMOTE), LSET, R,
    ...at(W), LGET, R, ...simd(STORE64_LANE), 3, 0, 0,
  ];
  const setup = [...splat(LR, VLR), ...splat(RHO, VRHO), ...splat(ORHO, VORHO), ...splat(EPS, VEPS), ...splat(L2, VL2)];
  return updateFunction({ i: I, n: N, acc: ACC, mask: MASK, r: R }, R - ACC + 1, setup, turn, 8);
}

/** The module's bytes: one function `rmsprop` (4 × i32, 5 × f64) → i32 over an imported memory (shared, of at most `maxPages` pages, when given). */
export function simdRmspropModuleBytes(maxPages?: number): Uint8Array {
  return updateModuleBytes([I32, I32, I32, I32, F64, F64, F64, F64, F64], ['rmsprop'], [rmspropBody()], maxPages);
}

type RmspropFn = (w: number, g: number, ms: number, bytes: number, lr: number, rho: number, orho: number, eps: number, l2x2: number) => number;
let runtime: UpdateRuntime | null | undefined;

function getRuntime(): UpdateRuntime | null {
  if (runtime === undefined) runtime = instantiateUpdate(simdRmspropModuleBytes, 3 * RMSPROP_CHUNK);
  return runtime;
}

/** Whether the SIMD RMSprop update can run here. */
export function simdRmspropAvailable(): boolean {
  return getRuntime() !== null;
}

/**
 * RMSprop over the first `size` floats of w and ms from g (no L1), bound to these arrays; each
 * call returns false when some weight written is NaN or ±Inf. Needs simdRmspropAvailable().
 */
export function simdRmspropKernel(w: Float32Array, g: Float32Array, ms: Float32Array, size: number, lr: number, rho: number, epsilon: number, l2x2: number): () => boolean {
  const rt = getRuntime() as UpdateRuntime;
  const even = size & ~1;
  const pass = updatePass(rt, RMSPROP_CHUNK, [w, g, ms], [0, 2], even);
  const update = (fns: Record<string, unknown>, at: number[], bytes: number): number => (fns.rmsprop as RmspropFn)(at[0], at[1], at[2], bytes, lr, rho, 1 - rho, epsilon, l2x2);
  return () => {
    let bad = pass(update);
    if (even < size) {
      // The odd last weight, as the JavaScript kernel does it.
      const i = even, wi = w[i];
      const gi = g[i] + l2x2 * wi + 0;
      const s = rho * ms[i] + (1 - rho) * gi * gi;
      ms[i] = s;
      w[i] = wi - (lr * gi) / (Math.sqrt(s) + epsilon);
      if (!Number.isFinite(w[i])) bad = 1;
    }
    return bad === 0;
  };
}
