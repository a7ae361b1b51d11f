/**
 * Keyboard movement through the graph: right/left follow edges forward/back, up/down move to
 * the neighbour above/below in the same column. Pure: works on edges and laid-out positions.
 */

/** A node's box centre. */
export interface Centre {
  x: number;
  y: number;
}

/** The node an arrow key moves to from `current`, or undefined to stay. */
export function navigate(
  current: string,
  key: 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown',
  edges: readonly { from: string; to: string }[],
  centres: ReadonlyMap<string, Centre>,
): string | undefined {
  const here = centres.get(current);
  if (!here) return undefined;
  const byDistance = (ids: string[]): string | undefined => {
    let best: string | undefined;
    let bestD = Infinity;
    for (const id of ids) {
      const c = centres.get(id);
      if (!c) continue;
      const d = Math.abs(c.y - here.y) * 2 + Math.abs(c.x - here.x);
      if (d < bestD) { bestD = d; best = id; }
    }
    return best;
  };
  if (key === 'ArrowRight') return byDistance(edges.filter((e) => e.from === current).map((e) => e.to));
  if (key === 'ArrowLeft') return byDistance(edges.filter((e) => e.to === current).map((e) => e.from));
  // Up/down: the nearest node above/below whose column overlaps this one's, else the nearest at all.
  const dir = key === 'ArrowUp' ? -1 : 1;
  let best: string | undefined;
  let bestD = Infinity;
  for (const [id, c] of centres) {
    if (id === current) continue;
    const dy = (c.y - here.y) * dir;
    if (dy <= 0) continue;
    const d = dy + Math.abs(c.x - here.x) * 4;
    if (d < bestD) { bestD = d; best = id; }
  }
  return best;
}
