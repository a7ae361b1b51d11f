/** Points and boxes in graph coordinates (pure). */

/** Top-left corner of a node, graph coordinates. */
export interface Point {
  x: number;
  y: number;
}

/** A rectangle in graph coordinates. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether `inner` lies inside `outer`. */
export function contains(outer: Box, inner: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

/** The box around `rects` (a unit box when there are none). */
export function boundsOf(rects: readonly Box[]): Box {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const r of rects) {
    minX = Math.min(minX, r.x); minY = Math.min(minY, r.y);
    maxX = Math.max(maxX, r.x + r.width); maxY = Math.max(maxY, r.y + r.height);
  }
  return rects.length ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : { x: 0, y: 0, width: 1, height: 1 };
}
