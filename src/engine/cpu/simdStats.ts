/**
 * The two passes of a layer's statistics (layerStats.ts tensorStats) in WebAssembly SIMD, over a
 * CPU buffer where it lies in the products' memory (simdArena.ts): no copy. A wide network's
 * 'layers' event reads 4M weights and gradients; in JavaScript the passes cost ~30 ns a float
 * (unpredictable min/max branches, a double division per bin), here ~4.
 *
 * Both work lane by lane exactly as the JavaScript loops do (lane k takes floats 4i + k), so
 * tensorStats gives the same numbers whichever runs:
 * - moments(ptr, bytes, out): per lane, the sum and the sum of squares in doubles (f64x2 of the
 *   promoted floats) and the extremes (pmin/pmax: a NaN never replaces them); written at `out`
 *   as [sum lanes 0-1, 2-3][squares 0-1, 2-3] (f64) then [min ×4][max ×4] (f32).
 * - hist(ptr, bytes, min, scale, last, bins, pairs): bin = trunc(min(last, (x − min)·scale)) in
 *   doubles (pmin sends NaN to the last bin, as the JavaScript does). Each vector's four bins
 *   count as two pairs, pairs[b0·bins + b1]++ for lanes 0-1 and the same in a second table for
 *   lanes 2-3 (i32 at `pairs`): two increments a vector, not four (the increments, a lane's move
 *   to a scalar register then a load and a store, were 90% of the pass). The caller folds the
 *   pairs into bins.
 * The caller runs the few floats past the last whole vector.
 */
import { residentModule, residentOffset, residentScratch } from './simdMatmul';
import { moduleBytes, uleb } from './wasmBytes';

