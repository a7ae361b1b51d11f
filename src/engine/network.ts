/**
 * The engine's network description (what compile.ts produces) and the forward-graph builder
 * that turns it into ops on the autograd tape for a given batch size.
 */
import type { ActivationFn, Window2D } from './backend';
import type { TapeGraph } from './tapeGraph';
import type { Tensor } from './tensor';
import type { WeightMap } from './weights/safetensors';

export type { WeightMap } from './weights/safetensors';

/**
 * One node of a compiled network, in topological order. Image layers: conv2d (kernels
 * `<id>.weight` [filters, kh, kw, c], `<id>.bias`), pool2d (max, or avg; global average pooling
 * is avg over the whole image), reshape (flatten and reshape: a view of the same buffer) and
 * batchnorm (`<id>.gamma`, `<id>.beta` trained; `<id>.moving_mean`, `<id>.moving_variance`
 * updated while training, not by the optimizer).
 */
export interface LayerSpec {
  id: string;
  kind: 'input' | 'dense' | 'activation' | 'dropout' | 'add' | 'multiply' | 'concat' | 'conv2d' | 'pool2d' | 'reshape' | 'batchnorm';
  /** Ids of the nodes feeding this one, in edge order. */
  inputs: string[];
  /** Output width (features per sample): the product of `shape`. */
  units: number;
  /**
   * Output shape without the batch dimension ([H, W, C] for an image, [n] for a vector). Its
   * tensor holds batch·(all but the last) rows × the last axis (see tensorDims).
   */
  shape: number[];
  /** conv2d, pool2d: the window over the input image (from the model's windowGeometry). */
  window?: Window2D;
  /** conv2d: number of kernels. */
  filters?: number;
  /** pool2d. */
  pool?: 'max' | 'avg';
  /** batchnorm (Keras' meaning: moving = momentum·moving + (1 − momentum)·batch). */
  momentum?: number;
  epsilon?: number;
  /** Dense: total input width. */
  fanIn?: number;
  activation?: ActivationFn;
  alpha?: number;
  useBias?: boolean;
  /** Dropout rate. */
  rate?: number;
}

/** A network ready to run: layers in topological order and host-side weights. */
export interface CompiledNetwork {
  name: string;
  layers: LayerSpec[];
  inputIds: string[];
  inputSizes: number[];
  outputIds: string[];
  outputSizes: number[];
  /**
   * Current weights; train() updates them. Dense: `<id>.weight` [units, fanIn], `<id>.bias`
   * [units]; conv2d: `<id>.weight` [filters, kh, kw, c], `<id>.bias` [filters]; batchnorm: see
   * BATCHNORM_KEYS, each [channels].
   */
  weights: WeightMap;
  /** Nodes using the step activation, whose gradient is straight-through (reported to the user). */
  stepNodes: string[];
  /** The seed initialisation used (dropout masks derive from it too). */
  seed: number;
}

/** The tensors a forward pass produced. */
export interface ForwardGraph {
  /** Each node's output. */
  values: Map<string, Tensor>;
  /** For nodes ending in an activation: the tensor before it and the function (losses from logits). */
  preActivation: Map<string, { pre: Tensor; fn: ActivationFn }>;
}

/**
 * The tensor of a node's output for `batch` samples: batch·(all axes but the last) rows × the
 * last axis, so an image [H, W, C] is (batch·H·W) × C, channels last, and a vector [n] is batch × n.
 */
export function tensorDims(shape: readonly number[], batch: number): [number, number] {
  const cols = shape.length > 0 ? shape[shape.length - 1] : 1;
  return [batch * shape.slice(0, -1).reduce((a, b) => a * b, 1), cols];
}

/** A batchnorm layer's tensors, by WeightMap key suffix: gamma and beta are trained, the moving statistics are not. */
export const BATCHNORM_KEYS = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;

/**
 * Whether a WeightMap key is trained by the optimizer (and penalised by L1/L2 when a weight):
 * everything but batch norm's moving statistics, which training updates from batch statistics.
 */
export function isTrainedParam(key: string): boolean {
  return !key.endsWith('.moving_mean') && !key.endsWith('.moving_variance');
}

/**
 * Records a forward pass of `net` on the tape. `inputs` are in `net.inputIds` order; `params`
 * holds one tensor per WeightMap key. Only when `training`: dropout is applied, and batch norm
 * normalises with the batch's statistics and updates its moving statistics (otherwise it uses them).
 */
