/** Graph facts of a NetworkDoc: who feeds whom, topological order, cycles, reachability. */
import type { NetworkDoc } from './types';

/** Adjacency of a document, restricted to edges between nodes that exist. */
export interface GraphIndex {
  /** Input node ids of each node, in edge (file) order. */
  inputsOf: Map<string, string[]>;
  /** Consumers of each node, in edge order. */
  outputsOf: Map<string, string[]>;
}

/**
 * Builds the adjacency of `doc`; edges naming unknown nodes are skipped (validation reports them),
 * and so is a copy of an edge already seen (a parsed doc has none; a doc built in code may).
 */
export function indexGraph(doc: NetworkDoc): GraphIndex {
  const inputsOf = new Map<string, string[]>();
  const outputsOf = new Map<string, string[]>();
  for (const n of doc.nodes) {
    if (!inputsOf.has(n.id)) {
      inputsOf.set(n.id, []);
      outputsOf.set(n.id, []);
    }
  }
  const seen = new Set<string>();
  for (const e of doc.edges) {
    const ins = inputsOf.get(e.to);
    const outs = outputsOf.get(e.from);
    if (!ins || !outs) continue;
    const key = `${e.from}\u0000${e.to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ins.push(e.from);
    outs.push(e.to);
  }
  return { inputsOf, outputsOf };
}

/**
 * Kahn's algorithm, taking ready nodes in file order so the order is stable and readable.
 * Nodes on or behind a cycle are left out; `cyclic` lists them.
 */
export function topologicalOrder(doc: NetworkDoc, g: GraphIndex): { order: string[]; cyclic: string[] } {
  const pending = new Map<string, number>();
  for (const [id, ins] of g.inputsOf) pending.set(id, ins.length);
  const fileOrder = new Map<string, number>();
  doc.nodes.forEach((n, i) => { if (!fileOrder.has(n.id)) fileOrder.set(n.id, i); });
  let ready = [...pending].filter(([, c]) => c === 0).map(([id]) => id);
  const order: string[] = [];
  while (ready.length) {
    ready.sort((a, b) => (fileOrder.get(a) ?? 0) - (fileOrder.get(b) ?? 0));
    const next: string[] = [];
    for (const id of ready) {
      order.push(id);
      for (const out of g.outputsOf.get(id) ?? []) {
        const left = (pending.get(out) ?? 0) - 1;
        pending.set(out, left);
        if (left === 0) next.push(out);
      }
    }
    ready = next;
  }
  const placed = new Set(order);
  return { order, cyclic: [...pending.keys()].filter((id) => !placed.has(id)) };
}

/** One cycle through the nodes in `among`, as ids with the first repeated at the end (a → b → a). */
export function findCycle(g: GraphIndex, among: readonly string[]): string[] | undefined {
  const allowed = new Set(among);
  const state = new Map<string, 1 | 2>();
  // Iterative DFS: a 10 MB file of nodes must not overflow the stack.
  for (const startId of among) {
    if (state.has(startId)) continue;
    const stack: { id: string; next: number }[] = [{ id: startId, next: 0 }];
    state.set(startId, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const outs = (g.outputsOf.get(top.id) ?? []).filter((o) => allowed.has(o));
      if (top.next >= outs.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const out = outs[top.next++];
      const s = state.get(out);
      if (s === 1) {
        const from = stack.findIndex((f) => f.id === out);
        return [...stack.slice(from).map((f) => f.id), out];
      }
      if (s === undefined) {
        state.set(out, 1);
        stack.push({ id: out, next: 0 });
      }
    }
  }
  return undefined;
}

/** Ids reachable by following edges forward from `starts`. */
export function reachableFrom(g: GraphIndex, starts: readonly string[]): Set<string> {
  const seen = new Set<string>(starts);
  const queue = [...starts];
  while (queue.length) {
    const id = queue.pop() as string;
    for (const out of g.outputsOf.get(id) ?? []) {
      if (!seen.has(out)) {
        seen.add(out);
        queue.push(out);
      }
    }
  }
  return seen;
}