const LGET = 0x20, LSET = 0x21, I32C = 0x41, ADD = 0x6a, LTU = 0x49, BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BRIF = 0x0d, END = 0x0b, VOID = 0x40;
const I32 = 0x7f, F64 = 0x7c, V128 = 0x7b;
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const load = (): number[] => [...simd(0x00), 4, 0];
const store = (offset: number): number[] => [...simd(0x0b), 4, ...uleb(offset)];
const const4 = (bytes: number[]): number[] => [...simd(0x0c), ...bytes];
const f32Bytes = (x: number): number[] => Array.from(new Uint8Array(Float32Array.of(x).buffer));
const i32Bytes = (x: number): number[] => Array.from(new Uint8Array(Int32Array.of(x).buffer));
/** i8x16.shuffle moving float lanes 2, 3 to 0, 1. */
const HIGH_HALF = [...simd(0x0d), 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
/** i8x16.shuffle of the low halves of two vectors: (a0, a1, b0, b1). */
const LOWS = [...simd(0x0d), 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
const PROMOTE = 0x5f, F64_ADD = 0xf0, F64_SUB = 0xf1, F64_MUL = 0xf2, F64_PMIN = 0xf6, F32_PMIN = 0xea, F32_PMAX = 0xeb;
const F64_SPLAT = 0x14, I32_SPLAT = 0x11, TRUNC_F64 = 0xfc, I32_ADD = 0xae, I32_MUL = 0xb5, EXTRACT_I64 = 0x1d, REPLACE_I32 = 0x1c, V128_AND_OP = 0x4e;
/** i8x16.shuffle swapping i32 lanes 0↔1 and 2↔3. */
const SWAP_PAIRS = [...simd(0x0d), 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11];

/** A loop over i from `ptr` by 16 bytes below ptr + bytes (locals i and end), running `turn` on v = load(i). */
function loop16(ptr: number, bytes: number, i: number, end: number, v: number, turn: number[]): number[] {
  return [
    LGET, ptr, LSET, i, LGET, ptr, LGET, bytes, ADD, LSET, end,
    BLOCK, VOID, LOOP, VOID,
    LGET, i, LGET, end, LTU, 0x45, BRIF, 1,
    LGET, i, ...load(), LSET, v,
    ...turn,
    LGET, i, I32C, 16, ADD, LSET, i, BR, 0, END, END,
  ];
}

function momentsBody(): number[] {
  const PTR = 0, BYTES = 1, OUT = 2, I = 3, E = 4, V = 5, S01 = 6, S23 = 7, Q01 = 8, Q23 = 9, LO = 10, HI = 11, P = 12;
  // Lanes 0-1 (high false) or 2-3 of v, promoted to doubles: s += p, q += p·p.
  const acc = (s: number, q: number, high: boolean): number[] => [
    LGET, V, ...(high ? [LGET, V, ...HIGH_HALF] : []), ...simd(PROMOTE), LSET, P,
    LGET, s, LGET, P, ...simd(F64_ADD), LSET, s,
    LGET, q, LGET, P, LGET, P, ...simd(F64_MUL), ...simd(F64_ADD), LSET, q,
  ];
  const turn = [
    LGET, LO, LGET, V, ...simd(F32_PMIN), LSET, LO,
    LGET, HI, LGET, V, ...simd(F32_PMAX), LSET, HI,
    ...acc(S01, Q01, false),
    ...acc(S23, Q23, true),
  ];
  const code = [
    ...const4([0, 1, 2, 3].flatMap(() => f32Bytes(Infinity))), LSET, LO,
    ...const4([0, 1, 2, 3].flatMap(() => f32Bytes(-Infinity))), LSET, HI,
    ...loop16(PTR, BYTES, I, E, V, turn),
    ...[S01, S23, Q01, Q23, LO, HI].flatMap((l, k) => [LGET, OUT, LGET, l, ...store(16 * k)]),
    END,
  ];
  const fn = [2, 2, I32, 8, V128, ...code];
  return [...uleb(fn.length), ...fn];
}

function histBody(): number[] {
  const PTR = 0, BYTES = 1, MIN = 2, SCALE = 3, LAST = 4, BINS = 5, PAIRS = 6, I = 7, E = 8, A = 9, V = 10, VMIN = 11, VSC = 12, VLAST = 13, MUL = 14, OFF = 15, X = 16;
  // The bins of lanes 0-1 (high false) or 2-3, in the low two i32 lanes.
  const bins = (high: boolean): number[] => [
    LGET, VLAST,
    LGET, V, ...(high ? [LGET, V, ...HIGH_HALF] : []), ...simd(PROMOTE), LGET, VMIN, ...simd(F64_SUB), LGET, VSC, ...simd(F64_MUL),
    ...simd(F64_PMIN), ...simd(TRUNC_F64),
  ];
  const turn = [
    // x = (b0, b1, b2, b3)·(4·bins, 4, 4·bins, 4); x + x's lanes swapped in pairs: lane 0 the byte
    // offset of pair (b0, b1), lane 2 of (b2, b3), plus the second table's offset.
    ...bins(false), ...bins(true), ...LOWS, LGET, MUL, ...simd(I32_MUL), LSET, X,
    LGET, X, LGET, X, LGET, X, ...SWAP_PAIRS, ...simd(I32_ADD), LGET, OFF, ...simd(I32_ADD), LSET, X,
    ...[0, 1].flatMap((h) => [
      LGET, PAIRS, LGET, X, ...simd(EXTRACT_I64), h, 0xa7, ADD, LSET, A,
      LGET, A, LGET, A, 0x28, 2, 0, I32C, 1, ADD, 0x36, 2, 0,
    ]),
  ];
  const code = [
    LGET, MIN, ...simd(F64_SPLAT), LSET, VMIN, LGET, SCALE, ...simd(F64_SPLAT), LSET, VSC, LGET, LAST, ...simd(F64_SPLAT), LSET, VLAST,
    LGET, BINS, I32C, 2, 0x74, ...simd(I32_SPLAT), ...const4([-1, 0, -1, 0].flatMap(i32Bytes)), ...simd(V128_AND_OP),
    ...const4([0, 4, 0, 4].flatMap(i32Bytes)), ...simd(I32_ADD), LSET, MUL,
    // OFF = (0, 0, bins²·4, 0)
    ...const4([0, 0, 0, 0].flatMap(i32Bytes)), LGET, BINS, LGET, BINS, 0x6c, I32C, 2, 0x74, ...simd(REPLACE_I32), 2, LSET, OFF,
    ...loop16(PTR, BYTES, I, E, V, turn),
    END,
  ];
  const fn = [2, 3, I32, 7, V128, ...code];
  return [...uleb(fn.length), ...fn];
}

/** The module's bytes: moments(ptr, bytes, out) and hist(ptr, bytes, min, scale, last, bins, pairs), over a shared memory of at most `maxPages`. */
export function statsModuleBytes(maxPages?: number): Uint8Array {
  return moduleBytes([[0x60, 3, I32, I32, I32, 0], [0x60, 7, I32, I32, F64, F64, F64, I32, I32, 0]], [0, 1], ['moments', 'hist'], [momentsBody(), histBody()], maxPages);
}

type Moments = (ptr: number, bytes: number, out: number) => void;
type Hist = (ptr: number, bytes: number, min: number, scale: number, last: number, bins: number, pairs: number) => void;
const statsFns = (): { moments: Moments; hist: Hist } | null => residentModule(statsModuleBytes) as { moments: Moments; hist: Hist } | null;

/** Per-lane partial results of the first `done` floats (a multiple of 4). */
export interface LaneMoments { done: number; sum: number[]; sq: number[]; min: number[]; max: number[] }

/** The moments pass over `a`'s whole vectors, or undefined where `a` is not in the products' memory (or there is no wasm SIMD). */
export function simdMoments(a: Float32Array): LaneMoments | undefined {
  const at = residentOffset(a), f = at >= 0 ? statsFns() : null;
  const out = f ? residentScratch() : null;
  if (!f || !out) return undefined;
  const done = a.length & ~3;
  f.moments(at, done * 4, out.byteOffset);
  const d = new Float64Array(out.buffer, out.byteOffset, 8), x = new Float32Array(out.buffer, out.byteOffset + 64, 8);
  return { done, sum: [d[0], d[1], d[2], d[3]], sq: [d[4], d[5], d[6], d[7]], min: Array.from(x.subarray(0, 4)), max: Array.from(x.subarray(4, 8)) };
}

/** The most bins the pair tables serve (2·bins² counters); past it the JavaScript counts. */
const MAX_PAIR_BINS = 64;

/**
 * The histogram pass over `a`'s whole vectors, added to `counts` (tensorStats's 4 lanes a bin:
 * each pair's count goes to lane 0 of its first bin and lane 1 of its second): returns how many
 * floats it took (0 where simdMoments would say undefined, or past MAX_PAIR_BINS bins).
 */
export function simdHistogram(a: Float32Array, min: number, scale: number, last: number, counts: Int32Array): number {
  const bins = last + 1, at = bins <= MAX_PAIR_BINS ? residentOffset(a) : -1, f = at >= 0 ? statsFns() : null;
  const out = f ? residentScratch(2 * bins * bins) : null;
  if (!f || !out) return 0;
  const done = a.length & ~3;
  const pairs = new Int32Array(out.buffer, out.byteOffset, 2 * bins * bins);
  pairs.fill(0);
  f.hist(at, done * 4, min, scale, last, bins, out.byteOffset);
  for (let t = 0; t < 2; t++) {
    for (let b0 = 0; b0 < bins; b0++) {
      for (let b1 = 0; b1 < bins; b1++) {
        const v = pairs[(t * bins + b0) * bins + b1];
        counts[4 * b0] += v;
        counts[4 * b1 + 1] += v;
      }
    }
  }
  return done;
}
