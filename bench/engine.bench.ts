/**
 * Our engine's compiled training Program (forward, loss, backward, SGD update) replayed per
 * mini-batch: `train()` minus its per-batch copies, events, layer statistics and metrics — the
 * second row ("ours-replay") beside the headline train() figure of bench/rounds.ts, showing what
 * the loop around the step costs. Also the WebGPU backend's replay when a GPU is available.
 */
import { analyzeNetwork } from '../src/model';
import { compileNetwork, trainSettingsFrom } from '../src/engine/compile';
import type { Backend } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/cpuBackend';
import { simdThreads } from '../src/engine/cpu/simdMatmul';
// Through the engine's index, so the WebGPU backend (when in the tree) registers itself.
import { pickBackend } from '../src/engine';
import { EngineSession } from '../src/engine/session';
import { weightMapOf } from './sharedInputs';
import { initialParams, makeWorkloadData, timeBox, timeBoxSync, workloadDoc, WORKLOADS, type BenchOptions, type BenchResult, type Workload } from './workloads';

/** A prepared training step over a workload's batches on one backend. */
function prepare(w: Workload, backend: Backend): { step: (b: number) => number; batches: number; session: EngineSession; lossBuf: import('../src/engine/backend').BufferHandle } {
  const doc = workloadDoc(w);
  const analysis = analyzeNetwork(doc);
  // The peers' exact initial weights, so every implementation starts from the same point.
  const weights = weightMapOf(w, initialParams(w));
  const net = compileNetwork(doc, analysis, { weights });
  const settings = trainSettingsFrom(doc.training);
  const session = new EngineSession(backend, net);
  const tp = session.buildTrain(w.batch, w.loss, settings.optimizer, { l1: 0, l2: 0 });
  const data = makeWorkloadData(w);
  const batches = Math.floor(w.samples / w.batch);
  const xIn = tp.inputs[0].buf, yIn = tp.target.buf;
  const step = (b: number): number => {
    backend.write(xIn, data.x.subarray(b * w.batch * data.inputs, (b + 1) * w.batch * data.inputs));
    backend.write(yIn, data.y.subarray(b * w.batch * data.outputs, (b + 1) * w.batch * data.outputs));
    session.ctx.step++;
    tp.program.run();
    return w.batch;
  };
  return { step, batches, session, lossBuf: tp.lossSum.buf };
}

/** Measures every selected workload on the CPU backend, and on WebGPU when it is available. */
export default async function run(opts: BenchOptions = { workloads: WORKLOADS, budgetMs: 3000 }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const w of opts.workloads) {
    const cpu = prepare(w, new CpuBackend());
    const before = process.memoryUsage().rss;
    const sps = timeBoxSync(cpu.batches, cpu.step, opts.budgetMs);
    const rssMb = Math.round(Math.max(before, process.memoryUsage().rss) / 2 ** 20);
    const loss = (await cpu.session.backend.read(cpu.lossBuf))[0];
    const note = `${simdThreads()} thread(s), ${cpu.session.net.layers.length} nodes, rss ${rssMb} MB${Number.isFinite(loss) ? '' : ', LOSS NOT FINITE'}`;
    console.log(`  ${w.name.padEnd(11)} ours-replay  ${Math.round(sps).toLocaleString('en-US')} samples/s (${note})`);
    results.push({ workload: w.name, impl: 'ours-replay', samplesPerSec: sps, note });
  }
  for (const w of opts.workloads) {
    try {
      const picked = await pickBackend('webgpu', { params: 0, batch: w.batch });
      const gpu = prepare(w, picked.backend);
      // Wait for the device every step so the figure is finished work, not queued work.
      const sps = await timeBox(gpu.batches, async (b) => { const n = gpu.step(b); await picked.backend.read(gpu.lossBuf); return n; }, opts.budgetMs);
      console.log(`  ${w.name.padEnd(11)} ours-webgpu  ${Math.round(sps).toLocaleString('en-US')} samples/s (${picked.reason})`);
      results.push({ workload: w.name, impl: 'ours-webgpu', samplesPerSec: sps, note: picked.reason });
      picked.backend.dispose();
    } catch (e) {
      console.log(`  ${w.name.padEnd(11)} ours-webgpu  not measured: ${(e as Error).message}`);
    }
  }
  return results;
}
