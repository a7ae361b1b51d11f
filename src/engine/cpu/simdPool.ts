/**
 * The second core for the SIMD matmul: one helper worker thread that shares the kernel's
 * WebAssembly memory and computes the lower half of C's rows while the calling thread does the
 * upper half. Hand-off is through Atomics on a control block at the start of that memory (no
 * messages, no copies, no promises), so a step stays synchronous.
 */
import { Worker } from 'node:worker_threads';

/** Control block layout (Int32 slots at byte 0): [0] task generation, [1] done generation, [2..7] kernel arguments. */
export const CONTROL_BYTES = 64;

// Plain JS run with eval: it must not depend on the bundle's module layout.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { mem, bytes } = workerData;
const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem } });
const nt = inst.exports.nt;
const ctl = new Int32Array(mem.buffer, 0, 16);
let gen = 0;
for (;;) {
  Atomics.wait(ctl, 0, gen);
  gen = Atomics.load(ctl, 0);
  if (gen < 0) break;
  nt(ctl[2], ctl[3], ctl[4], ctl[5], ctl[6], ctl[7]);
  Atomics.store(ctl, 1, gen);
  Atomics.notify(ctl, 1);
}
`;

/** A helper thread running the `nt` kernel on request. */
export class SimdHelper {
  private readonly ctl: Int32Array;
  private gen = 0;

  private constructor(mem: { buffer: ArrayBufferLike }, private readonly worker: Worker) {
    this.ctl = new Int32Array(mem.buffer, 0, 16);
  }

  /**
   * Starts the helper when NN_THREADS=2, else returns undefined (one thread runs). Opt-in because
   * it has not yet been shown to pay: on the shared 2-core build machine (load average 13–20)
   * A/B runs of a 256×1024×1024 product gave 6.4–8.8 GFLOP/s with it and 7.4–8.3 without.
   */
  static create(mem: { buffer: ArrayBufferLike }, bytes: Uint8Array): SimdHelper | undefined {
    if (Number(process.env.NN_THREADS ?? '1') < 2) return undefined;
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { mem, bytes } });
      // Never keep a finished CLI or test run alive for the helper's sake.
      worker.unref();
      worker.on('error', () => undefined);
      return new SimdHelper(mem, worker);
    } catch {
      return undefined;
    }
  }

  /** Hands `nt(a, b, c, m, k, n)` (byte offsets) to the helper; returns at once. */
  start(a: number, b: number, c: number, m: number, k: number, n: number): void {
    const ctl = this.ctl;
    ctl[2] = a; ctl[3] = b; ctl[4] = c; ctl[5] = m; ctl[6] = k; ctl[7] = n;
    this.gen = (this.gen + 1) & 0x3fffffff;
    Atomics.store(ctl, 0, this.gen);
    Atomics.notify(ctl, 0, 1);
  }

  /** Blocks until the helper finished the task given last. */
  wait(): void {
    const ctl = this.ctl;
    let done: number;
    while ((done = Atomics.load(ctl, 1)) !== this.gen) Atomics.wait(ctl, 1, done, 1000);
  }
}
