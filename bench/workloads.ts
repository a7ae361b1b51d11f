/**
 * The benchmark workloads of issue 4, shared by every implementation so all of them train the
 * same network on the same seeded data: ours (bench/engine.bench.ts) and the peers
 * (bench/peers/): a hand-written JS loop, TF.js (cpu, wasm) and PyTorch on the CPU.
 */
import type { NetworkDoc, NetworkNode } from '../src/model/types';
import { generateData } from '../src/engine/data/generators';
import { Random } from '../src/engine/random';

/** One figure for the table: `impl` is e.g. "ours-replay", "ours-webgpu", "tfjs-wasm". */
export interface BenchResult {
  workload: string;
  impl: string;
  samplesPerSec: number;
  /** Anything worth printing beside the figure (threads, backend, peak memory). */
  note?: string;
}

/** Activation names the workloads use (nn/1 spelling). */
export type BenchActivation = 'relu' | 'tanh' | 'sigmoid' | 'softmax';

/** A dense network trained with plain SGD on synthetic data. */
export interface Workload {
  name: 'tiny' | 'playground' | 'mnist-like' | 'wide';
  inputs: number;
  /** Dense layers in order; the last is the output. */
  layers: { units: number; activation: BenchActivation }[];
  samples: number;
  batch: number;
  learningRate: number;
  /** Sigmoid output → binary cross-entropy; softmax output → categorical cross-entropy. */
  loss: 'binary_crossentropy' | 'categorical_crossentropy';
  /** `spiral`: the built-in 2-class spiral; `teacher`: Gaussian inputs labelled by a random linear teacher. */
  data: 'spiral' | 'teacher';
}

/** The seed every implementation uses for data and initialisation. */
export const BENCH_SEED = 1234;

/** The four workloads, in the order the table prints them. */
export const WORKLOADS: readonly Workload[] = [
  { name: 'tiny', inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], samples: 1000, batch: 32, learningRate: 0.1, loss: 'binary_crossentropy', data: 'teacher' },
  { name: 'playground', inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], samples: 500, batch: 10, learningRate: 0.1, loss: 'binary_crossentropy', data: 'spiral' },
  { name: 'mnist-like', inputs: 784, layers: [{ units: 128, activation: 'relu' }, { units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }], samples: 10000, batch: 64, learningRate: 0.1, loss: 'categorical_crossentropy', data: 'teacher' },
  { name: 'wide', inputs: 1024, layers: [{ units: 1024, activation: 'relu' }, { units: 1024, activation: 'relu' }, { units: 10, activation: 'softmax' }], samples: 4096, batch: 256, learningRate: 0.1, loss: 'categorical_crossentropy', data: 'teacher' },
];

/** A workload's training data: x (samples × inputs) and y (samples × outputs; 0/1 or one-hot). */
export interface WorkloadData {
  x: Float32Array;
  y: Float32Array;
  inputs: number;
  outputs: number;
}

/** Builds a workload's seeded synthetic data (the same bytes for every implementation). */
export function makeWorkloadData(w: Workload, seed = BENCH_SEED): WorkloadData {
  const outputs = w.layers[w.layers.length - 1].units;
  if (w.data === 'spiral') {
    const ds = generateData({ generator: 'spiral', samples: w.samples, noise: 0 }, seed);
    return { x: ds.x, y: ds.y, inputs: ds.inputSize, outputs: ds.outputSize };
  }
  const rng = new Random(seed);
  const x = new Float32Array(w.samples * w.inputs);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  // A random linear teacher makes the labels learnable, so the loss is a real training loss.
  const classes = outputs === 1 ? 1 : outputs;
  const teacher = new Float32Array(classes * w.inputs);
  for (let i = 0; i < teacher.length; i++) teacher[i] = rng.normal();
  const y = new Float32Array(w.samples * outputs);
  for (let s = 0; s < w.samples; s++) {
    let best = 0, bestScore = -Infinity;
    for (let c = 0; c < classes; c++) {
      let z = 0;
      for (let j = 0; j < w.inputs; j++) z += teacher[c * w.inputs + j] * x[s * w.inputs + j];
      if (z > bestScore) {
        bestScore = z;
        best = c;
      }
    }
    if (outputs === 1) y[s] = bestScore > 0 ? 1 : 0;
    else y[s * outputs + best] = 1;
  }
  return { x, y, inputs: w.inputs, outputs };
}

