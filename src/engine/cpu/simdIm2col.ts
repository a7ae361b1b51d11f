/**
 * im2col and col2im in WebAssembly SIMD over the strided product's memory (simdGemm.ts): each
 * kernel cell is a run of c floats, 4 at a time with f32x4 loads and stores (then one at a
 * time) instead of one at a time in JavaScript (about 3–4× faster measured at 4+ channels, and
 * still faster at one).
 *
 * A table, built when a kernel is prepared, gives for each output pixel of one image and each
 * kernel cell (ky, kx) the byte offset of its first channel in the image, or −1 in the padding.
 * The image (or its gradient) and the table are copied into the memory each step.
 *
 * - im2col(x, col, stride, tab, cells, c, p0, p1, ohw, img): rows p0…p1−1 of the column matrix.
 * - col2im(dx, col, stride, tab, cells, c, p0, p1, ohw, img): adds them back onto dx.
 * Addresses, `stride` (between rows) and `img` (between images) in bytes; c floats per cell.
 */
import type { Window2D } from '../backend';
import { simdGemmCompanion } from './simdGemm';
import { moduleBytes, uleb } from './wasmBytes';

const LGET = 0x20, LSET = 0x21, LTEE = 0x22, I32C = 0x41, ADD = 0x6a, SUB = 0x6b, MUL = 0x6c, DIVU = 0x6e;
const GEU = 0x4f, LTS = 0x48, LTU = 0x49, EQZ = 0x45;
const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, ELSE = 0x05, BR = 0x0c, BRIF = 0x0d, END = 0x0b, VOID = 0x40;
const I32LOAD = 0x28, F32LOAD = 0x2a, F32STORE = 0x38, F32ADD = 0x92, F32C = 0x43, I32 = 0x7f;
const vload = (): number[] => [0xfd, 0x00, 0x02, 0x00];
const vstore = (): number[] => [0xfd, 0x0b, 0x02, 0x00];
const vzero = (): number[] => [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const fadd4 = (): number[] => [0xfd, 0xe4, 0x01];

// Params: x col stride tab cells c p0 p1 ohw img; locals: p n xb t d cell s k.
const X = 0, COL = 1, STRIDE = 2, TAB = 3, CELLS = 4, CH = 5, P0 = 6, P1 = 7, OHW = 8, IMG = 9;
const P = 10, NN = 11, XB = 12, T = 13, D = 14, CELL = 15, S = 16, K = 17;

/** `body` runs once per c-float run: 4 floats while k ≥ 4, then one at a time. */
function runLoop(vec: number[], scalar: number[], advance: number[]): number[] {
  return [
    LGET, CH, LSET, K,
    BLOCK, VOID, LOOP, VOID, LGET, K, I32C, 4, LTU, BRIF, 1, ...vec, ...advance.flatMap((l) => [LGET, l, I32C, 16, ADD, LSET, l]),
    LGET, K, I32C, 4, SUB, LSET, K, BR, 0, END, END,
    BLOCK, VOID, LOOP, VOID, LGET, K, EQZ, BRIF, 1, ...scalar, ...advance.flatMap((l) => [LGET, l, I32C, 4, ADD, LSET, l]),
    LGET, K, I32C, 1, SUB, LSET, K, BR, 0, END, END,
  ];
}

function body(adjoint: boolean): number[] {
  const code: number[] = [];
  const e = (...b: number[]): void => { code.push(...b); };
  e(LGET, P0, LSET, P);
  e(BLOCK, VOID, LOOP, VOID);
  e(LGET, P, LGET, P1, GEU, BRIF, 1);
  // n = p / ohw; xb = x + n·img; t = tab + (p − n·ohw)·cells·4; d = col + (p − p0)·stride.
  e(LGET, P, LGET, OHW, DIVU, LSET, NN);
  e(LGET, X, LGET, NN, LGET, IMG, MUL, ADD, LSET, XB);
  e(LGET, TAB, LGET, P, LGET, NN, LGET, OHW, MUL, SUB, LGET, CELLS, MUL, I32C, 4, MUL, ADD, LSET, T);
  e(LGET, COL, LGET, P, LGET, P0, SUB, LGET, STRIDE, MUL, ADD, LSET, D);
  e(LGET, CELLS, LSET, CELL);
  e(LOOP, VOID);
  e(LGET, T, I32LOAD, 0x02, 0x00, LTEE, S, I32C, 0, LTS, IF, VOID);
  if (adjoint) {
    // Padding: nothing to add back; skip the run.
    e(LGET, D, LGET, CH, I32C, 4, MUL, ADD, LSET, D);
  } else {
    e(...runLoop([LGET, D, ...vzero(), ...vstore()], [LGET, D, F32C, 0, 0, 0, 0, F32STORE, 0x02, 0x00], [D]));
  }
  e(ELSE);
  e(LGET, XB, LGET, S, ADD, LSET, S);
  if (adjoint) {
    e(...runLoop(
      [LGET, S, LGET, S, ...vload(), LGET, D, ...vload(), ...fadd4(), ...vstore()],
      [LGET, S, LGET, S, F32LOAD, 0x02, 0x00, LGET, D, F32LOAD, 0x02, 0x00, F32ADD, F32STORE, 0x02, 0x00],
      [D, S],
    ));
  } else {
    e(...runLoop(
      [LGET, D, LGET, S, ...vload(), ...vstore()],
      [LGET, D, LGET, S, F32LOAD, 0x02, 0x00, F32STORE, 0x02, 0x00],
      [D, S],
    ));
  }
  e(END);
  e(LGET, T, I32C, 4, ADD, LSET, T);
  e(LGET, CELL, I32C, 1, SUB, LTEE, CELL, BRIF, 0);
  e(END);
  e(LGET, P, I32C, 1, ADD, LSET, P, BR, 0, END, END);
  e(END);
  const fn = [1, 8, I32, ...code];
  return [...uleb(fn.length), ...fn];
}

/** The module's bytes: `im2col` and `col2im`, ten i32 parameters each. */
export function simdIm2colModuleBytes(): Uint8Array {
  return moduleBytes([[0x60, 10, ...new Array<number>(10).fill(I32), 0]], [0, 0], ['im2col', 'col2im'], [body(false), body(true)]);
}

type Fn = (x: number, col: number, stride: number, tab: number, cells: number, c: number, p0: number, p1: number, ohw: number, img: number) => void;
let fns: { im2col: Fn; col2im: Fn } | null | undefined;

function getFns(): typeof fns {
  if (fns !== undefined) return fns;
  const ex = simdGemmCompanion(simdIm2colModuleBytes());
  fns = ex ? { im2col: ex.im2col as Fn, col2im: ex.col2im as Fn } : null;
  return fns;
}

/** Whether the wasm lowering can run here. */
export function simdIm2colAvailable(): boolean {
  return getFns() !== null;
}

/** The table of one image's (pixel, kernel cell) → byte offset in the image, −1 in the padding. */
export function im2colTable(g: Window2D): Int32Array {
  const { h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow } = g;
  const tab = new Int32Array(oh * ow * kh * kw);
  let i = 0;
  for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
    const iy = oy * sh - padTop + ky, ix = ox * sw - padLeft + kx;
    tab[i++] = iy >= 0 && iy < h && ix >= 0 && ix < w ? (iy * w + ix) * c * 4 : -1;
  }
  return tab;
}

/**
 * Rows p0…p1−1 of the column matrix of the images at float offset `x` into `col` (rows `stride`
 * floats apart), with the table at float offset `tab` — all in the strided product's memory.
 */
export function simdIm2col(x: number, col: number, stride: number, tab: number, g: Window2D, p0: number, p1: number): void {
  (getFns() as NonNullable<typeof fns>).im2col(x * 4, col * 4, stride * 4, tab * 4, g.kh * g.kw, g.c, p0, p1, g.oh * g.ow, g.h * g.w * g.c * 4);
}

/** The adjoint: adds rows p0…p1−1 of `col` back onto the image gradient at float offset `dx`. */
export function simdCol2im(dx: number, col: number, stride: number, tab: number, g: Window2D, p0: number, p1: number): void {
  (getFns() as NonNullable<typeof fns>).col2im(dx * 4, col * 4, stride * 4, tab * 4, g.kh * g.kw, g.c, p0, p1, g.oh * g.ow, g.h * g.w * g.c * 4);
}
