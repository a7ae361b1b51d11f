/**
 * The image part of a random design: an input of shape [H, W, C], a few convolution, pooling,
 * batch-norm, dropout and activation layers (sometimes two branches joined by concat or add),
 * then flatten, global average pooling or a reshape to a vector, so dense layers can follow.
 * Shapes are tracked with the model's own window geometry so most designs are valid; now and
 * then the flatten is left out (a dense layer fed an image: the Insert Flatten quick fix).
 */
import { ACTIVATION_NAMES } from '../../../src/model/types';
import { windowGeometry } from '../../../src/model/convGeometry';
import { obj, raw, type J, type Obj } from './jsonTree';
import { edge } from './mutations';
import type { Rng } from './random';

type Shape = [number, number, number];

/** A window size or stride: one number, or [height, width]. */
function size2d(rng: Rng, max: number): number | [number, number] {
  return rng.chance(0.7) ? rng.between(1, max) : [rng.between(1, max), rng.between(1, max)];
}

const json = (v: number | [number, number]): J => (typeof v === 'number' ? raw(v) : [raw(v[0]), raw(v[1])]);

/** Appends one image layer after `from` (of shape `shape`); returns its output shape. */
function imageLayer(rng: Rng, id: string, from: string, shape: Shape, nodes: Obj[], edges: J[]): Shape {
  const c = shape[2];
  const kind = rng.pick(['conv2d', 'conv2d', 'maxpool2d', 'avgpool2d', 'batchnorm', 'dropout', 'activation'] as const);
  const n = obj([['id', id], ['type', kind]]);
  let out: Shape = shape;
  if (kind === 'conv2d' || kind === 'maxpool2d' || kind === 'avgpool2d') {
    const conv = kind === 'conv2d';
    const window = size2d(rng, 3);
    const strides = rng.chance(0.3) ? size2d(rng, 2) : undefined;
    // A window larger than the input is only valid with "same" padding (an error otherwise: sometimes wanted).
    const tooLarge = Math.max(...(typeof window === 'number' ? [window] : window)) > Math.min(shape[0], shape[1]);
    const padding = tooLarge && rng.chance(0.9) ? 'same' : rng.chance(0.3) ? rng.pick(['valid', 'same'] as const) : undefined;
    const filters = rng.between(1, 4);
    if (conv) n.pairs.push(['filters', raw(filters)], ['kernelSize', json(window)]);
    else n.pairs.push(['poolSize', json(window)]);
    if (strides) n.pairs.push(['strides', json(strides)]);
    if (padding) n.pairs.push(['padding', padding]);
    const g = windowGeometry(shape, window, strides ?? (conv ? 1 : window), padding ?? 'valid');
    out = [g.oh, g.ow, conv ? filters : c];
    if (conv) {
      if (rng.chance(0.6)) n.pairs.push(['activation', rng.pick(ACTIVATION_NAMES)]);
      if (rng.chance(0.2)) n.pairs.push(['useBias', raw(false)]);
      if (rng.chance(0.15)) {
        n.pairs.push(['weights', Array.from({ length: filters }, () => Array.from({ length: g.kh }, () => Array.from({ length: g.kw }, () =>
          Array.from({ length: c }, () => raw(Math.round((rng.next() * 2 - 1) * 100) / 100)))))]);
        if (rng.chance(0.5)) n.pairs.push(['bias', Array.from({ length: filters }, () => raw(0.1))]);
      }
    }
  } else if (kind === 'batchnorm') {
    if (rng.chance(0.3)) n.pairs.push(['momentum', raw(rng.pick([0.9, 0.99, 0.5]))]);
    if (rng.chance(0.3)) n.pairs.push(['epsilon', raw(rng.pick([0.001, 1e-5, 0.1]))]);
  } else if (kind === 'dropout') n.pairs.push(['rate', raw(rng.pick([0, 0.25, 0.5]))]);
  else n.pairs.push(['activation', rng.pick(ACTIVATION_NAMES)]);
  nodes.push(n);
  edges.push(edge(from, id));
  return out;
}

/** Adds an image input and its layers; returns the id of the last node and the width it gives dense layers. */
export function addImagePart(rng: Rng, fresh: () => string, nodes: Obj[], edges: J[]): { id: string; width: number } {
  const input = fresh();
  let shape: Shape = [rng.between(2, 9), rng.between(2, 9), rng.between(1, 3)];
  nodes.push(obj([['id', input], ['type', 'input'], ['shape', shape.map((v) => raw(v))]]));
  let last = input;
  for (let i = rng.between(1, 3); i > 0 && shape[0] > 0 && shape[1] > 0; i--) {
    const id = fresh();
    shape = imageLayer(rng, id, last, shape, nodes, edges);
    last = id;
  }
  if (shape[0] > 0 && shape[1] > 0 && rng.chance(0.3)) {
    // A second branch from the same place, joined on the channels (concat) or element-wise (add).
    const a = fresh();
    const k = rng.between(1, 3);
    const filters = rng.chance(0.5) ? shape[2] : rng.between(1, 4);
    nodes.push(obj([['id', a], ['type', 'conv2d'], ['filters', raw(filters)], ['kernelSize', raw(k)], ['padding', 'same']]));
    edges.push(edge(last, a));
    const join = fresh();
    const add = rng.chance(0.4);
    nodes.push(obj([['id', join], ['type', add ? 'add' : 'concat']]));
    edges.push(edge(last, join), edge(a, join));
    shape = [shape[0], shape[1], add ? shape[2] : shape[2] + filters];
    last = join;
  }
  const width = Math.max(1, shape[0] * shape[1] * shape[2]);
  const end = rng.next();
  if (end < 0.08) return { id: last, width };
  const id = fresh();
  if (end < 0.7) nodes.push(obj([['id', id], ['type', 'flatten']]));
  else if (end < 0.85) {
    nodes.push(obj([['id', id], ['type', 'globalavgpool2d']]));
    edges.push(edge(last, id));
    return { id, width: Math.max(1, shape[2]) };
  } else nodes.push(obj([['id', id], ['type', 'reshape'], ['shape', [raw(width)]]]));
  edges.push(edge(last, id));
  return { id, width };
}
