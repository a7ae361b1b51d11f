/**
 * Long graphs wrapped into rows like lines of text, so they use the canvas and stay readable:
 * a left-to-right drawing is cut where at most one edge crosses (between two blocks of a chain,
 * never through a branch), and the pieces are stacked below each other. A top-to-bottom drawing
 * is wrapped the same way into columns (transposed). Pure: layoutWorker.ts applies it to ELK's
 * places and layoutPolicy.ts to the quick layout's.
 */
import type { Point } from './geometry';

/** The direction the layers run in: left to right or top to bottom. */
export type FlowDirection = 'right' | 'down';

/** A placed node box. */
export interface PlacedBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Space between two rows (the edge from a row's end to the next row's start runs there, with its label). */
export const ROW_GAP = 64;

/** Screen pixels Fit keeps free around the graph (viewport.ts). */
const FIT_MARGIN = 32;

/**
 * A place where the drawing can be cut: between `leftEnd` and `nextStart`, after the first
 * `before` boxes (in x order). `inside`: the `together` set it lies inside; `bounds`: the sets it
 * lies just before or after.
 */
interface Cut {
  leftEnd: number;
  nextStart: number;
  before: number;
  inside?: number;
  bounds?: number[];
}

/** A drawing prepared for wrapping: its boxes in x order, the places where it may be cut, and how wide each `together` set is. */
export interface Wrappable {
  sorted: PlacedBox[];
  cuts: Cut[];
  spans?: number[];
  /** The `together` set of each id in one (a row where a set begins gets room above it for its frame's header). */
  grouped?: ReadonlyMap<string, number>;
}

/**
 * Finds where a left-to-right drawing may be cut (at most one edge crossing); undefined when
 * nowhere. A `together` set (an expanded group's members, drawn in one frame) is cut only when
 * it is too wide for a row, and then it takes rows of its own (wrapRows).
 */
