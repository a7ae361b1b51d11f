/**
 * 2×2 max pooling of stride 2 (the common one: every window inside the image) and its gradient
 * in WebAssembly SIMD, four channels at a time, for images of a channel count divisible by 4.
 * The JavaScript kernels of cpuPool.ts take 4–5 ns a float read over a conv layer's output;
 * here, copies into and out of the strided product's memory (simdGemm.ts) included, about 1.
 *
 * The results are cpuPool.ts's bit for bit: the forward is max(max(a, b), max(c, d)) (NaN
 * propagates as Math.max does, max(−0, +0) = +0); the gradient goes to the first largest cell in
 * scan order (a, b, c, d with strict >, as there), added onto dX (dX = 0 first unless
 * accumulating) and every other cell left as it was.
 *
 * The batch goes through the memory a few images at a time (CHUNK_FLOATS of input per chunk).
 */
import type { Runnable, Window2D } from '../backend';
import { simdGemmCompanion, simdGemmMemory } from './simdGemm';
import { moduleBytes, uleb } from './wasmBytes';

const LGET = 0x20, LSET = 0x21, LTEE = 0x22, I32C = 0x41, ADD = 0x6a, MUL = 0x6c;
const LOOP = 0x03, BRIF = 0x0d, END = 0x0b, VOID = 0x40, I32 = 0x7f, V128 = 0x7b;
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const vload = (offset = 0): number[] => [...simd(0x00), 0x04, ...uleb(offset)];
const vstore = (): number[] => [...simd(0x0b), 0x04, 0x00];
const F32X4_GT = 0x44, V128_NOT = 0x4d, V128_ANDNOT = 0x4f, V128_OR = 0x50, V128_BITSELECT = 0x52, F32X4_ADD = 0xe4, F32X4_MAX = 0xe9;

/** Floats of input per chunk: 32768 (128 KiB), or one image when an image is bigger. */
const CHUNK_FLOATS = 32768;

// Params (bytes but the counts): x y dx imgs oh ow row cb img; locals: i32 n oy ox ch p q t1 t2, v128 a b c d m1 m2 m3 g.
const X = 0, Y = 1, DX = 2, IMGS = 3, OH = 4, OW = 5, ROW = 6, CB = 7, IMG = 8;
const N = 9, OY = 10, OX = 11, CH = 12, PP = 13, Q = 14, T1 = 15, T2 = 16;
const A = 17, B = 18, C = 19, D = 20, M1 = 21, M2 = 22, M3 = 23, G = 24;

/**
 * The loops over images, output rows, output columns and 16-byte channel groups; `cell` runs
 * with p = the window's first cell's byte address in X (relative), q = the output's (in Y / dY).
 */
function loops(cell: number[]): number[] {
  const code = [
    I32C, 0, LSET, N, I32C, 0, LSET, Q,
    LOOP, VOID,
    I32C, 0, LSET, OY,
    LOOP, VOID,
    // p = n·img + 2·oy·row
    LGET, N, LGET, IMG, MUL, LGET, OY, LGET, OY, ADD, LGET, ROW, MUL, ADD, LSET, PP,
    I32C, 0, LSET, OX,
    LOOP, VOID,
    I32C, 0, LSET, CH,
    LOOP, VOID,
    ...cell,
    LGET, PP, I32C, 16, ADD, LSET, PP, LGET, Q, I32C, 16, ADD, LSET, Q,
    LGET, CH, I32C, 16, ADD, LTEE, CH, LGET, CB, 0x49, BRIF, 0, END, // ch < cb (i32.lt_u)
    LGET, PP, LGET, CB, ADD, LSET, PP, // skip the window's second column
    LGET, OX, I32C, 1, ADD, LTEE, OX, LGET, OW, 0x49, BRIF, 0, END,
    LGET, OY, I32C, 1, ADD, LTEE, OY, LGET, OH, 0x49, BRIF, 0, END,
    LGET, N, I32C, 1, ADD, LTEE, N, LGET, IMGS, 0x49, BRIF, 0, END,
    END,
  ];
  const body = [2, 8, I32, 8, V128, ...code];
  return [...uleb(body.length), ...body];
}

/** The four cells of the window at p (x + p): a, b (next column), c (next row), d. */
const loadCells = (): number[] => [
  LGET, X, LGET, PP, ADD, LTEE, T1, ...vload(), LSET, A,
  LGET, T1, LGET, CB, ADD, ...vload(), LSET, B,
  LGET, T1, LGET, ROW, ADD, ...vload(), LSET, C,
  LGET, T1, LGET, ROW, ADD, LGET, CB, ADD, ...vload(), LSET, D,
];

function forward(): number[] {
  return loops([
    ...loadCells(),
    LGET, Y, LGET, Q, ADD,
    LGET, A, LGET, B, ...simd(F32X4_MAX), LGET, C, LGET, D, ...simd(F32X4_MAX), ...simd(F32X4_MAX),
    ...vstore(),
  ]);
}

/** dX cell at (dx + p + off) += g where mask, else kept. */
const addWhere = (off: number[], mask: number[]): number[] => [
  LGET, DX, LGET, PP, ADD, ...off, LTEE, T2,
  LGET, T2, ...vload(), LGET, G, ...simd(F32X4_ADD),
  LGET, T2, ...vload(),
  ...mask, ...simd(V128_BITSELECT), ...vstore(),
];

