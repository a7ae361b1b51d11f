/**
 * The WebAssembly SIMD (f32x4) matrix product every big CPU matmul runs, in the three layouts
 * training uses (A·B, Aᵀ·B, A·Bᵀ). JavaScript cannot use the CPU's vector units; wasm SIMD can,
 * four floats per instruction.
 *
 * The CPU backend's buffers live in the module's memory for the whole session (simdArena.ts):
 * operands there are packed where they lie into panels the micro-kernel reads sequentially
 * (simdPacked.ts: the layout's transposition is folded into the packing), and C is written (or
 * accumulated) in place when its columns are whole tiles of 8 (its rows need not be whole tiles:
 * the kernel stores only rows below m). Other operands (plain arrays, a partial panel) are staged
 * into the scratch block first (a block copy, or rows with zero padding), and such a C is copied
 * out. The kernel is a 5×8 broadcast tile with fused multiply-adds where relaxed SIMD is on
 * (relaxedSimd.ts), 4×8 multiply-then-add where not. Big products are split by rows of C with a
 * helper thread sharing the memory (simdPool.ts), bit for bit the same as on one thread.
 */
import { CONTROL_BYTES, SimdHelper, splitFrom, type HelperModule, type KernelFn } from './simdPool';
import { relaxedSimd } from './relaxedSimd';
import { ResidentMemory } from './simdArena';
import { packedModuleBytes, packModuleBytes, type PackedTile } from './simdPacked';
import { wasmApi, type WasmApi, type WasmMemory } from './wasmApi';

export { wasmApi };

/** 1 GiB of 64 KiB pages: far above what the wide workload stages (about 10 MiB). */
const MAX_PAGES = 16384;

/**
 * The register tiles, measured at one thread on the 2-core AMD EPYC (kernel alone, 240×1024×1024):
 * fused, 5×8 with four rows' values spread by shuffles makes 29–31 GFLOP/s against 28 for 4×8:
 * ten accumulators are ten independent multiply-add chains, enough to keep both FMA pipes busy
 * (latency 5), where eight leave a fifth of them idle. With splats, 5×8, 6×8, 4×12, 3×16 and a
 * depth loop unrolled twice spill registers in V8 and run at 16–22; so do 6×8 and 4×12 with
 * shuffles. Multiply-then-add needs a register more per step, so it keeps 4×8 (24 GFLOP/s).
 */
export const FMA_TILE: PackedTile = { rows: 5, cols: 8, fma: true, shuffle: true };
export const PLAIN_TILE: PackedTile = { rows: 4, cols: 8, fma: false };
/** Depth block: a panel of B (KC × 8 floats, 8 KiB) stays in L1 while every row panel of A passes it. */
export const PACKED_KC = 256;
/**
 * Row block: the kernel runs over at most this many rows of C at a time, so A's depth block
 * (MC × KC floats, 256 KiB) stays in L2 while B's panels pass it (1024×256×1024 ran 10–40%
 * slower as one block on the 2-core EPYC): m is cut into blocks of whole tiles, as many as
 * m / PACKED_MC rounded, of equal size. A split product's chunks are smaller (simdPool.ts).
 */
export const PACKED_MC = 256;

type PackedFn = (a: number, b: number, c: number, m: number, k: number, n: number, kc: number, ldc: number, acc: number) => void;
type PackFn = (src: number, dst: number, panels: number, depth: number, stride: number, pstride: number, w: number) => void;
interface PackFns { prow: PackFn; pcol: PackFn }
interface Kernel { tile: PackedTile; g: PackedFn; index: number }

interface Runtime {
  mem: WasmMemory;
  shared: boolean;
  /** The memory as an arena: resident buffers (simdArena.ts) and the products' scratch block; its f32 views the whole memory. */
  res: ResidentMemory;
  pack: PackFns;
  /** The product kernel of each tile, over the same memory, instantiated when first used (null: it failed). */
  kernels: Map<PackedTile, Kernel | null>;
  /** The helper thread that takes a share of big products (shared memory, NN_THREADS and the cores allowing). */
  helper?: SimdHelper;
  /** This thread's instances of the helper's modules, by index (helperModules), as they are instantiated. */
  fns: KernelFn[];
}