/** The workload as an nn/1 document (input `x`, dense layers `d1`…), with its training section. */
export function workloadDoc(w: Workload): NetworkDoc {
  const nodes: NetworkNode[] = [{ id: 'x', type: 'input', units: w.inputs }];
  const edges: { from: string; to: string }[] = [];
  w.layers.forEach((l, i) => {
    const id = `d${i + 1}`;
    nodes.push({ id, type: 'dense', units: l.units, activation: l.activation });
    edges.push({ from: i === 0 ? 'x' : `d${i}`, to: id });
  });
  return {
    format: 'nn/1',
    name: `bench ${w.name}`,
    nodes,
    edges,
    training: {
      loss: w.loss,
      optimizer: { type: 'sgd', learningRate: w.learningRate },
      batchSize: w.batch,
      shuffle: false,
      seed: BENCH_SEED,
    },
  };
}

/**
 * Runs `step(batchIndex)` over the batches of an epoch, again and again, for about `budgetMs`
 * after a short warm-up, and returns samples per second. `step` returns the samples it trained.
 * The warm-up is at least one step and at least `minSteps` steps are timed, so a step slower
 * than the budget still gives a measured figure (one warm-up, one timed step).
 */
export async function timeBox(batches: number, step: (b: number) => Promise<number>, budgetMs = 3000, minSteps = 1): Promise<number> {
  const warmEnd = performance.now() + Math.min(500, budgetMs / 6);
  let b = 0;
  do {
    await step(b);
    b = (b + 1) % batches;
  } while (performance.now() < warmEnd);
  const start = performance.now();
  let samples = 0, steps = 0;
  while (steps < minSteps || performance.now() - start < budgetMs) {
    samples += await step(b);
    b = (b + 1) % batches;
    steps++;
  }
  return samples / ((performance.now() - start) / 1000);
}

/** `timeBox` for synchronous steps: no promise per step, which would cost more than a tiny step itself. */
export function timeBoxSync(batches: number, step: (b: number) => number, budgetMs = 3000, minSteps = 1): number {
  const warmEnd = performance.now() + Math.min(500, budgetMs / 6);
  let b = 0;
  do {
    step(b);
    b = (b + 1) % batches;
  } while (performance.now() < warmEnd);
  const start = performance.now();
  let samples = 0, steps = 0;
  while (steps < minSteps || performance.now() - start < budgetMs) {
    samples += step(b);
    b = (b + 1) % batches;
    steps++;
  }
  return samples / ((performance.now() - start) / 1000);
}

/** Glorot-uniform weights ([units, inputs], row-major) and zero biases for a workload, from the seed. */
export function initialParams(w: Workload, seed = BENCH_SEED): { weight: Float32Array; bias: Float32Array }[] {
  const rng = new Random(seed + 1);
  let fanIn = w.inputs;
  return w.layers.map((l) => {
    const limit = Math.sqrt(6 / (fanIn + l.units));
    const weight = new Float32Array(l.units * fanIn);
    for (let i = 0; i < weight.length; i++) weight[i] = rng.uniform(-limit, limit);
    fanIn = l.units;
    return { weight, bias: new Float32Array(l.units) };
  });
}

/** What bench/run.ts passes to every bench file's `run()`. */
export interface BenchOptions {
  /** The workloads selected on the command line (all by default). */
  workloads: readonly Workload[];
  /** Time box per measured figure, in milliseconds. */
  budgetMs: number;
}
