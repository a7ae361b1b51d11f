/**
 * A fast layered layout on the main thread, drawn while ELK (in the worker) is still starting:
 * longest-path layers left to right, two barycenter sweeps inside the layers, columns stacked
 * without overlaps. ELK's answer replaces it when it arrives (layoutPolicy.ts).
 */
import { own } from '../../src/model/ownKeys';

/** A node box for the quick layout. */
export interface QuickNode {
  id: string;
  width: number;
  height: number;
}

/** Spacing as in the worker's ELK options (layoutWorker.ts). */
const NODE_GAP = 28;
const LAYER_GAP = 64;
const PAD = 24;

/**
 * The layer of every node (by index): longest path from the sources, over the edges left when
 * each cycle is broken at the edge a depth-first search finds going back. Also returns the forward
 * (acyclic) edges by node index.
 */
export function layersOf(nodes: readonly { id: string }[], edges: readonly { from: string; to: string }[]): { layer: Int32Array; forward: number[][] } {
  const index = new Map<string, number>();
  nodes.forEach((n, i) => { if (!index.has(n.id)) index.set(n.id, i); });
  const n = nodes.length;
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const e of edges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a !== undefined && b !== undefined && a !== b) out[a].push(b);
  }
  // Break cycles: drop the edges a depth-first search finds going back to a node on its stack.
  const state = new Uint8Array(n); // 0 unseen, 1 on stack, 2 done
  const forward: number[][] = Array.from({ length: n }, () => []);
  for (let root = 0; root < n; root++) {
    if (state[root]) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [v, i] = top;
      if (i >= out[v].length) {
        state[v] = 2;
        stack.pop();
        continue;
      }
      top[1]++;
      const w = out[v][i];
      if (state[w] === 1) continue; // back edge
      forward[v].push(w);
      if (state[w] === 0) {
        state[w] = 1;
        stack.push([w, 0]);
      }
    }
  }
  // Longest-path layering over the acyclic rest (Kahn's order).
  const indeg = new Int32Array(n);
  for (let v = 0; v < n; v++) for (const w of forward[v]) indeg[w]++;
  const layer = new Int32Array(n);
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (indeg[v] === 0) queue.push(v);
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (const w of forward[v]) {
      layer[w] = Math.max(layer[w], layer[v] + 1);
      if (--indeg[w] === 0) queue.push(w);
    }
  }
  return { layer, forward };
}

/** Top-left corners for every node: a layered left-to-right layout, no overlaps, pinned nodes kept where pinned. */
export function quickLayout(nodes: QuickNode[], edges: { from: string; to: string }[], pinned: Readonly<Record<string, { x: number; y: number }>> = {}): Map<string, { x: number; y: number }> {
  const n = nodes.length;
  const { layer, forward } = layersOf(nodes, edges);
  const layers: number[][] = [];
  for (let v = 0; v < n; v++) (layers[layer[v]] ??= []).push(v);
  for (let l = 0; l < layers.length; l++) layers[l] ??= [];
  const preds: number[][] = Array.from({ length: n }, () => []);
  for (let v = 0; v < n; v++) for (const w of forward[v]) preds[w].push(v);
  // Order inside layers: one barycenter sweep down the layers, one back up.
  const rank = new Float64Array(n);
  const renumber = (l: number): void => { layers[l].forEach((v, i) => { rank[v] = i; }); };
  for (let l = 0; l < layers.length; l++) renumber(l);
  const sweep = (l: number, neighbours: number[][]): void => {
    const key = new Map<number, number>();
    for (const v of layers[l]) {
      const ns = neighbours[v];
      key.set(v, ns.length ? ns.reduce((s, u) => s + rank[u], 0) / ns.length : rank[v]);
    }
    layers[l].sort((a, b) => (key.get(a) as number) - (key.get(b) as number) || rank[a] - rank[b]);
    renumber(l);
  };
  for (let l = 1; l < layers.length; l++) sweep(l, preds);
  for (let l = layers.length - 2; l >= 0; l--) sweep(l, forward);
  // Coordinates: columns side by side, each centred on the tallest; pinned boxes are stepped around.
  const pins: { x: number; y: number; width: number; height: number }[] = [];
  for (const node of nodes) {
    const p = own(pinned, node.id);
    if (p) pins.push({ x: p.x, y: p.y, width: node.width, height: node.height });
  }
  const free = layers.map((ids) => ids.filter((v) => !own(pinned, nodes[v].id)));
  const heights = free.map((ids) => ids.reduce((s, v) => s + nodes[v].height, 0) + Math.max(0, ids.length - 1) * NODE_GAP);
  const tallest = Math.max(0, ...heights);
  const result = new Map<string, { x: number; y: number }>();
  let x = PAD;
  for (let l = 0; l < free.length; l++) {
    const width = Math.max(0, ...free[l].map((v) => nodes[v].width));
    let y = PAD + (tallest - heights[l]) / 2;
    for (const v of free[l]) {
      const node = nodes[v];
      // Below any pinned box this one would touch (pins are few; a quadratic scan is fine).
      for (let moved = true; moved;) {
        moved = false;
        for (const p of pins) {
          if (x < p.x + p.width + NODE_GAP && p.x < x + node.width + NODE_GAP && y < p.y + p.height + NODE_GAP && p.y < y + node.height + NODE_GAP) {
            y = p.y + p.height + NODE_GAP;
            moved = true;
          }
        }
      }
      result.set(node.id, { x, y });
      y += node.height + NODE_GAP;
    }
    if (free[l].length) x += width + LAYER_GAP;
  }
  for (const node of nodes) {
    const p = own(pinned, node.id);
    if (p) result.set(node.id, { x: p.x, y: p.y });
  }
  return result;
}
