/**
 * The one place the engine reads nn/1 model types (docs/architecture.md): a validated document
 * and its analysis become a CompiledNetwork (plain layers and host-side weights) and TrainSettings.
 * Everything downstream of here knows nothing of the file format.
 */
import { windowGeometry } from '../model/convGeometry';
import type { ActivationName, NetworkDoc, NetworkNode, TrainingSpec } from '../model/types';
import type { ActivationFn, Window2D } from './backend';
import { Random } from './random';
import { BATCHNORM_KEYS, type LayerSpec, type CompiledNetwork, type WeightMap } from './network';
import { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from './trainSettings';
import { assertWeightsFit } from './weights/weightsFit';

/** The part of the model core's NetworkAnalysis the engine needs (structurally compatible). */
export interface AnalysisLike {
  order: string[];
  inputs: string[];
  outputs: string[];
  shapes: Map<string, number[]>;
  inputsOf: Map<string, string[]>;
}

/** A network the engine cannot build, with a message for the user. */
export class CompileError extends Error {
  constructor(message: string, readonly nodeId?: string) {
    super(message);
    this.name = 'CompileError';
  }
}

const ALPHA_DEFAULTS: Partial<Record<ActivationName, number>> = { leaky_relu: 0.1, elu: 1 };

/** Glorot for saturating and linear units, He for the ReLU family (the usual pairing). */
function usesHe(fn: ActivationFn): boolean {
  return fn === 'relu' || fn === 'leaky_relu' || fn === 'elu';
}

function shapeOf(analysis: AnalysisLike, id: string): number[] {
  const shape = analysis.shapes.get(id);
  if (!shape) throw new CompileError(`node '${id}' has no known shape; fix the errors 'nn check' reports first.`, id);
  return shape;
}

function width(analysis: AnalysisLike, id: string): number {
  return shapeOf(analysis, id).reduce((a, b) => a * b, 1);
}

/** The [H, W, C] image a window layer reads (its single input's shape). */
function imageIn(analysis: AnalysisLike, node: NetworkNode): number[] {
  const ins = analysis.inputsOf.get(node.id) ?? [];
  const shape = ins.length === 1 ? shapeOf(analysis, ins[0]) : undefined;
  if (!shape || shape.length !== 3) {
    throw new CompileError(`${node.type} '${node.id}' needs one input image [height, width, channels]; fix the errors 'nn check' reports first.`, node.id);
  }
  return shape;
}

/** The window of a conv2d or pooling node over its input, by the model's geometry (Keras' padding). */
function windowOf(analysis: AnalysisLike, node: NetworkNode): Window2D {
  const input = imageIn(analysis, node);
  const geo = node.type === 'conv2d'
    ? windowGeometry(input, node.kernelSize, node.strides ?? 1, node.padding ?? 'valid')
    : node.type === 'maxpool2d' || node.type === 'avgpool2d'
      ? windowGeometry(input, node.poolSize, node.strides ?? node.poolSize, node.padding ?? 'valid')
      : windowGeometry(input, [input[0], input[1]], [input[0], input[1]], 'valid');
  if (geo.oh <= 0 || geo.ow <= 0) throw new CompileError(`${node.type} '${node.id}': its window does not fit its ${input.join('×')} input; fix the errors 'nn check' reports first.`, node.id);
  const { h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow } = geo;
  return { h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow };
}

/**
 * The shape of every parameter tensor the design has, by WeightMap key, in layer order:
 * `<id>.weight` [units, fanIn] and (with a bias) `<id>.bias` [units] of each dense layer;
 * `<id>.weight` [filters, kh, kw, c] and `<id>.bias` [filters] of each conv2d layer; `<id>.gamma`,
 * `<id>.beta`, `<id>.moving_mean`, `<id>.moving_variance` [c] of each batchnorm layer.
 */
export function expectedWeightShapes(doc: NetworkDoc, analysis: AnalysisLike): Map<string, number[]> {
  const byId = new Map<string, NetworkNode>(doc.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number[]>();
  for (const id of analysis.order) {
    const node = byId.get(id);
    if (node?.type === 'dense') {
      const units = width(analysis, id);
      const fanIn = (analysis.inputsOf.get(id) ?? []).reduce((s, i) => s + width(analysis, i), 0);
      out.set(`${id}.weight`, [units, fanIn]);
      if (node.useBias !== false) out.set(`${id}.bias`, [units]);
    } else if (node?.type === 'conv2d') {
      const win = windowOf(analysis, node);
      out.set(`${id}.weight`, [node.filters, win.kh, win.kw, win.c]);
      if (node.useBias !== false) out.set(`${id}.bias`, [node.filters]);
    } else if (node?.type === 'batchnorm') {
      const shape = shapeOf(analysis, id);
      for (const k of BATCHNORM_KEYS) out.set(`${id}.${k}`, [shape[shape.length - 1]]);
    }
  }
  return out;
}

/**
 * Builds the engine's view of a network. `opts.weights` (from a weights file) win over inline
 * weights, which win over seeded initialisation. Given weights must fit exactly (every tensor by
 * name and full shape, nothing extra, every value finite): otherwise WeightsMismatchError, never
 * a network that silently mixes saved and fresh weights.
 */
export function compileNetwork(doc: NetworkDoc, analysis: AnalysisLike, opts: { seed?: number; weights?: WeightMap } = {}): CompiledNetwork {
  if (opts.weights) assertWeightsFit(expectedWeightShapes(doc, analysis), opts.weights);
  const byId = new Map<string, NetworkNode>(doc.nodes.map((n) => [n.id, n]));
  const consumers = new Map<string, string[]>();
  for (const [id, ins] of analysis.inputsOf) for (const i of ins) consumers.set(i, [...(consumers.get(i) ?? []), id]);
  const seed = opts.seed ?? doc.training?.seed ?? DEFAULT_TRAIN_SETTINGS.seed;
  const rng = new Random(seed);
  const layers: LayerSpec[] = [];
  const weights: WeightMap = new Map();
  const stepNodes: string[] = [];
  /** The activation a layer's weights are initialised for: a linear layer followed only by an activation node (through batch norm) takes that one's. */
  const initFnOf = (id: string, fn: ActivationFn): ActivationFn => {
    let at = id;
    while (fn === 'linear') {
      const next = consumers.get(at) ?? [];
      const nextNode = next.length === 1 ? byId.get(next[0]) : undefined;
      if (nextNode?.type === 'activation') return nextNode.activation;
      if (nextNode?.type !== 'batchnorm' || at === nextNode.id) break;
      at = nextNode.id;
    }
    return fn;
  };
  for (const id of analysis.order) {
    const node = byId.get(id);
    if (!node) throw new CompileError(`node '${id}' is not in the document.`, id);
    const inputs = analysis.inputsOf.get(id) ?? [];
    const shape = [...shapeOf(analysis, id)];
    const units = width(analysis, id);
    switch (node.type) {
      case 'input':
        layers.push({ id, kind: 'input', inputs: [], units, shape });
        break;
      case 'dense': {
        const fn: ActivationFn = node.activation ?? 'linear';
        const alpha = node.alpha ?? ALPHA_DEFAULTS[fn] ?? 0;
        const fanIn = inputs.reduce((s, i) => s + width(analysis, i), 0);
        const useBias = node.useBias !== false;
        if (fn === 'step') stepNodes.push(id);
        // A linear dense followed only by an activation node is initialised for that activation.
        const next = consumers.get(id) ?? [];
        const nextNode = next.length === 1 ? byId.get(next[0]) : undefined;
        const initFn = fn === 'linear' && nextNode?.type === 'activation' ? nextNode.activation : fn;
        weights.set(`${id}.weight`, denseWeights(node, units, fanIn, initFn, rng, opts.weights));
        if (useBias) weights.set(`${id}.bias`, denseBias(node, units, opts.weights));
        layers.push({ id, kind: 'dense', inputs, units, shape, fanIn, activation: fn, alpha, useBias });
        break;
      }
      case 'conv2d': {
        const fn: ActivationFn = node.activation ?? 'linear';
        const alpha = node.alpha ?? ALPHA_DEFAULTS[fn] ?? 0;
        const window = windowOf(analysis, node);
        const useBias = node.useBias !== false;
        if (fn === 'step') stepNodes.push(id);
        weights.set(`${id}.weight`, convKernels(node, window, initFnOf(id, fn), rng, opts.weights));
        if (useBias) weights.set(`${id}.bias`, convBias(node, opts.weights));
        layers.push({ id, kind: 'conv2d', inputs, units, shape, window, filters: node.filters, activation: fn, alpha, useBias });
        break;
      }
      case 'maxpool2d':
      case 'avgpool2d':
      case 'globalavgpool2d':
        layers.push({ id, kind: 'pool2d', inputs, units, shape, window: windowOf(analysis, node), pool: node.type === 'maxpool2d' ? 'max' : 'avg' });
        break;
      case 'flatten':
      case 'reshape':
        layers.push({ id, kind: 'reshape', inputs, units, shape });
        break;
      case 'batchnorm': {
        const c = shape[shape.length - 1];
        const initial: Record<(typeof BATCHNORM_KEYS)[number], number> = { gamma: 1, beta: 0, moving_mean: 0, moving_variance: 1 };
        for (const k of BATCHNORM_KEYS) {
          const fromFile = opts.weights?.get(`${id}.${k}`);
          weights.set(`${id}.${k}`, { shape: [c], data: fromFile ? Float32Array.from(fromFile.data) : new Float32Array(c).fill(initial[k]) });
        }
        layers.push({ id, kind: 'batchnorm', inputs, units, shape, momentum: node.momentum ?? 0.99, epsilon: node.epsilon ?? 1e-3 });
        break;
      }
      case 'activation': {
        const alpha = node.alpha ?? ALPHA_DEFAULTS[node.activation] ?? 0;
        if (node.activation === 'step') stepNodes.push(id);
        layers.push({ id, kind: 'activation', inputs, units, shape, activation: node.activation, alpha });
        break;
      }
      case 'dropout':
        layers.push({ id, kind: 'dropout', inputs, units, shape, rate: node.rate });
        break;
      case 'add':
      case 'multiply':
      case 'concat':
        layers.push({ id, kind: node.type, inputs, units, shape });
        break;
    }
  }
  return {
    name: doc.name ?? 'network',
    layers,
    inputIds: [...analysis.inputs],
    inputSizes: analysis.inputs.map((i) => width(analysis, i)),
    outputIds: [...analysis.outputs],
    outputSizes: analysis.outputs.map((i) => width(analysis, i)),
    weights,
    stepNodes,
    seed,
  };
}

function denseWeights(node: NetworkNode & { type: 'dense' }, units: number, fanIn: number, fn: ActivationFn, rng: Random, given?: WeightMap): { shape: number[]; data: Float32Array } {
  const key = `${node.id}.weight`;
  const fromFile = given?.get(key);
  if (fromFile) {
    // compileNetwork checked the name, the full shape and finiteness of every given tensor.
    return { shape: [units, fanIn], data: Float32Array.from(fromFile.data) };
  }
  const data = new Float32Array(units * fanIn);
  if (node.weights) {
    node.weights.forEach((row, r) => row.forEach((v, c) => { data[r * fanIn + c] = v; }));
    return { shape: [units, fanIn], data };
  }
  const limit = usesHe(fn) ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + units));
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(-limit, limit);
  return { shape: [units, fanIn], data };
}

