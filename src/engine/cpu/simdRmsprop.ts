/**
 * RMSprop's update (without L1) in WebAssembly SIMD, bit for bit the JavaScript kernel's
 * (cpuOptimizers.ts), reporting whether every weight it wrote is finite, as simdSgd.ts does for
 * plain SGD. The JavaScript loop computes in doubles, rounding to float32 only on each store:
 *   gi = (g + l2x2·w) + 0;  s = ρ·ms + ((1−ρ)·gi)·gi;  ms ← f32(s);  w ← f32(w − (lr·gi) / (√s + ε))
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
const FADD = 0xf0, FSUB = 0xf1, FMUL = 0xf2, FDIV = 0xf3, FSQRT = 0xef;

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
  const splat = (from: number, to: number): number[] => [LGET, from, ...simd(F64X2_SPLAT), LSET, to];
  const fn = [
    ...splat(LR, VLR), ...splat(RHO, VRHO), ...splat(ORHO, VORHO), ...splat(EPS, VEPS), ...splat(L2, VL2),
    I32C, ...sleb(0x7f800000), ...simd(I32X4_SPLAT), LSET, MASK,
    I32C, 0, LSET, I,
    BLOCK, VOID, LOOP, VOID,
    LGET, I, LGET, N, GEU, BRIF, 1,
    ...load(W), LSET, WI,
    ...load(G), LGET, VL2, LGET, WI, ...op(FMUL), ...op(FADD), LGET, ZERO, ...op(FADD), LSET, GI,
    // s = rho·ms + (orho·gi)·gi; ms ← f32(s)
    LGET, VRHO, ...load(MS), ...op(FMUL), LGET, VORHO, LGET, GI, ...op(FMUL), LGET, GI, ...op(FMUL), ...op(FADD), LSET, S,
    ...at(MS), LGET, S, ...simd(DEMOTE), ...simd(STORE64_LANE), 3, 0, 0,
    // r = f32(wi − (lr·gi) / (√s + eps))
    LGET, WI, LGET, VLR, LGET, GI, ...op(FMUL), LGET, S, ...op(FSQRT), LGET, VEPS, ...op(FADD), ...op(FDIV), ...op(FSUB), ...simd(DEMOTE), LSET, R,
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

/** The module's bytes: one function `rmsprop` (4 × i32, 5 × f64) → i32 over an imported memory. */
export function simdRmspropModuleBytes(): Uint8Array {
  return moduleBytes([[0x60, 9, I32, I32, I32, I32, F64, F64, F64, F64, F64, 1, I32]], [0], ['rmsprop'], [rmspropBody()]);
}

type RmspropFn = (w: number, g: number, ms: number, bytes: number, lr: number, rho: number, orho: number, eps: number, l2x2: number) => number;
let runtime: { rmsprop: RmspropFn; mem: Float32Array } | null | undefined;

function getRuntime(): typeof runtime {
  if (runtime !== undefined) return runtime;
  runtime = null;
  if (!wasmApi) return runtime;
  try {
    const mem: WasmMemory = new wasmApi.Memory({ initial: Math.ceil((3 * RMSPROP_CHUNK * 4) / 65536) });
    const inst = new wasmApi.Instance(new wasmApi.Module(simdRmspropModuleBytes()), { env: { mem } });
    runtime = { rmsprop: inst.exports.rmsprop as RmspropFn, mem: new Float32Array(mem.buffer) };
  } catch {
    // No wasm SIMD here: the JavaScript loop updates the weights.
  }
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
  const rt = getRuntime() as NonNullable<typeof runtime>;
  const mem = rt.mem, fn = rt.rmsprop;
  const even = size & ~1;
  const parts: { src: Float32Array[]; w: Float32Array; ms: Float32Array; start: number; n: number }[] = [];
  for (let s = 0; s < even; s += RMSPROP_CHUNK) {
    const e = Math.min(even, s + RMSPROP_CHUNK);
    parts.push({ src: [w, g, ms].map((a) => a.subarray(s, e)), w: mem.subarray(0, e - s), ms: mem.subarray(2 * RMSPROP_CHUNK, 2 * RMSPROP_CHUNK + e - s), start: s, n: e - s });
  }
  return () => {
    let bad = 0;
    for (const p of parts) {
      for (let k = 0; k < 3; k++) mem.set(p.src[k], k * RMSPROP_CHUNK);
      bad |= fn(0, RMSPROP_CHUNK * 4, 2 * RMSPROP_CHUNK * 4, p.n * 4, lr, rho, 1 - rho, epsilon, l2x2);
      w.set(p.w, p.start);
      ms.set(p.ms, p.start);
    }
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
