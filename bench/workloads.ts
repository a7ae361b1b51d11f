/**
 * The benchmark workloads of issue 4 (and issue 12's `cnn`), shared by every implementation so
 * all of them train the same network on the same seeded data: ours (bench/engine.bench.ts) and
 * the peers (bench/peers/): a hand-written JS loop, TF.js (cpu, wasm) and PyTorch on the CPU.
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

/**
 * A layer of an image workload before its dense layers (channels last, as ours and Keras): a
 * convolution with `valid` padding and stride 1, or a max pooling whose stride is its size.
 */
export type FeatureLayer =
  | { type: 'conv2d'; filters: number; kernelSize: number; activation: BenchActivation }
  | { type: 'maxpool2d'; poolSize: number };

/**
 * A network trained with plain SGD on synthetic data: dense layers on a vector, or (an image
 * workload) `features` on an `image`, then a flatten, then the dense layers.
 */
export interface Workload {
  name: 'tiny' | 'playground' | 'mnist-like' | 'wide' | 'cnn';
  /** Features per sample (an image workload: H·W·C, each row an image row-major over H, W, C). */
  inputs: number;
  /** An image workload's sample shape [H, W, C] (channels last). */
  image?: [number, number, number];
  /** An image workload's conv and pooling layers, in order, before the flatten. */
  features?: FeatureLayer[];
  /** Dense layers in order (after the flatten of an image workload); the last is the output. */
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

/** The workloads, in the order the table prints them. */
export const WORKLOADS: readonly Workload[] = [
  { name: 'tiny', inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], samples: 1000, batch: 32, learningRate: 0.1, loss: 'binary_crossentropy', data: 'teacher' },
  { name: 'playground', inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], samples: 500, batch: 10, learningRate: 0.1, loss: 'binary_crossentropy', data: 'spiral' },
  { name: 'mnist-like', inputs: 784, layers: [{ units: 128, activation: 'relu' }, { units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }], samples: 10000, batch: 64, learningRate: 0.1, loss: 'categorical_crossentropy', data: 'teacher' },
  { name: 'wide', inputs: 1024, layers: [{ units: 1024, activation: 'relu' }, { units: 1024, activation: 'relu' }, { units: 10, activation: 'softmax' }], samples: 4096, batch: 256, learningRate: 0.1, loss: 'categorical_crossentropy', data: 'teacher' },
  // Issue 12: 28×28×1 images, conv 32 3×3 → maxpool 2 → conv 64 3×3 → maxpool 2 → flatten (5·5·64) → dense 128 → dense 10.
  // Synthetic images (Gaussian pixels labelled by a random linear teacher, as mnist-like): 1,024
  // of them, 16 steps an epoch, so a round of whole epochs stays near the time budget on one thread.
  {
    name: 'cnn', inputs: 28 * 28, image: [28, 28, 1],
    features: [{ type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' }, { type: 'maxpool2d', poolSize: 2 }, { type: 'conv2d', filters: 64, kernelSize: 3, activation: 'relu' }, { type: 'maxpool2d', poolSize: 2 }],
    layers: [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }],
    samples: 1024, batch: 64, learningRate: 0.05, loss: 'categorical_crossentropy', data: 'teacher',
  },
];

/** A trained layer of a workload: its node id, its weight's shape in our layout, and Glorot's fans. */
export interface ParamLayer {
  /** `c1`, `c2` … for convolutions, `d1`, `d2` … for dense layers (the node ids of workloadDoc). */
  id: string;
  /** Ours: conv [filters, kh, kw, c]; dense [units, inputs]. */
  weightShape: number[];
  fanIn: number;
  fanOut: number;
}

/** The node id of each feature layer: `c1`, `p1`, `c2`, `p2` … (convolutions and poolings counted apart). */
export function featureIds(w: Workload): string[] {
  let convs = 0, pools = 0;
  return (w.features ?? []).map((f) => (f.type === 'conv2d' ? `c${++convs}` : `p${++pools}`));
}

