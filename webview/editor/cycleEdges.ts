/**
 * The edges that lie on a cycle (both ends in one strongly connected component, or a node fed by
 * itself). The model reports a cycle as an error on a node; the graph draws these edges in the
 * error colour so the loop can be seen. Pure; iterative (Tarjan), so a long loop cannot overflow.
 */

/** Keys `from->to` of the edges on some cycle. */
export function cycleEdgeKeys(edges: readonly { from: string; to: string }[]): Set<string> {
  const outs = new Map<string, string[]>();
  for (const e of edges) {
    if (!outs.has(e.from)) outs.set(e.from, []);
    if (!outs.has(e.to)) outs.set(e.to, []);
    (outs.get(e.from) as string[]).push(e.to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const comp = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let next = 0;
  let comps = 0;
  for (const start of outs.keys()) {
    if (index.has(start)) continue;
    const work: { id: string; i: number }[] = [{ id: start, i: 0 }];
    index.set(start, next); low.set(start, next++); stack.push(start); onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1];
      const succ = outs.get(top.id) as string[];
      if (top.i < succ.length) {
        const w = succ[top.i++];
        if (!index.has(w)) {
          index.set(w, next); low.set(w, next++); stack.push(w); onStack.add(w);
          work.push({ id: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.id, Math.min(low.get(top.id) as number, index.get(w) as number));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent) as number, low.get(top.id) as number));
      }
      if (low.get(top.id) === index.get(top.id)) {
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          comp.set(w, comps);
        } while (w !== top.id);
        comps++;
      }
    }
  }
  const out = new Set<string>();
  for (const e of edges) if (e.from === e.to || comp.get(e.from) === comp.get(e.to)) out.add(`${e.from}->${e.to}`);
  return out;
}
