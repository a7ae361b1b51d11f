/**
 * A WebAssembly SIMD (f32x4) kernel for C = A·Bᵀ, the product every big CPU matmul runs as.
 * JavaScript cannot use the CPU's vector units; wasm SIMD can, four floats per instruction.
 *
 * The module is emitted here byte by byte (a few hundred bytes, no toolchain, nothing fetched):
 * one function `nt(a, b, c, m, k, n)` over byte offsets into an imported memory, computing a
 * rows×cols block of C per pass in f32x4 accumulators, over panels of B's rows that stay in
 * cache. With relaxed SIMD (relaxedSimd.ts) it multiplies-adds fused on a 3×3 tile, else
 * multiplies then adds on a 2×4 tile (FMA_TILE, PLAIN_TILE). Operands are copied (or
 * transposed) into that memory with rows padded to a multiple of 4 floats and zero padding, so
 * the kernel has no edge cases; the copies cost O(k·(m+n)) against O(m·k·n) multiply-adds.
 */
import { CONTROL_BYTES, SimdHelper, splitFrom, type HelperModule, type KernelFn } from './simdPool';
import { relaxedSimd } from './relaxedSimd';
import { GEMM_ROWS, simdGemmModuleBytes } from './simdGemm';
import { wasmApi, type WasmApi, type WasmMemory } from './wasmApi';
import { fmadd4, section, str, uleb } from './wasmBytes';

