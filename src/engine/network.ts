/**
 * The engine's network description (what compile.ts produces) and the forward-graph builder
 * that turns it into ops on the autograd tape for a given batch size.
 */
import type { ActivationFn } from './backend';
import type { TapeGraph } from './tapeGraph';
import type { Tensor } from './tensor';
import type { WeightMap } from './weights/safetensors';

export type { WeightMap } from './weights/safetensors';

/** One node of a compiled network, in topological order. */
export interface LayerSpec {
  id: string;
  kind: 'input' | 'dense' | 'activation' | 'dropout' | 'add' | 'multiply' | 'concat';
  /** Ids of the nodes feeding this one, in edge order. */
  inputs: string[];
  /** Output width (features per sample). */
  units: number;
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
  /** Current weights, `<id>.weight` ([units, fanIn]) and `<id>.bias` ([units]); train() updates them. */
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
 * Records a forward pass of `net` on the tape. `inputs` are in `net.inputIds` order; `params`
 * holds one tensor per WeightMap key. Dropout is applied only when `training`.
 */
export function buildForward(g: TapeGraph, net: CompiledNetwork, params: Map<string, Tensor>, inputs: Tensor[], training: boolean): ForwardGraph {
  const values = new Map<string, Tensor>();
  const preActivation = new Map<string, { pre: Tensor; fn: ActivationFn }>();
  net.inputIds.forEach((id, i) => values.set(id, inputs[i]));
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
        const x = ins.length === 1 ? ins[0] : g.concat(ins, `${layer.id}.in`);
        const w = param(params, `${layer.id}.weight`);
        let z = g.matmul(x, w, `${layer.id}.xw`, false, true);
        if (layer.useBias) z = g.biasAdd(z, param(params, `${layer.id}.bias`), `${layer.id}.z`);
        const fn = layer.activation ?? 'linear';
        if (fn === 'linear') {
          out = z;
        } else {
          out = g.activation(z, fn, layer.alpha ?? 0, `${layer.id}.out`);
          preActivation.set(layer.id, { pre: z, fn });
        }
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

/** Parameter count per dense layer, for the 'start' event. */
export function paramCounts(net: CompiledNetwork): Array<{ id: string; count: number }> {
  return net.layers.filter((l) => l.kind === 'dense').map((l) => ({
    id: l.id,
    count: (net.weights.get(`${l.id}.weight`)?.data.length ?? 0) + (net.weights.get(`${l.id}.bias`)?.data.length ?? 0),
  }));
}
