/**
 * GFLOP/s of the CPU's SIMD matrix product (src/engine/cpu/simdMatmul.ts) at the shapes of a
 * training step of the wide (1024-1024-1024-10, batch 256) and mnist-like (784-128-64-10,
 * batch 64) workloads: each layer's forward (A·Bᵀ), input gradient (A·B) and weight gradient
 * (Aᵀ·B), as the CPU backend calls it (operands in JS arrays, the result written back).
 * A timing script, not a test: run it at one thread, on a quiet machine, several times.
 *
 *   NN_THREADS=1 node --import tsx bench/matmulShapes.ts [--rounds 5] [--ms 200] [--only wide|mnist] [--staged]
 *   (by default the operands are resident in the wasm memory, as the CPU backend's buffers are;
 *   --staged: plain JS arrays, copied in and out on every call)
 *   (NN_RELAXED_SIMD=0 for the multiply-then-add kernels)
 */
import * as os from 'node:os';
import * as v8 from 'node:v8';
import { relaxedSimd, relaxedSimdSupported } from '../src/engine/cpu/relaxedSimd';
import { residentArray, simdMatmul, simdThreads } from '../src/engine/cpu/simdMatmul';

// As bench/trainWorker.ts: measure the fused kernels VS Code's extension host runs.
if (process.env.NN_RELAXED_SIMD !== '0' && !relaxedSimdSupported()) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

type Layout = 'nt' | 'nn' | 'tn';
/** [workload, what, m, k, n, layout, accumulate]. */
const SHAPES: [string, string, number, number, number, Layout, boolean][] = [
  ['wide', 'fwd 1024→1024', 256, 1024, 1024, 'nt', false],
  ['wide', 'dX 1024→1024', 256, 1024, 1024, 'nn', false],
  ['wide', 'dW 1024→1024', 1024, 256, 1024, 'tn', false],
  ['wide', 'fwd 1024→10', 256, 1024, 10, 'nt', false],
  ['wide', 'dX 1024→10', 256, 10, 1024, 'nn', false],
  ['wide', 'dW 1024→10', 10, 256, 1024, 'tn', false],
  ['mnist', 'fwd 784→128', 64, 784, 128, 'nt', false],
  ['mnist', 'dW 784→128', 128, 64, 784, 'tn', false],
  ['mnist', 'fwd 128→64', 64, 128, 64, 'nt', false],
  ['mnist', 'dX 128→64', 64, 64, 128, 'nn', false],
  ['mnist', 'dW 128→64', 64, 64, 128, 'tn', false],
  ['mnist', 'fwd 64→10', 64, 64, 10, 'nt', false],
  ['mnist', 'dX 64→10', 64, 10, 64, 'nn', false],
  ['mnist', 'dW 64→10', 10, 64, 64, 'tn', false],
  ['mnist', 'dW 784→128 acc', 128, 64, 784, 'tn', true],
];

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

/** Best µs per call over `rounds` runs of about `ms` each (the best: other processes share the cores). */
function best(f: () => void, rounds: number, ms: number): number {
  let b = Infinity;
  f();
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms) { f(); n++; t = performance.now(); }
    b = Math.min(b, ((t - t0) * 1000) / n);
  }
  return b;
}

function main(): void {
  const rounds = Number(arg('--rounds', '5')), ms = Number(arg('--ms', '200')), only = arg('--only', '');
  const staged = process.argv.includes('--staged');
  const array = (n: number): Float32Array => (staged ? null : residentArray(n)) ?? new Float32Array(n);
  console.log(`matmul shapes — ${os.cpus()[0]?.model ?? 'CPU'}, threads ${simdThreads()}, fma ${relaxedSimd()}, operands ${staged ? 'staged' : 'resident'}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  let wide = 0, mnist = 0;
  for (const [wl, what, m, k, n, layout, acc] of SHAPES) {
    if (only && wl !== only) continue;
    // Filled in place (map would return a plain array).
    const A = array(m * k), B = array(k * n);
    A.forEach((_, i) => { A[i] = Math.sin(i * 0.37); });
    B.forEach((_, i) => { B[i] = Math.cos(i * 0.11); });
    const C = array(m * n);
    const us = best(() => simdMatmul(A, B, C, m, k, n, layout === 'tn', layout === 'nt', acc), rounds, ms);
    if (wl === 'wide') wide += us; else if (!acc) mnist += us;
    const gf = (2 * m * k * n) / us / 1e3;
    console.log(`  ${wl.padEnd(6)} ${what.padEnd(16)} ${`${m}×${k}×${n} ${layout}`.padEnd(20)} ${us.toFixed(1).padStart(9)} µs ${gf.toFixed(1).padStart(6)} GFLOP/s`);
  }
  console.log(`  sum of a step's products: wide ${(wide / 1000).toFixed(2)} ms, mnist ${(mnist / 1000).toFixed(3)} ms; load at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

main();