// Opcodes (core and the 0xfd SIMD prefix).
const LGET = 0x20, LSET = 0x21, LTEE = 0x22, I32C = 0x41, ADD = 0x6a, MUL = 0x6c, SHL = 0x74, LTU = 0x49, GEU = 0x4f;
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BRIF = 0x0d, END = 0x0b, VOID = 0x40, F32ADD = 0x92, F32STORE = 0x38;
const V128 = 0x7b, I32 = 0x7f, SELECT = 0x1b;
/** Signed LEB128 of a small non-negative constant (i32.const takes signed). */
const sleb = (x: number): number[] => (x < 64 ? [x] : x < 8192 ? [(x & 0x7f) | 0x80, x >> 7] : [NaN]);
const vload = (offset = 0): number[] => [0xfd, 0x00, 0x02, ...uleb(offset)];
const vconst0 = (): number[] => [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const fadd4 = (): number[] => [0xfd, ...uleb(0xe4)];
const fmul4 = (): number[] => [0xfd, ...uleb(0xe6)];
const lane = (l: number): number[] => [0xfd, 0x1f, l];

// Params 0..5 = a b c m k n.
const A = 0, B = 1, C = 2, M = 3, K = 4, N = 5;

function hsum(acc: number): number[] {
  // ((l0 + l1) + l2) + l3 of one accumulator, left on the stack as an f32.
  return [LGET, acc, ...lane(0), LGET, acc, ...lane(1), F32ADD, LGET, acc, ...lane(2), F32ADD, LGET, acc, ...lane(3), F32ADD];
}

/** The shape of the register tile: `rows` rows of A × `cols` rows of B per pass, and whether it multiplies-adds fused. */
export interface NtTile { rows: number; cols: number; fma: boolean; block?: number; unroll?: number }

/**
 * The body of `nt` for a rows×cols tile of C: rows·cols f32x4 accumulators, each depth step
 * loads `rows` vectors of A and, one at a time, `cols` vectors of B. Locals: i32 i j p kb cc
 * a[rows] b[cols]; v128 acc[rows·cols] x[rows] y.
 */
function body(tile: NtTile): number[] {
  const { rows, cols, fma } = tile;
  const block = tile.block ?? 0;
  const I = 6, J = 7, P = 8, KB = 9, CC = 10, J0 = 11, JE = 12, A0 = 13, B0 = A0 + rows;
  const nI32 = 7 + rows + cols;
  const ACC = 6 + nI32, X0 = ACC + rows * cols, Y = X0 + rows;
  const acc = (r: number, c: number): number => ACC + r * cols + c;
  const code: number[] = [];
  const e = (...b: number[]): void => { code.push(...b); };
  e(LGET, K, I32C, 2, SHL, LSET, KB); // kb = k*4 (bytes per padded row)
  // Column blocks: j0 over [0, n) by `block` (a panel of B that stays in cache for every row of A).
  e(I32C, 0, LSET, J0);
  e(BLOCK, VOID, LOOP, VOID);
  e(LGET, J0, LGET, N, GEU, BRIF, 1);
  if (block) e(LGET, J0, I32C, ...sleb(block), ADD, LTEE, JE, LGET, N, LGET, JE, LGET, N, LTU, SELECT, LSET, JE);
  else e(LGET, N, LSET, JE);
  e(I32C, 0, LSET, I);
  e(BLOCK, VOID, LOOP, VOID);
  e(LGET, I, LGET, M, GEU, BRIF, 1);
  e(LGET, A, LGET, I, LGET, KB, MUL, ADD, LSET, A0);
  for (let r = 1; r < rows; r++) e(LGET, A0 + r - 1, LGET, KB, ADD, LSET, A0 + r);
  e(LGET, J0, LSET, J);
  e(BLOCK, VOID, LOOP, VOID);
  e(LGET, J, LGET, JE, GEU, BRIF, 1);
  e(LGET, B, LGET, J, LGET, KB, MUL, ADD, LSET, B0);
  for (let t = 1; t < cols; t++) e(LGET, B0 + t - 1, LGET, KB, ADD, LSET, B0 + t);
  for (let t = 0; t < rows * cols; t++) e(...vconst0(), LSET, ACC + t);
  e(I32C, 0, LSET, P);
  e(LOOP, VOID);
  const unroll = tile.unroll ?? 1;
  for (let u = 0; u < unroll; u++) {
    for (let r = 0; r < rows; r++) e(LGET, A0 + r, LGET, P, ADD, ...vload(16 * u), LSET, X0 + r);
    for (let t = 0; t < cols; t++) {
      e(LGET, B0 + t, LGET, P, ADD, ...vload(16 * u), LSET, Y);
      for (let r = 0; r < rows; r++) {
        if (fma) e(LGET, X0 + r, LGET, Y, LGET, acc(r, t), ...fmadd4(), LSET, acc(r, t));
        else e(LGET, acc(r, t), LGET, X0 + r, LGET, Y, ...fmul4(), ...fadd4(), LSET, acc(r, t));
      }
    }
  }
  e(LGET, P, I32C, 16 * unroll, ADD, LTEE, P, LGET, KB, LTU, BRIF, 0);
  e(END);
  // cc = c + (i*n + j)*4; row r at cc + r*n*4.
  e(LGET, C, LGET, I, LGET, N, MUL, LGET, J, ADD, I32C, 2, SHL, ADD, LSET, CC);
  for (let r = 0; r < rows; r++) {
    if (r > 0) e(LGET, CC, LGET, N, I32C, 2, SHL, ADD, LSET, CC);
    for (let t = 0; t < cols; t++) e(LGET, CC, ...hsum(acc(r, t)), F32STORE, 0x02, ...uleb(4 * t));
  }
  e(LGET, J, I32C, cols, ADD, LSET, J, BR, 0, END, END);
  e(LGET, I, I32C, rows, ADD, LSET, I, BR, 0, END, END);
  e(LGET, JE, LSET, J0, BR, 0, END, END);
  e(END);
  const locals = [2, ...uleb(nI32), I32, ...uleb(rows * cols + rows + 1), V128];
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

/** The module's bytes. */
export function simdModuleBytes(shared = false, tile: NtTile = { rows: 2, cols: 4, fma: false }): Uint8Array {
  const type = section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0]);
  // A shared memory (for the helper thread) must declare its maximum.
  const limits = shared ? [0x03, 1, ...uleb(MAX_PAGES)] : [0x00, 1];
  const imports = section(2, [1, ...str('env'), ...str('mem'), 0x02, ...limits]);
  const funcs = section(3, [1, 0]);
  const exports = section(7, [1, ...str('nt'), 0x00, 0]);
  const code = section(10, [1, ...body(tile)]);
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...imports, ...funcs, ...exports, ...code]);
}

type NtFn = (a: number, b: number, c: number, m: number, k: number, n: number) => void;

/** 1 GiB of 64 KiB pages: far above what the wide workload stages (about 6 MiB). */
const MAX_PAGES = 16384;

export { wasmApi };

/**
 * The register tiles, chosen by measurement on a 2-core AMD EPYC (GFLOP/s of one thread at
 * 256×1024×1024 and 64×784×128): with fused multiply-adds a 3×3 tile (9 accumulators) over
 * 96-row panels of B (they stay in L2 across every row of A) makes 28–30 against 24–27 for 2×4;
 * the multiply-then-add fallback keeps 2×4 (a 3×3 tile runs out of registers there: 14–15),
 * with 64-row panels (20–21 against 18–20). Bigger tiles (3×4, 2×6, 4×3) and an unrolled depth
 * loop spill registers in V8 and run at half speed.
 */
