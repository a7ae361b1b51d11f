/**
 * The layout worker: runs ELK's layered algorithm (left to right, as the lectures draw networks,
 * or top to bottom when the editor chooses so) off the main thread so a big graph never freezes
 * the editor. Started from a blob: URL by layoutClient.ts (worker URLs must be same-origin with
 * the webview).
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { LayoutRequest, LayoutResponse } from './layoutTypes';
import { setOwn } from '../../src/model/ownKeys';
import { wrapForScreen } from './wrapRows';
import { elkGraph, placedBoxes } from './elkGraph';
import { optionsFor } from './elkOptions';

/** The readable zoom when the editor does not say (Fit's floor at the default font size is about 0.92). */
const WRAP_BELOW = 0.8;

declare const self: { onmessage: unknown; postMessage(m: LayoutResponse): void; addEventListener(t: 'message', l: (e: MessageEvent<LayoutRequest>) => void): void };

// elk.bundled.js runs its GWT code on a fake worker in this thread; it must not answer our messages.
self.onmessage = null;
const elk = new ELK();

async function layout(req: LayoutRequest): Promise<LayoutResponse> {
  const t0 = performance.now();
  const direction = req.direction ?? 'right';
  // Expanded groups are compound nodes, so their members stay together inside their frames.
  const options = { ...optionsFor(req.nodes.length, req.layerGap), 'elk.direction': direction === 'down' ? 'DOWN' : 'RIGHT' };
  // Should ELK fail on the groups, the graph is laid out without them (each member then gets its own halo).
  const out = await elk.layout(elkGraph(req.nodes, req.edges, options, req.groups, req.groupPadding))
    .catch((e: unknown) => (req.groups?.length ? elk.layout(elkGraph(req.nodes, req.edges, options)) : Promise.reject(e)));
  // A long chain (LeNet, a deep MLP) drawn in one row would be too small to read: wrap it into
  // rows like lines of text (columns when the layers run down), to fit the canvas readably.
  // A group stays in one row, or takes rows of its own: its members stay in one frame, whose
  // header needs room above its row.
  const placed = placedBoxes(out);
  const wrapped = req.screen ? wrapForScreen(placed, req.edges, req.screen, req.minScale ?? WRAP_BELOW, direction, undefined, req.groups?.map((g) => g.members), req.groupPadding?.top) : undefined;
  const ms = performance.now() - t0;
  const positions: Record<string, { x: number; y: number }> = {};
  for (const c of placed) setOwn(positions, c.id, wrapped?.get(c.id) ?? { x: c.x, y: c.y }); // ids may be '__proto__'
  return { id: req.id, positions, width: out.width, height: out.height, direction, ms };
}

self.addEventListener('message', (e) => {
  const req = e.data;
  layout(req).then(
    (r) => self.postMessage(r),
    (err: unknown) => self.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
