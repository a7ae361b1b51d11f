/**
 * The layout worker: runs ELK's layered algorithm (left to right, as the lectures draw networks)
 * off the main thread so a big graph never freezes the editor. Started from a blob: URL by
 * layoutClient.ts (worker URLs must be same-origin with the webview).
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { LayoutRequest, LayoutResponse } from './layoutTypes';
import { setOwn } from '../../src/model/ownKeys';

declare const self: { onmessage: unknown; postMessage(m: LayoutResponse): void; addEventListener(t: 'message', l: (e: MessageEvent<LayoutRequest>) => void): void };

// elk.bundled.js runs its GWT code on a fake worker in this thread; it must not answer our messages.
self.onmessage = null;
const elk = new ELK();

const common: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  // The editor draws its own curves between ports, so ELK's cheapest routing is enough.
  'elk.edgeRouting': 'POLYLINE',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '64',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.padding': '[top=24,left=24,bottom=24,right=24]',
};

/** Nodes above which layout trades polish for speed (a big graph must never freeze the editor). */
export const BIG_GRAPH = 150;

/** Layout options for a graph of `n` nodes whose layers stand at least `layerGap` px apart. */
export function optionsFor(n: number, layerGap = 0): Record<string, string> {
  const spaced = { ...common, 'elk.layered.spacing.nodeNodeBetweenLayers': String(Math.max(64, Math.ceil(layerGap))) };
  if (n <= BIG_GRAPH) return { ...spaced, 'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF' };
  return {
    ...spaced,
    'elk.layered.thoroughness': '1',
    'elk.layered.layering.strategy': 'LONGEST_PATH',
    'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  };
}

/** Below this fit scale a graph's text is too small to read, so a long graph wraps into rows. */
export const WRAP_BELOW = 0.8;

/** The scale at which the editor's Fit shows a `width` × `height` drawing on `screen` (never above 1). */
export function fitScale(width: number, height: number, screen: { width: number; height: number }, margin = 32): number {
  return Math.min(1, (screen.width - 2 * margin) / Math.max(1, width), (screen.height - 2 * margin) / Math.max(1, height));
}

/** Options that wrap the layers into rows to fill a canvas of `screen`'s proportions (cut only where one edge crosses). */
export function wrapOptions(n: number, screen: { width: number; height: number }, layerGap = 0): Record<string, string> {
  return { ...optionsFor(n, layerGap), 'elk.layered.wrapping.strategy': 'SINGLE_EDGE', 'elk.aspectRatio': (screen.width / Math.max(1, screen.height)).toFixed(3) };
}

async function layout(req: LayoutRequest): Promise<LayoutResponse> {
  const ids = new Set(req.nodes.map((n) => n.id));
  const graph = (layoutOptions: Record<string, string>): ElkNode => ({
    id: 'root',
    layoutOptions,
    children: req.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: req.edges
      .filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to)
      .map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  });
  const t0 = performance.now();
  let out = await elk.layout(graph(optionsFor(req.nodes.length, req.layerGap)));
  // A long chain (LeNet, a deep MLP) drawn in one row would be too small to read: wrap it into
  // rows like lines of text, when that shows it clearly larger.
  const screen = req.screen;
  if (screen && screen.width > 0 && screen.height > 0 && req.nodes.length <= BIG_GRAPH) {
    const flat = fitScale(out.width ?? 0, out.height ?? 0, screen);
    if (flat < WRAP_BELOW) {
      const wrapped = await elk.layout(graph(wrapOptions(req.nodes.length, screen, req.layerGap)));
      if (fitScale(wrapped.width ?? 0, wrapped.height ?? 0, screen) > flat * 1.2) out = wrapped;
    }
  }
  const ms = performance.now() - t0;
  const positions: Record<string, { x: number; y: number }> = {};
  for (const c of out.children ?? []) setOwn(positions, c.id, { x: c.x ?? 0, y: c.y ?? 0 }); // ids may be '__proto__'
  return { id: req.id, positions, width: out.width, height: out.height, ms };
}

self.addEventListener('message', (e) => {
  const req = e.data;
  layout(req).then(
    (r) => self.postMessage(r),
    (err: unknown) => self.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
