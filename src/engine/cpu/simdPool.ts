/**
 * The second core for the SIMD matrix products: one helper worker thread that shares the
 * kernels' WebAssembly memory. A product's packing calls are cut into jobs by panels and the
 * product into chunks of whole rows of C (simdTask.ts); the calling thread and the helper each
 * claim jobs, then chunks (atomic counters) until none is left, so a helper that the OS has not
 * scheduled yet costs nothing: the caller simply does every job itself. Each panel and each row
 * of C is computed by the same code, over the same operands, in the same order, split or not, so
 * the results are bit for bit the same. Hand-off is through Atomics on a control block at the
 * start of that memory (no messages, no copies, no promises), so a step stays synchronous.
 *
 * NN_THREADS chooses: unset or `auto` starts the helper when the machine has at least two cores
 * and splits the products big enough to pay (SPLIT_MADDS, measured); `1` never starts it; `2`
 * starts it even on one core (products are still split by size).
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { BOUNDS, CONTROL_BYTES, DELAY_US, FAIL, GEN, KCLAIM, KDONE, KERNEL, MAX_ARGS, MAX_CHUNKS, NCALLS, PARTS, PCLAIM, PDONE, PackQueue, QUANTUM, READY, READY_BIT, ROWS, AROW, CROW, ARGS, SPIN_US, TASK_SOURCE, readTiming, task, type TaskTiming } from './simdTask';

export { CONTROL_BYTES, type TaskTiming };

// Plain JS run with eval: it must not depend on the bundle's module layout. Between tasks the
// helper spins for the next one (SPIN_US: within a step's forward or backward pass the big
// products follow each other closely), then sleeps on the generation word; a wake() from a product
// about to be split wakes it while the caller stages the operands.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { mem, modules } = workerData;
${TASK_SOURCE}
const fns = [];
let mask = ${READY_BIT};
modules.forEach((m, i) => {
  try {
    fns[i] = new WebAssembly.Instance(new WebAssembly.Module(m.bytes), { env: { mem } }).exports[m.name];
    mask |= 1 << i;
  } catch (e) {
    // This module is not offered: products that need it run on the calling thread alone.
  }
});
const ctl = new Int32Array(mem.buffer, 0, ${CONTROL_BYTES / 4});
let gen = Atomics.load(ctl, ${GEN});
Atomics.store(ctl, ${READY}, mask);
for (;;) {
  let g = Atomics.load(ctl, ${GEN});
  if (g === gen) {
    const until = performance.now() + ctl[${SPIN_US}] / 1000;
    for (let i = 1; (g = Atomics.load(ctl, ${GEN})) === gen; i++) if ((i & 255) === 0 && performance.now() > until) break;
    if (g === gen) {
      Atomics.wait(ctl, ${GEN}, gen);
      continue;
    }
  }
  gen = g;
  runTask(ctl, fns, gen, 1);
}
`;

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

/**
 * How a split product's rows are cut into chunks, as tile starts (the last entry: all tiles):
 * guided, each chunk about a quarter of the rows left, between MIN_CHUNK_ROWS and MAX_CHUNK_ROWS.
 * Both threads claim chunks in order, so the big ones go first and the thread that runs ahead
 * (the other one woke late, or shares its core with another process) takes more of the small
 * ones at the end: the two finish within a small chunk of each other. Measured on the 2-core
 * EPYC (thread CPU time of the kernel alone): chunks of 64–256 rows run as fast as a whole
 * 256-row product, 32 rows 4% slower, 16 rows 8%; 512 or 1024 rows at once 10–40% slower (A's
 * depth block no longer fits in L2).
 */
export const MIN_CHUNK_ROWS = 16, MAX_CHUNK_ROWS = 256;

let chunkOverride: number | undefined;

/** For the micro-benchmark: `n` equal chunks per split product instead (undefined: back to the guided cut). */
export function forceChunks(n: number | undefined): void {
  chunkOverride = n;
}

/** The tile starts of the chunks of `tiles` row tiles of `quantum` rows, then `tiles` (at most MAX_CHUNKS chunks). */
export function chunkStarts(tiles: number, quantum: number): number[] {
  const starts = [0];
  if (chunkOverride !== undefined) {
    const n = Math.max(1, Math.min(chunkOverride, tiles, MAX_CHUNKS));
    for (let j = 1; j <= n; j++) starts.push(Math.floor((j * tiles) / n));
    return starts;
  }
  const most = Math.max(Math.floor(MAX_CHUNK_ROWS / quantum), Math.ceil(tiles / (MAX_CHUNKS / 2)), 1);
  const least = Math.min(Math.max(1, Math.round(MIN_CHUNK_ROWS / quantum)), most);
  for (let at = 0; at < tiles;) {
    at += Math.min(tiles - at, most, Math.max(least, Math.ceil((tiles - at) / 4)));
    starts.push(at);
  }
  return starts;
}

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

/**
 * How long (µs) the helper spins for the next task before it sleeps: the short gaps between a
 * step's products (bias, activation), not the longer ones between steps, which the pre-wake
 * covers. Spinning longer burns the process's share of a loaded machine (PyTorch's OpenBLAS
 * threads, which spin, made 0.3–0.5× of one thread in the bench's rounds at load 6–7).
 */
export const HELPER_SPIN_US = 500;

let started: SimdHelper | undefined;

/** The helper this process started, if any (the micro-benchmark reads its timing and sets its spin). */
export function startedHelper(): SimdHelper | undefined {
  return started;
}