function backward(): number[] {
  return loops([
    ...loadCells(),
    LGET, Y, LGET, Q, ADD, ...vload(), LSET, G, // dY
    // m1 = b > a; best = m1 ? b : a; m2 = c > best; best = m2 ? c : best; m3 = d > best
    LGET, B, LGET, A, ...simd(F32X4_GT), LSET, M1, LGET, B, LGET, A, LGET, M1, ...simd(V128_BITSELECT), LSET, A,
    LGET, C, LGET, A, ...simd(F32X4_GT), LSET, M2, LGET, C, LGET, A, LGET, M2, ...simd(V128_BITSELECT), LSET, A,
    LGET, D, LGET, A, ...simd(F32X4_GT), LSET, M3,
    ...addWhere([], [LGET, M1, LGET, M2, ...simd(V128_OR), LGET, M3, ...simd(V128_OR), ...simd(V128_NOT)]),
    ...addWhere([LGET, CB, ADD], [LGET, M1, LGET, M2, ...simd(V128_ANDNOT), LGET, M3, ...simd(V128_ANDNOT)]),
    ...addWhere([LGET, ROW, ADD], [LGET, M2, LGET, M3, ...simd(V128_ANDNOT)]),
    ...addWhere([LGET, ROW, ADD, LGET, CB, ADD], [LGET, M3]),
  ]);
}

/** The module's bytes: maxPool2 and maxPool2Grad, nine i32 parameters each. */
export function simdMaxPoolModuleBytes(): Uint8Array {
  return moduleBytes([[0x60, 9, ...new Array<number>(9).fill(I32), 0]], [0, 0], ['maxPool2', 'maxPool2Grad'], [forward(), backward()]);
}

type Fn = (x: number, y: number, dx: number, imgs: number, oh: number, ow: number, row: number, cb: number, img: number) => void;
type Fns = { maxPool2: Fn; maxPool2Grad: Fn };
let fns: Fns | null | undefined;

function getFns(): Fns | null {
  if (fns === undefined) fns = simdGemmCompanion(simdMaxPoolModuleBytes()) as Fns | null;
  return fns;
}

/** Whether a pooling runs here: max, 2×2 windows of stride 2 inside the image, channels divisible by 4. */
export function simdMaxPoolFits(g: Window2D & { mode: string }): boolean {
  return g.mode === 'max' && g.kh === 2 && g.kw === 2 && g.sh === 2 && g.sw === 2 && g.padTop === 0 && g.padLeft === 0
    && 2 * g.oh <= g.h && 2 * g.ow <= g.w && g.oh > 0 && g.ow > 0 && g.c % 4 === 0 && getFns() !== null;
}

interface Plan { imgs: number; inF: number; outF: number; starts: number[] }

function plan(g: Window2D, rows: number): Plan {
  const inF = g.h * g.w * g.c, outF = g.oh * g.ow * g.c;
  const imgs = Math.max(1, Math.min(rows, Math.floor(CHUNK_FLOATS / inF)));
  const starts: number[] = [];
  for (let n = 0; n < rows; n += imgs) starts.push(n);
  return { imgs, inF, outF, starts };
}

const args = (g: Window2D): [number, number, number, number, number] => [g.oh, g.ow, g.w * g.c * 4, g.c * 4, g.h * g.w * g.c * 4];

/** Y = maxpool(X) over `rows` images. */
export function simdMaxPool(X: Float32Array, Y: Float32Array, g: Window2D, rows: number): Runnable {
  const p = plan(g, rows), xOff = 0, yOff = p.imgs * p.inF, total = yOff + p.imgs * p.outF;
  simdGemmMemory(total);
  const f = (getFns() as Fns).maxPool2;
  const [oh, ow, row, cb, img] = args(g);
  const xs = p.starts.map((n) => X.subarray(n * p.inF, Math.min(rows, n + p.imgs) * p.inF));
  let memOf: Float32Array | undefined, ys: Float32Array[] = [];
  return () => {
    const mem = simdGemmMemory(total);
    if (mem !== memOf) { memOf = mem; ys = xs.map((v) => mem.subarray(yOff, yOff + (v.length / p.inF) * p.outF)); }
    for (let i = 0; i < xs.length; i++) {
      mem.set(xs[i], xOff);
      f(xOff * 4, yOff * 4, 0, xs[i].length / p.inF, oh, ow, row, cb, img);
      Y.set(ys[i], p.starts[i] * p.outF);
    }
  };
}

/** dX (+)= the gradient of maxpool(X) given dY, over `rows` images. */
export function simdMaxPoolGrad(X: Float32Array, dY: Float32Array, dX: Float32Array, g: Window2D, rows: number, accumulate: boolean): Runnable {
  const p = plan(g, rows), xOff = 0, dyOff = p.imgs * p.inF, dxOff = dyOff + p.imgs * p.outF, total = dxOff + p.imgs * p.inF;
  simdGemmMemory(total);
  const f = (getFns() as Fns).maxPool2Grad;
  const [oh, ow, row, cb, img] = args(g);
  const xs = p.starts.map((n) => X.subarray(n * p.inF, Math.min(rows, n + p.imgs) * p.inF));
  const dys = p.starts.map((n) => dY.subarray(n * p.outF, Math.min(rows, n + p.imgs) * p.outF));
  const dxs = p.starts.map((n) => dX.subarray(n * p.inF, Math.min(rows, n + p.imgs) * p.inF));
  let memOf: Float32Array | undefined, dxm: Float32Array[] = [];
  return () => {
    const mem = simdGemmMemory(total);
    if (mem !== memOf) { memOf = mem; dxm = xs.map((v) => mem.subarray(dxOff, dxOff + v.length)); }
    for (let i = 0; i < xs.length; i++) {
      mem.set(xs[i], xOff);
      mem.set(dys[i], dyOff);
      if (accumulate) mem.set(dxs[i], dxOff);
      else mem.fill(0, dxOff, dxOff + xs[i].length);
      f(xOff * 4, dyOff * 4, dxOff * 4, xs[i].length / p.inF, oh, ow, row, cb, img);
      dX.set(dxm[i], p.starts[i] * p.inF);
    }
  };
}
