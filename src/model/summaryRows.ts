/**
 * The rows of a design's Keras-style summary, as `nn summary` prints them and the editor's
 * Summary view shows them: one row per node in topological order with its type, output shape,
 * parameters (with the formula a student would write), the inputs it is connected to and its
 * forward FLOPs. Pure: no I/O.
 */
import type { NetworkAnalysis } from './analyze';
import type { NetworkDoc, NetworkNode } from './types';

/** One row of the summary. */
export interface SummaryRow {
  layer: string;
  type: string;
  /** Output shape without the batch dimension; null where it cannot be known. */
  outputShape: number[] | null;
  params: number;
  /** Of `params`, those not trained (batch norm's moving mean and variance). */
  nonTrainable: number;
  /** How the parameters are counted ("2×3 + 3"), without the result; empty for a layer without parameters. */
  formula: string;
  inputs: string[];
  /** Floating-point operations of one forward pass for one sample (a multiply-add counts 2). */
  flops: number;
}

/** The type column: the node type, with its activation or rate where it has one. */
export function summaryTypeLabel(n: NetworkNode): string {
  if (n.type === 'dense' || n.type === 'conv2d') return `${n.type} (${n.activation ?? 'linear'})`;
  if (n.type === 'activation') return `activation (${n.activation})`;
  if (n.type === 'dropout') return `dropout (${n.rate})`;
  return n.type;
}

/** Every node of `doc` in the analysis' topological order, as a summary row. */
export function summaryRows(doc: NetworkDoc, a: NetworkAnalysis): SummaryRow[] {
  const byId = new Map(doc.nodes.map((n) => [n.id, n] as const));
  return a.order.flatMap((id) => {
    const n = byId.get(id);
    if (!n) return [];
    const p = a.params.get(id);
    return [{
      layer: id, type: summaryTypeLabel(n), outputShape: a.shapes.get(id) ?? null,
      params: p?.count ?? 0, nonTrainable: p?.nonTrainable ?? 0, formula: p && p.count > 0 ? p.formula.replace(/ = \d+$/, '') : '',
      inputs: a.inputsOf.get(id) ?? [], flops: a.nodeFlops.get(id) ?? 0,
    }];
  });
}