export const FMA_TILE: NtTile = { rows: 3, cols: 3, fma: true, block: 96 };
export const PLAIN_TILE: NtTile = { rows: 2, cols: 4, fma: false, block: 64 };

interface Kernel { tile: NtTile; nt: NtFn }
interface Runtime {
  mem: WasmMemory;
  shared: boolean;
  f32: Float32Array;
  /** The kernel of each tile, over the same memory, instantiated when first used (null: it failed). */
  kernels: Map<NtTile, Kernel | null>;
  /** The helper thread that takes a share of big products (shared memory, NN_THREADS and the cores allowing). */
  helper?: SimdHelper;
  /** This thread's instances of the helper's modules, by index (HELPER_MODULES), as they are instantiated. */
  fns: KernelFn[];
  /** The broadcast kernel (simdGemm.ts) over the same memory, fused (true) or not, when first used. */
  gemms: Map<boolean, GemmFn | null>;
}

/** The helper's modules by index: A·Bᵀ with each tile, then the broadcast kernel plain and fused. */
const NT_PLAIN = 0, NT_FMA = 1, GEMM_PLAIN = 2, GEMM_FMA = 3;
const ntIndex = (tile: NtTile): number => (tile === FMA_TILE ? NT_FMA : NT_PLAIN);

function helperModules(): HelperModule[] {
  return [
    { bytes: simdModuleBytes(true, PLAIN_TILE), name: 'nt' },
    { bytes: simdModuleBytes(true, FMA_TILE), name: 'nt' },
    { bytes: simdGemmModuleBytes(GEMM_ROWS, 1, 2, false, MAX_PAGES), name: 'gemm' },
    { bytes: simdGemmModuleBytes(GEMM_ROWS, 1, 2, true, MAX_PAGES), name: 'gemm' },
  ];
}

type GemmFn = (a: number, b: number, c: number, m: number, k: number, n: number, rs: number, ds: number, ldb: number, ldc: number, acc: number) => void;

let runtime: Runtime | null | undefined;

function instantiate(mem: WasmMemory, shared: boolean, tile: NtTile): { nt: NtFn; bytes: Uint8Array } {
  const api = wasmApi as WasmApi;
  const bytes = simdModuleBytes(shared, tile);
  const inst = new api.Instance(new api.Module(bytes), { env: { mem } });
  return { nt: inst.exports.nt as NtFn, bytes };
}

/** The memory with the kernel of the tile in use (and a helper thread when memory can be shared), or null without wasm SIMD. */
function getRuntime(): Runtime | null {
  if (runtime !== undefined) return runtime;
  runtime = null;
  if (!wasmApi) return runtime;
  const tile = relaxedSimd() ? FMA_TILE : PLAIN_TILE;
  for (const shared of typeof SharedArrayBuffer === 'function' ? [true, false] : [false]) {
    try {
      const mem = new wasmApi.Memory(shared ? { initial: 16, maximum: MAX_PAGES, shared } : { initial: 16 });
      const rt: Runtime = { mem, shared, f32: new Float32Array(mem.buffer), kernels: new Map(), gemms: new Map(), fns: [] };
      try {
        const { nt } = instantiate(mem, shared, tile);
        rt.kernels.set(tile, { tile, nt });
        rt.fns[ntIndex(tile)] = nt;
      } catch (e) {
        if (tile === PLAIN_TILE) throw e;
        rt.kernels.set(tile, null); // relaxed SIMD validated but did not compile: mul+add from here on
      }
      if (shared) rt.helper = SimdHelper.create(mem, helperModules(), rt.fns);
      runtime = rt;
      break;
    } catch {
      // Try without shared memory, then give up (the JS kernels run).
    }
  }
  return runtime;
}

/** The kernel for the current choice (fused multiply-add or not), falling back to the plain one. */
function kernel(rt: Runtime): Kernel | null {
  for (const tile of relaxedSimd() ? [FMA_TILE, PLAIN_TILE] : [PLAIN_TILE]) {
    let k = rt.kernels.get(tile);
    if (k === undefined) {
      try {
        k = { tile, nt: instantiate(rt.mem, rt.shared, tile).nt };
        rt.fns[ntIndex(tile)] = k.nt;
      } catch {
        k = null;
      }
      rt.kernels.set(tile, k);
    }
    if (k) return k;
  }
  return null;
}