function denseBias(node: NetworkNode & { type: 'dense' }, units: number, given?: WeightMap): { shape: number[]; data: Float32Array } {
  const key = `${node.id}.bias`;
  const fromFile = given?.get(key);
  if (fromFile) {
    return { shape: [units], data: Float32Array.from(fromFile.data) };
  }
  return { shape: [units], data: node.bias ? Float32Array.from(node.bias) : new Float32Array(units) };
}

/**
 * Whether every dense and conv2d layer carries hand-set weights in the file (so predict needs no
 * training; batch norm layers then start from their initial statistics, as an untrained Keras layer).
 */
export function hasInlineWeights(doc: NetworkDoc): boolean {
  const weighted = doc.nodes.filter((n) => n.type === 'dense' || n.type === 'conv2d');
  return weighted.length > 0 && weighted.every((n) => (n.type === 'dense' || n.type === 'conv2d') && n.weights !== undefined);
}

/**
 * A conv2d layer's kernels [filters, kh, kw, c]: from the weights file, else inline (nested
 * [filters][kh][kw][c]), else He or Glorot uniform as Keras counts fans: fanIn = kh·kw·c,
 * fanOut = kh·kw·filters.
 */
function convKernels(node: NetworkNode & { type: 'conv2d' }, win: Window2D, fn: ActivationFn, rng: Random, given?: WeightMap): { shape: number[]; data: Float32Array } {
  const shape = [node.filters, win.kh, win.kw, win.c];
  const fromFile = given?.get(`${node.id}.weight`);
  if (fromFile) return { shape, data: Float32Array.from(fromFile.data) };
  const data = new Float32Array(node.filters * win.kh * win.kw * win.c);
  if (node.weights) {
    let i = 0;
    for (const f of node.weights) for (const row of f) for (const cell of row) for (const v of cell) data[i++] = v;
    return { shape, data };
  }
  const fanIn = win.kh * win.kw * win.c, fanOut = win.kh * win.kw * node.filters;
  const limit = usesHe(fn) ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + fanOut));
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(-limit, limit);
  return { shape, data };
}

