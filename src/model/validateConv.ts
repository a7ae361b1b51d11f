/** Checks of a conv2d node's inline weights and bias against its kernel, filters and input channels. */
import type { Node } from 'jsonc-parser';
import type { NetworkDoc } from './types';
import type { Reporter } from './fieldReaders';
import type { GraphIndex } from './graph';
import { pair } from './convGeometry';

type At = (id: string, key?: string) => Node | { offset: number; length: number };

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * conv2d `weights` nest [filters][kernelHeight][kernelWidth][inputChannels]: the first list that
 * has the wrong length is reported at itself, with the path to it and what it should hold.
 */
export function checkConvWeights(doc: NetworkDoc, g: GraphIndex, shapes: Map<string, number[]>, r: Reporter, at: At): void {
  for (const n of doc.nodes) {
    if (n.type !== 'conv2d') continue;
    const name = `conv2d '${n.id}'`;
    const ins = g.inputsOf.get(n.id) ?? [];
    const inShape = ins.length === 1 ? shapes.get(ins[0]) : undefined;
    const channels = inShape && inShape.length === 3 ? inShape[2] : undefined;
    const [kh, kw] = pair(n.kernelSize);
    if (n.weights) {
      const want = `[${n.filters}][${kh}][${kw}][${channels ?? '?'}] ([filters][kernelHeight][kernelWidth][inputChannels])`;
      // Lengths each level must have, and what one item of that level is called.
      const levels: { length: number | undefined; what: string }[] = [
        { length: n.filters, what: 'filter' }, { length: kh, what: 'kernel row' }, { length: kw, what: 'kernel column' }, { length: channels, what: 'input channel' },
      ];
      const found = firstMismatch(n.weights, levels, at(n.id, 'weights') as Node, []);
      if (found) {
        const { path, node, actual, level } = found;
        const expected = levels[level].length as number;
        const where = path.length ? `weights${path.map((i) => `[${i}]`).join('')}` : 'weights';
        r.add('error', 'weight-shape',
          `${name} expects weights of ${want}, but ${where} holds ${plural(actual, 'value')} where ${plural(expected, levels[level].what)} belong`,
          node, n.id);
      }
    }
    if (n.bias) {
      if (n.useBias === false) {
        r.add('warning', 'unused-bias', `${name} has "useBias": false, so its bias is ignored`, at(n.id, 'bias'), n.id);
      } else if (n.bias.length !== n.filters) {
        r.add('error', 'bias-shape', `${name} expects a bias of ${plural(n.filters, 'value')} (one per filter) but it has ${n.bias.length}`, at(n.id, 'bias'), n.id);
      }
    }
  }
}

/** The first nested list (depth first) whose length is not its level's, with where it is in the text. */
function firstMismatch(
  v: unknown, levels: { length: number | undefined }[], node: Node | undefined, path: number[],
): { path: number[]; node: Node | { offset: number; length: number }; actual: number; level: number } | undefined {
  const level = path.length;
  if (level >= levels.length || !Array.isArray(v)) return undefined;
  const want = levels[level].length;
  const here = node && node.type === 'array' ? node : undefined;
  if (want !== undefined && v.length !== want) return { path, node: here ?? { offset: 0, length: 0 }, actual: v.length, level };
  for (let i = 0; i < v.length; i++) {
    const found = firstMismatch(v[i], levels, here?.children?.[i], [...path, i]);
    if (found) return found;
  }
  return undefined;
}
