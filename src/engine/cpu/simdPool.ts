/**
 * The second core for the SIMD matrix products: one helper worker thread that shares the
 * kernels' WebAssembly memory. A product is cut into chunks of whole rows of C; the calling
 * thread and the helper each claim chunks (an atomic counter) until none is left, so a helper
 * that the OS has not scheduled yet costs nothing: the caller simply computes every chunk itself.
 * Each row of C is computed by the same kernel, over the same operands, in the same order, split
 * or not, so the results are bit for bit the same. Hand-off is through Atomics on a control block
 * at the start of that memory (no messages, no copies, no promises), so a step stays synchronous.
 *
 * NN_THREADS chooses: unset or `auto` starts the helper when the machine has at least two cores
 * and splits the products big enough to pay (SPLIT_MADDS, measured); `1` never starts it; `2`
 * starts it even on one core (products are still split by size).
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';

/** Bytes reserved at the start of the shared memory for the control block (Int32 slots, below). */
export const CONTROL_BYTES = 128;

// Control slots: GEN task generation (the helper waits on it), NEXT the claim word
// (gen << 16 | chunks << 8 | next chunk), DONE chunks finished, READY the bit mask of kernels the
// helper compiled (READY_BIT set once it started), FAIL set when a chunk threw on the helper;
// then the task: kernel, rows of C, rows per kernel tile, bytes per row of A and of C, and the
// kernel's arguments (up to 11).
const GEN = 0, DONE = 2, READY = 3, FAIL = 20, KERNEL = 4, ROWS = 5, QUANTUM = 6, AROW = 7, CROW = 8, ARGS = 9, MAX_ARGS = 11;
const READY_BIT = 1 << 30;

// The chunk loop both threads run: one source, evaluated on each side, so they cannot disagree.
// A chunk is claimed before its arguments are read; they stay put until every chunk is done.
const RUN_CHUNKS = `function runChunks(ctl, fns, gen) {
  for (;;) {
    const v = Atomics.load(ctl, 1);
    const chunks = (v >>> 8) & 255, next = v & 255;
    if ((v >>> 16) !== gen || next >= chunks) return;
    if (Atomics.compareExchange(ctl, 1, v, v + 1) !== v) continue;
    const q = ctl[${QUANTUM}], tiles = ctl[${ROWS}] / q;
    const r0 = Math.floor((next * tiles) / chunks) * q, r1 = Math.floor(((next + 1) * tiles) / chunks) * q;
    try {
      if (r1 > r0) fns[ctl[${KERNEL}]](ctl[${ARGS}] + r0 * ctl[${AROW}], ctl[${ARGS + 1}], ctl[${ARGS + 2}] + r0 * ctl[${CROW}], r1 - r0,
        ctl[${ARGS + 4}], ctl[${ARGS + 5}], ctl[${ARGS + 6}], ctl[${ARGS + 7}], ctl[${ARGS + 8}], ctl[${ARGS + 9}], ctl[${ARGS + 10}]);
    } catch (e) {
      Atomics.store(ctl, ${FAIL}, 1);
    }
    Atomics.add(ctl, ${DONE}, 1);
    Atomics.notify(ctl, ${DONE});
  }
}`;

