/**
 * SGD with momentum (plain or Nesterov, optional L2, no L1) in WebAssembly SIMD, bit for bit the
 * JavaScript kernel's (cpuKernels.ts), reporting whether every weight it wrote is finite, as
 * simdSgd.ts does for plain SGD. The JavaScript loop computes in doubles, rounding to float32
 * only on each store:
 *   gi = (g + l2x2·w) + 0;  vi = μ·v − lr·gi;  v ← f32(vi);  w ← f32(w + (Nesterov ? μ·vi − lr·gi : vi))
 * Here each pair of floats goes through the same IEEE double operations in f64x2, in the same
 * order, and is demoted once per store.
 */
import {
  ADD, DEMOTE, F64, F64X2_ADD, F64X2_MUL, F64X2_SUB, I32, instantiateUpdate, LGET, LOAD64_ZERO, LSET, PROMOTE, simd, splat,
  STORE64_LANE, updateFunction, updateModuleBytes, updatePass, type UpdateRuntime,
} from './simdUpdate';

/** Floats per chunk and array (w, g, v: 3 × 32 KiB). */
export const MOMENTUM_CHUNK = 8192;

// Params: w g v (byte addresses), n (bytes, a multiple of 8); lr mu l2x2 (f64).
const W = 0, G = 1, V = 2, N = 3, LR = 4, MU = 5, L2 = 6;
// Locals: i; then v128: acc mask lr mu l2 zero wi gi vi r.
const I = 7, ACC = 8, MASK = 9, VLR = 10, VMU = 11, VL2 = 12, ZERO = 13, WI = 14, GI = 15, VI = 16, R = 17;

const at = (base: number): number[] => [LGET, base, LGET, I, ADD];
const load = (base: number): number[] => [...at(base), ...simd(LOAD64_ZERO), 3, 0, ...simd(PROMOTE)];
const op = (o: number): number[] => simd(o);

function momentumBody(nesterov: boolean): number[] {
  const lrGi = [LGET, VLR, LGET, GI, ...op(F64X2_MUL)];
  const turn = [
    ...load(W), LSET, WI,
    ...load(G), LGET, VL2, LGET, WI, ...op(F64X2_MUL), ...op(F64X2_ADD), LGET, ZERO, ...op(F64X2_ADD), LSET, GI,
    // vi = mu·v − lr·gi; v ← f32(vi)
    LGET, VMU, ...load(V), ...op(F64X2_MUL), ...lrGi, ...op(F64X2_SUB), LSET, VI,
    ...at(V), LGET, VI, ...simd(DEMOTE), ...simd(STORE64_LANE), 3, 0, 0,
    // r = f32(wi + (nesterov ? mu·vi − lr·gi : vi))
    LGET, WI, ...(nesterov ? [LGET, VMU, LGET, VI, ...op(F64X2_MUL), ...lrGi, ...op(F64X2_SUB)] : [LGET, VI]), ...op(F64X2_ADD), ...simd(DEMOTE), LSET, R,
    ...at(W), LGET, R, ...simd(STORE64_LANE), 3, 0, 0,
  ];
  return updateFunction({ i: I, n: N, acc: ACC, mask: MASK, r: R }, R - ACC + 1, [...splat(LR, VLR), ...splat(MU, VMU), ...splat(L2, VL2)], turn, 8);
}

/** The module's bytes: `momentum` and `nesterov`, (4 × i32, 3 × f64) → i32, over an imported memory (shared, of at most `maxPages` pages, when given). */
export function simdMomentumModuleBytes(maxPages?: number): Uint8Array {
  return updateModuleBytes([I32, I32, I32, I32, F64, F64, F64], ['momentum', 'nesterov'], [momentumBody(false), momentumBody(true)], maxPages);
}

type MomentumFn = (w: number, g: number, v: number, bytes: number, lr: number, mu: number, l2x2: number) => number;
let runtime: UpdateRuntime | null | undefined;

function getRuntime(): UpdateRuntime | null {
  if (runtime === undefined) runtime = instantiateUpdate(simdMomentumModuleBytes, 3 * MOMENTUM_CHUNK);
  return runtime;
}

/** Whether the SIMD momentum update can run here. */
export function simdMomentumAvailable(): boolean {
  return getRuntime() !== null;
}

/**
 * SGD with momentum `mu` (Nesterov's when asked) over the first `size` floats of w and v from g,
 * no L1, bound to these arrays; each call returns false when some weight written is NaN or ±Inf.
 * Needs simdMomentumAvailable().
 */
export function simdMomentumKernel(w: Float32Array, g: Float32Array, v: Float32Array, size: number, lr: number, mu: number, l2x2: number, nesterov: boolean): () => boolean {
  const rt = getRuntime() as UpdateRuntime;
  const name = nesterov ? 'nesterov' : 'momentum';
  const even = size & ~1;
  const pass = updatePass(rt, MOMENTUM_CHUNK, [w, g, v], [0, 2], even);
  const update = (fns: Record<string, unknown>, at: number[], bytes: number): number => (fns[name] as MomentumFn)(at[0], at[1], at[2], bytes, lr, mu, l2x2);
  return () => {
    let bad = pass(update);
    if (even < size) {
      // The odd last weight, as the JavaScript kernel does it.
      const i = even, wi = w[i];
      const gi = g[i] + l2x2 * wi + 0;
      const vi = mu * v[i] - lr * gi;
      v[i] = vi;
      w[i] = wi + (nesterov ? mu * vi - lr * gi : vi);
      if (!Number.isFinite(w[i])) bad = 1;
    }
    return bad === 0;
  };
}
