/**
 * A WebAssembly SIMD (f32x4) kernel for C = A·Bᵀ, the product every big CPU matmul runs as.
 * JavaScript cannot use the CPU's vector units; wasm SIMD can, four floats per instruction.
 *
 * The module is emitted here byte by byte (a few hundred bytes, no toolchain, nothing fetched):
 * one function `nt(a, b, c, m, k, n)` over byte offsets into an imported memory, computing a
 * 2×4 block of C per pass with eight f32x4 accumulators. Operands are copied (or transposed)
 * into that memory with rows padded to a multiple of 4 floats and zero padding, so the kernel
 * has no edge cases; the copies cost O(k·(m+n)) against O(m·k·n) multiply-adds.
 */
import * as os from 'node:os';
import { CONTROL_BYTES, SimdHelper } from './simdPool';
import { section, str, uleb } from './wasmBytes';

// Opcodes (core and the 0xfd SIMD prefix).
const LGET = 0x20, LSET = 0x21, LTEE = 0x22, I32C = 0x41, ADD = 0x6a, MUL = 0x6c, SHL = 0x74, LTU = 0x49, GEU = 0x4f;
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BRIF = 0x0d, END = 0x0b, VOID = 0x40, F32ADD = 0x92, F32STORE = 0x38;
const V128 = 0x7b, I32 = 0x7f;
const vload = (): number[] => [0xfd, 0x00, 0x02, 0x00];
const vconst0 = (): number[] => [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const fadd4 = (): number[] => [0xfd, ...uleb(0xe4)];
const fmul4 = (): number[] => [0xfd, ...uleb(0xe6)];
const lane = (l: number): number[] => [0xfd, 0x1f, l];

// Locals: params 0..5 = a b c m k n; then i32 i j p a0 a1 b0 b1 b2 b3 kb cc; then v128 acc[8] x0 x1 y.
const A = 0, B = 1, C = 2, M = 3, K = 4, N = 5;
const I = 6, J = 7, P = 8, A0 = 9, A1 = 10, B0 = 11, KB = 15, CC = 16;
const ACC = 17, X0 = 25, X1 = 26, Y = 27;

function hsum(acc: number): number[] {
  // ((l0 + l1) + l2) + l3 of one accumulator, left on the stack as an f32.
  return [LGET, acc, ...lane(0), LGET, acc, ...lane(1), F32ADD, LGET, acc, ...lane(2), F32ADD, LGET, acc, ...lane(3), F32ADD];
}

function body(): number[] {
  const code: number[] = [];
  const e = (...b: number[]): void => { code.push(...b); };
  e(LGET, K, I32C, 2, SHL, LSET, KB); // kb = k*4 (bytes per padded row)
  e(I32C, 0, LSET, I);
  e(BLOCK, VOID, LOOP, VOID);
  e(LGET, I, LGET, M, GEU, BRIF, 1);
  e(LGET, A, LGET, I, LGET, KB, MUL, ADD, LTEE, A0, LGET, KB, ADD, LSET, A1);
  e(I32C, 0, LSET, J);
  e(BLOCK, VOID, LOOP, VOID);
  e(LGET, J, LGET, N, GEU, BRIF, 1);
  e(LGET, B, LGET, J, LGET, KB, MUL, ADD, LSET, B0);
  for (let t = 1; t < 4; t++) e(LGET, B0 + t - 1, LGET, KB, ADD, LSET, B0 + t);
  for (let t = 0; t < 8; t++) e(...vconst0(), LSET, ACC + t);
  e(I32C, 0, LSET, P);
  e(LOOP, VOID);
  e(LGET, A0, LGET, P, ADD, ...vload(), LSET, X0);
  e(LGET, A1, LGET, P, ADD, ...vload(), LSET, X1);
  for (let t = 0; t < 4; t++) {
    e(LGET, B0 + t, LGET, P, ADD, ...vload(), LSET, Y);
    e(LGET, ACC + t, LGET, X0, LGET, Y, ...fmul4(), ...fadd4(), LSET, ACC + t);
    e(LGET, ACC + 4 + t, LGET, X1, LGET, Y, ...fmul4(), ...fadd4(), LSET, ACC + 4 + t);
  }
  e(LGET, P, I32C, 16, ADD, LTEE, P, LGET, KB, LTU, BRIF, 0);
  e(END);
  // cc = c + (i*n + j)*4; row 0 at cc, row 1 at cc + n*4.
  e(LGET, C, LGET, I, LGET, N, MUL, LGET, J, ADD, I32C, 2, SHL, ADD, LSET, CC);
  for (let t = 0; t < 4; t++) e(LGET, CC, ...hsum(ACC + t), F32STORE, 0x02, ...uleb(4 * t));
  e(LGET, CC, LGET, N, I32C, 2, SHL, ADD, LSET, CC);
  for (let t = 0; t < 4; t++) e(LGET, CC, ...hsum(ACC + 4 + t), F32STORE, 0x02, ...uleb(4 * t));
  e(LGET, J, I32C, 4, ADD, LSET, J, BR, 0, END, END);
  e(LGET, I, I32C, 2, ADD, LSET, I, BR, 0, END, END);
  e(END);
  const locals = [2, ...uleb(11), I32, ...uleb(11), V128];
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

/** The module's bytes. */
export function simdModuleBytes(shared = false): Uint8Array {
  const type = section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0]);
  // A shared memory (for the helper thread) must declare its maximum.
  const limits = shared ? [0x03, 1, ...uleb(MAX_PAGES)] : [0x00, 1];
  const imports = section(2, [1, ...str('env'), ...str('mem'), 0x02, ...limits]);
  const funcs = section(3, [1, 0]);
  const exports = section(7, [1, ...str('nt'), 0x00, 0]);
  const code = section(10, [1, ...body()]);
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...imports, ...funcs, ...exports, ...code]);
}

