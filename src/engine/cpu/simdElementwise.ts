/**
 * The fused element-wise kernels of cpuFused.ts in WebAssembly SIMD, for relu and linear layers
 * whose width is a multiple of 4: bias + activation, and activation gradient + bias gradient.
 * Over a convolution's output (a 26×26×32 batch-64 layer is 1.4 M floats) the JavaScript loops
 * spend 10–11 ns a float (the bias gradient's Float32Array sums and the wrapping column counter
 * defeat V8's loop optimisations); here it is about 1 ns, copies into and out of the memory
 * included.
 *
 * Every value is what the JavaScript kernels write, bit for bit: z = f32(x + b); relu's y =
 * max(z, 0) (= (z + |z|)·0.5 of cpuActivations.ts, −0 giving +0 and NaN staying NaN); dz =
 * dy·(x > 0 ? 1 : 0) rounded once; db += dz one row at a time, in row order, each sum rounded
 * to float32 as the Float32Array stores it.
 *
 * Where every operand is a CPU buffer resident in the products' memory (simdArena.ts), the
 * kernel runs there over all the rows in one call. Otherwise the rows go through the strided
 * product's memory (simdGemm.ts) a chunk at a time (CHUNK_FLOATS: the chunk's operands stay in
 * L2 between the copy in, the pass and the copy out).
 */
import type { Runnable } from '../backend';
import { simdGemmCompanion, simdGemmMemory } from './simdGemm';
import { residentModule, residentOffset } from './simdMatmul';
import { moduleBytes, uleb } from './wasmBytes';

const LGET = 0x20, LSET = 0x21, LTEE = 0x22, I32C = 0x41, ADD = 0x6a, EQ = 0x46, SELECT = 0x1b, GEU = 0x4f;
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BRIF = 0x0d, END = 0x0b, VOID = 0x40, I32 = 0x7f, V128 = 0x7b;
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const vload = (): number[] => [...simd(0x00), 0x04, 0x00];
const vstore = (): number[] => [...simd(0x0b), 0x04, 0x00];
const vconst = (f: number): number[] => [...simd(0x0c), ...Array.from({ length: 4 }, () => [...new Uint8Array(Float32Array.of(f).buffer)]).flat()];
const F32X4_GT = 0x44, V128_AND = 0x4e, F32X4_ADD = 0xe4, F32X4_MUL = 0xe6, F32X4_MAX = 0xe9;

/** Floats per chunk and operand: 8192 (32 KiB), three or four operands in L2 at once. */
export const CHUNK_FLOATS = 8192;

// Params (bytes): x b z y n cols; locals: i cb.  (biasAct)
// Params (bytes): x dy dz db n cols; locals: i cb. (actBiasGrad)
const P0 = 0, P1 = 1, P2 = 2, P3 = 3, N = 4, COLS = 5, I = 6, CB = 7, V = 8;

/** The flat loop over n bytes in steps of 16, cb the byte offset of the column (wrapping at cols). */
function loop(step: number[]): number[] {
  const fn = [
    I32C, 0, LSET, I, I32C, 0, LSET, CB,
    BLOCK, VOID, LOOP, VOID,
    LGET, I, LGET, N, GEU, BRIF, 1,
    ...step,
    LGET, I, I32C, 16, ADD, LSET, I,
    // cb = cb + 16 == cols ? 0 : cb + 16
    I32C, 0, LGET, CB, I32C, 16, ADD, LTEE, CB, LGET, CB, LGET, COLS, EQ, SELECT, LSET, CB,
    BR, 0, END, END, END,
  ];
  const body = [2, 2, I32, 1, V128, ...fn];
  return [...uleb(body.length), ...body];
}

/** z = x + b; y = relu(z) or z. */
function biasAct(relu: boolean): number[] {
  return loop([
    LGET, P0, LGET, I, ADD, ...vload(), LGET, P1, LGET, CB, ADD, ...vload(), ...simd(F32X4_ADD), LSET, V,
    LGET, P2, LGET, I, ADD, LGET, V, ...vstore(),
    LGET, P3, LGET, I, ADD, LGET, V, ...(relu ? [...vconst(0), ...simd(F32X4_MAX)] : []), ...vstore(),
  ]);
}

/** dz = dy·(x > 0 ? 1 : 0) (relu) or dy; db += dz. */
function actBiasGrad(relu: boolean): number[] {
  return loop([
    LGET, P1, LGET, I, ADD, ...vload(),
    ...(relu ? [LGET, P0, LGET, I, ADD, ...vload(), ...vconst(0), ...simd(F32X4_GT), ...vconst(1), ...simd(V128_AND), ...simd(F32X4_MUL)] : []),
    LSET, V,
    LGET, P2, LGET, I, ADD, LGET, V, ...vstore(),
    LGET, P3, LGET, CB, ADD, LGET, P3, LGET, CB, ADD, ...vload(), LGET, V, ...simd(F32X4_ADD), ...vstore(),
  ]);
}

/** The module's bytes: biasRelu, biasLinear, reluBiasGrad, linearBiasGrad; six i32 parameters each (over a shared memory of at most `maxPages` pages, when given). */
export function simdElementwiseModuleBytes(maxPages?: number): Uint8Array {
  return moduleBytes([[0x60, 6, ...new Array<number>(6).fill(I32), 0]], [0, 0, 0, 0], ['biasRelu', 'biasLinear', 'reluBiasGrad', 'linearBiasGrad'],
    [biasAct(true), biasAct(false), actBiasGrad(true), actBiasGrad(false)], maxPages);
}

type Fn = (a: number, b: number, c: number, d: number, n: number, cols: number) => void;
let fns: Record<string, Fn> | null | undefined;

