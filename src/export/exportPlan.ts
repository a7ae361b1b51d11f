/**
 * The network as every exporter sees it: nodes in topological order with their inputs, shapes,
 * resolved activations and resolved weights (trained weights first, then hand-set inline ones).
 * Building it once keeps the three exporters in agreement about the graph.
 */
import { windowGeometry, type WindowGeometry } from '../model/convGeometry';
import { DEFAULT_ALPHA, type ActivationName, type NetworkDoc, type NetworkNode, type PaddingName, type Size2D } from '../model/types';
import { ExportError } from './exportError';
import type { ExportAnalysis, ExportTensor, ExportWeights } from './exportTypes';
import { convWeights, denseWeights, normWeights, type PlanNorm, type ResolvedWeights } from './planWeights';

export type { PlanNorm };

/** An activation with its parameter resolved (leaky ReLU and ELU always carry alpha). */
export interface PlanActivation {
  name: ActivationName;
  alpha?: number;
}

/** One node of the plan. */
export interface PlanNode {
  id: string;
  node: NetworkNode;
  /** Ids of the nodes feeding this one, in edge order. */
  inputs: string[];
  /** Output shape without the batch dimension, channels last: [n] for a vector, [H, W, C] for an image. */
  shape: number[];
  /** Output width: the product of `shape` (the width of a flattened row). */
  units: number;
  /** Dense, conv2d and activation nodes: the activation applied (dense and conv2d: absent when linear). */
  activation?: PlanActivation;
  /** Dense: [units, inputs]; conv2d: [filters, kh, kw, inChannels]; both row-major (the WeightMap's layout). */
  weight?: ExportTensor;
  /** Dense or conv2d with bias: [units] or [filters]. */
  bias?: ExportTensor;
  /** Where the weights (or batch-norm statistics) came from; absent when there are none (batch norm: its initial values). */
  weightSource?: 'trained' | 'inline';
  /** Conv2d and pooling: the window over the input (windowGeometry, the one padding rule). */
  window?: WindowGeometry;
  /** Batch norm: gamma, beta, moving statistics and settings. */
  norm?: PlanNorm;
}

/** The resolved network. */
export interface ExportPlan {
  name: string;
  nodes: PlanNode[];
  byId: Map<string, PlanNode>;
  inputs: PlanNode[];
  outputs: PlanNode[];
}

/** Resolves a document and its analysis into an ExportPlan; throws ExportError when they disagree. */
export function buildExportPlan(doc: NetworkDoc, analysis: ExportAnalysis, weights?: ExportWeights): ExportPlan {
  const docNodes = new Map(doc.nodes.map((n) => [n.id, n]));
  const nodes: PlanNode[] = [];
  const byId = new Map<string, PlanNode>();
  for (const id of analysis.order) {
    const node = docNodes.get(id);
    if (!node) throw new ExportError(`The analysis names node '${id}', which the document does not have; re-check the file (nn check).`, id);
    const shape = analysis.shapes.get(id);
    if (!shape) throw new ExportError(`Node '${id}' has no known output shape; fix the shape errors shown by 'nn check' before exporting.`, id);
    if (shape.length === 0 || !shape.every((d) => Number.isSafeInteger(d) && d >= 1)) {
      throw new ExportError(`Node '${id}' has no valid shape ([${shape.join(', ')}]); fix the shape errors shown by 'nn check' before exporting.`, id);
    }
    const inputs = analysis.inputsOf.get(id) ?? [];
    const plan: PlanNode = { id, node, inputs, shape: [...shape], units: shape.reduce((a, b) => a * b, 1) };
    resolveNode(plan, byId, weights);
    nodes.push(plan);
    byId.set(id, plan);
  }
  const pick = (ids: string[]): PlanNode[] => ids.map((id) => {
    const p = byId.get(id);
    if (!p) throw new ExportError(`Node '${id}' is listed as an input or output but is not in the topological order.`, id);
    return p;
  });
  const inputs = pick(analysis.inputs);
  const outputs = pick(analysis.outputs);
  // Every exporter writes a model from its inputs to its outputs: without either there is none.
  if (inputs.length === 0) throw new ExportError('The network has no input node, so there is nothing to export; add an "input" node and connect it.');
  if (outputs.length === 0) throw new ExportError('The network has no output: no layer follows its inputs, so there is nothing to export. Connect a layer (e.g. a dense node) after the input.');
  return { name: doc.name ?? 'network', nodes, byId, inputs, outputs };
}