/** The helper's modules by index: the product kernel multiply-then-add, then fused, then the packing (prow, pcol). */
const ntIndex = (tile: PackedTile): number => (tile.fma ? 1 : 0);

function helperModules(): HelperModule[] {
  const pack = packModuleBytes(MAX_PAGES);
  return [...[PLAIN_TILE, FMA_TILE].map((t) => ({ bytes: packedModuleBytes(t, MAX_PAGES), name: 'gemmp' })), { bytes: pack, name: 'prow' }, { bytes: pack, name: 'pcol' }];
}

let runtime: Runtime | null | undefined;

function instance(mem: WasmMemory, bytes: Uint8Array): Record<string, unknown> {
  const api = wasmApi as WasmApi;
  return new api.Instance(new api.Module(bytes), { env: { mem } }).exports;
}

function instantiate(rt: Runtime, tile: PackedTile): Kernel {
  const g = instance(rt.mem, packedModuleBytes(tile, rt.shared ? MAX_PAGES : undefined)).gemmp as PackedFn;
  rt.fns[ntIndex(tile)] = g as KernelFn;
  return { tile, g, index: ntIndex(tile) };
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
      const ex = instance(mem, packModuleBytes(shared ? MAX_PAGES : undefined));
      const rt: Runtime = { mem, shared, res: new ResidentMemory(mem, shared, CONTROL_BYTES), pack: { prow: ex.prow as PackFn, pcol: ex.pcol as PackFn }, kernels: new Map(), fns: [] };
      try {
        rt.kernels.set(tile, instantiate(rt, tile));
      } catch (e) {
        if (tile === PLAIN_TILE) throw e;
        rt.kernels.set(tile, null); // relaxed SIMD validated but did not compile: mul+add from here on
      }
      rt.fns[2] = rt.pack.prow as KernelFn;
      rt.fns[3] = rt.pack.pcol as KernelFn;
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
        k = instantiate(rt, tile);
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
export function simdTile(): PackedTile | undefined {
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

const roundUp = (x: number, r: number): number => Math.ceil(x / r) * r;

/**
 * A zeroed array of `floats` floats in the products' wasm memory, which they read and write in
 * place (a CpuBuffer's data for the session), or null where the memory cannot hold one (no wasm
 * SIMD, no shared memory, full): the caller then uses a plain Float32Array.
 */
export function residentArray(floats: number): Float32Array | null {
  const rt = getRuntime();
  return rt && kernel(rt) ? rt.res.alloc(floats) : null;
}

/** Gives a residentArray's block back (its owner is done with it); any other array, or one given back before, is left alone. */
export function releaseResident(a: Float32Array): boolean {
  return runtime ? runtime.res.release(a) : false;
}

/** Whether `a` lies in the products' memory (a residentArray or a view into one), so products read or write it in place. */
export function isResident(a: Float32Array): boolean {
  return runtime ? runtime.res.offsetOf(a) >= 0 : false;
}

/** Each module instantiated over the products' memory, by the function that makes its bytes (null: it could not be). */
const residentModules = new Map<(maxPages: number) => Uint8Array, Record<string, unknown> | null>();

/**
 * The exports of the module `bytes(maxPages)` (importing env.mem, shared) over the products'
 * memory, instantiated once; null where the memory is not shared or the module fails.
 */
export function residentModule(bytes: (maxPages: number) => Uint8Array): Record<string, unknown> | null {
  let ex = residentModules.get(bytes);
  if (ex === undefined) {
    const rt = getRuntime();
    try {
      ex = rt?.shared ? instance(rt.mem, bytes(MAX_PAGES)) : null;
    } catch {
      ex = null;
    }
    residentModules.set(bytes, ex);
  }
  return ex;
}

/** The byte offset of `a` in the products' memory, or -1 where it lies elsewhere. */
export function residentOffset(a: Float32Array): number {
  return runtime ? runtime.res.offsetOf(a) : -1;
}

let small: Float32Array | null = null;

/** A small resident block (at least `floats` floats, 256 at least) for results of modules over the memory, kept for the process; null where there is none. */
export function residentScratch(floats = 0): Float32Array | null {
  if (!small || small.length < floats) {
    if (small) releaseResident(small);
    small = residentArray(Math.max(256, floats));
  }
  return small;
}

/** Bytes of resident arrays and scratch in the products' memory now (tests). */
export function residentBytes(): number {
  return runtime ? runtime.res.arena.inUse() : 0;
}

/** Copies `rows` rows of `cols` floats into rows of `ld` floats (zero padded) at `off`. */
function stageRows(mem: Float32Array, off: number, src: Float32Array, rows: number, cols: number, ld: number): void {
  if (ld === cols) {
    mem.set(src.subarray(0, rows * cols), off);
    return;
  }
  if (cols < SHORT_ROW) {
    // Short rows: a loop costs less than a view and a fill per row.
    for (let r = 0, s = 0; r < rows; r++) {
      const d = off + r * ld;
      for (let c = 0; c < cols; c++) mem[d + c] = src[s++];
      for (let c = cols; c < ld; c++) mem[d + c] = 0;
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    mem.set(src.subarray(r * cols, r * cols + cols), off + r * ld);
    mem.fill(0, off + r * ld + cols, off + (r + 1) * ld);
  }
}

/** Below this many floats a row is copied by a loop rather than through a view (measured: mnist-like's 10-column products). */
const SHORT_ROW = 128;

/** Writes C(m×n) from the memory's rows of `ld` floats at `off`. */
function copyOut(mem: Float32Array, off: number, ld: number, Cm: Float32Array, m: number, n: number): void {
  if (ld === n) {
    Cm.set(mem.subarray(off, off + m * n));
    return;
  }
  if (n < SHORT_ROW) {
    for (let i = 0, d = 0; i < m; i++) for (let j = 0, s = off + i * ld; j < n; j++) Cm[d++] = mem[s + j];
    return;
  }
  for (let i = 0; i < m; i++) Cm.set(mem.subarray(off + i * ld, off + i * ld + n), i * n);
}

/**
 * C(m×n) (+)= op(A)·op(B) with the SIMD kernel. `aT`: A is stored k×m; `bNT`: B is stored n×k
 * (the A·Bᵀ layout); otherwise B is stored k×n.
 */
export function simdMatmul(Am: Float32Array, Bm: Float32Array, Cm: Float32Array, m: number, k: number, n: number, aT: boolean, bNT: boolean, accumulate: boolean): void {
  const rt = getRuntime() as Runtime;
  const { g, tile, index } = kernel(rt) as Kernel;
  const MR = tile.rows, NR = tile.cols, kc = PACKED_KC;
  const mp = roundUp(m, MR), np = roundUp(n, NR);
  // Operands resident in the memory (CpuBuffers, simdArena.ts) are packed where they lie, and C is
  // written there when its columns are whole tiles (the kernel writes m×np); the rest is staged.
  const { res } = rt;
  const aAt = res.offsetOf(Am), bAt = res.offsetOf(Bm), cAt = n === np ? res.offsetOf(Cm) : -1;
  // A product split with the helper thread is packed by both threads (its calls queued here, run
  // in helper.run), unless C is staged over the raw operands; the helper wakes during the staging.
  const helper = mp >= 2 * MR ? helperFor(rt, index, m * k * n) : undefined;
  helper?.wake();
  const { prow, pcol } = helper && !(accumulate && cAt < 0) ? helper.packs() : rt.pack;
  // Float offsets in the scratch block:
  // [packed A: mp·k][packed B: k·np][C: mp·np, and before the product, raw A then raw B]
  const paOff = res.scratch(mp * k + k * np + Math.max(mp * np, mp * k + np * k)), pbOff = paOff + mp * k, cOff = pbOff + k * np;
  const rawA = cOff, rawB = rawA + mp * k;
  const mem = res.f32;
  if (aT) {
    // Whole panels of columns straight from a resident A, the last partial one staged with zero columns.
    const m0 = aAt >= 0 ? m - (m % MR) : 0;
    if (m0) prow(aAt, paOff * 4, m0 / MR, k, m * 4, MR * 4, MR);
    if (m0 < mp) {
      if (m0 === 0) stageRows(mem, rawA, Am, k, m, mp);
      else for (let p = 0, d = rawA; p < k; p++) for (let c = m0; c < mp; c++) mem[d++] = c < m ? Am[p * m + c] : 0;
      prow(rawA * 4, (paOff + m0 * k) * 4, (mp - m0) / MR, k, (mp - m0) * 4, MR * 4, MR);
    }
  } else {
    // Whole panels of rows straight from a resident A, the last partial one staged with zero rows.
    const m0 = aAt >= 0 ? m - (m % MR) : 0;
    if (m0) pcol(aAt, paOff * 4, m0 / MR, k, k * 4, MR * k * 4, MR);
    if (m0 < mp) {
      mem.set(Am.subarray(m0 * k, m * k), rawA);
      mem.fill(0, rawA + (m - m0) * k, rawA + (mp - m0) * k);
      pcol(rawA * 4, (paOff + m0 * k) * 4, (mp - m0) / MR, k, k * 4, MR * k * 4, MR);
    }
  }
  if (bNT) {
    const n0 = bAt >= 0 ? n - (n % NR) : 0;
    if (n0 < np) {
      mem.set(Bm.subarray(n0 * k, n * k), rawB);
      mem.fill(0, rawB + (n - n0) * k, rawB + (np - n0) * k);
    }
    for (let p0 = 0; p0 < k; p0 += kc) {
      const kb = Math.min(kc, k - p0), dst = pbOff + p0 * np;
      if (n0) pcol(bAt + p0 * 4, dst * 4, n0 / NR, kb, k * 4, NR * k * 4, NR);
      if (n0 < np) pcol((rawB + p0) * 4, (dst + n0 * kb) * 4, (np - n0) / NR, kb, k * 4, NR * k * 4, NR);
    }
  } else if (bAt >= 0 && n === np) {
    for (let p0 = 0; p0 < k; p0 += kc) prow(bAt + p0 * n * 4, (pbOff + p0 * np) * 4, np / NR, Math.min(kc, k - p0), n * 4, NR * 4, NR);
  } else {
    stageRows(mem, rawB, Bm, k, n, np);
    for (let p0 = 0; p0 < k; p0 += kc) prow((rawB + p0 * np) * 4, (pbOff + p0 * np) * 4, np / NR, Math.min(kc, k - p0), np * 4, NR * 4, NR);
  }
  if (accumulate && cAt < 0) stageRows(mem, cOff, Cm, m, n, np);
  const acc = accumulate ? 1 : 0, cAddr = cAt >= 0 ? cAt : cOff * 4;
  if (helper) helper.run(index, mp, MR, k * 4, np * 4, [paOff * 4, pbOff * 4, cAddr, m, k, np, kc, np * 4, acc]);
  else {
    // Row blocks of about PACKED_MC rows, of whole tiles, the same size within a tile (no sliver at the end).
    const tiles = mp / MR, blocks = Math.max(1, Math.round(mp / PACKED_MC));
    for (let b = 0; b < blocks; b++) {
      const r0 = Math.floor((b * tiles) / blocks) * MR, r1 = Math.min(m, Math.floor(((b + 1) * tiles) / blocks) * MR);
      g((paOff + r0 * k) * 4, pbOff * 4, cAddr + r0 * np * 4, r1 - r0, k, np, kc, np * 4, acc);
    }
  }
  if (cAt < 0) copyOut(mem, cOff, np, Cm, m, n);
}
