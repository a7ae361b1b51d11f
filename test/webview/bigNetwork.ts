/**
 * Synthetic networks of a given size for screenshots and the bench: parallel towers of dense
 * layers (with dropout and activation nodes), merged by concat, then a softmax head — a graph
 * with real branching, not just a chain.
 */
import type { NetworkDoc, NetworkNode } from '../../src/model/types';
import { networkText } from '../../src/extension/templates';

/** A valid network of exactly `total` nodes (at least 8). */
export function bigNetwork(total: number, towers = Math.max(2, Math.round(Math.sqrt(total)))): NetworkDoc {
  const nodes: NetworkNode[] = [{ id: 'x', type: 'input', units: 16 }];
  const edges: { from: string; to: string }[] = [];
  const body = total - 4; // input, concat, head, out
  const perTower = Math.floor(body / towers);
  let extra = body - perTower * towers;
  const tails: string[] = [];
  const acts = ['relu', 'tanh', 'sigmoid', 'elu'] as const;
  for (let t = 0; t < towers; t++) {
    let prev = 'x';
    const len = perTower + (extra-- > 0 ? 1 : 0);
    for (let i = 0; i < len; i++) {
      const id = `t${t}_${i}`;
      const kind = i % 5;
      const node: NetworkNode = kind === 3 ? { id, type: 'dropout', rate: 0.1 }
        : kind === 4 ? { id, type: 'activation', activation: acts[(t + i) % acts.length] }
          : { id, type: 'dense', units: 8 + ((t * 7 + i * 3) % 25), activation: i % 2 ? 'relu' : 'tanh' };
      nodes.push(node);
      edges.push({ from: prev, to: id });
      prev = id;
    }
    tails.push(prev);
  }
  nodes.push({ id: 'merge', type: 'concat' }, { id: 'head', type: 'dense', units: 32, activation: 'relu' }, { id: 'out', type: 'dense', units: 10, activation: 'softmax' });
  for (const tail of tails) edges.push({ from: tail, to: 'merge' });
  edges.push({ from: 'merge', to: 'head' }, { from: 'head', to: 'out' });
  return { format: 'nn/1', name: `Synthetic ${total}-node network`, nodes, edges };
}

/** The file text of `bigNetwork(total)`. */
export function bigNetworkText(total: number): string {
  return networkText(bigNetwork(total));
}

/** `bigNetwork(total)` with each tower of layers in a group, collapsed or not: a large design that opens readable. */
export function groupedNetworkText(total: number, collapsed = true): string {
  const doc = bigNetwork(total);
  const towers = new Map<string, string[]>();
  for (const n of doc.nodes) {
    const m = /^t(\d+)_/.exec(n.id);
    if (m) towers.set(m[1], [...(towers.get(m[1]) ?? []), n.id]);
  }
  doc.groups = [...towers].map(([t, nodes]) => ({ id: `tower${t}`, label: `Tower ${t}`, nodes, collapsed }));
  return networkText(doc);
}