/** A helper thread running the shared-memory kernels on request. */
export class SimdHelper {
  private readonly ctl: Int32Array;
  private gen = 0;
  private readonly queue?: PackQueue;
  private readonly packIndex: number[] = [];
  private last?: { gen: number; end: number };

  private constructor(mem: { buffer: ArrayBufferLike }, private readonly fns: KernelFn[], modules: HelperModule[]) {
    this.ctl = new Int32Array(mem.buffer, 0, CONTROL_BYTES / 4);
    this.ctl[SPIN_US] = HELPER_SPIN_US;
    const row = modules.findIndex((m) => m.name === 'prow'), col = modules.findIndex((m) => m.name === 'pcol');
    if (row >= 0 && col >= 0) {
      this.queue = new PackQueue(this.ctl, fns, row, col);
      this.packIndex = [row, col];
    }
  }

  /**
   * Starts the helper when NN_THREADS and the core count ask for it (wantsHelper), else returns
   * undefined (one thread runs). `fns` are the calling thread's instances of `modules`, by index
   * (undefined where one did not compile); the helper compiles its own. Modules named `prow` and
   * `pcol` (simdPacked.ts's packing) let both threads pack a product's operands (packs()).
   */
  static create(mem: { buffer: ArrayBufferLike }, modules: HelperModule[], fns: (KernelFn | undefined)[], setting: ThreadSetting = threadSettingOrAuto()): SimdHelper | undefined {
    if (!wantsHelper(setting, cpuCount())) return undefined;
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { mem, modules } });
      // Never keep a finished CLI or test run alive for the helper's sake.
      worker.unref();
      worker.on('error', () => undefined);
      return (started = new SimdHelper(mem, fns as KernelFn[], modules));
    } catch {
      return undefined;
    }
  }

  /** Whether the helper has compiled module `index` and the packing modules (until it has started, nothing is split). */
  ready(index: number): boolean {
    const mask = Atomics.load(this.ctl, READY);
    if ((mask & READY_BIT) === 0 || !this.queue) return false;
    return [index, ...this.packIndex].every((i) => (mask & (1 << i)) !== 0 && this.fns[i] !== undefined);
  }

  /**
   * Starts a product: wakes a sleeping helper ahead of its task (it spins for it meanwhile, so
   * its wake-up overlaps the caller's staging) and empties the packing queue.
   */
  wake(): void {
    if (this.queue) this.queue.count = 0;
    Atomics.notify(this.ctl, GEN, 1);
  }

  /** For the micro-benchmark: how long the helper spins for the next task (µs; 0: it sleeps at once). */
  spin(us: number): void {
    this.ctl[SPIN_US] = us;
  }

  /**
   * For tests: the helper sleeps `us` µs before each packing job it takes (0: never), so a
   * product whose kernel did not wait for every packing job would read unpacked panels.
   */
  delayPacking(us: number): void {
    this.ctl[DELAY_US] = us;
  }

  /**
   * prow and pcol (simdPacked.ts's arguments) that queue the next product's packing calls
   * instead of running them: run() shares them between both threads before the product.
   */
  packs(): PackQueue {
    const q = this.queue as PackQueue;
    q.count = 0;
    return q;
  }

  /**
   * Runs the queued packing calls (packs(), since the last run), then kernel `index` over `rows`
   * rows of C (a multiple of `quantum`, the kernel's tile), both split into jobs that this thread
   * and the helper claim; returns when all are done. `args` are the kernel's arguments for the
   * whole product, in order a, b, c, m (C's rows: each chunk passes its rows below m), then the rest;
   * `aRow` and `cRow` are the bytes from one row of A and of C to the next.
   */
  run(index: number, rows: number, quantum: number, aRow: number, cRow: number, args: number[]): void {
    const ctl = this.ctl;
    if (args.length > MAX_ARGS) throw new Error(`a helper task takes at most ${MAX_ARGS} arguments`);
    const calls = this.queue?.count ?? 0, starts = chunkStarts(rows / quantum, quantum), chunks = starts.length - 1;
    for (let j = 0; j <= chunks; j++) ctl[BOUNDS + j] = starts[j];
    if (this.queue) this.queue.count = 0;
    ctl[NCALLS] = calls;
    ctl[KERNEL] = index; ctl[ROWS] = rows; ctl[QUANTUM] = quantum; ctl[AROW] = aRow; ctl[CROW] = cRow;
    for (let i = 0; i < MAX_ARGS; i++) ctl[ARGS + i] = args[i] ?? 0;
    Atomics.store(ctl, PDONE, 0);
    Atomics.store(ctl, KDONE, 0);
    this.gen = (this.gen + 1) & 0x7fff;
    Atomics.store(ctl, PCLAIM, (this.gen << 16) | ((calls * PARTS) << 8));
    Atomics.store(ctl, KCLAIM, (this.gen << 16) | (chunks << 8));
    Atomics.store(ctl, GEN, this.gen);
    Atomics.notify(ctl, GEN, 1);
    task.runTask(ctl, this.fns, this.gen, 0);
    task.waitFor(ctl, KDONE, chunks, -1);
    this.last = { gen: this.gen, end: performance.timeOrigin + performance.now() };
    if (Atomics.exchange(ctl, FAIL, 0) !== 0) throw new Error('A matrix product failed on the CPU backend (split across two threads). Run again with NN_THREADS=1, and report the design that shows it.');
  }

  /** Where the last run()'s time went (bench/threadSplit.ts), or undefined before the first. */
  timing(): TaskTiming | undefined {
    const l = this.last;
    return l && readTiming(this.ctl, l.gen, l.end);
  }
}