export function wrappable(boxes: readonly PlacedBox[], edges: readonly { from: string; to: string }[], together: readonly (readonly string[])[] = []): Wrappable | undefined {
  if (boxes.length < 2) return undefined;
  const sorted = [...boxes].sort((a, b) => a.x - b.x);
  // Gaps: vertical lines no box crosses.
  const gaps: Cut[] = [];
  let right = sorted[0].x + sorted[0].width;
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].x > right) gaps.push({ leftEnd: right, nextStart: sorted[i].x, before: i });
    right = Math.max(right, sorted[i].x + sorted[i].width);
  }
  if (!gaps.length) return undefined;
  // Edges crossing each gap (a difference array over gap indices): cut only where at most one does.
  const centre = new Map(boxes.map((b) => [b.id, b.x + b.width / 2]));
  const gapAfter = (x: number): number => {
    let lo = 0, hi = gaps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (gaps[mid].leftEnd < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const crossing = new Int32Array(gaps.length + 1);
  for (const e of edges) {
    const a = centre.get(e.from);
    const b = centre.get(e.to);
    if (a === undefined || b === undefined) continue;
    crossing[gapAfter(Math.min(a, b))]++;
    crossing[gapAfter(Math.max(a, b))]--;
  }
  // The gaps inside each set kept together, and the two gaps bounding it.
  const inside = new Int32Array(gaps.length).fill(-1);
  const bounds = new Map<number, number[]>();
  const spans: number[] = [];
  const byId = new Map(boxes.map((b) => [b.id, b]));
  together.forEach((ids, g) => {
    let a = Infinity, b = -Infinity, left = Infinity, right = -Infinity;
    for (const id of ids) {
      const box = byId.get(id);
      if (!box) continue;
      const c = box.x + box.width / 2;
      a = Math.min(a, c); b = Math.max(b, c);
      left = Math.min(left, box.x); right = Math.max(right, box.x + box.width);
    }
    spans.push(right - left);
    if (a >= b) return;
    const first = gapAfter(a), end = gapAfter(b);
    for (let i = first; i < end; i++) inside[i] = g;
    for (const i of [first - 1, end]) if (i >= 0 && i < gaps.length) bounds.set(i, [...(bounds.get(i) ?? []), g]);
  });
  const cuts: Cut[] = [];
  for (let g = 0, n = 0; g < gaps.length; g++) {
    n += crossing[g];
    if (n > 1) continue;
    const b = bounds.get(g);
    cuts.push(inside[g] < 0 && !b ? gaps[g] : { ...gaps[g], ...(inside[g] >= 0 ? { inside: inside[g] } : {}), ...(b ? { bounds: b } : {}) });
  }
  return cuts.length ? { sorted, cuts, ...(together.length ? { spans, grouped: new Map(together.flatMap((ids, g) => ids.map((id) => [id, g] as const))) } : {}) } : undefined;
}

/**
 * Cuts a left-to-right drawing into rows at most `maxWidth` wide (a row wider only where no cut is
 * possible) and stacks them `rowGap` apart (`headroom` more above a row where a set kept together
 * begins: its frame's header); undefined when there is nothing to cut. A set kept
 * together stays in one row when it fits in one; a wider one starts a row and ends one, so its
 * rows hold only its nodes and one frame still encloses exactly them.
 */
export function wrapRows(boxes: readonly PlacedBox[] | Wrappable, edges: readonly { from: string; to: string }[], maxWidth: number, rowGap = ROW_GAP, headroom = 0): Map<string, Point> | undefined {
  const w = 'cuts' in boxes ? boxes : wrappable(boxes, edges);
  if (!w) return undefined;
  const { sorted, cuts } = w;
  const wide = (w.spans ?? []).map((span) => span > maxWidth);
  // Greedy, like breaking lines of text: each row takes as many blocks as fit.
  const chosen: Cut[] = [];
  let rowStart = sorted[0].x;
  let last: Cut | undefined;
  for (let c = 0; c < cuts.length; c++) {
    const cut = cuts[c];
    if (cut.inside !== undefined && !wide[cut.inside]) continue;
    if (cut.leftEnd - rowStart <= maxWidth) {
      last = cut;
      if (cut.bounds?.some((g) => wide[g])) {
        chosen.push(cut);
        rowStart = cut.nextStart;
        last = undefined;
      }
      continue;
    }
    const take = last ?? cut;
    chosen.push(take);
    rowStart = take.nextStart;
    last = undefined;
    if (take !== cut) c--; // this cut is measured again from the new row's start
  }
  let total = -Infinity;
  for (const b of sorted) total = Math.max(total, b.x + b.width);
  if (total - rowStart > maxWidth && last) chosen.push(last);
  if (!chosen.length) return undefined;
  // Stack the rows, each starting at the drawing's left edge.
  const left = sorted[0].x;
  let top = Infinity;
  for (const b of sorted) top = Math.min(top, b.y);
  const out = new Map<string, Point>();
  let y = top;
  let above = new Set<number>();
  for (let r = 0; r <= chosen.length; r++) {
    const from = r === 0 ? 0 : chosen[r - 1].before;
    const to = r === chosen.length ? sorted.length : chosen[r].before;
    let y0 = Infinity, y1 = -Infinity;
    const sets = new Set<number>();
    for (let i = from; i < to; i++) {
      y0 = Math.min(y0, sorted[i].y);
      y1 = Math.max(y1, sorted[i].y + sorted[i].height);
      const g = w.grouped?.get(sorted[i].id);
      if (g !== undefined) sets.add(g);
    }
    if (r > 0 && [...sets].some((g) => !above.has(g))) y += headroom;
    above = sets;
    const x0 = sorted[from].x;
    for (let i = from; i < to; i++) out.set(sorted[i].id, { x: sorted[i].x - x0 + left, y: sorted[i].y - y0 + y });
    y += y1 - y0 + rowGap;
  }
  return out;
}

/** The zoom at which Fit shows a `width` × `height` drawing whole on `screen` (never above 1). */
export function wholeScale(width: number, height: number, screen: { width: number; height: number }, margin = FIT_MARGIN): number {
  return Math.min(1, (screen.width - 2 * margin) / Math.max(1, width), (screen.height - 2 * margin) / Math.max(1, height));
}

function extent(boxes: readonly PlacedBox[], at: ReadonlyMap<string, Point>): { width: number; height: number } {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const b of boxes) {
    const p = at.get(b.id) ?? b;
    x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + b.width); y1 = Math.max(y1, p.y + b.height);
  }
  return boxes.length ? { width: x1 - x0, height: y1 - y0 } : { width: 0, height: 0 };
}

