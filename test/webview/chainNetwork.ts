/** A long chain for readability tests and screenshots: an input, then dense layers, one after another. */
import { networkText } from '../../src/extension/templates';
import type { NetworkNode } from '../../src/model/types';

/** The file text of a chain of `layers` nodes (ids x, d1, d2, …). */
export function chainText(layers: number): string {
  const nodes: NetworkNode[] = [{ id: 'x', type: 'input', units: 4 }];
  for (let i = 1; i < layers; i++) nodes.push({ id: `d${i}`, type: 'dense', units: 4 + (i % 5), activation: 'relu' });
  const edges = nodes.slice(1).map((n, i) => ({ from: nodes[i].id, to: n.id }));
  return networkText({ format: 'nn/1', name: `A ${layers}-layer chain`, nodes, edges });
}