/** Kernel `name` over the products' memory with the byte offsets of `arrays` there, when every one of them lies in it. */
function inPlace(name: string, arrays: Float32Array[]): { k: Fn; at: number[] } | undefined {
  const at = arrays.map(residentOffset);
  const ex = at.every((o) => o >= 0) ? residentModule(simdElementwiseModuleBytes) : null;
  return ex ? { k: ex[name] as Fn, at } : undefined;
}

/** The wasm bias + activation over the memory: (x, b, z, y, bytes, bytes per row), addresses in bytes. */
export type BiasActivationFn = Fn;

function getFns(): Record<string, Fn> | null {
  if (fns === undefined) fns = simdGemmCompanion(simdElementwiseModuleBytes()) as Record<string, Fn> | null;
  return fns;
}

/** Whether the SIMD kernels below take a layer of `cols` columns with activation `fn` (and can run here). */
export function simdElementwiseFits(fn: string, cols: number): boolean {
  return (fn === 'relu' || fn === 'linear') && cols % 4 === 0 && cols > 0 && cols <= CHUNK_FLOATS && getFns() !== null;
}

/** The bias + relu (or linear) kernel itself, for a kernel that has the rows in the memory already (simdConv.ts). */
export function simdBiasActivationFn(fn: 'relu' | 'linear'): BiasActivationFn {
  return (getFns() as Record<string, Fn>)[fn === 'relu' ? 'biasRelu' : 'biasLinear'];
}

/** The chunks of whole rows: [first float, end float) pairs over rows·cols floats. */
function chunks(rows: number, cols: number): number[] {
  const per = Math.max(1, Math.floor(CHUNK_FLOATS / cols)) * cols, size = rows * cols;
  const out: number[] = [];
  for (let s = 0; s < size; s += per) out.push(s, Math.min(size, s + per));
  return out;
}

/** Views of `a` over each chunk, made once. */
const views = (a: Float32Array, ch: number[]): Float32Array[] => ch.filter((_, i) => i % 2 === 0).map((s, i) => a.subarray(s, ch[2 * i + 1]));

/** z = x + b (b over rows), y = f(z) for relu or linear. */
export function simdBiasActivation(fn: 'relu' | 'linear', x: Float32Array, b: Float32Array, z: Float32Array, y: Float32Array, rows: number, cols: number): Runnable {
  const name = fn === 'relu' ? 'biasRelu' : 'biasLinear';
  const here = inPlace(name, [x, b, z, y]);
  if (here) {
    const { k, at } = here;
    return () => k(at[0], at[1], at[2], at[3], rows * cols * 4, cols * 4);
  }
  const ch = chunks(rows, cols), xs = views(x, ch);
  const bOff = 0, xOff = cols, zOff = xOff + CHUNK_FLOATS, yOff = zOff + CHUNK_FLOATS;
  simdGemmMemory(yOff + CHUNK_FLOATS);
  const kernel = (getFns() as Record<string, Fn>)[name];
  const bv = b.subarray(0, cols);
  let memOf: Float32Array | undefined, zm: Float32Array[] = [], ym: Float32Array[] = [];
  return () => {
    const mem = simdGemmMemory(yOff + CHUNK_FLOATS);
    if (mem !== memOf) {
      memOf = mem;
      zm = xs.map((v) => mem.subarray(zOff, zOff + v.length));
      ym = xs.map((v) => mem.subarray(yOff, yOff + v.length));
    }
    mem.set(bv, bOff);
    for (let i = 0; i < xs.length; i++) {
      const s = ch[2 * i];
      mem.set(xs[i], xOff);
      kernel(xOff * 4, bOff * 4, zOff * 4, yOff * 4, xs[i].length * 4, cols * 4);
      z.set(zm[i], s);
      y.set(ym[i], s);
    }
  };
}

/** dz = f'(x)·dy for relu or linear, db (+)= Σ_rows dz. */
export function simdActivationBiasGrad(fn: 'relu' | 'linear', x: Float32Array, dy: Float32Array, dz: Float32Array, db: Float32Array, rows: number, cols: number, accumulate: boolean): Runnable {
  const name = fn === 'relu' ? 'reluBiasGrad' : 'linearBiasGrad';
  const here = inPlace(name, [x, dy, dz, db]);
  if (here) {
    const { k, at } = here;
    return () => {
      if (!accumulate) db.fill(0, 0, cols);
      k(at[0], at[1], at[2], at[3], rows * cols * 4, cols * 4);
    };
  }
  const ch = chunks(rows, cols), xs = views(x, ch), dys = views(dy, ch);
  const dbOff = 0, xOff = cols, dyOff = xOff + CHUNK_FLOATS, dzOff = dyOff + CHUNK_FLOATS;
  simdGemmMemory(dzOff + CHUNK_FLOATS);
  const kernel = (getFns() as Record<string, Fn>)[name];
  const dbv = db.subarray(0, cols);
  let memOf: Float32Array | undefined, dzm: Float32Array[] = [], dbm: Float32Array = new Float32Array(0);
  return () => {
    const mem = simdGemmMemory(dzOff + CHUNK_FLOATS);
    if (mem !== memOf) {
      memOf = mem;
      dzm = xs.map((v) => mem.subarray(dzOff, dzOff + v.length));
      dbm = mem.subarray(dbOff, dbOff + cols);
    }
    if (accumulate) mem.set(dbv, dbOff);
    else mem.fill(0, dbOff, dbOff + cols);
    for (let i = 0; i < xs.length; i++) {
      if (fn === 'relu') mem.set(xs[i], xOff);
      mem.set(dys[i], dyOff);
      kernel(xOff * 4, dyOff * 4, dzOff * 4, dbOff * 4, xs[i].length * 4, cols * 4);
      dz.set(dzm[i], ch[2 * i]);
    }
    db.set(dbm, 0);
  };
}
