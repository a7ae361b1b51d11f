/**
 * What two threads can get out of this machine right now, whatever our code does: the packed
 * product kernel (src/engine/cpu/simdPacked.ts) on operands that stay in L1/L2 (16×256×16, no
 * memory traffic, no hand-off), on one worker thread alone, then on two at once, interleaved.
 * The ceiling is the two threads' GFLOP/s together over the one thread's. On a machine with two
 * free cores it is about 2; where the two (virtual) CPUs share a physical core's vector units
 * (SMT siblings on the host) or another process keeps one busy, it is lower, and no split of
 * the products can beat it. bench/threadSplit.ts prints it next to the split's speed-up.
 *
 *   node --import tsx bench/coreCeiling.ts [--rounds 3] [--ms 300]
 */
import * as os from 'node:os';
import * as v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { relaxedSimd, relaxedSimdSupported } from '../src/engine/cpu/relaxedSimd';
import { packedModuleBytes } from '../src/engine/cpu/simdPacked';
import { FMA_TILE, PLAIN_TILE } from '../src/engine/cpu/simdMatmul';

/** One measurement: GFLOP/s of one thread alone, of each of two at once, and their ratio. */
export interface Ceiling { solo: number; both: [number, number]; ratio: number }

// M: whole tiles of both kernels (5 rows fused, 4 not).
const M = 20, K = 256, N = 16, PAGES = 64, MAX_PAGES = 16384;

// Each worker waits for its turn (ctl[0] = round; ctl[1] = 1 solo, 2 both), runs the kernel for
// `ms` and writes its GFLOP/s to ctl[8 + id] (×1000), then counts itself done in ctl[2].
const WORKER = `
const { workerData } = require('node:worker_threads');
const { mem, bytes, id, ms } = workerData;
const g = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem } }).exports.gemmp;
const ctl = new Int32Array(mem.buffer, 0, 16);
const a = 4096 + id * 262144, b = a + ${M * K * 4}, c = b + ${K * N * 4};
let round = 0;
for (;;) {
  Atomics.wait(ctl, 0, round);
  round = Atomics.load(ctl, 0);
  if (round < 0) break;
  if (id < ctl[1]) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) { for (let i = 0; i < 50; i++) g(a, b, c, ${M}, ${K}, ${N}, ${K}, ${N * 4}, 0); n += 50; }
    ctl[8 + id] = Math.round((2 * ${M * K * N} * n) / (performance.now() - t0) / 1e3);
  }
  Atomics.add(ctl, 2, 1);
  Atomics.notify(ctl, 2);
}
`;

/** Runs `rounds` interleaved solo/both rounds of `ms` each; the best round of each kind (other processes only slow a round down). */
export async function twoCoreCeiling(rounds = 3, ms = 300): Promise<Ceiling> {
  const WA = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => { buffer: SharedArrayBuffer } } }).WebAssembly;
  const mem = new WA.Memory({ initial: PAGES, maximum: MAX_PAGES, shared: true });
  const f32 = new Float32Array(mem.buffer);
  for (let i = 1024; i < f32.length; i++) f32[i] = Math.sin(i) * 1e-3;
  const ctl = new Int32Array(mem.buffer, 0, 16);
  const bytes = packedModuleBytes(relaxedSimd() ? FMA_TILE : PLAIN_TILE, MAX_PAGES);
  const workers = [0, 1].map((id) => new Worker(WORKER, { eval: true, workerData: { mem, bytes, id, ms } }));
  await new Promise((r) => setTimeout(r, 200)); // both compiled and waiting
  let round = 0;
  const run = async (threads: number): Promise<number[]> => {
    ctl[1] = threads;
    Atomics.store(ctl, 2, 0);
    Atomics.store(ctl, 0, ++round);
    Atomics.notify(ctl, 0);
    while (Atomics.load(ctl, 2) < 2) await new Promise((r) => setTimeout(r, 5));
    return [ctl[8] / 1000, ctl[9] / 1000];
  };
  let solo = 0, both: [number, number] = [0, 0];
  for (let r = 0; r < rounds; r++) {
    solo = Math.max(solo, (await run(1))[0]);
    const [x, y] = await run(2);
    if (x + y > both[0] + both[1]) both = [x, y];
  }
  Atomics.store(ctl, 0, -1);
  Atomics.notify(ctl, 0);
  await Promise.all(workers.map((w) => w.terminate()));
  return { solo, both, ratio: (both[0] + both[1]) / solo };
}

/** The ceiling in words (the benches' headers). */
export function describeCeiling(c: Ceiling): string {
  return `two-thread ceiling now: ${c.ratio.toFixed(2)}× (kernel on cached operands: ${c.solo.toFixed(1)} GFLOP/s alone, ${c.both[0].toFixed(1)} + ${c.both[1].toFixed(1)} at once)`;
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

if (require.main === module) {
  if (process.env.NN_RELAXED_SIMD !== '0' && !relaxedSimdSupported()) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  void twoCoreCeiling(arg('--rounds', 3), arg('--ms', 300)).then((c) => {
    console.log(`${os.cpus()[0]?.model ?? 'CPU'} × ${os.cpus().length}, load ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}`);
    console.log(describeCeiling(c));
  });
}
