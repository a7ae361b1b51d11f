/**
 * What the optimizer updates in WebAssembly SIMD (simdSgd.ts, simdMomentum.ts, simdAdam.ts,
 * simdRmsprop.ts) share: the opcodes they emit, the shape of an update function (a loop over the
 * chunk that ORs each stored weight's "exponent bits all ones" test into one flag, so the update
 * reports NaN/Inf without a second pass), a module instantiated once over a memory of its own
 * and once over the products' memory, and the pass over a step's tensors: in place where they are
 * CPU buffers resident in the products' memory (simdArena.ts), else copied through the module's
 * own memory a chunk at a time (the copies were ~3% of a wide network's step).
 */
import { residentModule, residentOffset } from './simdMatmul';
import { wasmApi, type WasmMemory } from './wasmApi';
import { moduleBytes, uleb } from './wasmBytes';

export const LGET = 0x20, LSET = 0x21, LTEE = 0x22, I32C = 0x41, ADD = 0x6a, GEU = 0x4f;
export const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BRIF = 0x0d, END = 0x0b, VOID = 0x40, I32 = 0x7f, F64 = 0x7c, V128 = 0x7b;
/** A SIMD instruction's prefix and opcode. */
export const simd = (op: number): number[] => [0xfd, ...uleb(op)];
export const V128_STORE = 0x0b, SHUFFLE = 0x0d, I32X4_SPLAT = 0x11, F64X2_SPLAT = 0x14, I32X4_EQ = 0x37;
export const V128_AND = 0x4e, V128_OR = 0x50, ANY_TRUE = 0x53, STORE64_LANE = 0x5b, LOAD64_ZERO = 0x5d, DEMOTE = 0x5e, PROMOTE = 0x5f;
export const F64X2_SQRT = 0xef, F64X2_ADD = 0xf0, F64X2_SUB = 0xf1, F64X2_MUL = 0xf2, F64X2_DIV = 0xf3;

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

/** Local indexes an update loop uses: the byte counter, the chunk's byte length, the NaN/Inf flag, the exponent mask, the stored vector. */
export interface LoopLocals {
  i: number;
  n: number;
  acc: number;
  mask: number;
  r: number;
}

/** f64x2.splat of the f64 param `from` into the v128 local `to`. */
export const splat = (from: number, to: number): number[] => [LGET, from, ...simd(F64X2_SPLAT), LSET, to];

/**
 * An update function's body (with its locals: one i32, then `v128s` v128s): `setup`, then for i
 * from 0 by `stride` bytes below n, `turn` (which stores the updated weights, the last in local r),
 * then acc |= (r & 0x7f800000) == 0x7f800000 per lane; returns any lane of acc set (1: some weight
 * written is NaN or ±Inf).
 */
export function updateFunction(l: LoopLocals, v128s: number, setup: number[], turn: number[], stride: number): number[] {
  const fn = [
    ...setup,
    I32C, ...sleb(0x7f800000), ...simd(I32X4_SPLAT), LSET, l.mask,
    I32C, 0, LSET, l.i,
    BLOCK, VOID, LOOP, VOID,
    LGET, l.i, LGET, l.n, GEU, BRIF, 1,
    ...turn,
    LGET, l.acc, LGET, l.r, LGET, l.mask, ...simd(V128_AND), LGET, l.mask, ...simd(I32X4_EQ), ...simd(V128_OR), LSET, l.acc,
    LGET, l.i, I32C, stride, ADD, LSET, l.i,
    BR, 0, END, END,
    LGET, l.acc, ...simd(ANY_TRUE),
    END,
  ];
  const body = [2, 1, I32, v128s, V128, ...fn];
  return [...uleb(body.length), ...body];
}

/** Update functions of one signature (params `params`, result i32) over an imported memory (shared, of at most `maxPages`, when given). */
export function updateModuleBytes(params: number[], names: string[], bodies: number[][], maxPages?: number): Uint8Array {
  return moduleBytes([[0x60, params.length, ...params, 1, I32]], names.map(() => 0), names, bodies, maxPages);
}

/** A module's exports over its own memory, a view of that memory (room for `floats` floats), and the module's bytes (for the products' memory too). */
export interface UpdateRuntime {
  exports: Record<string, unknown>;
  mem: Float32Array;
  bytes: (maxPages?: number) => Uint8Array;
}

/** Instantiates an update module over a memory of its own, or null without wasm SIMD (the JavaScript loops run). */
export function instantiateUpdate(bytes: (maxPages?: number) => Uint8Array, floats: number): UpdateRuntime | null {
  if (!wasmApi) return null;
  try {
    const mem: WasmMemory = new wasmApi.Memory({ initial: Math.ceil((floats * 4) / 65536) });
    const inst = new wasmApi.Instance(new wasmApi.Module(bytes()), { env: { mem } });
    return { exports: inst.exports, mem: new Float32Array(mem.buffer), bytes };
  } catch {
    return null;
  }
}

/** An update call: the module's functions (over one memory or the other), the byte offset of each array there, the bytes to do. */
export type UpdateCall = (fns: Record<string, unknown>, at: number[], bytes: number) => number;

/**
 * A pass over the first `end` floats of `arrays` (the arrays listed in `written` are updated).
 * Where every array lies in the products' memory, `update` runs once on them in place. Otherwise
 * a chunk of `chunk` floats at a time (the views made once): each chunk of array k is copied to
 * the module's own memory at k·chunk floats, `update` runs on it, and the written arrays are
 * copied back. The pass returns the OR of the updates' answers (non-zero: some weight written is
 * NaN or ±Inf).
 */
export function updatePass(rt: UpdateRuntime, chunk: number, arrays: Float32Array[], written: number[], end: number): (update: UpdateCall) => number {
  const at = arrays.map(residentOffset);
  const fns = at.every((o) => o >= 0) ? residentModule(rt.bytes) : null;
  if (fns) return (update) => (end > 0 ? update(fns, at, end * 4) : 0);
  const { mem } = rt;
  const own = arrays.map((_, k) => k * chunk * 4);
  const parts: { src: Float32Array[]; out: Float32Array[]; start: number; bytes: number }[] = [];
  for (let s = 0; s < end; s += chunk) {
    const e = Math.min(end, s + chunk);
    parts.push({ src: arrays.map((a) => a.subarray(s, e)), out: written.map((k) => mem.subarray(k * chunk, k * chunk + e - s)), start: s, bytes: (e - s) * 4 });
  }
  return (update) => {
    let bad = 0;
    for (const p of parts) {
      for (let k = 0; k < arrays.length; k++) mem.set(p.src[k], k * chunk);
      bad |= update(rt.exports, own, p.bytes);
      for (let k = 0; k < written.length; k++) arrays[written[k]].set(p.out[k], p.start);
    }
    return bad;
  };
}
