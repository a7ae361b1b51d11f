/**
 * An independent float64 forward pass of a compiled network, used as the "numerical" side of
 * Check Gradients: central differences on this pass do not share a line of code (or float32
 * rounding) with the engine's kernels and autograd, so agreement means something.
 */
import type { CompiledNetwork, LayerSpec } from '../engine';
import { batchNorm64, conv2d64, pool2d64 } from './forward64Image';

/** f(v); softmax runs over the last axis (width `last`: the channels of an image). */
function activate(v: Float64Array, fn: LayerSpec['activation'], alpha: number, last = v.length): Float64Array {
  if (fn === 'softmax' && last < v.length) {
    const out = new Float64Array(v.length);
    for (let o = 0; o < v.length; o += last) out.set(activate(v.subarray(o, o + last), fn, alpha), o);
    return out;
  }
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
        out = activate(ins[0], layer.activation, layer.alpha ?? 0, layer.shape[layer.shape.length - 1]);
        break;
      case 'conv2d': {
        const z = conv2d64(ins[0], layer.window!, layer.filters!, weights.get(`${layer.id}.weight`)!, layer.useBias ? weights.get(`${layer.id}.bias`) : undefined);
        out = activate(z, layer.activation, layer.alpha ?? 0, layer.filters);
        break;
      }
      case 'pool2d':
        out = pool2d64(ins[0], layer.window!, layer.pool ?? 'max');
        break;
      case 'reshape':
        out = ins[0]; // flatten and reshape keep the values in order
        break;
      case 'batchnorm': {
        const [gamma, beta, mean, variance] = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((k) => weights.get(`${layer.id}.${k}`)!);
        out = batchNorm64(ins[0], layer.shape[layer.shape.length - 1], layer.epsilon ?? 1e-3, gamma, beta, mean, variance);
        break;
      }
      case 'dropout':
        out = ins[0]; // inference: dropout is the identity
        break;
      case 'add':
      case 'multiply':
        out = Float64Array.from(ins[0]);
        for (const t of ins.slice(1)) for (let i = 0; i < out.length; i++) out[i] = layer.kind === 'add' ? out[i] + t[i] : out[i] * t[i];
        break;
      case 'concat':
        // Along the last axis: for an image, the channels of each position side by side.
        out = layer.shape.length > 1 ? concatLastAxis(ins, layer.units / layer.shape[layer.shape.length - 1]) : concat(ins);
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

/** Concatenation along the last axis of tensors with `positions` positions each (H·W for images). */
function concatLastAxis(parts: Float64Array[], positions: number): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  const width = out.length / positions;
  let off = 0;
  for (const p of parts) {
    const c = p.length / positions;
    for (let q = 0; q < positions; q++) for (let k = 0; k < c; k++) out[q * width + off + k] = p[q * c + k];
    off += c;
  }
  return out;
}
