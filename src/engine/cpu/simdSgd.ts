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
 * The weights are not resident in wasm memory: each tensor goes through a memory of this module's
 * own a chunk at a time (copies cost ~0.1 ns a float against the update's work).
 */
import { wasmApi, type WasmMemory } from './wasmApi';
import { moduleBytes, uleb } from './wasmBytes';

const LGET = 0x20, LSET = 0x21, I32C = 0x41, ADD = 0x6a, GEU = 0x4f;
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BRIF = 0x0d, END = 0x0b, VOID = 0x40, I32 = 0x7f, F64 = 0x7c, V128 = 0x7b;
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
/** Signed LEB128 (i32.const immediates). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}
const LOAD64_ZERO = 0x5d, I32X4_SPLAT = 0x11, F64X2_SPLAT = 0x14, I32X4_EQ = 0x37;
const V128_AND = 0x4e, V128_OR = 0x50, ANY_TRUE = 0x53, DEMOTE = 0x5e, PROMOTE = 0x5f, F64X2_SUB = 0xf1, F64X2_MUL = 0xf2;

/** Floats per chunk (64 KiB a tensor): w and g of a chunk stay in L2 between the copies and the pass. */
export const SGD_CHUNK = 16384;

// Params: w g (byte addresses) n (bytes, a multiple of 16) lr (f64); locals: i acc lrv mask r.
const W = 0, G = 1, N = 2, LR = 3, I = 4, ACC = 5, LRV = 6, MASK = 7, R = 8;
const SHUFFLE = 0x0d, V128_STORE = 0x0b, LTEE = 0x22;

/** demote(promote(w[i+off/4 …+2]) − lr·promote(g[…])): two updated floats in lanes 0 and 1 (the memarg offset places the pair). */
const pair = (off: number): number[] => [
  LGET, W, LGET, I, ADD, ...simd(LOAD64_ZERO), 3, off, ...simd(PROMOTE),
  LGET, LRV, LGET, G, LGET, I, ADD, ...simd(LOAD64_ZERO), 3, off, ...simd(PROMOTE), ...simd(F64X2_MUL),
  ...simd(F64X2_SUB), ...simd(DEMOTE),
];

/** sgd(w, g, bytes, lr) → 1 when some weight it wrote is NaN/Inf (exponent bits all ones), else 0; four floats a turn. */
function sgdBody(): number[] {
  const fn = [
    LGET, LR, ...simd(F64X2_SPLAT), LSET, LRV,
    I32C, ...sleb(0x7f800000), ...simd(I32X4_SPLAT), LSET, MASK,
    I32C, 0, LSET, I,
    BLOCK, VOID, LOOP, VOID,
    LGET, I, LGET, N, GEU, BRIF, 1,
    // r = the two pairs side by side; stored as one vector.
    LGET, W, LGET, I, ADD,
    ...pair(0), ...pair(8), ...simd(SHUFFLE), 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, LTEE, R,
    ...simd(V128_STORE), 4, 0,
    // acc |= (r & 0x7f800000) == 0x7f800000 per lane.
    LGET, ACC, LGET, R, LGET, MASK, ...simd(V128_AND), LGET, MASK, ...simd(I32X4_EQ), ...simd(V128_OR), LSET, ACC,
    LGET, I, I32C, 16, ADD, LSET, I,
    BR, 0, END, END,
    LGET, ACC, ...simd(ANY_TRUE),
    END,
  ];
  const body = [2, 1, I32, 4, V128, ...fn];
  return [...uleb(body.length), ...body];
}

/** The module's bytes: one function `sgd` (i32, i32, i32, f64) → i32 over an imported memory. */
export function simdSgdModuleBytes(): Uint8Array {
  return moduleBytes([[0x60, 4, I32, I32, I32, F64, 1, I32]], [0], ['sgd'], [sgdBody()]);
}

type SgdFn = (w: number, g: number, bytes: number, lr: number) => number;
let runtime: { sgd: SgdFn; mem: Float32Array } | null | undefined;

function getRuntime(): typeof runtime {
  if (runtime !== undefined) return runtime;
  runtime = null;
  if (!wasmApi) return runtime;
  try {
    const mem: WasmMemory = new wasmApi.Memory({ initial: Math.ceil((2 * SGD_CHUNK * 4) / 65536) });
    const inst = new wasmApi.Instance(new wasmApi.Module(simdSgdModuleBytes()), { env: { mem } });
    runtime = { sgd: inst.exports.sgd as SgdFn, mem: new Float32Array(mem.buffer) };
  } catch {
    // No wasm SIMD here: the JavaScript loop updates the weights.
  }
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
  const rt = getRuntime() as NonNullable<typeof runtime>;
  const mem = rt.mem, sgd = rt.sgd;
  const quad = size & ~3;
  const ws: Float32Array[] = [], gs: Float32Array[] = [], outs: Float32Array[] = [], starts: number[] = [];
  for (let s = 0; s < quad; s += SGD_CHUNK) {
    const e = Math.min(quad, s + SGD_CHUNK);
    ws.push(w.subarray(s, e));
    gs.push(g.subarray(s, e));
    outs.push(mem.subarray(0, e - s));
    starts.push(s);
  }
  const chunks = ws.length;
  return () => {
    let bad = 0;
    for (let c = 0; c < chunks; c++) {
      mem.set(ws[c], 0);
      mem.set(gs[c], SGD_CHUNK);
      bad |= sgd(0, SGD_CHUNK * 4, ws[c].length * 4, lr);
      w.set(outs[c], starts[c]);
    }
    // The last one to three weights, as the JavaScript loop does them.
    for (let i = quad; i < size; i++) {
      w[i] -= lr * g[i];
      if (!Number.isFinite(w[i])) bad = 1;
    }
    return bad === 0;
  };
}