// Plain JS run with eval: it must not depend on the bundle's module layout.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { mem, modules } = workerData;
${RUN_CHUNKS}
const fns = [];
let mask = ${READY_BIT};
modules.forEach((m, i) => {
  try {
    fns[i] = new WebAssembly.Instance(new WebAssembly.Module(m.bytes), { env: { mem } }).exports[m.name];
    mask |= 1 << i;
  } catch (e) {
    // This kernel is not offered: products that use it run on the calling thread alone.
  }
});
const ctl = new Int32Array(mem.buffer, 0, ${CONTROL_BYTES / 4});
Atomics.store(ctl, ${READY}, mask);
let gen = 0;
for (;;) {
  Atomics.wait(ctl, ${GEN}, gen);
  gen = Atomics.load(ctl, ${GEN});
  runChunks(ctl, fns, gen);
}
`;

type RunChunks = (ctl: Int32Array, fns: KernelFn[], gen: number) => void;
// The same source the helper runs (above).
const runChunks = new Function(`${RUN_CHUNKS}\nreturn runChunks;`)() as RunChunks;

/** A kernel export: byte offsets and sizes, as the wasm modules take them. */
export type KernelFn = (...args: number[]) => void;

/** A module the helper compiles over the shared memory, and the name of its one export. */
export interface HelperModule { bytes: Uint8Array; name: string }

/** What NN_THREADS asks for: `auto` (unset, empty or "auto"), or a forced 1 or 2. */
export type ThreadSetting = 'auto' | 1 | 2;

/** Reads NN_THREADS; anything else than 1, 2 or auto is an error the user can act on. */
export function threadSetting(env: Record<string, string | undefined> = process.env): ThreadSetting {
  const v = (env.NN_THREADS ?? '').trim().toLowerCase();
  if (v === '' || v === 'auto') return 'auto';
  if (v === '1' || v === '2') return Number(v) as 1 | 2;
  throw new Error(`NN_THREADS=${env.NN_THREADS} is not a thread count the CPU backend takes: use 1 (one core), 2 (a helper thread) or auto (the default: 2 when the machine has two cores or more).`);
}

/** threadSetting(), or `auto` with a warning on stderr (once) when NN_THREADS holds something else. */
export function threadSettingOrAuto(env: Record<string, string | undefined> = process.env): ThreadSetting {
  try {
    return threadSetting(env);
  } catch (e) {
    console.warn(`${(e as Error).message} Training goes on with auto.`);
    return 'auto';
  }
}

/** The cores this process may use (os.availableParallelism where Node has it). */
export function cpuCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Whether the helper thread is started under `setting` on a machine with `cores` cores. */
export function wantsHelper(setting: ThreadSetting, cores: number): boolean {
  return setting === 2 || (setting === 'auto' && cores >= 2);
}

/**
 * From this many multiply-adds (m·k·n) a product is split between the two threads. Measured
 * with bench/threadSplit.ts (one product, 1 vs 2 threads, interleaved, wall and CPU time) on the
 * shared 2-core build machine (load 7–10, so the wall times were noisy): a split costs 3–30 µs
 * of extra CPU time (waking the helper, claiming chunks, waiting for the last one), about 5% of
 * a 64×784×128 product (~600 µs on one thread) but 20–50% of a product under ~1M multiply-adds
 * (≤ 60 µs): close to the most a split can save there (half the product), before the helper's
 * wake-up latency. From ~4M (the mnist-like and wide layers) the saving dwarfs the hand-off.
 */
export const SPLIT_MADDS = 1 << 22;

/** What NN_THREADS chose on this machine, in words (the bench's header). */
export function describeThreads(env: Record<string, string | undefined> = process.env): string {
  const setting = threadSettingOrAuto(env), cores = cpuCount();
  const threads = wantsHelper(setting, cores) && typeof SharedArrayBuffer === 'function' ? 2 : 1;
  const why = setting === 'auto' ? `auto on ${cores} core(s)` : 'forced';
  return `NN_THREADS=${setting} → ${threads} thread(s) (${why})${threads === 2 ? `; products of ≥ ${(splitFrom() / 1e6).toFixed(1)}M multiply-adds are split` : ''}`;
}

/** Chunks per split product: two, one per thread, the second taken by whichever thread is free first. */
const CHUNKS = 2;

let splitOverride: number | undefined;

/**
 * For tests and the micro-benchmark: split every product of at least `madds` multiply-adds
 * (0: all of them; Infinity: none); `undefined` goes back to SPLIT_MADDS.
 */
export function forceSplitFrom(madds: number | undefined): void {
  splitOverride = madds;
}

/** The size from which products are split now. */
export function splitFrom(): number {
  return splitOverride ?? SPLIT_MADDS;
}

/** A helper thread running the shared-memory kernels on request. */
export class SimdHelper {
  private readonly ctl: Int32Array;
  private gen = 0;

  private constructor(mem: { buffer: ArrayBufferLike }, private readonly fns: KernelFn[]) {
    this.ctl = new Int32Array(mem.buffer, 0, CONTROL_BYTES / 4);
  }

  /**
   * Starts the helper when NN_THREADS and the core count ask for it (wantsHelper), else returns
   * undefined (one thread runs). `fns` are the calling thread's instances of `modules`, by index
   * (undefined where one did not compile); the helper compiles its own.
   */
  static create(mem: { buffer: ArrayBufferLike }, modules: HelperModule[], fns: (KernelFn | undefined)[], setting: ThreadSetting = threadSettingOrAuto()): SimdHelper | undefined {
    if (!wantsHelper(setting, cpuCount())) return undefined;
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { mem, modules } });
      // Never keep a finished CLI or test run alive for the helper's sake.
      worker.unref();
      worker.on('error', () => undefined);
      return new SimdHelper(mem, fns as KernelFn[]);
    } catch {
      return undefined;
    }
  }

  /** Whether the helper has compiled module `index` (until it has started, nothing is split). */
  ready(index: number): boolean {
    const mask = Atomics.load(this.ctl, READY);
    return (mask & READY_BIT) !== 0 && (mask & (1 << index)) !== 0;
  }

  /**
   * Runs kernel `index` over `rows` rows of C (a multiple of `quantum`, the kernel's tile),
   * split into chunks of whole tiles between this thread and the helper; returns when all are
   * done. `args` are the kernel's arguments for the whole product, in order a, b, c, m (ignored:
   * each chunk passes its rows), then the rest; `aRow` and `cRow` are the bytes from one row of
   * A and of C to the next.
   */
  run(index: number, rows: number, quantum: number, aRow: number, cRow: number, args: number[]): void {
    const ctl = this.ctl;
    if (args.length > MAX_ARGS) throw new Error(`a helper task takes at most ${MAX_ARGS} arguments`);
    ctl[KERNEL] = index; ctl[ROWS] = rows; ctl[QUANTUM] = quantum; ctl[AROW] = aRow; ctl[CROW] = cRow;
    for (let i = 0; i < MAX_ARGS; i++) ctl[ARGS + i] = args[i] ?? 0;
    Atomics.store(ctl, DONE, 0);
    this.gen = (this.gen + 1) & 0x7fff;
    Atomics.store(ctl, 1, (this.gen << 16) | (CHUNKS << 8));
    Atomics.store(ctl, GEN, this.gen);
    Atomics.notify(ctl, GEN, 1);
    runChunks(ctl, this.fns, this.gen);
    let done: number;
    while ((done = Atomics.load(ctl, DONE)) < CHUNKS) Atomics.wait(ctl, DONE, done, 1000);
    if (Atomics.exchange(ctl, FAIL, 0) !== 0) throw new Error('A matrix product failed on the CPU backend (split across two threads). Run again with NN_THREADS=1, and report the design that shows it.');
  }
}
