/**
 * The inspector's weight matrix of the selected dense layer (once training has sent its weights):
 * units down, inputs across, coloured as the edges are (orange positive, blue negative, by the
 * largest |weight|), the value under the pointer shown beside it. Repainted in place as weights
 * stream, so the inspector is not rebuilt while training.
 */
import type { LayerWeights } from '../../src/protocol';
import { drawMatrix } from '../shared/draw';
import { formatMetric } from '../shared/formatMetric';
import { h } from './dom';

/** Widest drawing, px; cells are 4–16 px square. */
const MAX_SIDE = 200;

interface MatrixState {
  id: string;
  weights?: LayerWeights;
}

const states = new WeakMap<HTMLElement, MatrixState>();

function shapeOf(w: LayerWeights): [number, number] {
  return w.shape.length === 2 ? [w.shape[0], w.shape[1]] : [w.shape[0] ?? 1, w.data.length / Math.max(1, w.shape[0] ?? 1)];
}

function cellSize(rows: number, cols: number): number {
  return Math.max(4, Math.min(16, Math.floor(MAX_SIDE / Math.max(rows, cols))));
}

function paint(section: HTMLElement, state: MatrixState, w: LayerWeights | undefined): void {
  state.weights = w;
  section.hidden = !w;
  if (!w) return;
  const [rows, cols] = shapeOf(w);
  const cell = cellSize(rows, cols);
  const canvas = section.querySelector('canvas') as HTMLCanvasElement;
  drawMatrix(canvas, cols * cell, rows * cell, w.data, rows, cols);
  (section.querySelector('.weight-shape') as HTMLElement).textContent = `${rows} units × ${cols} inputs`;
}

/** Adds the matrix section for `id` (hidden until its layer has weights) to the inspector's `root`. */
export function appendWeightMatrix(root: HTMLElement, id: string | undefined, weights: Readonly<Record<string, LayerWeights>>): void {
  if (id === undefined) return;
  const canvas = h('canvas', { role: 'img', 'aria-label': `Weights of ${id}: units down, inputs across` });
  const readout = h('div', { class: 'weight-readout', 'data-testid': 'weight-readout' }, 'Hover a cell for its weight.');
  const section = h('section', { class: 'weight-matrix', 'data-testid': 'weight-matrix', 'data-node': id },
    h('h3', {}, 'Weights ', h('span', { class: 'weight-shape hint' })), canvas, readout);
  const state: MatrixState = { id };
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
  paint(section, state, Object.hasOwn(weights, id) ? weights[id] : undefined);
  root.append(section);
}

/** Repaints the inspector's matrix (if any) with new weights. */
export function updateWeightMatrix(root: HTMLElement, weights: Readonly<Record<string, LayerWeights>>): void {
  const section = root.querySelector<HTMLElement>(':scope > .weight-matrix');
  const state = section && states.get(section);
  if (!section || !state) return;
  const w = Object.hasOwn(weights, state.id) ? weights[state.id] : undefined;
  if (w !== state.weights) paint(section, state, w);
}
