/**
 * Which way the layers run, chosen from the graph's shape and the canvas: a deep, narrow network
 * on a tall canvas reads best top to bottom, a wide one (or any on a wide canvas) left to right,
 * as the lectures draw them. The file can fix it (`"layout": { "direction": "down" }`). Pure.
 */
import { layersOf } from './quickLayout';
import { wholeScale, wrapForScreen } from './wrapRows';
import type { FlowDirection, PlacedBox } from './wrapRows';

/** The file's choice: `auto` (the default) lets the editor choose. */
export type DirectionSetting = 'auto' | FlowDirection;

/** Spacing as in the worker's ELK options (layoutWorker.ts). */
const NODE_GAP = 28;
const LAYER_GAP = 64;

/** A wrapped drawing reads less easily than a straight one at the same zoom. */
const WRAP_PENALTY = 0.9;

/**
 * The drawing a layered layout would make, roughly: each layer a column (or row) as wide as its
 * widest node, its nodes stacked with the usual gaps, centred on the widest layer.
 */
function sketch(nodes: readonly { id: string; width: number; height: number }[], layer: Int32Array, direction: FlowDirection, layerGap: number): PlacedBox[] {
  const down = direction === 'down';
  const main = (n: { width: number; height: number }): number => (down ? n.height : n.width);
  const cross = (n: { width: number; height: number }): number => (down ? n.width : n.height);
  const depth = nodes.length ? Math.max(...layer) + 1 : 0;
  const mainSize = new Float64Array(depth);
  const crossSize = new Float64Array(depth);
  for (let i = 0; i < nodes.length; i++) {
    const l = layer[i];
    mainSize[l] = Math.max(mainSize[l], main(nodes[i]));
    crossSize[l] += (crossSize[l] ? NODE_GAP : 0) + cross(nodes[i]);
  }
  const widest = Math.max(0, ...crossSize);
  const at = new Float64Array(depth);
  for (let l = 1; l < depth; l++) at[l] = at[l - 1] + mainSize[l - 1] + layerGap;
  const next = Float64Array.from(crossSize, (c) => (widest - c) / 2);
  return nodes.map((n, i) => {
    const l = layer[i];
    const m = at[l];
    const c = next[l];
    next[l] += cross(n) + NODE_GAP;
    return down ? { id: n.id, x: c, y: m, width: n.width, height: n.height } : { id: n.id, x: m, y: c, width: n.width, height: n.height };
  });
}

/** How readable a direction's drawing is on `screen`: the zoom that shows it whole, less for a wrapped one. */
function score(boxes: PlacedBox[], edges: readonly { from: string; to: string }[], screen: { width: number; height: number }, minScale: number, direction: FlowDirection): number {
  const wrapped = wrapForScreen(boxes, edges, screen, minScale, direction);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const b of boxes) {
    const p = wrapped?.get(b.id) ?? b;
    x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + b.width); y1 = Math.max(y1, p.y + b.height);
  }
  const scale = wholeScale(x1 - x0, y1 - y0, screen);
  return scale < minScale ? 0 : scale * (wrapped ? WRAP_PENALTY : 1);
}

/**
 * The direction for a graph of `nodes` (their box sizes) and `edges` on a canvas of `screen`
 * pixels, where `minScale` is the smallest readable zoom. Left to right unless top to bottom
 * shows the graph whole at a readable zoom and larger; a graph too big to read whole either way
 * runs left to right, wrapped into rows that scroll down like a page.
 */
export function chooseDirection(
  nodes: readonly { id: string; width: number; height: number }[],
  edges: readonly { from: string; to: string }[],
  screen: { width: number; height: number } | undefined,
  minScale: number,
  setting: DirectionSetting = 'auto',
  layerGap = LAYER_GAP,
): FlowDirection {
  if (setting !== 'auto') return setting;
  if (!screen || !(screen.width > 0 && screen.height > 0) || nodes.length < 2) return 'right';
  const { layer } = layersOf(nodes, edges);
  const right = score(sketch(nodes, layer, 'right', Math.max(LAYER_GAP, layerGap)), edges, screen, minScale, 'right');
  const down = score(sketch(nodes, layer, 'down', LAYER_GAP), edges, screen, minScale, 'down');
  return down > right ? 'down' : 'right';
}
