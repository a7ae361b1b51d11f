/**
 * Parameters (with the formula a student would write) and forward FLOPs of one node, counted as
 * Keras counts parameters: dense n·u + u; conv2d kh·kw·C_in·filters + filters; batchnorm 4·C, of
 * which 2·C (the moving mean and variance) are not trained; everything else none.
 */
import type { ActivationName, NetworkNode } from './types';
import { pair, windowGeometry } from './convGeometry';
import { shapeSize } from './fieldRules';

/** What one node costs. */
export interface LayerCost {
  count: number;
  formula: string;
  /** Parameters among `count` that are not trained. */
  nonTrainable?: number;
  /** Floating-point operations of one forward pass for one sample (a multiply-add counts 2). */
  flops: number;
}

/** FLOPs of an activation over n values: one per value, softmax three (exp, sum, divide). */
export function activationFlops(name: ActivationName | undefined, n: number): number {
  if (!name || name === 'linear') return 0;
  return name === 'softmax' ? 3 * n : n;
}

/** The input channels of a conv2d node: from its input's shape, or from inline weights when that is unknown. */
function convChannels(node: NetworkNode & { type: 'conv2d' }, input: readonly number[] | undefined): number | undefined {
  if (input && input.length === 3) return input[2];
  const w = node.weights?.[0]?.[0]?.[0];
  return Array.isArray(w) && w.length > 0 ? w.length : undefined;
}

/**
 * The cost of `node` given the shape of its (first) input, its output shape and its number of
 * inputs; shapes are undefined where they are not known.
 */
export function layerCost(node: NetworkNode, input: readonly number[] | undefined, out: readonly number[] | undefined, inputCount: number): LayerCost {
  switch (node.type) {
    case 'dense': {
      const n = input ? shapeSize(input) : node.weights && node.weights.length > 0 ? node.weights[0].length : undefined;
      const bias = node.useBias !== false;
      const b = bias ? ` + ${node.units}` : '';
      if (n === undefined) return { count: 0, formula: `?×${node.units}${b} (input size unknown)`, flops: 0 };
      const count = n * node.units + (bias ? node.units : 0);
      return { count, formula: `${n}×${node.units}${b} = ${count}`, flops: 2 * n * node.units + (bias ? node.units : 0) + activationFlops(node.activation, node.units) };
    }
    case 'conv2d': {
      const [kh, kw] = pair(node.kernelSize);
      const c = convChannels(node, input);
      const bias = node.useBias !== false;
      const b = bias ? ` + ${node.filters}` : '';
      if (c === undefined) return { count: 0, formula: `${kh}×${kw}×?×${node.filters}${b} (input channels unknown)`, flops: 0 };
      const count = kh * kw * c * node.filters + (bias ? node.filters : 0);
      let flops = 0;
      if (out && out.length === 3) {
        const positions = out[0] * out[1];
        const values = positions * node.filters;
        flops = 2 * kh * kw * c * values + (bias ? values : 0) + activationFlops(node.activation, values);
      }
      return { count, formula: `${kh}×${kw}×${c}×${node.filters}${b} = ${count}`, flops };
    }
    case 'batchnorm': {
      const c = out && out.length ? out[out.length - 1] : undefined;
      if (c === undefined) return { count: 0, formula: '4×? (input size unknown)', flops: 0 };
      // Gamma and beta are trained; the moving mean and variance are saved but not trained.
      // At inference it is one scale and one shift per value.
      return { count: 4 * c, nonTrainable: 2 * c, formula: `4×${c} = ${4 * c}`, flops: 2 * shapeSize(out as number[]) };
    }
    case 'maxpool2d':
    case 'avgpool2d': {
      if (!input || input.length !== 3 || !out) return { count: 0, formula: '0', flops: 0 };
      // One comparison (max) or addition (average) per window cell of every output value.
      const g = windowGeometry(input, node.poolSize, node.strides ?? node.poolSize, node.padding ?? 'valid');
      return { count: 0, formula: '0', flops: g.kh * g.kw * shapeSize(out) };
    }
    case 'globalavgpool2d':
      return { count: 0, formula: '0', flops: input ? shapeSize(input) : 0 };
    case 'activation':
      return { count: 0, formula: '0', flops: out ? activationFlops(node.activation, shapeSize(out)) : 0 };
    case 'add':
    case 'multiply':
      return { count: 0, formula: '0', flops: out ? Math.max(0, inputCount - 1) * shapeSize(out) : 0 };
    default:
      return { count: 0, formula: '0', flops: 0 };
  }
}
