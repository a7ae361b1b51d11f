/** Shape inference, parameter counts (with the formula a student would write) and FLOPs. */
import type { NetworkDoc, NetworkNode } from './types';
import { indexGraph, topologicalOrder } from './graph';
import { layerShape, type ShapeProblem } from './layerShapes';
import { layerCost } from './layerCost';

/** Parameters of one node, with how they were counted. */
export interface ParamCount {
  count: number;
  /** E.g. "2×3 + 3 = 9" for a dense layer of 3 units on 2 inputs; "0" for nodes without parameters. */
  formula: string;
  /** How many of `count` are not trained (batchnorm's moving mean and variance); absent means 0. */
  nonTrainable?: number;
}

/** Everything that follows from a network's structure. */
export interface NetworkAnalysis {
  /** Node ids in topological order (file order among nodes that are ready together). */
  order: string[];
  /** Input node ids, in file order. */
  inputs: string[];
  /** Nodes with no outgoing edges (inputs excluded), in file order. */
  outputs: string[];
  /** Output shape of each node without the batch dimension, e.g. [3]; missing where it cannot be known. */
  shapes: Map<string, number[]>;
  /** Input node ids of each node, in edge order. */
  inputsOf: Map<string, string[]>;
  params: Map<string, ParamCount>;
  totalParams: number;
  /** Parameters gradient descent changes: totalParams − nonTrainableParams. */
  trainableParams: number;
  /** Parameters saved with the weights but not trained (batchnorm's moving statistics), as Keras counts them. */
  nonTrainableParams: number;
  /** Floating-point operations of one forward pass for one sample (a multiply-add counts 2). */
  flops: number;
  /** FLOPs per node, same convention. */
  nodeFlops: Map<string, number>;
}

export type { ShapeProblem, ShapeProblemCode } from './layerShapes';

/** Infers each node's output shape in topological order; returns the problems it met. */
export function inferShapes(doc: NetworkDoc, order: readonly string[], inputsOf: Map<string, string[]>): { shapes: Map<string, number[]>; problems: ShapeProblem[] } {
  const byId = new Map<string, NetworkNode>();
  for (const n of doc.nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  const shapes = new Map<string, number[]>();
  const problems: ShapeProblem[] = [];
  for (const id of order) {
    const node = byId.get(id);
    if (!node) continue;
    const ins = inputsOf.get(id) ?? [];
    const inShapes = ins.map((i) => shapes.get(i));
    const known = inShapes.every((s): s is number[] => s !== undefined) ? inShapes as number[][] : undefined;
    const { shape, problem } = layerShape(node, ins, known);
    if (shape) shapes.set(id, shape);
    if (problem) problems.push({ nodeId: id, ...problem });
  }
  return { shapes, problems };
}

/** Analyses a parsed document: order, shapes, parameters and FLOPs. Never throws on a parsed doc. */
export function analyzeNetwork(doc: NetworkDoc): NetworkAnalysis {
  const g = indexGraph(doc);
  const { order } = topologicalOrder(doc, g);
  const { shapes } = inferShapes(doc, order, g.inputsOf);
  const seen = new Set<string>();
  const nodes = doc.nodes.filter((n) => (seen.has(n.id) ? false : (seen.add(n.id), true)));
  const params = new Map<string, ParamCount>();
  const nodeFlops = new Map<string, number>();
  let totalParams = 0;
  let nonTrainableParams = 0;
  let flops = 0;
  for (const node of nodes) {
    const ins = g.inputsOf.get(node.id) ?? [];
    const input = ins.length === 1 ? shapes.get(ins[0]) : undefined;
    const { count, formula, nonTrainable, flops: f } = layerCost(node, input, shapes.get(node.id), ins.length);
    params.set(node.id, nonTrainable ? { count, formula, nonTrainable } : { count, formula });
    nodeFlops.set(node.id, f);
    totalParams += count;
    nonTrainableParams += nonTrainable ?? 0;
    flops += f;
  }
  return {
    order,
    inputs: nodes.filter((n) => n.type === 'input').map((n) => n.id),
    outputs: nodes.filter((n) => n.type !== 'input' && (g.outputsOf.get(n.id) ?? []).length === 0).map((n) => n.id),
    shapes,
    inputsOf: g.inputsOf,
    params,
    totalParams,
    // Every parameter is trained except batchnorm's moving statistics; freezing layers is not part of the format yet.
    trainableParams: totalParams - nonTrainableParams,
    nonTrainableParams,
    flops,
    nodeFlops,
  };
}