function convBias(node: NetworkNode & { type: 'conv2d' }, given?: WeightMap): { shape: number[]; data: Float32Array } {
  const fromFile = given?.get(`${node.id}.bias`);
  if (fromFile) return { shape: [node.filters], data: Float32Array.from(fromFile.data) };
  return { shape: [node.filters], data: node.bias ? Float32Array.from(node.bias) : new Float32Array(node.filters) };
}

/** The file's `training` section with documented defaults filled in (see DEFAULT_TRAIN_SETTINGS). */
export function trainSettingsFrom(spec: TrainingSpec | undefined): TrainSettings {
  const d = DEFAULT_TRAIN_SETTINGS;
  const o = spec?.optimizer;
  const type = o?.type ?? d.optimizer.type;
  return {
    loss: spec?.loss,
    optimizer: {
      type,
      learningRate: o?.learningRate ?? (type === 'sgd' ? 0.01 : type === 'rmsprop' ? 0.001 : d.optimizer.learningRate),
      momentum: o?.momentum ?? 0,
      nesterov: o?.nesterov ?? false,
      beta1: o?.beta1 ?? 0.9,
      beta2: o?.beta2 ?? 0.999,
      rho: o?.rho ?? 0.9,
      epsilon: o?.epsilon ?? 1e-7,
    },
    batchSize: spec?.batchSize ?? d.batchSize,
    epochs: spec?.epochs ?? d.epochs,
    validationSplit: spec?.validationSplit ?? d.validationSplit,
    shuffle: spec?.shuffle ?? d.shuffle,
    seed: spec?.seed ?? d.seed,
    l1: spec?.l1 ?? 0,
    l2: spec?.l2 ?? 0,
    earlyStopping: spec?.earlyStopping
      ? {
        monitor: spec.earlyStopping.monitor ?? 'val_loss',
        patience: spec.earlyStopping.patience,
        minDelta: spec.earlyStopping.minDelta ?? 0,
        restoreBestWeights: spec.earlyStopping.restoreBestWeights ?? false,
      }
      : undefined,
  };
}
