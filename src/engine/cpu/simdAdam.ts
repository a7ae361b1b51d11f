/**
 * Adam's update (without L1) in WebAssembly SIMD, bit for bit the JavaScript kernel's
 * (cpuKernels.ts), reporting whether every weight it wrote is finite, as simdSgd.ts does for
 * plain SGD. The JavaScript loop computes in doubles and rounds to float32 only on each store:
 *   gi = (g + l2x2·w) + 0;  mi = β1·m + (1−β1)·gi;  vi = β2·v + ((1−β2)·gi)·gi;
 *   m ← f32(mi);  v ← f32(vi);  w ← f32(w − ((lr·mi)·c1) / (√(vi·c2) + ε))
 * Here each pair of floats is widened to f64x2 and goes through the very same IEEE double
 * operations in the same order (wasm neither fuses nor reorders them; f64x2.sqrt is correctly
 * rounded as Math.sqrt is), then is demoted once per store.
 */
import {
  ADD, DEMOTE, F64, F64X2_ADD, F64X2_DIV, F64X2_MUL, F64X2_SQRT, F64X2_SUB, I32, instantiateUpdate, LGET, LOAD64_ZERO, LSET, PROMOTE,
  simd, splat, STORE64_LANE, updateFunction, updateModuleBytes, updatePass, type UpdateRuntime,
} from './simdUpdate';

/** Floats per chunk and array (w, g, m, v: 4 × 32 KiB). */
export const ADAM_CHUNK = 8192;

// Params: w g m v (byte addresses), n (bytes, a multiple of 8); lr b1 ob1 b2 ob2 eps c1 c2 l2x2 (f64).
const W = 0, G = 1, M = 2, V = 3, N = 4, LR = 5, B1 = 6, OB1 = 7, B2 = 8, OB2 = 9, EPS = 10, C1 = 11, C2 = 12, L2 = 13;
// Locals: i; then v128: acc mask lr b1 ob1 b2 ob2 eps c1 c2 l2 zero wi gi mi vi r.
const I = 14, ACC = 15, MASK = 16, VLR = 17, VB1 = 18, VOB1 = 19, VB2 = 20, VOB2 = 21, VEPS = 22, VC1 = 23, VC2 = 24, VL2 = 25, ZERO = 26, WI = 27, GI = 28, MI = 29, VI = 30, R = 31;

const at = (base: number): number[] => [LGET, base, LGET, I, ADD];
const load = (base: number): number[] => [...at(base), ...simd(LOAD64_ZERO), 3, 0, ...simd(PROMOTE)];
/** Stores the f64x2 on the stack's top, demoted, at base + i (leaves nothing). */
const storeTo = (base: number, value: number[]): number[] => [...at(base), ...value, ...simd(DEMOTE), ...simd(STORE64_LANE), 3, 0, 0];
const op = (o: number): number[] => simd(o);

function adamBody(): number[] {
  const turn = [
    // wi; gi = (g + l2x2·wi) + 0
    ...load(W), LSET, WI,
    ...load(G), LGET, VL2, LGET, WI, ...op(F64X2_MUL), ...op(F64X2_ADD), LGET, ZERO, ...op(F64X2_ADD), LSET, GI,
    // mi = b1·m + ob1·gi
    LGET, VB1, ...load(M), ...op(F64X2_MUL), LGET, VOB1, LGET, GI, ...op(F64X2_MUL), ...op(F64X2_ADD), LSET, MI,
    // vi = b2·v + (ob2·gi)·gi
    LGET, VB2, ...load(V), ...op(F64X2_MUL), LGET, VOB2, LGET, GI, ...op(F64X2_MUL), LGET, GI, ...op(F64X2_MUL), ...op(F64X2_ADD), LSET, VI,
    ...storeTo(M, [LGET, MI]),
    ...storeTo(V, [LGET, VI]),
    // r = demote(wi − ((lr·mi)·c1) / (√(vi·c2) + eps))
    LGET, WI, LGET, VLR, LGET, MI, ...op(F64X2_MUL), LGET, VC1, ...op(F64X2_MUL),
    LGET, VI, LGET, VC2, ...op(F64X2_MUL), ...op(F64X2_SQRT), LGET, VEPS, ...op(F64X2_ADD), ...op(F64X2_DIV), ...op(F64X2_SUB),
    ...simd(DEMOTE), LSET, R,
    ...at(W), LGET, R, ...simd(STORE64_LANE), 3, 0, 0,
  ];
  const setup = [
    ...splat(LR, VLR), ...splat(B1, VB1), ...splat(OB1, VOB1), ...splat(B2, VB2), ...splat(OB2, VOB2),
    ...splat(EPS, VEPS), ...splat(C1, VC1), ...splat(C2, VC2), ...splat(L2, VL2),
  ];
  return updateFunction({ i: I, n: N, acc: ACC, mask: MASK, r: R }, R - ACC + 1, setup, turn, 8);
}

/** The module's bytes: one function `adam` (5 × i32, 9 × f64) → i32 over an imported memory (shared, of at most `maxPages` pages, when given). */
export function simdAdamModuleBytes(maxPages?: number): Uint8Array {
  return updateModuleBytes([I32, I32, I32, I32, I32, ...new Array<number>(9).fill(F64)], ['adam'], [adamBody()], maxPages);
}

type AdamFn = (w: number, g: number, m: number, v: number, bytes: number, lr: number, b1: number, ob1: number, b2: number, ob2: number, eps: number, c1: number, c2: number, l2x2: number) => number;
let runtime: UpdateRuntime | null | undefined;

function getRuntime(): UpdateRuntime | null {
  if (runtime === undefined) runtime = instantiateUpdate(simdAdamModuleBytes, 4 * ADAM_CHUNK);
  return runtime;
}

/** Whether the SIMD Adam update can run here. */
export function simdAdamAvailable(): boolean {
  return getRuntime() !== null;
}

/** Adam's constants for one step, as the JavaScript kernel computes them. */
export interface AdamStep {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 / (1 − β1^t) and 1 / (1 − β2^t). */
  c1: number;
  c2: number;
  l2x2: number;
}

/**
 * Adam's update of the first `size` floats of w, m and v from g (no L1), bound to these arrays;
 * each call returns false when some weight written is NaN or ±Inf. Needs simdAdamAvailable().
 */
export function simdAdamKernel(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, size: number): (s: AdamStep) => boolean {
  const rt = getRuntime() as UpdateRuntime;
  const even = size & ~1;
  const pass = updatePass(rt, ADAM_CHUNK, [w, g, m, v], [0, 2, 3], even);
  return (st) => {
    const { lr, beta1, beta2, epsilon, c1, c2, l2x2 } = st;
    let bad = pass((fns, at, bytes) => (fns.adam as AdamFn)(at[0], at[1], at[2], at[3], bytes, lr, beta1, 1 - beta1, beta2, 1 - beta2, epsilon, c1, c2, l2x2));
    if (even < size) {
      // The odd last weight, as the JavaScript kernel does it.
      const i = even, wi = w[i];
      const gi = g[i] + l2x2 * wi + 0;
      const mi = beta1 * m[i] + (1 - beta1) * gi;
      const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] = wi - (lr * mi * c1) / (Math.sqrt(vi * c2) + epsilon);
      if (!Number.isFinite(w[i])) bad = 1;
    }
    return bad === 0;
  };
}
