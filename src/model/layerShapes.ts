/**
 * The output shape of each kind of node from its inputs' shapes (without the batch dimension),
 * Keras' rules: images are [H, W, C], channels last; window ops follow convGeometry.ts. A node
 * whose shape cannot be known gets none, and a problem says why, in words and at the field to fix.
 */
import type { NetworkNode, Size2D } from './types';
import { pair, windowGeometry } from './convGeometry';
import { shapeSize } from './fieldRules';

/** Codes of the shape problems (docs/format.md lists them). */
export type ShapeProblemCode =
  | 'merge-shape' | 'concat-shape' | 'dense-needs-flatten' | 'needs-image' | 'window-too-large' | 'reshape-size';

/** A shape problem found while inferring shapes (validation turns these into diagnostics). */
export interface ShapeProblem {
  nodeId: string;
  code: ShapeProblemCode;
  message: string;
  /** The field the problem is about (the diagnostic points at it), when there is one. */
  key?: string;
}

/** A shape as the file writes it (without the batch): [28, 28, 1]. */
function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function sizeText(s: Size2D): string {
  const [h, w] = pair(s);
  return `${h}×${w}`;
}

/** The output shape of `node` from its inputs' known shapes, or a problem (or neither when nothing can be said). */
export function layerShape(node: NetworkNode, ins: readonly string[], known: number[][] | undefined): { shape?: number[]; problem?: Omit<ShapeProblem, 'nodeId'> } {
  const name = `${node.type} '${node.id}'`;
  const one = known && known.length === 1 ? known[0] : undefined;
  switch (node.type) {
    case 'input':
      return { shape: node.shape ? [...node.shape] : [node.units] };
    case 'dense':
      if (one && one.length > 1) {
        return {
          shape: [node.units],
          problem: {
            code: 'dense-needs-flatten',
            message: `${name} is fed '${ins[0]}' of shape ${shapeText(one)}, but a dense layer takes a vector; insert a flatten node between them (it turns ${one.join('×')} into ${shapeSize(one)} values)`,
          },
        };
      }
      return { shape: [node.units] };
    case 'activation':
    case 'dropout':
    case 'batchnorm':
      return one ? { shape: one } : {};
    case 'add':
    case 'multiply': {
      if (!known || known.length < 1) return {};
      const first = known[0];
      const odd = known.findIndex((s) => s.length !== first.length || s.some((v, k) => v !== first[k]));
      if (odd < 0) return { shape: first };
      const list = ins.map((i, k) => `'${i}' ${shapeText(known[k])}`).join(', ');
      return { problem: { code: 'merge-shape', message: `${name} combines inputs element by element, so they need one shape, but they have ${list}` } };
    }
    case 'concat': {
      if (!known || known.length < 1) return {};
      const first = known[0];
      const lead = first.slice(0, -1);
      const fits = known.every((s) => s.length === first.length && s.slice(0, -1).every((v, k) => v === lead[k]));
      if (!fits) {
        const list = ins.map((i, k) => `'${i}' ${shapeText(known[k])}`).join(', ');
        return {
          problem: {
            code: 'concat-shape',
            message: `${name} joins its inputs along the last axis, so all but the last size must match (images: the same height and width), but they have ${list}`,
          },
        };
      }
      return { shape: [...lead, known.reduce((a, s) => a + s[s.length - 1], 0)] };
    }
    case 'flatten':
      return one ? { shape: [shapeSize(one)] } : {};
    case 'reshape':
      if (!one) return {};
      if (shapeSize(one) !== shapeSize(node.shape)) {
        return {
          problem: {
            code: 'reshape-size', key: 'shape',
            message: `${name} turns ${shapeText(one)} (${shapeSize(one)} values) into [${node.shape.join(', ')}] (${shapeSize(node.shape)} values); a reshape keeps every value, so the sizes must multiply to the same number`,
          },
        };
      }
      return { shape: [...node.shape] };
    case 'globalavgpool2d':
    case 'conv2d':
    case 'maxpool2d':
    case 'avgpool2d':
      if (!one) return {};
      if (one.length !== 3) {
        return {
          problem: {
            code: 'needs-image',
            message: `${name} works on images of shape [height, width, channels], but '${ins[0]}' gives ${shapeText(one)}; give the input a "shape" such as [28, 28, 1], or reshape to an image first`,
          },
        };
      }
      return windowShape(node, name, one);
  }
}

function windowShape(node: NetworkNode, name: string, input: number[]): { shape?: number[]; problem?: Omit<ShapeProblem, 'nodeId'> } {
  if (node.type === 'globalavgpool2d') return { shape: [input[2]] };
  if (node.type !== 'conv2d' && node.type !== 'maxpool2d' && node.type !== 'avgpool2d') return {};
  const conv = node.type === 'conv2d';
  const window = conv ? node.kernelSize : node.poolSize;
  const strides = node.strides ?? (conv ? 1 : node.poolSize);
  const padding = node.padding ?? 'valid';
  const g = windowGeometry(input, window, strides, padding);
  if (g.oh <= 0 || g.ow <= 0) {
    const what = conv ? 'kernel' : 'pool window';
    const key = conv ? 'kernelSize' : 'poolSize';
    return {
      problem: {
        code: 'window-too-large', key,
        message: `${name}: the ${sizeText(window)} ${what} is larger than its ${input[0]}×${input[1]} input, so a "valid" ${conv ? 'convolution' : 'pooling'} has no output (${g.oh}×${g.ow}); use a smaller ${key}, "padding": "same", or a larger input`,
      },
    };
  }
  return { shape: [g.oh, g.ow, conv ? node.filters : input[2]] };
}