export function buildForward(g: TapeGraph, net: CompiledNetwork, params: Map<string, Tensor>, inputs: Tensor[], training: boolean): ForwardGraph {
  const values = new Map<string, Tensor>();
  const preActivation = new Map<string, { pre: Tensor; fn: ActivationFn }>();
  const byId = new Map(net.layers.map((l) => [l.id, l]));
  const batch = inputs[0]?.rows ?? 1;
  net.inputIds.forEach((id, i) => {
    // An image input arrives as batch rows of H·W·C values: the same buffer, viewed channels last.
    const shape = byId.get(id)?.shape ?? [inputs[i].cols];
    const [rows, cols] = tensorDims(shape, inputs[i].rows);
    values.set(id, g.view(inputs[i], rows, cols, `${id}.image`));
  });
  /** A dense or conv layer's tail: its bias, then its activation (whose input the backward pass keeps). */
  const biasThenActivation = (layer: LayerSpec, product: Tensor): Tensor => {
    const z = layer.useBias ? g.biasAdd(product, param(params, `${layer.id}.bias`), `${layer.id}.z`) : product;
    const fn = layer.activation ?? 'linear';
    if (fn === 'linear') return z;
    preActivation.set(layer.id, { pre: z, fn });
    return g.activation(z, fn, layer.alpha ?? 0, `${layer.id}.out`);
  };
  let dropoutIndex = 0;
  for (const layer of net.layers) {
    if (layer.kind === 'input') continue;
    const ins = layer.inputs.map((id) => {
      const t = values.get(id);
      if (!t) throw new Error(`internal: node '${id}' was not computed before '${layer.id}'`);
      return t;
    });
    let out: Tensor;
    switch (layer.kind) {
      case 'dense': {
        // A dense layer reads each sample as one vector (an image input is flattened first).
        const flat = ins.map((t, i) => g.view(t, batch, (t.rows * t.cols) / batch, `${layer.id}.in${i}`));
        const x = flat.length === 1 ? flat[0] : g.concat(flat, `${layer.id}.in`);
        const w = param(params, `${layer.id}.weight`);
        out = biasThenActivation(layer, g.matmul(x, w, `${layer.id}.xw`, false, true));
        break;
      }
      case 'activation': {
        const fn = layer.activation ?? 'linear';
        out = g.activation(ins[0], fn, layer.alpha ?? 0, `${layer.id}.out`);
        preActivation.set(layer.id, { pre: ins[0], fn });
        break;
      }
      case 'dropout':
        // Each dropout node gets its own stream so two nodes never share a mask.
        out = training && (layer.rate ?? 0) > 0 ? g.dropout(ins[0], layer.rate ?? 0, (net.seed + 7919 * ++dropoutIndex) >>> 0, `${layer.id}.out`) : ins[0];
        break;
      case 'add':
        out = ins.slice(1).reduce((acc, t, i) => g.add(acc, t, `${layer.id}.sum${i}`), ins[0]);
        break;
      case 'multiply':
        out = ins.slice(1).reduce((acc, t, i) => g.mul(acc, t, `${layer.id}.prod${i}`), ins[0]);
        break;
      case 'concat':
        out = g.concat(ins, `${layer.id}.out`);
        break;
      case 'conv2d': {
        const w = param(params, `${layer.id}.weight`);
        out = biasThenActivation(layer, g.conv2d(ins[0], w, { ...(layer.window as Window2D), filters: layer.filters ?? w.rows }, `${layer.id}.conv`));
        break;
      }
      case 'pool2d':
        out = g.pool2d(ins[0], { ...(layer.window as Window2D), mode: layer.pool ?? 'max' }, `${layer.id}.out`);
        break;
      case 'reshape': {
        const batch = (ins[0].rows * ins[0].cols) / layer.units;
        const [rows, cols] = tensorDims(layer.shape, batch);
        out = g.view(ins[0], rows, cols, `${layer.id}.out`);
        break;
      }
      case 'batchnorm': {
        const [gamma, beta, mean, variance] = BATCHNORM_KEYS.map((k) => param(params, `${layer.id}.${k}`));
        const epsilon = layer.epsilon ?? 1e-3;
        out = training
          ? g.batchNorm(ins[0], gamma, beta, [mean, variance], { epsilon, momentum: layer.momentum ?? 0.99 }, `${layer.id}.out`)
          : g.batchNormInference(ins[0], gamma, beta, [mean, variance], { epsilon }, `${layer.id}.out`);
        break;
      }
    }
    values.set(layer.id, out);
  }
  return { values, preActivation };
}

function param(params: Map<string, Tensor>, key: string): Tensor {
  const t = params.get(key);
  if (!t) throw new Error(`internal: parameter '${key}' is missing`);
  return t;
}

/**
 * Multiply-adds of one sample's forward pass through the dense and conv2d layers (dense:
 * fanIn·units; conv2d: oh·ow·filters·kh·kw·c), what auto backend selection weighs.
 */
export function multiplyAdds(net: CompiledNetwork): number {
  let n = 0;
  for (const l of net.layers) {
    if (l.kind === 'dense') n += (l.fanIn ?? 0) * l.units;
    else if (l.kind === 'conv2d' && l.window) n += l.window.oh * l.window.ow * (l.filters ?? 0) * l.window.kh * l.window.kw * l.window.c;
  }
  return n;
}

/** Whether a layer has parameters (dense, conv2d, batchnorm). */
export function hasParams(l: LayerSpec): boolean {
  return l.kind === 'dense' || l.kind === 'conv2d' || l.kind === 'batchnorm';
}

/** Parameter count per layer with parameters (batch norm's moving statistics included, as Keras counts them), for the 'start' event. */
export function paramCounts(net: CompiledNetwork): Array<{ id: string; count: number }> {
  return net.layers.filter(hasParams).map((l) => ({
    id: l.id,
    count: ['weight', 'bias', ...BATCHNORM_KEYS].reduce((s, k) => s + (net.weights.get(`${l.id}.${k}`)?.data.length ?? 0), 0),
  }));
}
