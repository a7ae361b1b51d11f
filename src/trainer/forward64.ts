/**
 * An independent float64 forward pass of a compiled network, used as the "numerical" side of
 * Check Gradients: central differences on this pass do not share a line of code (or float32
 * rounding) with the engine's kernels and autograd, so agreement means something.
 */
import type { CompiledNetwork, LayerSpec } from '../engine';

function activate(v: Float64Array, fn: LayerSpec['activation'], alpha: number): Float64Array {
  const out = new Float64Array(v.length);
  if (fn === 'softmax') {
    let max = -Infinity;
    for (const x of v) if (x > max) max = x;
    let sum = 0;
    for (let i = 0; i < v.length; i++) { out[i] = Math.exp(v[i] - max); sum += out[i]; }
    for (let i = 0; i < v.length; i++) out[i] /= sum;
    return out;
  }
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    switch (fn) {
      case 'sigmoid': out[i] = 1 / (1 + Math.exp(-x)); break;
      case 'tanh': out[i] = Math.tanh(x); break;
      case 'relu': out[i] = x > 0 ? x : 0; break;
      case 'leaky_relu': out[i] = x > 0 ? x : alpha * x; break;
      case 'elu': out[i] = x >= 0 ? x : alpha * (Math.exp(x) - 1); break;
      case 'step': out[i] = x >= 0 ? 1 : 0; break;
      default: out[i] = x;
    }
  }
  return out;
}

/**
 * The outputs (concatenated) of `net` for one input row, in float64. `weights` overrides
 * `net.weights` per key (the perturbed copies central differences need).
 */
export function forward64(net: CompiledNetwork, row: Float64Array, weights: Map<string, Float64Array>): Float64Array {
  const values = new Map<string, Float64Array>();
  let off = 0;
  net.inputIds.forEach((id, i) => {
    values.set(id, row.slice(off, off + net.inputSizes[i]));
    off += net.inputSizes[i];
  });
  for (const layer of net.layers) {
    if (layer.kind === 'input') continue;
    const ins = layer.inputs.map((id) => values.get(id) as Float64Array);
    let out: Float64Array;
    switch (layer.kind) {
      case 'dense': {
        const x = ins.length === 1 ? ins[0] : concat(ins);
        const w = weights.get(`${layer.id}.weight`) as Float64Array;
        const b = layer.useBias ? weights.get(`${layer.id}.bias`) : undefined;
        const z = new Float64Array(layer.units);
        for (let u = 0; u < layer.units; u++) {
          let s = b ? b[u] : 0;
          for (let k = 0; k < x.length; k++) s += w[u * x.length + k] * x[k];
          z[u] = s;
        }
        out = activate(z, layer.activation, layer.alpha ?? 0);
        break;
      }
      case 'activation':
        out = activate(ins[0], layer.activation, layer.alpha ?? 0);
        break;
      case 'dropout':
        out = ins[0]; // inference: dropout is the identity
        break;
      case 'add':
      case 'multiply':
        out = Float64Array.from(ins[0]);
        for (const t of ins.slice(1)) for (let i = 0; i < out.length; i++) out[i] = layer.kind === 'add' ? out[i] + t[i] : out[i] * t[i];
        break;
      case 'concat':
        out = concat(ins);
        break;
    }
    values.set(layer.id, out);
  }
  return concat(net.outputIds.map((id) => values.get(id) as Float64Array));
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
