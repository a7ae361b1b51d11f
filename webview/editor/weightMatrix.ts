/**
 * The inspector's weight matrix of the selected dense layer: units down, inputs across, coloured
 * as the edges are (orange positive, blue negative, by the largest |weight|), the value under the
 * pointer shown beside it. The weights are training's once a run or Step has sent them, else the
 * design's own (a dense layer's inline `weights` in the file); a layer with neither says when its
 * weights will show. Repainted in place as weights stream, so the inspector is not rebuilt while training.
 */
import type { NetworkNode } from '../../src/model/types';
import { own } from '../../src/model/ownKeys';
import { MAX_STREAMED_WEIGHTS, type DocumentSnapshot, type LayerWeights } from '../../src/protocol';
import { drawMatrix } from '../shared/draw';
import { formatMetric } from '../shared/formatMetric';
import { h } from './dom';

/** Widest drawing, px; cells are 4–16 px square. */
const MAX_SIDE = 200;

interface MatrixState {
  id: string;
  /** The weights shown (training's, else the file's). */
  weights?: LayerWeights;
  /** Training's weights of the layer, as last given. */
  live?: LayerWeights;
  /** The design's inline weights of the layer. */
  inline?: LayerWeights;
}

const states = new WeakMap<HTMLElement, MatrixState>();

function shapeOf(w: LayerWeights): [number, number] {
  return w.shape.length === 2 ? [w.shape[0], w.shape[1]] : [w.shape[0] ?? 1, w.data.length / Math.max(1, w.shape[0] ?? 1)];
}

function cellSize(rows: number, cols: number): number {
  return Math.max(4, Math.min(16, Math.floor(MAX_SIDE / Math.max(rows, cols))));
}

/** A dense node's hand-set weights ([units, inputs], row-major), when the file gives a full matrix of numbers. */
export function inlineWeights(node: NetworkNode | undefined): LayerWeights | undefined {
  if (node?.type !== 'dense' || !Array.isArray(node.weights) || node.weights.length === 0) return undefined;
  const rows = node.weights, cols = Array.isArray(rows[0]) ? rows[0].length : 0;
  if (cols === 0 || rows.some((r) => !Array.isArray(r) || r.length !== cols || r.some((v) => typeof v !== 'number' || !Number.isFinite(v)))) return undefined;
  return { shape: [rows.length, cols], data: Float32Array.from(rows.flat()) };
}

/** What a dense layer without weights to show says instead: when they will appear, or why they will not. */
function waitingText(node: NetworkNode, snap: DocumentSnapshot): string {
  const params = own(snap.nodes, node.id)?.params;
  const units = node.type === 'dense' ? node.units : 0;
  const weights = params !== undefined && units > 0 ? params - (node.type === 'dense' && node.useBias === false ? 0 : units) : undefined;
  if (weights !== undefined && weights > MAX_STREAMED_WEIGHTS) {
    return `${weights.toLocaleString('en-US')} weights: too many to draw here (up to ${MAX_STREAMED_WEIGHTS.toLocaleString('en-US')}).`;
  }
  return 'Weights appear once training starts.';
}

function paint(section: HTMLElement, state: MatrixState): void {
  const w = state.live ?? state.inline;
  state.weights = w;
  const canvas = section.querySelector('canvas') as HTMLCanvasElement;
  const readout = section.querySelector('.weight-readout') as HTMLElement;
  const waiting = section.querySelector('.weight-waiting') as HTMLElement;
  canvas.hidden = readout.hidden = !w;
  waiting.hidden = !!w;
  section.setAttribute('data-source', !w ? 'none' : state.live ? 'training' : 'file');
  (section.querySelector('.weight-source') as HTMLElement).textContent = w && !state.live ? ' · from the file' : '';
  if (!w) {
    (section.querySelector('.weight-shape') as HTMLElement).textContent = '';
    return;
  }
  const [rows, cols] = shapeOf(w);
  const cell = cellSize(rows, cols);
  drawMatrix(canvas, cols * cell, rows * cell, w.data, rows, cols);
  (section.querySelector('.weight-shape') as HTMLElement).textContent = `${rows} units × ${cols} inputs`;
}

/**
 * Adds the matrix section for node `id` to the inspector's `root`: for a dense layer (training's
 * weights, else its inline ones, else a line saying when they appear), or any layer training has
 * sent weights for.
 */
export function appendWeightMatrix(root: HTMLElement, id: string | undefined, weights: Readonly<Record<string, LayerWeights>>, snap?: DocumentSnapshot): void {
  if (id === undefined) return;
  const node = snap?.doc?.nodes.find((n) => n.id === id);
  const live = Object.hasOwn(weights, id) ? weights[id] : undefined;
  if (!live && node?.type !== 'dense') return;
  const canvas = h('canvas', { role: 'img', 'aria-label': `Weights of ${id}: units down, inputs across` });
  const readout = h('div', { class: 'weight-readout', 'data-testid': 'weight-readout' }, 'Hover a cell for its weight.');
  const waiting = h('p', { class: 'weight-waiting hint', 'data-testid': 'weight-waiting' }, node && snap ? waitingText(node, snap) : '');
  const section = h('section', { class: 'weight-matrix', 'data-testid': 'weight-matrix', 'data-node': id },
    h('h3', {}, 'Weights ', h('span', { class: 'weight-shape hint' }), h('span', { class: 'weight-source hint', 'data-testid': 'weight-source' })), canvas, readout, waiting);
  const state: MatrixState = { id, live, inline: inlineWeights(node) };
  states.set(section, state);
  canvas.addEventListener('mousemove', (e) => {
    const w = state.weights;
    if (!w) return;
    const [rows, cols] = shapeOf(w);
    const r = canvas.getBoundingClientRect();
    const u = Math.min(rows - 1, Math.max(0, Math.floor(((e.clientY - r.top) / r.height) * rows)));
    const i = Math.min(cols - 1, Math.max(0, Math.floor(((e.clientX - r.left) / r.width) * cols)));
    const v = w.data[u * cols + i];
    const text = `${id}[${u}] ← input ${i}: ${Number.isFinite(v) ? formatMetric(v).replace('-', '−') : String(v)}`;
    readout.textContent = text;
    canvas.title = text;
  });
  paint(section, state);
  root.append(section);
}

/** Repaints the inspector's matrix (if any) with new training weights ({} after a reset: the file's again, if any). */
export function updateWeightMatrix(root: HTMLElement, weights: Readonly<Record<string, LayerWeights>>): void {
  const section = root.querySelector<HTMLElement>(':scope > .weight-matrix');
  const state = section && states.get(section);
  if (!section || !state) return;
  const live = Object.hasOwn(weights, state.id) ? weights[state.id] : undefined;
  if (live === state.live) return;
  state.live = live;
  paint(section, state);
}