type NtFn = (a: number, b: number, c: number, m: number, k: number, n: number) => void;

/** 1 GiB of 64 KiB pages: far above what the wide workload stages (about 6 MiB). */
const MAX_PAGES = 16384;

/** The slice of the WebAssembly JS API used here (the host tsconfig has no DOM/wasm typings). */
interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

/** The runtime's WebAssembly object, when there is one. */
export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let runtime: { mem: WasmMemory; nt: NtFn; f32: Float32Array; helper?: SimdHelper } | null | undefined;

/** The instantiated kernel (with a helper thread when memory can be shared), or null without wasm SIMD. */
function getRuntime(): typeof runtime {
  if (runtime !== undefined) return runtime;
  runtime = null;
  if (!wasmApi) return runtime;
  for (const shared of typeof SharedArrayBuffer === 'function' ? [true, false] : [false]) {
    try {
      const bytes = simdModuleBytes(shared);
      const mem = new wasmApi.Memory(shared ? { initial: 16, maximum: MAX_PAGES, shared } : { initial: 16 });
      const inst = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { mem } });
      const helper = shared && cpuCount() > 1 ? SimdHelper.create(mem, bytes) : undefined;
      runtime = { mem, nt: inst.exports.nt as NtFn, f32: new Float32Array(mem.buffer), helper };
      break;
    } catch {
      // Try without shared memory, then give up (the JS kernels run).
    }
  }
  return runtime;
}

function cpuCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Whether a helper thread shares big products (for the bench's notes). */
export function simdThreads(): number {
  return getRuntime()?.helper ? 2 : 1;
}

/** From this many multiply-adds a product is split between two threads (hand-off costs ~10 µs). */
const THREAD_MATMUL = 1 << 20;

/** Whether the SIMD kernel can run here. */
export function simdAvailable(): boolean {
  return getRuntime() !== null;
}

const pad4 = (x: number): number => (x + 3) & ~3;

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
  const kp = pad4(k), mp = (m + 1) & ~1, np = pad4(n);
  // Float offsets; the control block of the helper thread sits below them.
  const aOff = CONTROL_BYTES / 4, bOff = aOff + mp * kp, cOff = bOff + np * kp;
  const mem = reserve(cOff + mp * np);
  stage(mem, aOff, Am, m, k, kp, mp, aT);
  stage(mem, bOff, Bm, n, k, kp, np, !bNT);
  const rt = getRuntime() as NonNullable<typeof runtime>;
  if (rt.helper && mp >= 4 && m * k * n >= THREAD_MATMUL) {
    // Rows [0, h) here, [h, mp) on the helper; h even, as the kernel makes 2 rows per pass.
    const h = ((mp >> 1) + 1) & ~1;
    rt.helper.start((aOff + h * kp) * 4, bOff * 4, (cOff + h * np) * 4, mp - h, kp, np);
    rt.nt(aOff * 4, bOff * 4, cOff * 4, h, kp, np);
    rt.helper.wait();
  } else {
    rt.nt(aOff * 4, bOff * 4, cOff * 4, mp, kp, np);
  }
  for (let i = 0; i < m; i++) {
    const src = cOff + i * np;
    const dst = i * n;
    if (accumulate) for (let j = 0; j < n; j++) Cm[dst + j] += mem[src + j];
    else Cm.set(mem.subarray(src, src + n), dst);
  }
}