const transpose = (b: PlacedBox): PlacedBox => ({ id: b.id, x: b.y, y: b.x, width: b.height, height: b.width });

/**
 * Wraps a drawing whose layers run in `direction` so it is readable on `screen`: when the whole
 * drawing would be shown below `minScale` (the readable zoom), it is cut into rows (columns for
 * top to bottom) that show it whole at a clearly larger zoom, or — when nothing fits whole at a
 * readable zoom — into rows as wide as the canvas at that zoom, so it scrolls one way only.
 * Returns the new places, or undefined to keep the drawing as it is. A `together` set (an
 * expanded group's members) stays in one row or takes rows of its own (wrapRows); left to right,
 * a row holding one has `headroom` more above it for its frame's header.
 */
export function wrapForScreen(
  boxesIn: readonly PlacedBox[],
  edges: readonly { from: string; to: string }[],
  screen: { width: number; height: number },
  minScale: number,
  direction: FlowDirection = 'right',
  rowGap = ROW_GAP,
  together: readonly (readonly string[])[] = [],
  headroom = 0,
): Map<string, Point> | undefined {
  if (!(screen.width > 0 && screen.height > 0) || boxesIn.length < 2) return undefined;
  const down = direction === 'down';
  const boxes = down ? boxesIn.map(transpose) : boxesIn;
  const canvas = down ? { width: screen.height, height: screen.width } : screen;
  const none = new Map<string, Point>();
  const flat = extent(boxes, none);
  const flatScale = wholeScale(flat.width, flat.height, canvas);
  if (flatScale >= minScale) return undefined;
  // Try rows of 1/k of the flat width; a wrap must show the graph clearly larger to be worth it.
  const w = wrappable(boxes, edges, together);
  if (!w) return undefined;
  let best: { at?: Map<string, Point>; scale: number } = { scale: flatScale };
  let tried = '';
  // The widest piece between two cuts: no row can be narrower, so narrower targets change nothing.
  let piece = 0;
  let from = w.sorted[0].x;
  for (const c of w.cuts) {
    piece = Math.max(piece, c.leftEnd - from);
    from = c.nextStart;
  }
  piece = Math.max(piece, flat.width - (from - w.sorted[0].x));
  for (let k = 2; k <= 40 && flat.width / (k - 1) > piece; k++) {
    const at = wrapRows(w, edges, flat.width / k, rowGap, down ? 0 : headroom);
    if (!at) break;
    const e = extent(boxes, at);
    const key = `${e.width}x${e.height}`;
    if (key === tried) continue;
    tried = key;
    const scale = wholeScale(e.width, e.height, canvas);
    if (scale > best.scale * 1.2 || (best.at && scale > best.scale)) best = { at, scale };
    if (e.width * minScale <= canvas.width - 2 * FIT_MARGIN && scale < minScale) break; // narrower rows only get taller
  }
  if (best.scale < minScale) {
    // Not readable whole either way: rows as wide as the canvas at the readable zoom (one scroll direction).
    const at = wrapRows(w, edges, (canvas.width - 2 * FIT_MARGIN) / minScale, rowGap, down ? 0 : headroom);
    if (at) best = { at, scale: minScale };
  }
  if (!best.at) return undefined;
  if (!down) return best.at;
  const out = new Map<string, Point>();
  for (const [id, p] of best.at) out.set(id, { x: p.y, y: p.x });
  return out;
}
