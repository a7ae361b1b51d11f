/**
 * Where a WebGPU training step's time goes, for a machine with a GPU (`node --import tsx
 * bench/gpuProfile.ts`): the wide workload (1024-1024-1024-10, batch 256) stepped through the
 * TrainingSession that train() drives, with its per-step counts (dispatches, submissions, staging
 * buffers mapped = CPU↔GPU round trips, bind groups and buffers created), then each of its big
 * matrix products alone: REPEAT dispatches in one submission, timed to onSubmittedWorkDone, in
 * GFLOP/s. PROFILE_WIDTH shrinks the hidden layers and inputs (Mesa's CPU driver: the counts hold,
 * the times mean nothing there); PROFILE_STEPS sets the timed steps.
 */
import { analyzeNetwork } from '../src/model';
import { compileNetwork, trainSettingsFrom } from '../src/engine/compile';
import type { Dataset } from '../src/engine/data/dataset';
import { TrainingSession } from '../src/engine/trainingSession';
import { releaseGpu } from '../src/engine/webgpu/gpuDevice';
import { matmulGrid, matmulWgsl, type MatmulShape } from '../src/engine/webgpu/kernels/matmulWgsl';
import { createWebGpuBackend, type WebGpuBackend } from '../src/engine/webgpu/webgpuBackend';
import { makeWorkloadData, workloadDoc, WORKLOADS, type Workload } from './workloads';

const WIDTH = Number(process.env.PROFILE_WIDTH ?? 1024);
const STEPS = Number(process.env.PROFILE_STEPS ?? 100);
const REPEAT = Number(process.env.PROFILE_REPEAT ?? 50);

function workload(): Workload {
  const wide = WORKLOADS.find((w) => w.name === 'wide') as Workload;
  const layers = wide.layers.map((l, i) => (i < wide.layers.length - 1 ? { ...l, units: WIDTH } : l));
  return { ...wide, inputs: WIDTH, layers };
}

function counts(b: WebGpuBackend): Record<string, number> {
  const r = b.runtime;
  return { dispatches: r.dispatchCount, submits: r.submitCount, reads: r.readCount, maps: r.mapCount, bindGroups: r.bindGroupCreateCount, buffers: r.bufferCreateCount };
}

/** Steps the workload as train() does (running metrics, no validation split); ms per step and counts per step. */
async function profileSteps(b: WebGpuBackend, w: Workload): Promise<void> {
  const doc = workloadDoc(w);
  const net = compileNetwork(doc, analyzeNetwork(doc), { seed: 1 });
  const d = makeWorkloadData(w);
  const ds: Dataset = {
    x: d.x, y: d.y, count: w.samples, inputSize: w.inputs, outputSize: d.outputs,
    featureNames: Array.from({ length: w.inputs }, (_, i) => `x${i}`), labelNames: Array.from({ length: d.outputs }, (_, i) => `c${i}`), task: 'multiclass',
  };
  const session = new TrainingSession(b, net, { train: ds }, { ...trainSettingsFrom(doc.training), epochs: 1e6, validationSplit: 0, shuffle: false });
  session.collectTrainingMetrics();
  for (let s = 0; s < 2 * session.stepsPerEpoch; s++) await session.step();
  await session.runningLoss();
  const before = counts(b);
  const t0 = performance.now();
  for (let s = 0; s < STEPS; s++) await session.step();
  const loss = await session.runningLoss();
  const ms = (performance.now() - t0) / STEPS;
  const after = counts(b);
  const per = Object.entries(after).map(([k, v]) => `${k} ${((v - before[k]) / STEPS).toFixed(2)}`).join(', ');
  console.log(`steps (${w.inputs}-${w.layers.map((l) => l.units).join('-')}, batch ${w.batch}, ${session.stepsPerEpoch} steps an epoch): ${ms.toFixed(2)} ms per step, ${(w.batch / ms * 1000).toFixed(0)} samples/s, running loss ${loss.toFixed(4)}`);
  console.log(`  per step: ${per}`);
  session.dispose();
}

/** Each big product of a wide step alone: REPEAT dispatches in one submission. */
async function profileProducts(b: WebGpuBackend, w: Workload): Promise<void> {
  const rt = b.runtime;
  const B = w.batch, H = WIDTH;
  const shapes: (MatmulShape & { what: string })[] = [
    { what: 'forward x·W', m: B, k: H, n: H, layout: 'nn' },
    { what: 'weight grad xᵀ·dy', m: H, k: B, n: H, layout: 'tn' },
    { what: 'input grad dy·Wᵀ', m: B, k: H, n: H, layout: 'nt' },
    { what: 'output forward', m: B, k: H, n: 10, layout: 'nn' },
  ];
  for (const s of shapes) {
    const a = rt.createBuffer(s.m * s.k, 'a'), bb = rt.createBuffer(s.k * s.n, 'b'), c = rt.createBuffer(s.m * s.n, 'c');
    const wgsl = matmulWgsl(s), grid = matmulGrid(s);
    const run = async (times: number): Promise<number> => {
      const t0 = performance.now();
      for (let i = 0; i < times; i++) rt.dispatch(wgsl, [a, bb, c], grid);
      rt.submit();
      await rt.device.queue.onSubmittedWorkDone();
      return performance.now() - t0;
    };
    await run(2);
    const one = await run(1);
    const ms = await run(REPEAT);
    const gflops = (2 * s.m * s.k * s.n * REPEAT) / (ms / 1000) / 1e9;
    console.log(`  ${s.what} ${s.layout} ${s.m}×${s.k}×${s.n}: ${(ms / REPEAT).toFixed(3)} ms each (${gflops.toFixed(0)} GFLOP/s), grid ${grid.join('×')}; one submission of one: ${one.toFixed(3)} ms`);
    for (const x of [a, bb, c]) rt.destroyBuffer(x);
  }
}

async function main(): Promise<void> {
  const b = await createWebGpuBackend();
  console.log(`adapter: ${JSON.stringify(b.adapter)}`);
  const w = workload();
  await profileSteps(b, w);
  console.log('products alone:');
  await profileProducts(b, w);
  b.dispose();
  await releaseGpu();
}
void main();