/** The [H, W, C] after each feature layer (valid convolutions of stride 1, poolings of stride = size, floored as Keras). */
export function featureShapes(w: Workload): [number, number, number][] {
  let [h, wd, c] = w.image ?? [1, 1, w.inputs];
  return (w.features ?? []).map((f) => {
    if (f.type === 'conv2d') [h, wd, c] = [h - f.kernelSize + 1, wd - f.kernelSize + 1, f.filters];
    else [h, wd] = [Math.floor(h / f.poolSize), Math.floor(wd / f.poolSize)];
    return [h, wd, c];
  });
}

/** Features the first dense layer takes: the inputs, or the flattened output of the last feature layer. */
export function denseInputs(w: Workload): number {
  const shapes = featureShapes(w);
  return shapes.length ? shapes[shapes.length - 1].reduce((a, b) => a * b, 1) : w.inputs;
}

/** The trained layers in the weights file's order: the convolutions, then the dense layers. */
export function paramLayers(w: Workload): ParamLayer[] {
  const out: ParamLayer[] = [];
  const ids = featureIds(w);
  let c = (w.image ?? [1, 1, w.inputs])[2];
  (w.features ?? []).forEach((f, i) => {
    if (f.type !== 'conv2d') return;
    const k = f.kernelSize;
    out.push({ id: ids[i], weightShape: [f.filters, k, k, c], fanIn: k * k * c, fanOut: k * k * f.filters });
    c = f.filters;
  });
  let fanIn = denseInputs(w);
  w.layers.forEach((l, i) => {
    out.push({ id: `d${i + 1}`, weightShape: [l.units, fanIn], fanIn, fanOut: l.units });
    fanIn = l.units;
  });
  return out;
}

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

/**
 * The workload as an nn/1 document (input `x`; an image workload's `c1`, `p1` … and `flat`; dense
 * layers `d1`…), with its training section.
 */
export function workloadDoc(w: Workload): NetworkDoc {
  const nodes: NetworkNode[] = [{ id: 'x', type: 'input', units: w.inputs, ...(w.image ? { shape: [...w.image] } : {}) }];
  const edges: { from: string; to: string }[] = [];
  const chain = (node: NetworkNode) => {
    edges.push({ from: nodes[nodes.length - 1].id, to: node.id });
    nodes.push(node);
  };
  const ids = featureIds(w);
  (w.features ?? []).forEach((f, i) => chain(f.type === 'conv2d'
    ? { id: ids[i], type: 'conv2d', filters: f.filters, kernelSize: f.kernelSize, activation: f.activation }
    : { id: ids[i], type: 'maxpool2d', poolSize: f.poolSize }));
  if (w.image) chain({ id: 'flat', type: 'flatten' });
  w.layers.forEach((l, i) => chain({ id: `d${i + 1}`, type: 'dense', units: l.units, activation: l.activation }));
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

/**
 * Glorot-uniform weights (our layout, row-major: conv [filters, kh, kw, c], dense [units, inputs];
 * fans as Keras counts them) and zero biases for each of a workload's paramLayers, from the seed.
 */
export function initialParams(w: Workload, seed = BENCH_SEED): { weight: Float32Array; bias: Float32Array }[] {
  const rng = new Random(seed + 1);
  return paramLayers(w).map((p) => {
    const limit = Math.sqrt(6 / (p.fanIn + p.fanOut));
    const weight = new Float32Array(p.weightShape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < weight.length; i++) weight[i] = rng.uniform(-limit, limit);
    return { weight, bias: new Float32Array(p.weightShape[0]) };
  });
}

/** What bench/run.ts passes to every bench file's `run()`. */
export interface BenchOptions {
  /** The workloads selected on the command line (all by default). */
  workloads: readonly Workload[];
  /** Time box per measured figure, in milliseconds. */
  budgetMs: number;
}
