/**
 * A small convolutional network for the export tests: both paddings (even and uneven `same`
 * splits), strides, max and average pooling, batch norm on images and on vectors, dropout, add
 * and concat on images, flatten, reshape, global average pooling, a softmax over an image's
 * channels and an image output. Weights are seeded, batch-norm statistics deliberately far from
 * their initial values.
 */
import { windowGeometry } from '../../../src/model/convGeometry';
import { checkNetwork, formatDiagnostic } from '../../../src/model/index';
import type { ExportAnalysis, ExportWeights } from '../../../src/export/exportTypes';
import type { NetworkDoc, NetworkNode } from '../../../src/model/types';
import { seededRandom } from './exportFixtures';

export const convDoc: NetworkDoc = {
  format: 'nn/1',
  name: 'small-convnet',
  nodes: [
    { id: 'x', type: 'input', units: 144, shape: [9, 8, 2] },
    // H: out 5, padding 1/1; W: out 4, padding 0/1 (uneven: the extra cell bottom/right).
    { id: 'c1', type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' },
    { id: 'bn1', type: 'batchnorm', momentum: 0.9, epsilon: 0.01 },
    // Same padding, stride 1: 0/1 on both axes (max ignores the padded cells).
    { id: 'mp', type: 'maxpool2d', poolSize: 2, strides: 1, padding: 'same' },
    { id: 'dimg', type: 'dropout', rate: 0.25 },
    { id: 'c2', type: 'conv2d', filters: 3, kernelSize: [2, 3], padding: 'valid', activation: 'elu', alpha: 0.5, useBias: false },
    // Uneven same padding for an average: padded cells leave the count.
    { id: 'ap', type: 'avgpool2d', poolSize: [3, 2], strides: [2, 1], padding: 'same' },
    // Even same padding (1/1): torch's own count_include_pad=False.
    { id: 'ap2', type: 'avgpool2d', poolSize: 3, strides: 1, padding: 'same' },
    { id: 'sum', type: 'add' },
    { id: 'catimg', type: 'concat' },
    { id: 'bn2', type: 'batchnorm' },
    { id: 'gap', type: 'globalavgpool2d' },
    { id: 'fl', type: 'flatten' },
    { id: 'd1', type: 'dense', units: 8, activation: 'relu' },
    { id: 'cat', type: 'concat' },
    { id: 'bnv', type: 'batchnorm', momentum: 0.8 },
    { id: 'out', type: 'dense', units: 3, activation: 'softmax' },
    { id: 'rs', type: 'reshape', shape: [2, 2, 2] },
    { id: 'smx', type: 'activation', activation: 'softmax' },
  ],
  edges: [
    { from: 'x', to: 'c1' }, { from: 'c1', to: 'bn1' }, { from: 'bn1', to: 'mp' }, { from: 'mp', to: 'dimg' },
    { from: 'dimg', to: 'c2' }, { from: 'c2', to: 'ap' }, { from: 'bn1', to: 'ap2' },
    { from: 'mp', to: 'sum' }, { from: 'ap2', to: 'sum' }, { from: 'sum', to: 'catimg' }, { from: 'ap2', to: 'catimg' },
    { from: 'catimg', to: 'bn2' }, { from: 'bn2', to: 'gap' }, { from: 'ap', to: 'fl' }, { from: 'fl', to: 'd1' },
    { from: 'd1', to: 'cat' }, { from: 'gap', to: 'cat' }, { from: 'cat', to: 'bnv' }, { from: 'bnv', to: 'out' },
    { from: 'd1', to: 'rs' }, { from: 'rs', to: 'smx' },
  ],
};

/**
 * The document as the parser gives it and the model core's analysis. A shaped input is written
 * without `units` in a file (the parser fills them in), so the text leaves them out.
 */
export function parsedDesign(doc: NetworkDoc): { doc: NetworkDoc; analysis: ExportAnalysis } {
  const text = { ...doc, nodes: doc.nodes.map((n) => (n.type === 'input' && n.shape ? { id: n.id, type: n.type, shape: n.shape } : n)) };
  const r = checkNetwork(JSON.stringify(text, null, 2));
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.analysis || errors.length) throw new Error(`fixture '${doc.name}' is not valid: ${errors.map((d) => formatDiagnostic('fixture.nn', d)).join('; ')}`);
  return { doc: r.parsed.doc as NetworkDoc, analysis: r.analysis };
}

/** Shapes the Keras way, written here from the nn/1 definitions (nodes listed in topological order). */
export function convAnalysis(doc: NetworkDoc): ExportAnalysis {
  const inputsOf = new Map(doc.nodes.map((n) => [n.id, doc.edges.filter((e) => e.to === n.id).map((e) => e.from)]));
  const shapes = new Map<string, number[]>();
  const fed = new Set(doc.edges.map((e) => e.from));
  for (const n of doc.nodes) shapes.set(n.id, shapeOf(n, (inputsOf.get(n.id) ?? []).map((i) => shapes.get(i) as number[])));
  return {
    order: doc.nodes.map((n) => n.id),
    inputs: doc.nodes.filter((n) => n.type === 'input').map((n) => n.id),
    outputs: doc.nodes.filter((n) => !fed.has(n.id)).map((n) => n.id),
    shapes,
    inputsOf,
  };
}

