/**
 * A WebAssembly SIMD (f32x4) matrix product with strided operands, for kernels that lay their
 * operands out in the module's memory themselves (convolution writes its im2col matrix there
 * directly): C (+)= op(A)·B, where op(A) is addressed by a row stride and a depth stride, so A
 * and Aᵀ cost the same and nothing is transposed.
 *
 * The micro-kernel keeps a 4×8 tile of C in eight f32x4 accumulators; each depth step splats
 * one value from each of the 4 rows of op(A) and multiplies it with 8 consecutive floats of a
 * row of B (two vector loads): no horizontal sums, no padding of the depth, no staging copies.
 * (The dense products use the same tile on packed operands instead: simdPacked.ts, so B's rows
 * are read sequentially whatever their stride.) The module is emitted here byte by byte (a few
 * hundred bytes, no toolchain, nothing fetched).
 */
import { relaxedSimd } from './relaxedSimd';
import { wasmApi } from './wasmApi';
import { fmadd4, moduleBytes, tileRows, uleb } from './wasmBytes';

const LGET = 0x20, LSET = 0x21, LTEE = 0x22, I32C = 0x41, ADD = 0x6a, SUB = 0x6b, MUL = 0x6c, GEU = 0x4f;
const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, ELSE = 0x05, BR = 0x0c, BRIF = 0x0d, END = 0x0b, VOID = 0x40;
const I32 = 0x7f, V128 = 0x7b;
const vload = (offset: number): number[] => [0xfd, 0x00, 0x02, ...uleb(offset)];
const vsplat = (): number[] => [0xfd, 0x09, 0x02, 0x00];
const vzero = (): number[] => [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const fadd4 = (): number[] => [0xfd, 0xe4, 0x01];
const fmul4 = (): number[] => [0xfd, 0xe6, 0x01];

// Params: a b c m k n rs ds ldb ldc acc (addresses and strides in bytes).
const A = 0, B = 1, C = 2, M = 3, K = 4, N = 5, RS = 6, DS = 7, LDB = 8, LDC = 9, ACCUM = 10;
const AND = 0x71, SHRU = 0x76;

/**
 * The function body for a tile of `rows` rows of C × 4·`vecs` columns, its depth loop unrolled
 * `unroll` (1 or 2) times, fused multiply-adds when `fma`. Locals: i32 i j pa pb p ct cr and
 * r·rs for r = 2…rows−1; then v128 acc[vecs·rows] b[vecs] x.
 */
function body(rows: number, unroll: number, vecs = 2, fma = false): number[] {
  const I = 11, J = 12, PA = 13, PB = 14, P = 15, CT = 16, CR = 17, RSM = 18 - 2;
  const nI32 = 7 + rows - 2;
  const ACC = 11 + nI32, B0 = ACC + vecs * rows, X = B0 + vecs;
  const acc = (r: number, v: number): number => ACC + vecs * r + v;
  const tileAt = { ct: CT, cr: CR, ldc: LDC };
  const code: number[] = [];
  const e = (...b: number[]): void => { code.push(...b); };
  for (let r = 2; r < rows; r++) e(LGET, r === 2 ? RS : RSM + r - 1, LGET, RS, ADD, LSET, RSM + r);
  const step = (): void => {
    for (let v = 0; v < vecs; v++) e(LGET, PB, ...vload(16 * v), LSET, B0 + v);
    for (let r = 0; r < rows; r++) {
      e(LGET, PA);
      if (r === 1) e(LGET, RS, ADD);
      if (r >= 2) e(LGET, RSM + r, ADD);
      e(...vsplat(), LSET, X);
      for (let v = 0; v < vecs; v++) {
        if (fma) e(LGET, X, LGET, B0 + v, LGET, acc(r, v), ...fmadd4(), LSET, acc(r, v));
        else e(LGET, acc(r, v), LGET, X, LGET, B0 + v, ...fmul4(), ...fadd4(), LSET, acc(r, v));
      }
    }
    e(LGET, PA, LGET, DS, ADD, LSET, PA, LGET, PB, LGET, LDB, ADD, LSET, PB);
  };
  e(I32C, 0, LSET, I);
  e(BLOCK, VOID, LOOP, VOID);
  e(LGET, I, LGET, M, GEU, BRIF, 1);
  e(I32C, 0, LSET, J);
  e(BLOCK, VOID, LOOP, VOID);
  e(LGET, J, LGET, N, GEU, BRIF, 1);
  // ct = c + i·ldc + j·4: the tile's first float.
  e(LGET, C, LGET, I, LGET, LDC, MUL, ADD, LGET, J, I32C, 4, MUL, ADD, LSET, CT);
  e(LGET, ACCUM, IF, VOID);
  e(...tileRows(tileAt, rows, vecs, acc, false, 2));
  e(ELSE);
  for (let t = 0; t < vecs * rows; t++) e(...vzero(), LSET, ACC + t);
  e(END);
  e(LGET, A, LGET, I, LGET, RS, MUL, ADD, LSET, PA);
  e(LGET, B, LGET, J, I32C, 4, MUL, ADD, LSET, PB);
  if (unroll === 2) {
    // An odd depth takes one step first; then pairs of steps.
    e(LGET, K, I32C, 1, AND, IF, VOID);
    step();
    e(END);
    e(LGET, K, I32C, 1, SHRU, LTEE, P, IF, VOID, LOOP, VOID);
    step();
    step();
    e(LGET, P, I32C, 1, SUB, LTEE, P, BRIF, 0);
    e(END, END);
  } else {
    e(LGET, K, LSET, P);
    e(LOOP, VOID);
    step();
    e(LGET, P, I32C, 1, SUB, LTEE, P, BRIF, 0);
    e(END);
  }
  e(...tileRows(tileAt, rows, vecs, acc, true, 2));
  e(LGET, J, I32C, 4 * vecs, ADD, LSET, J, BR, 0, END, END);
  e(LGET, I, I32C, rows, ADD, LSET, I, BR, 0, END, END);
  e(END);
  const fn = [2, ...uleb(nI32), I32, ...uleb(vecs * rows + vecs + 1), V128, ...code];
  return [...uleb(fn.length), ...fn];
}

/** Rows of C per tile of the kernel in use: m must be a multiple of this. */
export const GEMM_ROWS = 4;

/** The module's bytes: one function `gemm(a, b, c, m, k, n, rs, ds, ldb, ldc, acc)`. */
export function simdGemmModuleBytes(rows = GEMM_ROWS, unroll = 1, vecs = 2, fma = false, sharedMaxPages?: number): Uint8Array {
  return moduleBytes([[0x60, 11, ...new Array<number>(11).fill(I32), 0]], [0], ['gemm'], [body(rows, unroll, vecs, fma)], sharedMaxPages);
}

type GemmFn = (a: number, b: number, c: number, m: number, k: number, n: number, rs: number, ds: number, ldb: number, ldc: number, acc: number) => void;
interface Memory { readonly buffer: ArrayBuffer; grow(pages: number): number }

/** The memory, the multiply-then-add kernel, and the fused one (instantiated when first used; null: unavailable). */
let runtime: { mem: Memory; gemm: GemmFn; fma?: GemmFn | null; f32: Float32Array } | null | undefined;

/** Instantiates another hand-emitted module over the same memory (null without wasm SIMD). */
export function simdGemmCompanion(bytes: Uint8Array): Record<string, unknown> | null {
  const rt = getRuntime();
  if (!rt || !wasmApi) return null;
  try {
    return new wasmApi.Instance(new wasmApi.Module(bytes), { env: { mem: rt.mem } }).exports;
  } catch {
    return null;
  }
}

function getRuntime(): typeof runtime {
  if (runtime !== undefined) return runtime;
  runtime = null;
  if (!wasmApi) return runtime;
  try {
    const mem = new wasmApi.Memory({ initial: 1 }) as Memory;
    const inst = new wasmApi.Instance(new wasmApi.Module(simdGemmModuleBytes()), { env: { mem } });
    runtime = { mem, gemm: inst.exports.gemm as GemmFn, f32: new Float32Array(mem.buffer) };
  } catch {
    // No wasm SIMD here: callers use the JS kernels.
  }
  return runtime;
}

/**
 * The kernel for the current choice: with relaxed SIMD the same 4×8 tile with fused
 * multiply-adds (1.3–1.5× as fast, measured), else multiply then add.
 */
function gemmKernel(rt: NonNullable<typeof runtime>): GemmFn {
  if (!relaxedSimd()) return rt.gemm;
  if (rt.fma === undefined) {
    rt.fma = (simdGemmCompanion(simdGemmModuleBytes(GEMM_ROWS, 1, 2, true))?.gemm as GemmFn | undefined) ?? null;
  }
  return rt.fma ?? rt.gemm;
}

/** Whether the strided SIMD product can run here. */
export function simdGemmAvailable(): boolean {
  return getRuntime() !== null;
}

/**
 * The module's memory as floats, grown to hold at least `floats` (growing happens once, the
 * first time a prepared kernel runs; later calls return the same view). Kernels use it as
 * scratch: nothing in it survives from one op to the next.
 */
export function simdGemmMemory(floats: number): Float32Array {
  const rt = getRuntime();
  if (!rt) throw new Error('WebAssembly SIMD is not available');
  const need = floats * 4;
  if (rt.mem.buffer.byteLength < need) {
    rt.mem.grow(Math.ceil((need - rt.mem.buffer.byteLength) / 65536));
    rt.f32 = new Float32Array(rt.mem.buffer);
  }
  return rt.f32;
}

/**
 * C (+)= op(A)·B over the memory of simdGemmMemory, offsets and strides in floats:
 * op(A)[i][p] = mem[a + i·rs + p·ds] (A: rs = lda, ds = 1; Aᵀ: rs = 1, ds = lda),
 * B[p][j] = mem[b + p·ldb + j], C[i][j] = mem[c + i·ldc + j]. m must be a multiple of 4 and n of
 * 8: the caller lays out (or ignores) the extra rows and columns, which are computed from
 * whatever the memory holds there, so every address touched must lie inside the memory.
 * accumulate: C += op(A)·B, else C = op(A)·B. k ≥ 1.
 */
export function simdGemm(a: number, b: number, c: number, m: number, k: number, n: number, rs: number, ds: number, ldb: number, ldc: number, accumulate: boolean): void {
  const rt = getRuntime() as NonNullable<typeof runtime>;
  gemmKernel(rt)(a * 4, b * 4, c * 4, m, k, n, rs * 4, ds * 4, ldb * 4, ldc * 4, accumulate ? 1 : 0);
}