/** The register tile the products use now (for the bench's notes and tests): FMA_TILE or PLAIN_TILE, or undefined without wasm SIMD. */
export function simdTile(): NtTile | undefined {
  const rt = getRuntime();
  return rt ? kernel(rt)?.tile : undefined;
}

/** Whether a helper thread shares big products (for the bench's notes and tests): 2, or 1 without one. */
export function simdThreads(): number {
  return getRuntime()?.helper ? 2 : 1;
}

let splits = 0;

/** How many products this process has split between the two threads so far (for tests and the bench). */
export function simdSplits(): number {
  return splits;
}

/** The helper, when it can take a share of this product of `madds` multiply-adds with module `index`. */
function helperFor(rt: Runtime, index: number, madds: number): SimdHelper | undefined {
  const h = rt.helper;
  if (!h || madds < splitFrom() || !rt.fns[index] || !h.ready(index)) return undefined;
  splits++;
  return h;
}

/** Whether the SIMD kernel can run here. */
export function simdAvailable(): boolean {
  const rt = getRuntime();
  return rt !== null && kernel(rt) !== null;
}

const pad4 = (x: number): number => (x + 3) & ~3;
const roundUp = (x: number, r: number): number => Math.ceil(x / r) * r;

/** Ensures the wasm memory holds `floats` floats; returns the current Float32Array view. */
function reserve(floats: number): Float32Array {
  const rt = getRuntime();
  if (!rt) throw new Error('WebAssembly SIMD is not available');
  const need = floats * 4 + CONTROL_BYTES;
  if (rt.mem.buffer.byteLength < need) {
    rt.mem.grow(Math.ceil((need - rt.mem.buffer.byteLength) / 65536));
    rt.f32 = new Float32Array(rt.mem.buffer);
  }
  return rt.f32;
}

/** Writes rows×cols `src` (row-major, or its transpose when `transposed`) as padded rows at `off`. */
function stage(mem: Float32Array, off: number, src: Float32Array, rows: number, cols: number, kp: number, rowsPadded: number, transposed: boolean): void {
  // Zero first: pad columns must be 0 (they multiply), pad rows must be finite.
  mem.fill(0, off, off + rowsPadded * kp);
  if (!transposed) {
    for (let r = 0; r < rows; r++) mem.set(src.subarray(r * cols, r * cols + cols), off + r * kp);
    return;
  }
  // src is stored cols×rows; row r of the staged matrix is column r of src.
  const T = 32;
  for (let c0 = 0; c0 < cols; c0 += T) {
    const c1 = Math.min(cols, c0 + T);
    for (let r0 = 0; r0 < rows; r0 += T) {
      const r1 = Math.min(rows, r0 + T);
      for (let c = c0; c < c1; c++) {
        const s = c * rows;
        for (let r = r0; r < r1; r++) mem[off + r * kp + c] = src[s + r];
      }
    }
  }
}

/**
 * C(m×n) (+)= op(A)·op(B) with the SIMD kernel. `aT`: A is stored k×m; `bNT`: B is stored n×k
 * (the A·Bᵀ layout); otherwise B is stored k×n.
 */
export function simdMatmul(Am: Float32Array, Bm: Float32Array, Cm: Float32Array, m: number, k: number, n: number, aT: boolean, bNT: boolean, accumulate: boolean): void {
  const rt = getRuntime() as Runtime;
  const { tile, nt } = kernel(rt) as Kernel;
  if (!bNT && k <= GEMM_DEPTH) {
    const g = gemmKernel(rt);
    if (g) return gemmProduct(rt, g, Am, Bm, Cm, m, k, n, aT, accumulate);
  }
  const kp = pad4(k), mp = roundUp(m, tile.rows), np = roundUp(n, tile.cols);
  // Float offsets; the control block of the helper thread sits below them.
  const aOff = CONTROL_BYTES / 4, bOff = aOff + mp * kp, cOff = bOff + np * kp;
  const mem = reserve(cOff + mp * np);
  stage(mem, aOff, Am, m, k, kp, mp, aT);
  stage(mem, bOff, Bm, n, k, kp, np, !bNT);
  const helper = mp >= 2 * tile.rows ? helperFor(rt, ntIndex(tile), m * k * n) : undefined;
  if (helper) helper.run(ntIndex(tile), mp, tile.rows, kp * 4, np * 4, [aOff * 4, bOff * 4, cOff * 4, mp, kp, np]);
  else nt(aOff * 4, bOff * 4, cOff * 4, mp, kp, np);
  copyOut(mem, cOff, np, Cm, m, n, accumulate);
}

