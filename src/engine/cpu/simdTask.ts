/**
 * What the calling thread and the helper thread (simdPool.ts) run together for one matrix
 * product, in two phases over the shared wasm memory:
 *
 * 1. Packing: the operands' packing calls (prow/pcol of simdPacked.ts), queued by the product
 *    while it stages them, each cut into two jobs by panels. Both threads claim jobs (an atomic
 *    counter) until none is left, then wait for every job to be done (a barrier: the kernel
 *    reads all of packed B and its rows of packed A).
 * 2. The product: chunks of whole row tiles of C, claimed the same way.
 *
 * A helper that is late simply finds nothing left to claim, so the product never waits for it
 * unless it holds a job. Every packed panel and every row of C is computed by the same code on
 * the same operands in the same order whichever thread takes it, so the floats are the same as
 * on one thread. The source below is evaluated on both sides, so they cannot disagree.
 *
 * Each side stamps when it started, finished packing and finished its chunks (timing(), for
 * bench/threadSplit.ts: the helper's wake-up latency, each thread's share, the imbalance).
 */

/** Bytes at the start of the shared memory for the control block (Int32 slots, below, then the stamps). */
export const CONTROL_BYTES = 4096;

// Slots: GEN task generation (the helper waits on it); PCLAIM and KCLAIM the claim words of the
// two phases (gen << 16 | jobs << 8 | next job); PDONE and KDONE the jobs finished; READY the
// bit mask of modules the helper compiled (READY_BIT once started); FAIL set when a job threw on
// the helper; SPIN_US how long the helper spins for the next task before it sleeps; DELAY_US
// (tests) a sleep before each packing job the helper takes; NCALLS the queued packing calls
// (CALL_INTS each from CALLS); then the kernel task: module, rows of C, rows per tile, bytes per
// row of A and of C, the kernel's arguments, and its chunks (BOUNDS).
export const GEN = 0, PCLAIM = 1, KCLAIM = 2, PDONE = 3, KDONE = 4, READY = 5, FAIL = 6, SPIN_US = 7;
/** Tests only: the helper sleeps this long (µs) before each packing job it takes (on SLEEP, a slot that stays 0). */
export const DELAY_US = 14, SLEEP = 15;
export const NCALLS = 8, KERNEL = 9, ROWS = 10, QUANTUM = 11, AROW = 12, CROW = 13, ARGS = 16, MAX_ARGS = 11;
export const CALLS = 32, CALL_INTS = 9, MAX_CALLS = 64;
/** The kernel's chunks: tile starts (BOUNDS + j, chunk j; one more for the end), at most MAX_CHUNKS chunks. */
export const BOUNDS = 640, MAX_CHUNKS = 255;
/** Jobs per packing call (cut by panels): one per thread. */
export const PARTS = 2;
/** Byte offset of the stamps (Float64, 8 per side: start, past the packing barrier, last chunk done, jobs, chunks, task generation). */
export const STAMPS = 3584;
export const READY_BIT = 1 << 30;

// waitFor: until ctl[slot] >= target (or, for the helper, the task is no longer `gen`): spins
// ~0.2 ms (a job ends within that when both threads run), then sleeps in 1 ms waits.
// packCall: panels [q0, q1) of one queued call; a call is (module, src, dst, panels, depth,
// stride, pstride, w, bytes per panel).
export const TASK_SOURCE = `
const nowMs = () => performance.timeOrigin + performance.now();
function waitFor(ctl, slot, target, gen) {
  let v, i = 0, until = 0;
  while ((v = Atomics.load(ctl, slot)) < target) {
    if (gen >= 0 && Atomics.load(ctl, ${GEN}) !== gen) return;
    if ((++i & 255) === 0) {
      const t = performance.now();
      if (until === 0) until = t + 0.2;
      else if (t > until) Atomics.wait(ctl, slot, v, 1);
    }
  }
}
function claim(ctl, slot, gen) {
  for (;;) {
    const v = Atomics.load(ctl, slot);
    const jobs = (v >>> 8) & 255, next = v & 255;
    if ((v >>> 16) !== gen || next >= jobs) return -1;
    if (Atomics.compareExchange(ctl, slot, v, v + 1) === v) return next;
  }
}
function packCall(ctl, fns, c, q0, q1) {
  const o = ${CALLS} + c * ${CALL_INTS};
  if (q1 > q0) fns[ctl[o]](ctl[o + 1] + q0 * ctl[o + 6], ctl[o + 2] + q0 * ctl[o + 8], q1 - q0, ctl[o + 4], ctl[o + 5], ctl[o + 6], ctl[o + 7]);
}
function runTask(ctl, fns, gen, side) {
  const st = new Float64Array(ctl.buffer, ${STAMPS} + side * 64, 8);
  st[0] = nowMs();
  st[1] = st[2] = st[3] = st[4] = 0;
  st[5] = gen;
  let j;
  while ((j = claim(ctl, ${PCLAIM}, gen)) >= 0) {
    const c = Math.floor(j / ${PARTS}), part = j % ${PARTS}, panels = ctl[${CALLS} + c * ${CALL_INTS} + 3];
    if (side && ctl[${DELAY_US}] > 0) Atomics.wait(ctl, ${SLEEP}, 0, ctl[${DELAY_US}] / 1000);
    try {
      packCall(ctl, fns, c, Math.floor((part * panels) / ${PARTS}), Math.floor(((part + 1) * panels) / ${PARTS}));
    } catch (e) {
      Atomics.store(ctl, ${FAIL}, 1);
    }
    st[3]++;
    Atomics.add(ctl, ${PDONE}, 1);
    Atomics.notify(ctl, ${PDONE});
  }
  waitFor(ctl, ${PDONE}, ctl[${NCALLS}] * ${PARTS}, side ? gen : -1);
  st[1] = st[2] = nowMs();
  while ((j = claim(ctl, ${KCLAIM}, gen)) >= 0) {
    // The last tile may reach past C's rows (m, the kernel's fourth argument): the kernel skips those.
    const q = ctl[${QUANTUM}], r0 = ctl[${BOUNDS} + j] * q, r1 = Math.min(ctl[${BOUNDS} + j + 1] * q, ctl[${ARGS + 3}]);
    try {
      if (r1 > r0) fns[ctl[${KERNEL}]](ctl[${ARGS}] + r0 * ctl[${AROW}], ctl[${ARGS + 1}], ctl[${ARGS + 2}] + r0 * ctl[${CROW}], r1 - r0,
        ctl[${ARGS + 4}], ctl[${ARGS + 5}], ctl[${ARGS + 6}], ctl[${ARGS + 7}], ctl[${ARGS + 8}], ctl[${ARGS + 9}], ctl[${ARGS + 10}]);
    } catch (e) {
      Atomics.store(ctl, ${FAIL}, 1);
    }
    // Stamped before the chunk counts as done: the caller reads the stamps once every chunk is.
    st[4]++;
    st[2] = nowMs();
    Atomics.add(ctl, ${KDONE}, 1);
    Atomics.notify(ctl, ${KDONE});
  }
}
`;

