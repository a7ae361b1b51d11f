/** Shape inference, parameter counts (with the formula a student would write) and FLOPs. */
import type { ActivationName, NetworkDoc, NetworkNode } from './types';
import { indexGraph, topologicalOrder } from './graph';

/** Parameters of one node, with how they were counted. */
export interface ParamCount {
  count: number;
  /** E.g. "2×3 + 3 = 9" for a dense layer of 3 units on 2 inputs; "0" for nodes without parameters. */
  formula: string;
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
  trainableParams: number;
  /** Floating-point operations of one forward pass for one sample (a multiply-add counts 2). */
  flops: number;
  /** FLOPs per node, same convention. */
  nodeFlops: Map<string, number>;
}

/** A shape problem found while inferring shapes (validation turns these into diagnostics). */
export interface ShapeProblem {
  nodeId: string;
  code: 'merge-shape';
  message: string;
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

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
    switch (node.type) {
      case 'input':
      case 'dense':
        shapes.set(id, [node.units]);
        break;
      case 'activation':
      case 'dropout':
        if (known && known.length === 1) shapes.set(id, known[0]);
        break;
      case 'add':
      case 'multiply':
        if (known && known.length >= 1) {
          const first = known[0];
          const odd = known.findIndex((s) => s.length !== first.length || s.some((v, k) => v !== first[k]));
          if (odd < 0) shapes.set(id, first);
          else {
            const list = ins.map((i, k) => `'${i}' [${known[k].join(', ')}]`).join(', ');
            problems.push({
              nodeId: id, code: 'merge-shape',
              message: `${node.type} '${id}' combines inputs element by element, so they need one shape, but they have ${list}`,
            });
          }
        }
        break;
      case 'concat':
        if (known && known.length >= 1) shapes.set(id, [known.reduce((a, s) => a + size(s), 0)]);
        break;
    }
  }
  return { shapes, problems };
}

function activationFlops(name: ActivationName | undefined, n: number): number {
  if (!name || name === 'linear') return 0;
  // Softmax: exp, sum and divide per element.
  return name === 'softmax' ? 3 * n : n;
}

/** The input width of a dense node: from its input's shape, or from inline weights when that is unknown. */
function denseInputs(node: NetworkNode & { type: 'dense' }, ins: string[], shapes: Map<string, number[]>): number | undefined {
  if (ins.length === 1) {
    const s = shapes.get(ins[0]);
    if (s) return size(s);
  }
  return node.weights && node.weights.length > 0 ? node.weights[0].length : undefined;
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
  let flops = 0;
  for (const node of nodes) {
    const ins = g.inputsOf.get(node.id) ?? [];
    const out = shapes.get(node.id);
    let count = 0;
    let formula = '0';
    let f = 0;
    if (node.type === 'dense') {
      const n = denseInputs(node, ins, shapes);
      const bias = node.useBias !== false;
      if (n === undefined) {
        formula = `?×${node.units}${bias ? ` + ${node.units}` : ''} (input size unknown)`;
      } else {
        count = n * node.units + (bias ? node.units : 0);
        formula = `${n}×${node.units}${bias ? ` + ${node.units}` : ''} = ${count}`;
        f = 2 * n * node.units + (bias ? node.units : 0) + activationFlops(node.activation, node.units);
      }
    } else if (out) {
      const n = size(out);
      if (node.type === 'activation') f = activationFlops(node.activation, n);
      else if (node.type === 'add' || node.type === 'multiply') f = Math.max(0, ins.length - 1) * n;
    }
    params.set(node.id, { count, formula });
    nodeFlops.set(node.id, f);
    totalParams += count;
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
    // Every parameter of nn/1 is trained; freezing layers is not part of the format yet.
    trainableParams: totalParams,
    flops,
    nodeFlops,
  };
}
