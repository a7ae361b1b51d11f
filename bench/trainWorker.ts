/**
 * Our contender in the bench's rounds (a child process; NN_THREADS set by bench/rounds.ts):
 * trains a workload through `train()` — the function `nn train` runs, with its events, per-epoch
 * evaluation and metrics — on the CPU backend (impl 'train') or on WebGPU ('train-webgpu', the GPU
 * row), or runs the hand-written loop. Reads one JSON
 * request a line on stdin, answers one JSON line (bench/contender.ts).
 */
import * as readline from 'node:readline';
import * as v8 from 'node:v8';
import { analyzeNetwork } from '../src/model';
import { compileNetwork, trainSettingsFrom } from '../src/engine/compile';
import { relaxedSimdSupported } from '../src/engine/cpu/relaxedSimd';
import { simdThreads } from '../src/engine/cpu/simdMatmul';
import type { Dataset } from '../src/engine/data/dataset';
import { train } from '../src/engine/train';
import { registerWebGpu } from '../src/engine/webgpu/autoBackend';
import type { RoundAnswer, RoundRequest } from './contender';
import { createHandLoop } from './peers/handLoop';
import { readF32, unflattenParams, weightMapOf } from './sharedInputs';
import { timeBoxSync, workloadDoc, type Workload } from './workloads';

// VS Code's extension host (Electron) runs with relaxed SIMD, so the CPU kernels multiply-add fused
// there; Node 20 has it behind a flag: turn it on, before any kernel compiles, to measure what VS
// Code users get (NN_RELAXED_SIMD=0 measures the multiply-then-add fallback).
if (process.env.NN_RELAXED_SIMD !== '0' && !relaxedSimdSupported()) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

// The 'train-webgpu' impl (the GPU row) needs the WebGPU backend selectable, as `nn train` makes it.
registerWebGpu();

/** Loss figures sent back per run (enough for the agreement line). */
const MAX_LOSSES = 20;

interface Loaded {
  ds: Dataset;
  weights: Float32Array;
  /** Epochs per timed run of each impl, from the warm-up run's time (so a run lasts about the budget). */
  epochs: Map<string, number>;
}
const loaded = new Map<string, Loaded>();

function load(req: RoundRequest): Loaded {
  let l = loaded.get(req.workload.name);
  if (!l) {
    const w = req.workload;
    const outputs = w.layers[w.layers.length - 1].units;
    const x = readF32(req.x), y = readF32(req.y);
    const ds: Dataset = {
      x, y, count: w.samples, inputSize: w.inputs, outputSize: outputs,
      featureNames: Array.from({ length: w.inputs }, (_, i) => `x${i}`),
      labelNames: outputs === 1 ? ['1'] : Array.from({ length: outputs }, (_, i) => `c${i}`),
      task: outputs === 1 ? 'binary' : 'multiclass',
      // An image workload's rows are images (H·W·C pixels, channels last), as the image loaders give them.
      ...(w.image ? { shape: [...w.image] } : {}),
    };
    l = { ds, weights: readF32(req.weights), epochs: new Map() };
    loaded.set(w.name, l);
  }
  return l;
}

/** One train() run of `epochs` epochs from the shared initial weights, no validation split, no shuffling; ms and per-epoch losses. */
async function trainOnce(w: Workload, l: Loaded, epochs: number, backend: 'cpu' | 'webgpu'): Promise<{ ms: number; losses: number[] }> {
  const doc = workloadDoc(w);
  // A fresh network each run: train() updates the network's weights in place.
  const net = compileNetwork(doc, analyzeNetwork(doc), { weights: weightMapOf(w, unflattenParams(w, l.weights)) });
  const settings = { ...trainSettingsFrom(doc.training), epochs, validationSplit: 0, shuffle: false };
  let events = 0;
  const t0 = performance.now();
  const result = await train(net, { train: l.ds }, settings, { backend, onEvent: () => events++ });
  const ms = performance.now() - t0;
  return { ms, losses: result.history.map((h) => h.loss) };
}

async function answer(req: RoundRequest): Promise<RoundAnswer> {
  const w = req.workload;
  const l = load(req);
  if (req.impl === 'hand') {
    const h = createHandLoop(w, { x: l.ds.x, y: l.ds.y, inputs: w.inputs, outputs: l.ds.outputSize });
    return { samplesPerSec: timeBoxSync(h.batches, (b) => (h.step(b), w.batch), req.budgetMs), threads: 1 };
  }
  if (req.impl !== 'train' && req.impl !== 'train-webgpu') return { samplesPerSec: NaN, error: `unknown impl ${req.impl}` };
  const backend = req.impl === 'train' ? 'cpu' : 'webgpu';
  let epochs = l.epochs.get(req.impl);
  if (epochs === undefined) {
    // Warm-up (JIT, wasm compile) and calibration: runs of 1, 2, 4 … epochs until a sixth of the
    // budget is spent (up to three short runs, the first being cold); the last, warmest run's time
    // per epoch sets the epochs that fill the budget.
    const warmEnd = performance.now() + req.budgetMs / 6;
    let trial = 1, msPerEpoch: number, runs = 0, lastMs: number;
    do {
      lastMs = (await trainOnce(w, l, trial, backend)).ms;
      msPerEpoch = lastMs / trial;
      trial *= 2;
    } while ((++runs < 3 && lastMs < req.budgetMs / 6) || performance.now() < warmEnd);
    epochs = Math.max(1, Math.min(100_000, Math.round(req.budgetMs / Math.max(0.001, msPerEpoch))));
    l.epochs.set(req.impl, epochs);
  }
  const run = await trainOnce(w, l, epochs, backend);
  return { samplesPerSec: (epochs * w.samples) / (run.ms / 1000), losses: run.losses.slice(0, MAX_LOSSES), threads: backend === 'cpu' ? simdThreads() : undefined };
}

async function main(): Promise<void> {
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    let out: RoundAnswer;
    try {
      out = await answer(JSON.parse(line) as RoundRequest);
    } catch (e) {
      out = { samplesPerSec: NaN, error: e instanceof Error ? e.message : String(e) };
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}

void main();
