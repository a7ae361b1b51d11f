/**
 * The curve of one edge, from the source's output port (right middle) to the target's input port
 * (left middle), and where its shape label goes. A forward edge is an S-curve; an edge into a row
 * below that starts left of its source (a long graph wrapped into rows) runs back through the gap
 * between the rows, so it crosses no node and its label sits in the gap. When the layers run top to
 * bottom the same curves are drawn transposed: from the source's bottom middle to the target's top
 * middle, a wrap edge back through the gap between columns. Pure.
 */
import type { Box } from './geometry';

/** An edge's SVG path and its label's anchor (the label's baseline centre). */
export interface EdgeRoute {
  d: string;
  labelX: number;
  labelY: number;
}

const flip = (b: Box): Box => ({ x: b.y, y: b.x, width: b.height, height: b.width });

/** The route from node box `a` to node box `b`; `boxes`: every node (to find the gap between rows). */
export function edgeRoute(a: Box, b: Box, boxes: readonly Box[], em: number, direction: 'right' | 'down' = 'right'): EdgeRoute {
  if (direction === 'down') {
    const t = edgeRoute(flip(a), flip(b), boxes.map(flip), em);
    // Swap the coordinates of every point (numbers come in x,y pairs after each command letter).
    const d = t.d.replace(/(-?[\d.e+-]+),(-?[\d.e+-]+)/g, '$2,$1');
    // The label sits on the vertical stretch, its text centred on the line (its halo keeps it legible).
    const wrap = /L/.test(t.d);
    return { d, labelX: wrap ? t.labelY - em * 0.35 : (a.x + a.width / 2 + b.x + b.width / 2) / 2, labelY: wrap ? t.labelX : (a.y + a.height + b.y) / 2 + em * 0.35 };
  }
  const x1 = a.x + a.width;
  const y1 = a.y + a.height / 2;
  const x2 = b.x;
  const y2 = b.y + b.height / 2;
  if (x2 < x1 && b.y >= a.y + a.height) {
    // The gap: below every node that ends above the target's top, above the target's row.
    let above = a.y + a.height;
    for (const n of boxes) if (n.y + n.height <= b.y && n.y + n.height > above) above = n.y + n.height;
    let below = b.y;
    for (const n of boxes) if (n.y >= above && n.y < below) below = n.y;
    const gy = (above + below) / 2;
    // The turns bulge at most 0.75·k beyond the nodes (1.5 em), inside the margin Fit leaves.
    const k = 2 * em;
    const d = `M${x1},${y1} C${x1 + k},${y1} ${x1 + k},${gy} ${x1},${gy} L${x2},${gy} C${x2 - k},${gy} ${x2 - k},${y2} ${x2},${y2}`;
    return { d, labelX: (x1 + x2) / 2, labelY: gy + em * 0.35 };
  }
  const dx = Math.max(40, Math.abs(x2 - x1) / 2);
  return { d: `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`, labelX: (x1 + x2) / 2, labelY: (y1 + y2) / 2 - em * 0.4 };
}
