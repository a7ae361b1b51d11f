/**
 * The packed SIMD matrix product (GotoBLAS/BLIS style) that every big dense product runs on:
 * C (+)= op(A)·op(B) from operands repacked in the wasm memory so the micro-kernel reads both
 * sequentially, whatever their layout (A·B, Aᵀ·B, A·Bᵀ: the transposition is folded into the
 * packing).
 *
 * - A is packed in row panels of `rows` rows: panel q holds, for each depth p, its rows' values
 *   side by side ([panel][p][row], rows·k floats per panel, zero rows past m).
 * - B is packed per depth block of `kc` (the last one shorter) in column panels of `cols`
 *   columns: [block][panel][p][col] (zero columns past n), so one panel (kc·cols floats, 8 KiB
 *   at 256×8) stays in L1 while every row panel of A passes it, and A's block stays in L2.
 * - The micro-kernel keeps a rows×cols tile of C in f32x4 accumulators; each depth step loads
 *   cols/4 vectors of B's panel and splats one value of each row of A (v128.load32_splat), no
 *   horizontal sums. The first depth block starts from zero (or from C when accumulating), the
 *   next ones from C, so the caller's accumulate costs nothing.
 * - A `shuffle` tile reads its first four rows' values of A as one vector and spreads each with a
 *   lane shuffle. V8 issues a step's loads before its multiply-adds, so each splat holds a
 *   register until its row is done; with one vector for four rows, a 5×8 tile (10 accumulators,
 *   10 independent fused multiply-add chains) fits in the 15 registers V8 allocates without spilling.
 * - m need not be a multiple of the tile's rows: A's last panel is padded with zero rows, and the
 *   kernel loads and stores only C's rows below m, so C is always written in place.
 *
 * Each row of C depends only on its row of A and all of B, in a fixed order, so the helper
 * thread (simdPool.ts) can take whole row panels and the result is bit for bit the same.
 * The module is emitted here byte by byte (a few hundred bytes, no toolchain, nothing fetched).
 */
import { fmadd4, moduleBytes, tileRows, uleb } from './wasmBytes';

