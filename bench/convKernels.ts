/**
 * Times the CPU conv2d kernels (forward, grad input, grad weight) on the `cnn` workload's two
 * convolutions, batch 64: `node --import tsx bench/convKernels.ts [repeats]`. Not part of
 * `npm run bench` (not a *.bench.ts): a quick look at one layer's kernels while tuning them.
 * Each figure is the median of the repeats in process CPU time (the kernels run on this thread
 * only), so a machine busy with other work inflates it less than wall time; fused multiply-adds
 * on as in VS Code (NN_RELAXED_SIMD=0 measures the fallback), as bench/trainWorker.ts does.
 */
import * as v8 from 'node:v8';
import { relaxedSimdSupported } from '../src/engine/cpu/relaxedSimd';
if (process.env.NN_RELAXED_SIMD !== '0' && !relaxedSimdSupported()) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
import { prepareKernel, type OpName, type Runnable } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/cpuBackend';
import { windowGeometry } from '../src/model/convGeometry';

const backend = new CpuBackend();
const repeats = Number(process.argv[2] ?? 10);

function time(fn: Runnable): number {
  fn(); // warm up (and let the wasm memory grow once)
  const ts: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = process.cpuUsage();
    fn();
    const t = process.cpuUsage(t0);
    ts.push((t.user + t.system) / 1000);
  }
  return ts.sort((a, b) => a - b)[Math.floor(ts.length / 2)];
}

for (const [name, hwc, filters] of [['conv 28×28×1 → 32 3×3', [28, 28, 1], 32], ['conv 13×13×32 → 64 3×3', [13, 13, 32], 64]] as const) {
  const rows = 64;
  const g0 = windowGeometry(hwc, 3, 1, 'valid');
  const g = { h: g0.h, w: g0.w, c: g0.c, kh: g0.kh, kw: g0.kw, sh: g0.sh, sw: g0.sw, padTop: g0.padTop, padLeft: g0.padLeft, oh: g0.oh, ow: g0.ow };
  const K = g.kh * g.kw * g.c;
  const buf = (n: number, label: string): ReturnType<CpuBackend['createBuffer']> => {
    const b = backend.createBuffer(n, label);
    const v = backend.view(b);
    for (let i = 0; i < n; i++) v[i] = Math.sin(i * 0.37);
    return b;
  };
  const X = buf(rows * g.h * g.w * g.c, 'X'), W = buf(filters * K, 'W'), dY = buf(rows * g.oh * g.ow * filters, 'dY');
  const dX = buf(rows * g.h * g.w * g.c, 'dX'), dW = buf(filters * K, 'dW'), Y = buf(rows * g.oh * g.ow * filters, 'Y');
  const flops = 2 * rows * g.oh * g.ow * K * filters;
  const prep = (op: OpName, attrs: object, inputs: typeof X[], outputs: typeof X[]): Runnable =>
    prepareKernel(backend, { op, attrs, inputs, outputs, dims: { rows } } as never, { step: 1 });
  const parts: Array<[string, Runnable]> = [
    ['forward', prep('conv2d', { ...g, filters }, [X, W], [Y])],
    ['grad input', prep('conv2dGradInput', { ...g, filters, accumulate: false }, [dY, W], [dX])],
    ['grad weight', prep('conv2dGradWeight', { ...g, filters, accumulate: false }, [X, dY], [dW])],
  ];
  let total = 0;
  const cells: string[] = [];
  for (const [part, fn] of parts) {
    const ms = time(fn);
    total += ms;
    cells.push(`${part} ${ms.toFixed(2)} ms (${(flops / ms / 1e6).toFixed(1)} GFLOP/s)`);
  }
  console.log(`${name}, batch ${rows}: ${cells.join(', ')}; total ${total.toFixed(2)} ms, ${((3 * flops) / total / 1e6).toFixed(1)} GFLOP/s`);
}