/** Writes C(m×n) from the memory's rows of `ld` floats at `off` (or adds it). */
function copyOut(mem: Float32Array, off: number, ld: number, Cm: Float32Array, m: number, n: number, accumulate: boolean): void {
  if (!accumulate && ld === n) {
    Cm.set(mem.subarray(off, off + m * n));
    return;
  }
  for (let i = 0; i < m; i++) {
    const src = off + i * ld;
    const dst = i * n;
    if (accumulate) for (let j = 0; j < n; j++) Cm[dst + j] += mem[src + j];
    else Cm.set(mem.subarray(src, src + n), dst);
  }
}

/**
 * Up to this depth the A·B and Aᵀ·B products run on the broadcast kernel (simdGemm.ts: a 4×8
 * tile, no horizontal sums, operands staged without transposing): at depth 64–128 it makes
 * 28–30 GFLOP/s (one thread, fused) against 22–24 for the A·Bᵀ kernel, whose per-tile sums
 * weigh on a short depth; from depth 256 it falls to 13–16 (B's rows, a page apart, thrash the
 * cache) against 27.
 */
const GEMM_DEPTH = 128;

/** The broadcast kernel over the runtime's memory, fused when relaxed SIMD is on (null: it cannot run). */
function gemmKernel(rt: Runtime): GemmFn | null {
  const api = wasmApi as WasmApi;
  for (const fma of relaxedSimd() ? [true, false] : [false]) {
    let g = rt.gemms.get(fma);
    if (g === undefined) {
      try {
        const bytes = simdGemmModuleBytes(GEMM_ROWS, 1, 2, fma, rt.shared ? MAX_PAGES : undefined);
        g = new api.Instance(new api.Module(bytes), { env: { mem: rt.mem } }).exports.gemm as GemmFn;
        rt.fns[fma ? GEMM_FMA : GEMM_PLAIN] = g as KernelFn;
      } catch {
        g = null;
      }
      rt.gemms.set(fma, g);
    }
    if (g) return g;
  }
  return null;
}

/** Copies `rows` rows of `cols` floats into rows of `ld` floats (zero padded) at `off`. */
function stageRows(mem: Float32Array, off: number, src: Float32Array, rows: number, cols: number, ld: number): void {
  if (ld === cols) {
    mem.set(src.subarray(0, rows * cols), off);
    return;
  }
  for (let r = 0; r < rows; r++) {
    mem.set(src.subarray(r * cols, r * cols + cols), off + r * ld);
    mem.fill(0, off + r * ld + cols, off + (r + 1) * ld);
  }
}

/** C (+)= op(A)·B on the broadcast kernel: A (m×k, or k×m when aT) and B (k×n) staged as they are. */
function gemmProduct(rt: Runtime, g: GemmFn, Am: Float32Array, Bm: Float32Array, Cm: Float32Array, m: number, k: number, n: number, aT: boolean, accumulate: boolean): void {
  const mp = roundUp(m, GEMM_ROWS), np = roundUp(n, 8);
  const aOff = CONTROL_BYTES / 4, bOff = aOff + mp * k, cOff = bOff + k * np;
  const mem = reserve(cOff + mp * np);
  // op(A)[i][p] = A[i·k + p], or A[p·m + i] when transposed: rows padded to mp either way.
  if (aT) stageRows(mem, aOff, Am, k, m, mp);
  else { mem.set(Am.subarray(0, m * k), aOff); mem.fill(0, aOff + m * k, aOff + mp * k); }
  stageRows(mem, bOff, Bm, k, n, np);
  const rs = aT ? 4 : k * 4, ds = aT ? mp * 4 : 4;
  const index = rt.fns[GEMM_FMA] === g ? GEMM_FMA : GEMM_PLAIN;
  const helper = mp >= 2 * GEMM_ROWS ? helperFor(rt, index, m * k * n) : undefined;
  if (helper) helper.run(index, mp, GEMM_ROWS, rs, np * 4, [aOff * 4, bOff * 4, cOff * 4, mp, k, np, rs, ds, np * 4, np * 4, 0]);
  else g(aOff * 4, bOff * 4, cOff * 4, mp, k, np, rs, ds, np * 4, np * 4, 0);
  copyOut(mem, cOff, np, Cm, m, n, accumulate);
}