const LGET = 0x20, LSET = 0x21, LTEE = 0x22, I32C = 0x41, ADD = 0x6a, SUB = 0x6b, MUL = 0x6c, OR = 0x72, NE = 0x47, LTU = 0x49, GEU = 0x4f;
const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, ELSE = 0x05, BR = 0x0c, BRIF = 0x0d, END = 0x0b, VOID = 0x40, SELECT = 0x1b;
const I32 = 0x7f, V128 = 0x7b;
const vload = (offset: number): number[] => [0xfd, 0x00, 0x04, ...uleb(offset)];
const vstore = (offset: number): number[] => [0xfd, 0x0b, 0x04, ...uleb(offset)];
const vsplat = (offset: number): number[] => [0xfd, 0x09, 0x02, ...uleb(offset)];
const vzero = (): number[] => [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const fadd4 = (): number[] => [0xfd, 0xe4, 0x01];
const fmul4 = (): number[] => [0xfd, 0xe6, 0x01];
const sleb = (x: number): number[] => (x < 64 ? [x] : x < 8192 ? [(x & 0x7f) | 0x80, x >> 7] : [NaN]);

/** The micro-kernel's register tile: rows of C × cols (a multiple of 4), fused multiply-adds or not. */
export interface PackedTile { rows: number; cols: number; fma: boolean; unroll?: number; shuffle?: boolean }

// Params (bytes): a b c m k n kc ldc acc — n a multiple of cols; A's panels cover m rounded up to whole panels.
const A = 0, B = 1, C = 2, M = 3, K = 4, N = 5, KC = 6, LDC = 7, ACC = 8;

function body(tile: PackedTile): number[] {
  const { rows, cols, fma } = tile;
  const vecs = cols / 4, unroll = tile.unroll ?? 1;
  const PC = 9, KCB = 10, BB = 11, J = 12, PB0 = 13, I = 14, CT = 15, CR = 16, PA = 17, PB = 18, P = 19, LD = 20, KB = 21;
  const nI32 = 13;
  const ACC0 = 9 + nI32, B0 = ACC0 + rows * vecs, X = B0 + vecs, XV = X + 1;
  const spread = tile.shuffle ? 4 : 0;
  const lane = (r: number): number[] => [0, 1, 2, 3].flatMap(() => [4 * r, 4 * r + 1, 4 * r + 2, 4 * r + 3]);
  const acc = (r: number, v: number): number => ACC0 + r * vecs + v;
  const tileAt = { ct: CT, cr: CR, ldc: LDC }, below = { i: I, m: M };
  const code: number[] = [];
  const e = (...b: number[]): void => { code.push(...b); };
  const step = (u: number): void => {
    for (let v = 0; v < vecs; v++) e(LGET, PB, ...vload(u * cols * 4 + 16 * v), LSET, B0 + v);
    if (spread) e(LGET, PA, ...vload(u * rows * 4), LSET, XV);
    for (let r = 0; r < rows; r++) {
      if (r < spread) e(LGET, XV, LGET, XV, 0xfd, 0x0d, ...lane(r), LSET, X);
      else e(LGET, PA, ...vsplat(u * rows * 4 + 4 * r), LSET, X);
      for (let v = 0; v < vecs; v++) {
        if (fma) e(LGET, X, LGET, B0 + v, LGET, acc(r, v), ...fmadd4(), LSET, acc(r, v));
        else e(LGET, acc(r, v), LGET, X, LGET, B0 + v, ...fmul4(), ...fadd4(), LSET, acc(r, v));
      }
    }
  };
  const advance = (u: number): void => {
    e(LGET, PA, I32C, ...sleb(u * rows * 4), ADD, LSET, PA, LGET, PB, I32C, ...sleb(u * cols * 4), ADD, LSET, PB);
  };
  e(LGET, K, I32C, 4, MUL, LSET, KB);
  e(I32C, 0, LSET, PC);
  e(BLOCK, VOID, LOOP, VOID);
  e(LGET, PC, LGET, K, GEU, BRIF, 1);
  // kcb = min(kc, k − pc); B's block at b + pc·n·4; C is loaded when accumulating or past the first block.
  e(LGET, K, LGET, PC, SUB, LTEE, KCB, LGET, KC, LGET, KCB, LGET, KC, LTU, SELECT, LSET, KCB);
  e(LGET, B, LGET, PC, LGET, N, MUL, I32C, 4, MUL, ADD, LSET, BB);
  e(LGET, ACC, LGET, PC, I32C, 0, NE, OR, LSET, LD);
  e(I32C, 0, LSET, J);
  e(BLOCK, VOID, LOOP, VOID);
  e(LGET, J, LGET, N, GEU, BRIF, 1);
  e(LGET, BB, LGET, J, LGET, KCB, MUL, I32C, 4, MUL, ADD, LSET, PB0);
  e(I32C, 0, LSET, I);
  e(BLOCK, VOID, LOOP, VOID);
  e(LGET, I, LGET, M, GEU, BRIF, 1);
  e(LGET, C, LGET, I, LGET, LDC, MUL, ADD, LGET, J, I32C, 4, MUL, ADD, LSET, CT);
  e(LGET, LD, IF, VOID);
  e(...tileRows(tileAt, rows, vecs, acc, false, 4, below));
  e(ELSE);
  for (let t = 0; t < rows * vecs; t++) e(...vzero(), LSET, ACC0 + t);
  e(END);
  // pa = a + i·k·4 + pc·rows·4 (panel i/rows, depth pc); pb = the panel's start.
  e(LGET, A, LGET, I, LGET, KB, MUL, ADD, LGET, PC, I32C, ...sleb(rows * 4), MUL, ADD, LSET, PA);
  e(LGET, PB0, LSET, PB);
  if (unroll === 2) {
    e(LGET, KCB, I32C, 1, 0x71, IF, VOID);
    step(0); advance(1);
    e(END);
    e(LGET, KCB, I32C, 1, 0x76, LTEE, P, IF, VOID, LOOP, VOID);
    step(0); step(1); advance(2);
    e(LGET, P, I32C, 1, SUB, LTEE, P, BRIF, 0);
    e(END, END);
  } else {
    e(LGET, KCB, LSET, P);
    e(LOOP, VOID);
    step(0); advance(1);
    e(LGET, P, I32C, 1, SUB, LTEE, P, BRIF, 0);
    e(END);
  }
  e(...tileRows(tileAt, rows, vecs, acc, true, 4, below));
  e(LGET, I, I32C, rows, ADD, LSET, I, BR, 0, END, END);
  e(LGET, J, I32C, cols, ADD, LSET, J, BR, 0, END, END);
  e(LGET, PC, LGET, KC, ADD, LSET, PC, BR, 0, END, END);
  e(END);
  const fn = [2, nI32, I32, ...uleb(rows * vecs + vecs + 2), V128, ...code];
  return [...uleb(fn.length), ...fn];
}

/** The module's bytes: one function `gemmp(a, b, c, m, k, n, kc, ldc, acc)` over byte offsets. */
export function packedModuleBytes(tile: PackedTile, sharedMaxPages?: number): Uint8Array {
  return moduleBytes([[0x60, 9, ...new Array<number>(9).fill(I32), 0]], [0], ['gemmp'], [body(tile)], sharedMaxPages);
}

/**
 * The packing module: two functions over byte offsets, copying panels of an operand already
 * staged in the memory (zero padded to whole panels) into the kernel's order.
 * - prow(src, dst, panels, depth, ps, pstride, width): panel q, step p: `width` floats read
 *   contiguously at src + q·pstride + p·ps (B stored k×n, A stored k×m): v128 copies, then
 *   single floats for width mod 4.
 * - pcol(src, dst, panels, depth, cs, pstride, width): panel q, step p, column c: one float at
 *   src + q·pstride + c·cs + p·4 (B stored n×k, A stored m×k): a transposition in 4×4 blocks,
 *   then one float at a time for the columns past the last whole group of 4.
 * Depth is at least 1.
 */
function packBodies(): number[][] {
  const SRC = 0, DST = 1, PANELS = 2, DEPTH = 3, STRIDE = 4, PSTRIDE = 5, W = 6, Q = 7, S = 8, P = 9, V = 10, T = 11, WV = 12, WR = 13;
  const copy1 = [0x2a, 0x02, 0x00, 0x38, 0x02, 0x00]; // f32.load, f32.store (the addresses on the stack)
  const rowCode = [
    LGET, W, I32C, 2, 0x76, LSET, WV, LGET, W, I32C, 3, 0x71, LSET, WR,
    LGET, PANELS, LSET, Q, BLOCK, VOID, LGET, Q, 0x45, BRIF, 0, LOOP, VOID,
    LGET, SRC, LSET, S, LGET, DEPTH, LSET, P,
    LOOP, VOID,
    LGET, S, LSET, T,
    LGET, WV, LTEE, V, IF, VOID, LOOP, VOID,
    LGET, DST, LGET, T, ...vload(0), ...vstore(0),
    LGET, DST, I32C, 16, ADD, LSET, DST, LGET, T, I32C, 16, ADD, LSET, T,
    LGET, V, I32C, 1, SUB, LTEE, V, BRIF, 0, END, END,
    LGET, WR, LTEE, V, IF, VOID, LOOP, VOID,
    LGET, DST, LGET, T, ...copy1,
    LGET, DST, I32C, 4, ADD, LSET, DST, LGET, T, I32C, 4, ADD, LSET, T,
    LGET, V, I32C, 1, SUB, LTEE, V, BRIF, 0, END, END,
    LGET, S, LGET, STRIDE, ADD, LSET, S,
    LGET, P, I32C, 1, SUB, LTEE, P, BRIF, 0, END,
    LGET, SRC, LGET, PSTRIDE, ADD, LSET, SRC,
    LGET, Q, I32C, 1, SUB, LTEE, Q, BRIF, 0, END, END, END,
  ];
  // pcol: per panel, per group of 4 columns, 4×4 blocks transposed with shuffles (4 depth steps
  // at a time, a scalar tail for depth mod 4), then the columns past the last group one float at
  // a time: dst0 + (p·width + c)·4 ← src + c·cs + p·4.
  const C4 = 10, D = 11, WB = 12, CS2 = 13, CS3 = 14, W4 = 15, R0 = 16, T0 = 20;
  const shuf = (x: number, y: number, lanes: number[]): number[] => [LGET, x, LGET, y, 0xfd, 0x0d, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])];
  const block4: number[] = [];
  for (let i = 0; i < 4; i++) block4.push(LGET, S, ...(i === 0 ? [] : i === 1 ? [LGET, STRIDE, ADD] : [LGET, i === 2 ? CS2 : CS3, ADD]), ...vload(0), LSET, R0 + i);
  block4.push(...shuf(R0, R0 + 1, [0, 4, 1, 5]), LSET, T0, ...shuf(R0 + 2, R0 + 3, [0, 4, 1, 5]), LSET, T0 + 1);
  block4.push(...shuf(R0, R0 + 1, [2, 6, 3, 7]), LSET, T0 + 2, ...shuf(R0 + 2, R0 + 3, [2, 6, 3, 7]), LSET, T0 + 3);
  const outs: [number, number, number[]][] = [[T0, T0 + 1, [0, 1, 4, 5]], [T0, T0 + 1, [2, 3, 6, 7]], [T0 + 2, T0 + 3, [0, 1, 4, 5]], [T0 + 2, T0 + 3, [2, 3, 6, 7]]];
  outs.forEach(([x, y, l], t) => block4.push(LGET, D, ...(t ? [LGET, WB, I32C, t, MUL, ADD] : []), ...shuf(x, y, l), ...vstore(0)));
  block4.push(LGET, S, I32C, 16, ADD, LSET, S, LGET, D, LGET, WB, I32C, 2, 0x74, ADD, LSET, D);
  const tail: number[] = [];
  for (let i = 0; i < 4; i++) tail.push(LGET, D, LGET, S, ...(i === 0 ? [] : i === 1 ? [LGET, STRIDE, ADD] : [LGET, i === 2 ? CS2 : CS3, ADD]), 0x2a, 0x02, 0x00, 0x38, 0x02, ...uleb(4 * i));
  tail.push(LGET, S, I32C, 4, ADD, LSET, S, LGET, D, LGET, WB, ADD, LSET, D);
  const cursors = [LGET, SRC, LGET, C4, LGET, STRIDE, MUL, ADD, LSET, S, LGET, DST, LGET, C4, I32C, 4, MUL, ADD, LSET, D];
  const colCode = [
    LGET, W, I32C, 4, MUL, LSET, WB, LGET, STRIDE, I32C, 1, 0x74, LSET, CS2, LGET, CS2, LGET, STRIDE, ADD, LSET, CS3,
    LGET, W, I32C, 0x7c, 0x71, LSET, W4,
    LGET, PANELS, LSET, Q, BLOCK, VOID, LGET, Q, 0x45, BRIF, 0, LOOP, VOID,
    I32C, 0, LSET, C4,
    BLOCK, VOID, LOOP, VOID,
    LGET, C4, LGET, W4, GEU, BRIF, 1,
    ...cursors,
    LGET, DEPTH, I32C, 2, 0x76, LTEE, P, IF, VOID, LOOP, VOID,
    ...block4,
    LGET, P, I32C, 1, SUB, LTEE, P, BRIF, 0, END, END,
    LGET, DEPTH, I32C, 3, 0x71, LTEE, P, IF, VOID, LOOP, VOID,
    ...tail,
    LGET, P, I32C, 1, SUB, LTEE, P, BRIF, 0, END, END,
    LGET, C4, I32C, 4, ADD, LSET, C4, BR, 0, END, END,
    BLOCK, VOID, LOOP, VOID,
    LGET, C4, LGET, W, GEU, BRIF, 1,
    ...cursors,
    LGET, DEPTH, LSET, P, LOOP, VOID,
    LGET, D, LGET, S, ...copy1,
    LGET, S, I32C, 4, ADD, LSET, S, LGET, D, LGET, WB, ADD, LSET, D,
    LGET, P, I32C, 1, SUB, LTEE, P, BRIF, 0, END,
    LGET, C4, I32C, 1, ADD, LSET, C4, BR, 0, END, END,
    LGET, DST, LGET, DEPTH, LGET, WB, MUL, ADD, LSET, DST,
    LGET, SRC, LGET, PSTRIDE, ADD, LSET, SRC,
    LGET, Q, I32C, 1, SUB, LTEE, Q, BRIF, 0, END, END, END,
  ];
  const fn = (locals: number[], c: number[]): number[] => { const f = [...locals, ...c]; return [...uleb(f.length), ...f]; };
  return [fn([1, 7, I32], rowCode), fn([2, 9, I32, 8, V128], colCode)];
}

/** The packing module's bytes (prow, pcol). */
export function packModuleBytes(sharedMaxPages?: number): Uint8Array {
  return moduleBytes([[0x60, 7, ...new Array<number>(7).fill(I32), 0]], [0, 0], ['prow', 'pcol'], packBodies(), sharedMaxPages);
}
