/**
 * The network as every exporter sees it: nodes in topological order with their inputs, shapes,
 * resolved activations and resolved weights (trained weights first, then hand-set inline ones).
 * Building it once keeps the three exporters in agreement about the graph.
 */
import { DEFAULT_ALPHA, type ActivationName, type NetworkDoc, type NetworkNode } from '../model/types';
import { ExportError } from './exportError';
import type { ExportAnalysis, ExportTensor, ExportWeights } from './exportTypes';

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
  /** Output width (shape without the batch dimension, flattened). */
  units: number;
  /** Dense and activation nodes: the activation applied (dense: absent when linear). */
  activation?: PlanActivation;
  /** Dense: [units, inputs] row-major. */
  weight?: ExportTensor;
  /** Dense with bias: [units]. */
  bias?: ExportTensor;
  /** Where the dense weights came from. */
  weightSource?: 'trained' | 'inline';
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
    if (shape.length !== 1) throw new ExportError(`Node '${id}' has shape [${shape.join(', ')}]; export handles flat feature vectors only.`, id);
    if (!Number.isSafeInteger(shape[0]) || shape[0] < 1) throw new ExportError(`Node '${id}' has no valid width (${String(shape[0])}); fix the shape errors shown by 'nn check' before exporting.`, id);
    const inputs = analysis.inputsOf.get(id) ?? [];
    const plan: PlanNode = { id, node, inputs, units: shape[0] };
    if (node.type === 'dense') {
      if (node.activation && node.activation !== 'linear') plan.activation = resolveActivation(node.activation, node.alpha);
      resolveDenseWeights(plan, node, inputs, byId, weights);
    } else if (node.type === 'activation') {
      plan.activation = resolveActivation(node.activation, node.alpha);
    }
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

function resolveDenseWeights(
  plan: PlanNode,
  node: Extract<NetworkNode, { type: 'dense' }>,
  inputs: string[],
  byId: Map<string, PlanNode>,
  weights: ExportWeights | undefined,
): void {
  if (inputs.length !== 1) throw new ExportError(`Dense node '${node.id}' has ${inputs.length} inputs; a dense layer takes exactly one (merge them with concat first).`, node.id);
  const fanIn = byId.get(inputs[0])?.units;
  if (fanIn === undefined) throw new ExportError(`Dense node '${node.id}' comes before its input '${inputs[0]}' in the order; re-check the file.`, node.id);
  const useBias = node.useBias !== false;
  const trainedW = weights?.get(`${node.id}.weight`);
  const trainedB = weights?.get(`${node.id}.bias`);
  if (trainedW) {
    checkShape(node.id, 'weight', trainedW, [node.units, fanIn]);
    plan.weight = trainedW;
    if (useBias) {
      if (!trainedB) throw new ExportError(`The weights have '${node.id}.weight' but no '${node.id}.bias'; retrain the network (nn train) to rewrite the weights file.`, node.id);
      checkShape(node.id, 'bias', trainedB, [node.units]);
      plan.bias = trainedB;
    }
    plan.weightSource = 'trained';
    return;
  }
  if (node.weights) {
    const rows = node.weights;
    if (rows.length !== node.units || rows.some((r) => r.length !== fanIn)) {
      throw new ExportError(`Dense node '${node.id}' has inline weights that are not ${node.units} rows × ${fanIn} columns; fix them (nn check shows where).`, node.id);
    }
    plan.weight = { shape: [node.units, fanIn], data: Float32Array.from(rows.flat()) };
    if (useBias) {
      const bias = node.bias ?? new Array<number>(node.units).fill(0);
      if (bias.length !== node.units) throw new ExportError(`Dense node '${node.id}' has ${bias.length} inline bias values for ${node.units} units.`, node.id);
      plan.bias = { shape: [node.units], data: Float32Array.from(bias) };
    }
    plan.weightSource = 'inline';
  }
}

function checkShape(id: string, what: string, t: ExportTensor, expected: number[]): void {
  const ok = t.shape.length === expected.length && t.shape.every((d, i) => d === expected[i]) &&
    t.data.length === expected.reduce((a, b) => a * b, 1);
  if (!ok) {
    throw new ExportError(`The trained ${what} of '${id}' has shape [${t.shape.join(', ')}] but the network needs [${expected.join(', ')}]; the file changed since training: retrain (nn train) before exporting.`, id);
  }
}