function shapeOf(n: NetworkNode, ins: number[][]): number[] {
  switch (n.type) {
    case 'input': return n.shape ?? [n.units];
    case 'dense': return [n.units];
    case 'conv2d': { const g = windowGeometry(ins[0], n.kernelSize, n.strides ?? 1, n.padding ?? 'valid'); return [g.oh, g.ow, n.filters]; }
    case 'maxpool2d': case 'avgpool2d': { const g = windowGeometry(ins[0], n.poolSize, n.strides ?? n.poolSize, n.padding ?? 'valid'); return [g.oh, g.ow, g.c]; }
    case 'globalavgpool2d': return [ins[0][2]];
    case 'flatten': return [ins[0].reduce((a, b) => a * b, 1)];
    case 'reshape': return n.shape;
    case 'concat': return [...ins[0].slice(0, -1), ins.reduce((s, x) => s + x[x.length - 1], 0)];
    default: return ins[0];
  }
}

/** Seeded weights for every dense, conv2d and batch-norm node (moving statistics far from 0 and 1). */
export function convWeights(doc: NetworkDoc, analysis: ExportAnalysis, seed: number): ExportWeights {
  const rnd = seededRandom(seed);
  const w: ExportWeights = new Map();
  const vec = (n: number, f: () => number): { shape: number[]; data: Float32Array } => ({ shape: [n], data: Float32Array.from({ length: n }, f) });
  for (const n of doc.nodes) {
    const inShape = analysis.shapes.get((analysis.inputsOf.get(n.id) ?? [])[0]) ?? [];
    const out = analysis.shapes.get(n.id) as number[];
    if (n.type === 'dense' || n.type === 'conv2d') {
      const shape = n.type === 'dense' ? [n.units, inShape[0]] : [n.filters, ...(typeof n.kernelSize === 'number' ? [n.kernelSize, n.kernelSize] : n.kernelSize), inShape[2]];
      const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
      w.set(`${n.id}.weight`, { shape, data: Float32Array.from({ length: shape[0] * fanIn }, () => rnd() * 1.5 / Math.sqrt(fanIn)) });
      if (n.useBias !== false) w.set(`${n.id}.bias`, vec(shape[0], () => rnd() * 0.3));
    } else if (n.type === 'batchnorm') {
      const c = out[out.length - 1];
      w.set(`${n.id}.gamma`, vec(c, () => 1 + 0.5 * rnd()));
      w.set(`${n.id}.beta`, vec(c, () => 0.4 * rnd()));
      w.set(`${n.id}.moving_mean`, vec(c, () => 0.6 * rnd()));
      w.set(`${n.id}.moving_variance`, vec(c, () => 0.3 + Math.abs(rnd())));
    }
  }
  return w;
}

/**
 * A conv net to train on both sides: uneven and even `same` padding, stride 2, batch norm (its
 * moving statistics updated every step), dropout on an image, average pooling, L2 on every
 * kernel, SGD with momentum over shuffled batches with a partial last one.
 */
export const trainConvDoc: NetworkDoc = {
  format: 'nn/1',
  name: 'train-convnet',
  nodes: [
    { id: 'img', type: 'input', units: 60, shape: [6, 5, 2] },
    // H: out 3, padding 0/1; W: out 3, padding 1/1.
    { id: 'conv', type: 'conv2d', filters: 3, kernelSize: 3, strides: 2, padding: 'same' },
    { id: 'bn', type: 'batchnorm', momentum: 0.9 },
    { id: 'act', type: 'activation', activation: 'relu' },
    { id: 'drop', type: 'dropout', rate: 0.2 },
    { id: 'pool', type: 'avgpool2d', poolSize: 2, strides: 1, padding: 'same' },
    { id: 'conv2', type: 'conv2d', filters: 2, kernelSize: 2, activation: 'tanh' },
    { id: 'flat', type: 'flatten' },
    { id: 'y', type: 'dense', units: 3, activation: 'softmax' },
  ],
  edges: [
    { from: 'img', to: 'conv' }, { from: 'conv', to: 'bn' }, { from: 'bn', to: 'act' }, { from: 'act', to: 'drop' },
    { from: 'drop', to: 'pool' }, { from: 'pool', to: 'conv2' }, { from: 'conv2', to: 'flat' }, { from: 'flat', to: 'y' },
  ],
  training: {
    loss: 'categorical_crossentropy', optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 },
    batchSize: 8, epochs: 3, shuffle: true, seed: 3, l2: 0.001, validationSplit: 0,
  },
};

/** 22 images of 6×5×2 in 3 classes (smooth patterns, fixed), channels last. */
export function trainImages(): { x: Float32Array; y: Float32Array; count: number; inputSize: number; outputSize: number; featureNames: string[]; labelNames: string[]; task: 'multiclass'; shape: number[] } {
  const [rows, h, w, c, classes] = [22, 6, 5, 2, 3];
  const x = new Float32Array(rows * h * w * c);
  const y = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    const k = r % classes;
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) for (let ch = 0; ch < c; ch++) {
      x[((r * h + i) * w + j) * c + ch] = Math.sin(0.8 * i * (k + 1) + 0.5 * j - ch + 0.3 * r) + 0.4 * Math.cos(1.1 * j * (ch + 1) - 0.2 * r) + (k === ch ? 0.5 : 0);
    }
    y[r * classes + k] = 1;
  }
  return { x, y, count: rows, inputSize: h * w * c, outputSize: classes, featureNames: Array.from({ length: h * w * c }, (_, i) => `p${i}`), labelNames: ['a', 'b', 'c'], task: 'multiclass', shape: [h, w, c] };
}