function resolveActivation(name: ActivationName, alpha: number | undefined): PlanActivation {
  const fallback = DEFAULT_ALPHA[name];
  return fallback === undefined ? { name } : { name, alpha: alpha ?? fallback };
}

/** Fills in a node's activation, weights and window from its type and its inputs' shapes. */
function resolveNode(plan: PlanNode, byId: Map<string, PlanNode>, weights: ExportWeights | undefined): void {
  const node = plan.node;
  const source = (): PlanNode => {
    const kind = node.type === 'dense' ? 'Dense node' : `Node`;
    if (plan.inputs.length !== 1) throw new ExportError(`${kind} '${node.id}' has ${plan.inputs.length} inputs; a ${node.type} layer takes exactly one${node.type === 'dense' ? ' (merge them with concat first)' : ''}.`, node.id);
    const first = byId.get(plan.inputs[0]);
    if (!first) throw new ExportError(`${kind} '${node.id}' comes before its input '${plan.inputs[0]}' in the order; re-check the file.`, node.id);
    return first;
  };
  const image = (what: string): number[] => {
    const s = source().shape;
    if (s.length !== 3) throw new ExportError(`${what} '${node.id}' needs an image input [H, W, C] but gets [${s.join(', ')}]; fix the shape errors shown by 'nn check'.`, node.id);
    return s;
  };
  const take = (r: ResolvedWeights): void => {
    if (r.weight) plan.weight = r.weight;
    if (r.bias) plan.bias = r.bias;
    if (r.source) plan.weightSource = r.source;
  };
  switch (node.type) {
    case 'dense': {
      if (node.activation && node.activation !== 'linear') plan.activation = resolveActivation(node.activation, node.alpha);
      const s = source().shape;
      if (s.length !== 1) throw new ExportError(`Dense node '${node.id}' is fed a [${s.join(', ')}] tensor; a dense layer takes a vector: insert a flatten node before it.`, node.id);
      take(denseWeights(node, s[0], weights));
      return;
    }
    case 'conv2d': {
      if (node.activation && node.activation !== 'linear') plan.activation = resolveActivation(node.activation, node.alpha);
      plan.window = fittingWindow(node.id, image('Conv2d node'), node.kernelSize, node.strides ?? 1, node.padding ?? 'valid');
      take(convWeights(node, [plan.window.kh, plan.window.kw], plan.window.c, weights));
      return;
    }
    case 'maxpool2d':
    case 'avgpool2d':
      plan.window = fittingWindow(node.id, image('Pooling node'), node.poolSize, node.strides ?? node.poolSize, node.padding ?? 'valid');
      return;
    case 'globalavgpool2d':
      image('Global average pooling node');
      return;
    case 'batchnorm': {
      const r = normWeights(node, plan.shape[plan.shape.length - 1], weights);
      plan.norm = r.norm;
      if (r.source) plan.weightSource = r.source;
      return;
    }
    case 'activation':
      plan.activation = resolveActivation(node.activation, node.alpha);
      return;
    default:
  }
}

/** The window of a conv or pool node; refuses one that does not fit (the model reports it too). */
function fittingWindow(id: string, input: number[], kernel: Size2D, strides: Size2D, padding: PaddingName): WindowGeometry {
  const g = windowGeometry(input, kernel, strides, padding);
  if (!(g.oh >= 1 && g.ow >= 1 && g.kh >= 1 && g.kw >= 1 && g.sh >= 1 && g.sw >= 1)) {
    throw new ExportError(`Node '${id}': its window does not fit its [${input.join(', ')}] input; fix the shape errors shown by 'nn check' before exporting.`, id);
  }
  return g;
}