type RunTask = (ctl: Int32Array, fns: ((...a: number[]) => void)[], gen: number, side: number) => void;
type WaitFor = (ctl: Int32Array, slot: number, target: number, gen: number) => void;
type PackCall = (ctl: Int32Array, fns: ((...a: number[]) => void)[], c: number, q0: number, q1: number) => void;

/** The calling thread's copies of the task functions (the same source the helper runs). */
export const task = new Function(`${TASK_SOURCE}\nreturn { runTask, waitFor, packCall };`)() as { runTask: RunTask; waitFor: WaitFor; packCall: PackCall };

/** A packing function of simdPacked.ts: (src, dst, panels, depth, stride, pstride, w), byte offsets. */
export type PackFn = (src: number, dst: number, panels: number, depth: number, stride: number, pstride: number, w: number) => void;

/**
 * The packing calls of one product, queued in the control block instead of run, for both
 * threads to share (phase 1). `prow` and `pcol` take the same arguments as simdPacked.ts's; past
 * MAX_CALLS calls (a very deep product) the rest run at once on the calling thread.
 */
export class PackQueue {
  count = 0;
  readonly prow: PackFn;
  readonly pcol: PackFn;

  /** `rowIndex`, `colIndex`: the modules' indexes in `fns` (the helper has the same). */
  constructor(private readonly ctl: Int32Array, fns: ((...a: number[]) => void)[], rowIndex: number, colIndex: number) {
    // Both write panels of w floats per depth step.
    this.prow = (src, dst, panels, depth, stride, pstride, w) => this.push(fns, rowIndex, [src, dst, panels, depth, stride, pstride, w], depth * w * 4);
    this.pcol = (src, dst, panels, depth, stride, pstride, w) => this.push(fns, colIndex, [src, dst, panels, depth, stride, pstride, w], depth * w * 4);
  }

  private push(fns: ((...a: number[]) => void)[], index: number, args: number[], panelBytes: number): void {
    if (this.count >= MAX_CALLS) {
      fns[index](...args);
      return;
    }
    const o = CALLS + this.count++ * CALL_INTS;
    this.ctl[o] = index;
    for (let i = 0; i < 7; i++) this.ctl[o + 1 + i] = args[i];
    this.ctl[o + 8] = panelBytes;
  }
}

/** Where one split product's time went, in ms from when the caller posted it (bench/threadSplit.ts). */
export interface TaskTiming {
  /** The helper's start (its wake-up latency), or -1 when it took no part. */
  helperStart: number;
  /** Each side's end of packing (after the barrier) and of its chunks: [caller, helper]. */
  packed: [number, number];
  chunksDone: [number, number];
  /** Packing jobs and chunks each side took: [caller, helper]. */
  jobs: [number, number];
  chunks: [number, number];
  /** The whole task, as the caller saw it. */
  total: number;
}

/**
 * The stamps of task `gen` (`end`: when the caller saw every chunk done), relative to the
 * caller's start. Each side stamps its jobs and chunks before counting them done, so what the
 * helper did is all there; a helper that arrived after the caller's last look shows as none.
 */
export function readTiming(ctl: Int32Array, gen: number, end: number): TaskTiming {
  const c = new Float64Array(ctl.buffer, STAMPS, 8), h = new Float64Array(ctl.buffer, STAMPS + 64, 8);
  const t0 = c[0], took = h[5] === gen && h[0] >= t0 - 1;
  const rel = (x: number): number => (took ? x - t0 : -1);
  return {
    helperStart: rel(h[0]),
    packed: [c[1] - t0, rel(h[1])],
    chunksDone: [c[2] - t0, rel(h[2])],
    jobs: [c[3], took ? h[3] : 0],
    chunks: [c[4], took ? h[4] : 0],
    total: end - t0,
  };
}
