/**
 * Resolves the weights of one plan node: trained weights (the WeightMap, BRIEF names
 * `<id>.weight`, `<id>.bias`, `<id>.gamma`, `<id>.beta`, `<id>.moving_mean`, `<id>.moving_variance`)
 * first, then the hand-set inline ones; every shape is checked against the network.
 */
import type { NetworkNode } from '../model/types';
import { ExportError } from './exportError';
import type { ExportTensor, ExportWeights } from './exportTypes';

/** Batch normalization's four per-channel tensors with its settings (Keras semantics). */
export interface PlanNorm {
  gamma: ExportTensor;
  beta: ExportTensor;
  movingMean: ExportTensor;
  movingVariance: ExportTensor;
  /** True when these are the initial values (no trained statistics): the tensors are then made only when read. */
  initial?: boolean;
  /** Keras momentum: moving = momentum·moving + (1 − momentum)·batch. */
  momentum: number;
  epsilon: number;
}

/** What a weighted layer gets: weight, optional bias and where they came from. */
export interface ResolvedWeights {
  weight?: ExportTensor;
  bias?: ExportTensor;
  source?: 'trained' | 'inline';
}

type Dense = Extract<NetworkNode, { type: 'dense' }>;
type Conv = Extract<NetworkNode, { type: 'conv2d' }>;
type Norm = Extract<NetworkNode, { type: 'batchnorm' }>;

/** Dense weights: [units, fanIn] and [units]. */
export function denseWeights(node: Dense, fanIn: number, weights: ExportWeights | undefined): ResolvedWeights {
  const trained = trainedPair(node.id, [node.units, fanIn], node.units, node.useBias !== false, weights);
  if (trained) return trained;
  if (!node.weights) return {};
  const rows = node.weights;
  if (rows.length !== node.units || rows.some((r) => !Array.isArray(r) || r.length !== fanIn)) {
    throw new ExportError(`Dense node '${node.id}' has inline weights that are not ${node.units} rows × ${fanIn} columns; fix them (nn check shows where).`, node.id);
  }
  return { weight: { shape: [node.units, fanIn], data: Float32Array.from(rows.flat()) }, bias: inlineBias(node.id, node.units, node.useBias !== false, node.bias, 'units'), source: 'inline' };
}

/** Conv kernels: [filters, kh, kw, inChannels] (ours, channels last) and [filters]. */
export function convWeights(node: Conv, kernel: [number, number], inChannels: number, weights: ExportWeights | undefined): ResolvedWeights {
  const shape = [node.filters, kernel[0], kernel[1], inChannels];
  const trained = trainedPair(node.id, shape, node.filters, node.useBias !== false, weights);
  if (trained) return trained;
  if (!node.weights) return {};
  const flat: number[] = [];
  const fits = node.weights.length === shape[0] && node.weights.every((f) => Array.isArray(f) && f.length === shape[1] &&
    f.every((row) => Array.isArray(row) && row.length === shape[2] && row.every((cell) => Array.isArray(cell) && cell.length === shape[3] && (flat.push(...cell), true))));
  if (!fits) {
    throw new ExportError(`Conv2d node '${node.id}' has inline weights that are not nested [${shape.join('][')}] ([filters][kernelH][kernelW][inputChannels]); fix them (nn check shows where).`, node.id);
  }
  return { weight: { shape, data: Float32Array.from(flat) }, bias: inlineBias(node.id, node.filters, node.useBias !== false, node.bias, 'filters'), source: 'inline' };
}

/**
 * Batch norm's gamma, beta and moving statistics: trained when the weights hold them, else the
 * initial values (gamma 1, beta 0, mean 0, variance 1), exactly what the engine starts from.
 */
export function normWeights(node: Norm, channels: number, weights: ExportWeights | undefined): { norm: PlanNorm; source?: 'trained' } {
  const names = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;
  const found = names.map((n) => weights?.get(`${node.id}.${n}`));
  // Made when first read: a design may ask for more channels than memory holds, and the scripts
  // write initial values as a Python expression, not a list.
  const fill = (v: number): ExportTensor => {
    let data: Float32Array | undefined;
    return { shape: [channels], get data(): Float32Array { return (data ??= new Float32Array(channels).fill(v)); } };
  };
  const settings = { momentum: node.momentum ?? 0.99, epsilon: node.epsilon ?? 0.001 };
  if (found.every((t) => t === undefined)) {
    return { norm: { gamma: fill(1), beta: fill(0), movingMean: fill(0), movingVariance: fill(1), initial: true, ...settings } };
  }
  const missing = names.filter((_, i) => !found[i]);
  if (missing.length) throw new ExportError(`The weights have some of batchnorm '${node.id}''s tensors but not ${missing.map((m) => `'${node.id}.${m}'`).join(', ')}; retrain the network (nn train) to rewrite the weights file.`, node.id);
  const [gamma, beta, movingMean, movingVariance] = found as ExportTensor[];
  names.forEach((n, i) => checkShape(node.id, n, found[i] as ExportTensor, [channels]));
  return { norm: { gamma, beta, movingMean, movingVariance, ...settings }, source: 'trained' };
}

function trainedPair(id: string, shape: number[], outs: number, useBias: boolean, weights: ExportWeights | undefined): ResolvedWeights | undefined {
  const w = weights?.get(`${id}.weight`);
  if (!w) return undefined;
  checkShape(id, 'weight', w, shape);
  if (!useBias) return { weight: w, source: 'trained' };
  const b = weights?.get(`${id}.bias`);
  if (!b) throw new ExportError(`The weights have '${id}.weight' but no '${id}.bias'; retrain the network (nn train) to rewrite the weights file.`, id);
  checkShape(id, 'bias', b, [outs]);
  return { weight: w, bias: b, source: 'trained' };
}

function inlineBias(id: string, outs: number, useBias: boolean, bias: number[] | undefined, what: string): ExportTensor | undefined {
  if (!useBias) return undefined;
  const values = bias ?? new Array<number>(outs).fill(0);
  if (values.length !== outs) throw new ExportError(`Node '${id}' has ${values.length} inline bias values for ${outs} ${what}.`, id);
  return { shape: [outs], data: Float32Array.from(values) };
}

/** Throws unless `t` has exactly the shape `expected` (and as many values). */
export function checkShape(id: string, what: string, t: ExportTensor, expected: number[]): void {
  const ok = t.shape.length === expected.length && t.shape.every((d, i) => d === expected[i]) &&
    t.data.length === expected.reduce((a, b) => a * b, 1);
  if (!ok) {
    throw new ExportError(`The trained ${what} of '${id}' has shape [${t.shape.join(', ')}] but the network needs [${expected.join(', ')}]; the file changed since training: retrain (nn train) before exporting.`, id);
  }
}
