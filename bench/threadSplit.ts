/**
 * The micro-benchmark behind SPLIT_MADDS (src/engine/cpu/simdPool.ts): one matrix product at
 * several sizes, on one thread and split with the helper thread, interleaved (A/B/A/B) for
 * several rounds; prints the median wall and CPU time per product (CPU time counts both threads)
 * and the speed-up of the split, and checks that both give the same floats. A second line per
 * shape says where a split product's time went (medians over its calls, ms from the hand-off):
 * when the helper started (its wake-up), when each thread passed the packing barrier and
 * finished its chunks, how many packing jobs and chunks each took, and the staging before.
 *
 * The header and the last line give the machine's two-thread ceiling at that time
 * (bench/coreCeiling.ts): the split cannot beat it.
 *
 *   node --import tsx bench/threadSplit.ts [--rounds 5] [--ms 150]
 */
import * as os from 'node:os';
import * as v8 from 'node:v8';
import { relaxedSimdSupported } from '../src/engine/cpu/relaxedSimd';
import { simdMatmul, simdSplits, simdThreads, simdTile } from '../src/engine/cpu/simdMatmul';
import { describeCeiling, twoCoreCeiling } from './coreCeiling';
import { forceSplitFrom, SPLIT_MADDS, startedHelper, type TaskTiming } from '../src/engine/cpu/simdPool';

// As bench/trainWorker.ts: measure the fused kernels VS Code's extension host runs.
if (process.env.NN_RELAXED_SIMD !== '0' && !relaxedSimdSupported()) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

/** m×k×n and layout: 'nt' = A·Bᵀ (a dense forward), 'nn' = A·B, 'tn' = Aᵀ·B (gradients). */
const SHAPES: [number, number, number, 'nt' | 'nn' | 'tn'][] = [
  [32, 32, 32, 'nt'], [64, 64, 64, 'nt'], [64, 128, 64, 'nn'], [64, 64, 128, 'tn'],
  [96, 128, 96, 'nt'], [128, 128, 128, 'nt'], [64, 784, 128, 'nt'], [128, 64, 784, 'tn'],
  [64, 128, 784, 'nn'], [256, 256, 256, 'nt'], [256, 1024, 1024, 'nt'], [1024, 256, 1024, 'tn'],
];

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs `f` for about `ms`; returns wall and CPU µs per call. `after` runs after each timed call, outside the time. */
function time(f: () => void, ms: number, after?: (wallMs: number) => void): { wall: number; cpu: number } {
  f();
  let n = 0, out = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let t = t0;
  while (t - t0 - out < ms) {
    const s = performance.now();
    f();
    n++;
    t = performance.now();
    if (after) {
      after(t - s);
      out += performance.now() - t;
      t = performance.now();
    }
  }
  const c = process.cpuUsage(c0);
  return { wall: ((t - t0 - out) * 1000) / n, cpu: (c.user + c.system) / n };
}

/** Medians of the split calls' timings; the helper's figures over the calls it took part in. */
function breakdown(ts: (TaskTiming & { outer: number })[]): string {
  type T = TaskTiming & { outer: number };
  const f = (xs: T[], get: (t: T) => number, digits = 2): string => (xs.length ? median(xs.map(get)).toFixed(digits) : '—');
  const took = ts.filter((t) => t.helperStart >= 0);
  return `split (ms, medians of ${ts.length}): outside the task (staging, copy-out) ${f(ts, (t) => t.outer - t.total)}, task ${f(ts, (t) => t.total)}; ` +
    `caller: packed ${f(ts, (t) => t.packed[0])}, chunks done ${f(ts, (t) => t.chunksDone[0])}, jobs ${f(ts, (t) => t.jobs[0], 0)}, chunks ${f(ts, (t) => t.chunks[0], 0)}; ` +
    `helper (in ${took.length} calls): in at ${f(took, (t) => t.helperStart, 3)}, packed ${f(took, (t) => t.packed[1])}, chunks done ${f(took, (t) => t.chunksDone[1])}, jobs ${f(took, (t) => t.jobs[1], 0)}, chunks ${f(took, (t) => t.chunks[1], 0)}`;
}

async function main(): Promise<void> {
  const rounds = arg('--rounds', 5), ms = arg('--ms', 150);
  console.log(`thread split micro-benchmark — ${os.cpus()[0]?.model ?? 'CPU'} × ${os.cpus().length}, load ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}, tile ${JSON.stringify(simdTile())}, threads ${simdThreads()}, SPLIT_MADDS ${SPLIT_MADDS}`);
  console.log(`  ${describeCeiling(await twoCoreCeiling())} (bench/coreCeiling.ts: what two threads can get here now)`);
  if (simdThreads() < 2) console.log('  no helper thread (NN_THREADS=1, one core, or no shared memory): both columns are one thread');
  console.log('  shape (layout)            madds   1t wall µs   2t wall µs   1t cpu µs   2t cpu µs   speed-up (spread)   same floats');
  for (const [m, k, n, layout] of SHAPES) {
    const A = new Float32Array(m * k).map((_, i) => Math.sin(i * 0.37));
    const B = new Float32Array(k * n).map((_, i) => Math.cos(i * 0.11));
    const C1 = new Float32Array(m * n), C2 = new Float32Array(m * n);
    const aT = layout === 'tn', bT = layout === 'nt';
    const one = (): void => { forceSplitFrom(Infinity); simdMatmul(A, B, C1, m, k, n, aT, bT, false); };
    const two = (): void => { forceSplitFrom(0); simdMatmul(A, B, C2, m, k, n, aT, bT, false); };
    const r1: { wall: number; cpu: number }[] = [], r2: typeof r1 = [];
    const timings: (TaskTiming & { outer: number })[] = [];
    const record = (wallMs: number): void => {
      const t = startedHelper()?.timing();
      if (t) timings.push({ ...t, outer: wallMs });
    };
    const before = simdSplits();
    for (let r = 0; r < rounds; r++) {
      r1.push(time(one, ms));
      r2.push(time(two, ms, record));
    }
    const split = simdSplits() > before;
    const same = C1.every((v, i) => Object.is(v, C2[i]));
    const ratios = r1.map((x, i) => x.wall / r2[i].wall);
    const w1 = median(r1.map((x) => x.wall)), w2 = median(r2.map((x) => x.wall));
    const c1 = median(r1.map((x) => x.cpu)), c2 = median(r2.map((x) => x.cpu));
    const shape = `${m}×${k}×${n} (${layout})`.padEnd(22);
    console.log(`  ${shape} ${String(m * k * n).padStart(10)} ${w1.toFixed(1).padStart(12)} ${w2.toFixed(1).padStart(12)} ${c1.toFixed(1).padStart(11)} ${c2.toFixed(1).padStart(11)}   ${(w1 / w2).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})${split ? '' : ' not split'}   ${same ? 'yes' : 'NO'}`);
    if (timings.length) console.log(`      ${breakdown(timings)}`);
  }
  forceSplitFrom(undefined);
  console.log(`load at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}; ${describeCeiling(await twoCoreCeiling())}`);
}

void main();
