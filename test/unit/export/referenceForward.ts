/**
 * A plain float64 forward pass over an ExportPlan, written straight from the nn/1 definitions, so
 * exported models can be checked before (and independently of) the engine's predict. Every
 * tensor is a row per sample in Neural Canvas's layout: row-major, channels last ([H, W, C]).
 */
import type { ExportPlan, PlanActivation, PlanNode } from '../../../src/export/exportPlan';

/** Runs the plan on one sample per row; `inputs[id]` is batch × units. Returns outputs by node id. */
export function referenceForward(plan: ExportPlan, inputs: Record<string, number[][]>, batch: number): Record<string, number[][]> {
  const values = new Map<string, number[][]>();
  for (const p of plan.nodes) {
    const ins = p.inputs.map((id) => values.get(id)!);
    const last = p.shape[p.shape.length - 1];
    let out: number[][] = [];
    switch (p.node.type) {
      case 'input': out = inputs[p.id]; break;
      case 'dense': {
        const [units, fanIn] = p.weight!.shape;
        out = ins[0].map((row) => Array.from({ length: units }, (_, u) => {
          let z = p.bias ? p.bias.data[u] : 0;
          for (let j = 0; j < fanIn; j++) z += p.weight!.data[u * fanIn + j] * row[j];
          return z;
        }));
        if (p.activation) out = out.map((r) => activate(r, p.activation!, last));
        break;
      }
      case 'conv2d':
        out = ins[0].map((row) => conv(p, row));
        if (p.activation) out = out.map((r) => activate(r, p.activation!, last));
        break;
      case 'maxpool2d':
      case 'avgpool2d': out = ins[0].map((row) => pool(p, row)); break;
      case 'globalavgpool2d': {
        const [h, w, c] = plan.byId.get(p.inputs[0])!.shape;
        out = ins[0].map((row) => Array.from({ length: c }, (_, k) => {
          let s = 0;
          for (let i = 0; i < h * w; i++) s += row[i * c + k];
          return s / (h * w);
        }));
        break;
      }
      case 'flatten':
      case 'reshape': out = ins[0]; break;
      case 'batchnorm': {
        const n = p.norm!;
        out = ins[0].map((row) => row.map((v, i) => {
          const k = i % last;
          return n.gamma.data[k] * (v - n.movingMean.data[k]) / Math.sqrt(n.movingVariance.data[k] + n.epsilon) + n.beta.data[k];
        }));
        break;
      }
      case 'activation': out = ins[0].map((r) => activate(r, p.activation!, last)); break;
      case 'dropout': out = ins[0]; break;
      case 'add': out = ins[0].map((r, b) => r.map((v, k) => ins.reduce((s, m) => s + m[b][k], 0))); break;
      case 'multiply': out = ins[0].map((r, b) => r.map((v, k) => ins.reduce((s, m) => s * m[b][k], 1))); break;
      case 'concat': {
        // Along the last axis: at each position, every input's features in edge order.
        const widths = p.inputs.map((id) => { const s = plan.byId.get(id)!.shape; return s[s.length - 1]; });
        const positions = p.units / last;
        out = Array.from({ length: batch }, (_, b) => {
          const row: number[] = [];
          for (let i = 0; i < positions; i++) ins.forEach((m, j) => row.push(...m[b].slice(i * widths[j], (i + 1) * widths[j])));
          return row;
        });
        break;
      }
    }
    values.set(p.id, out);
  }
  return Object.fromEntries(plan.outputs.map((o) => [o.id, values.get(o.id)!]));
}

/** A naive convolution over one [h, w, c] sample; zero padding, kernels [filters][kh][kw][c]. */
function conv(p: PlanNode, x: number[]): number[] {
  const g = p.window!;
  const filters = p.shape[2];
  const W = p.weight!.data;
  const out: number[] = [];
  for (let oy = 0; oy < g.oh; oy++) {
    for (let ox = 0; ox < g.ow; ox++) {
      for (let f = 0; f < filters; f++) {
        let z = p.bias ? p.bias.data[f] : 0;
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh + ky - g.padTop;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw + kx - g.padLeft;
            if (ix < 0 || ix >= g.w) continue;
            for (let c = 0; c < g.c; c++) z += x[(iy * g.w + ix) * g.c + c] * W[((f * g.kh + ky) * g.kw + kx) * g.c + c];
          }
        }
        out.push(z);
      }
    }
  }
  return out;
}

/** Max or average pooling per channel over the cells inside the input (padding never counts). */
function pool(p: PlanNode, x: number[]): number[] {
  const g = p.window!;
  const max = p.node.type === 'maxpool2d';
  const out: number[] = [];
  for (let oy = 0; oy < g.oh; oy++) {
    for (let ox = 0; ox < g.ow; ox++) {
      for (let c = 0; c < g.c; c++) {
        let acc = max ? -Infinity : 0;
        let count = 0;
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh + ky - g.padTop;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw + kx - g.padLeft;
            if (ix < 0 || ix >= g.w) continue;
            const v = x[(iy * g.w + ix) * g.c + c];
            acc = max ? Math.max(acc, v) : acc + v;
            count++;
          }
        }
        out.push(max ? acc : acc / count);
      }
    }
  }
  return out;
}

/** Applies `a` element-wise (softmax: over each group of `last` features, the last axis). */
function activate(row: number[], a: PlanActivation, last: number): number[] {
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
      const out: number[] = [];
      for (let i = 0; i < row.length; i += last) {
        const group = row.slice(i, i + last);
        const m = Math.max(...group);
        const e = group.map((v) => Math.exp(v - m));
        const s = e.reduce((x, y) => x + y, 0);
        out.push(...e.map((v) => v / s));
      }
      return out;
    }
  }
}
