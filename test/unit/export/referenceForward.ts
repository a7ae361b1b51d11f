/**
 * A plain float64 forward pass over an ExportPlan, written straight from the nn/1 definitions, so
 * exported models can be checked before (and independently of) the engine's predict.
 */
import type { ExportPlan, PlanActivation } from '../../../src/export/exportPlan';

/** Runs the plan on one sample per row; `inputs[id]` is batch × units. Returns outputs by node id. */
export function referenceForward(plan: ExportPlan, inputs: Record<string, number[][]>, batch: number): Record<string, number[][]> {
  const values = new Map<string, number[][]>();
  for (const p of plan.nodes) {
    const ins = p.inputs.map((id) => values.get(id)!);
    let out: number[][];
    switch (p.node.type) {
      case 'input': out = inputs[p.id]; break;
      case 'dense': {
        const [units, fanIn] = p.weight!.shape;
        out = ins[0].map((row) => Array.from({ length: units }, (_, u) => {
          let z = p.bias ? p.bias.data[u] : 0;
          for (let j = 0; j < fanIn; j++) z += p.weight!.data[u * fanIn + j] * row[j];
          return z;
        }));
        if (p.activation) out = out.map((r) => activate(r, p.activation!));
        break;
      }
      case 'activation': out = ins[0].map((r) => activate(r, p.activation!)); break;
      case 'dropout': out = ins[0]; break;
      case 'add': out = ins[0].map((r, b) => r.map((v, k) => ins.reduce((s, m) => s + m[b][k], 0))); break;
      case 'multiply': out = ins[0].map((r, b) => r.map((v, k) => ins.reduce((s, m) => s * m[b][k], 1))); break;
      case 'concat': out = Array.from({ length: batch }, (_, b) => ins.flatMap((m) => m[b])); break;
    }
    values.set(p.id, out);
  }
  return Object.fromEntries(plan.outputs.map((o) => [o.id, values.get(o.id)!]));
}

function activate(row: number[], a: PlanActivation): number[] {
  const alpha = a.alpha ?? 0;
  switch (a.name) {
    case 'linear': return row;
    case 'sigmoid': return row.map((v) => 1 / (1 + Math.exp(-v)));
    case 'tanh': return row.map(Math.tanh);
    case 'relu': return row.map((v) => Math.max(0, v));
    case 'leaky_relu': return row.map((v) => (v >= 0 ? v : alpha * v));
    case 'elu': return row.map((v) => (v >= 0 ? v : alpha * (Math.exp(v) - 1)));
    case 'step': return row.map((v) => (v >= 0 ? 1 : 0));
    case 'softmax': {
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((x, y) => x + y, 0);
      return e.map((v) => v / s);
    }
  }
}
