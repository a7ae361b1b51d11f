/**
 * SGD with momentum (plain or Nesterov, optional L2, no L1) in WebAssembly SIMD, bit for bit the
 * JavaScript kernel's (cpuKernels.ts), reporting whether every weight it wrote is finite, as
 * simdSgd.ts does for plain SGD. The JavaScript loop computes in doubles, rounding to float32
 * only on each store:
 *   gi = (g + l2x2·w) + 0;  vi = μ·v − lr·gi;  v ← f32(vi);  w ← f32(w + (Nesterov ? μ·vi − lr·gi : vi))
 * Here each pair of floats goes through the same IEEE double operations in f64x2, in the same
 * order, and is demoted once per store.
 */
import { sleb } from './simdSgd';
import { wasmApi, type WasmMemory } from './wasmApi';
import { moduleBytes, uleb } from './wasmBytes';

const LGET = 0x20, LSET = 0x21, I32C = 0x41, ADD = 0x6a, GEU = 0x4f;
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BRIF = 0x0d, END = 0x0b, VOID = 0x40, I32 = 0x7f, F64 = 0x7c, V128 = 0x7b;
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const LOAD64_ZERO = 0x5d, STORE64_LANE = 0x5b, I32X4_SPLAT = 0x11, F64X2_SPLAT = 0x14, I32X4_EQ = 0x37;
const V128_AND = 0x4e, V128_OR = 0x50, ANY_TRUE = 0x53, DEMOTE = 0x5e, PROMOTE = 0x5f;
const FADD = 0xf0, FSUB = 0xf1, FMUL = 0xf2;

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
  const splat = (from: number, to: number): number[] => [LGET, from, ...simd(F64X2_SPLAT), LSET, to];
  const lrGi = [LGET, VLR, LGET, GI, ...op(FMUL)];
  const fn = [
    ...splat(LR, VLR), ...splat(MU, VMU), ...splat(L2, VL2),
    I32C, ...sleb(0x7f800000), ...simd(I32X4_SPLAT), LSET, MASK,
    I32C, 0, LSET, I,
    BLOCK, VOID, LOOP, VOID,
    LGET, I, LGET, N, GEU, BRIF, 1,
    ...load(W), LSET, WI,
    ...load(G), LGET, VL2, LGET, WI, ...op(FMUL), ...op(FADD), LGET, ZERO, ...op(FADD), LSET, GI,
    // vi = mu·v − lr·gi; v ← f32(vi)
    LGET, VMU, ...load(V), ...op(FMUL), ...lrGi, ...op(FSUB), LSET, VI,
    ...at(V), LGET, VI, ...simd(DEMOTE), ...simd(STORE64_LANE), 3, 0, 0,
    // r = f32(wi + (nesterov ? mu·vi − lr·gi : vi))
    LGET, WI, ...(nesterov ? [LGET, VMU, LGET, VI, ...op(FMUL), ...lrGi, ...op(FSUB)] : [LGET, VI]), ...op(FADD), ...simd(DEMOTE), LSET, R,
    ...at(W), LGET, R, ...simd(STORE64_LANE), 3, 0, 0,
    LGET, ACC, LGET, R, LGET, MASK, ...simd(V128_AND), LGET, MASK, ...simd(I32X4_EQ), ...simd(V128_OR), LSET, ACC,
    LGET, I, I32C, 8, ADD, LSET, I,
    BR, 0, END, END,
    LGET, ACC, ...simd(ANY_TRUE),
    END,
  ];
  const body = [2, 1, I32, R - ACC + 1, V128, ...fn];
  return [...uleb(body.length), ...body];
}

/** The module's bytes: `momentum` and `nesterov`, (4 × i32, 3 × f64) → i32, over an imported memory. */
export function simdMomentumModuleBytes(): Uint8Array {
  return moduleBytes([[0x60, 7, I32, I32, I32, I32, F64, F64, F64, 1, I32]], [0, 0], ['momentum', 'nesterov'], [momentumBody(false), momentumBody(true)]);
}

type MomentumFn = (w: number, g: number, v: number, bytes: number, lr: number, mu: number, l2x2: number) => number;
let runtime: { momentum: MomentumFn; nesterov: MomentumFn; mem: Float32Array } | null | undefined;

function getRuntime(): typeof runtime {
  if (runtime !== undefined) return runtime;
  runtime = null;
  if (!wasmApi) return runtime;
  try {
    const mem: WasmMemory = new wasmApi.Memory({ initial: Math.ceil((3 * MOMENTUM_CHUNK * 4) / 65536) });
    const ex = new wasmApi.Instance(new wasmApi.Module(simdMomentumModuleBytes()), { env: { mem } }).exports;
    runtime = { momentum: ex.momentum as MomentumFn, nesterov: ex.nesterov as MomentumFn, mem: new Float32Array(mem.buffer) };
  } catch {
    // No wasm SIMD here: the JavaScript loop updates the weights.
  }
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
  const rt = getRuntime() as NonNullable<typeof runtime>;
  const mem = rt.mem, fn = nesterov ? rt.nesterov : rt.momentum;
  const even = size & ~1;
  const parts: { src: Float32Array[]; w: Float32Array; v: Float32Array; start: number; n: number }[] = [];
  for (let s = 0; s < even; s += MOMENTUM_CHUNK) {
    const e = Math.min(even, s + MOMENTUM_CHUNK);
    parts.push({ src: [w, g, v].map((a) => a.subarray(s, e)), w: mem.subarray(0, e - s), v: mem.subarray(2 * MOMENTUM_CHUNK, 2 * MOMENTUM_CHUNK + e - s), start: s, n: e - s });
  }
  return () => {
    let bad = 0;
    for (const p of parts) {
      for (let k = 0; k < 3; k++) mem.set(p.src[k], k * MOMENTUM_CHUNK);
      bad |= fn(0, MOMENTUM_CHUNK * 4, 2 * MOMENTUM_CHUNK * 4, p.n * 4, lr, mu, l2x2);
      w.set(p.w, p.start);
      v.set(p.v, p.start);
    }
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
