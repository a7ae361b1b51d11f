/**
 * The training view's boundary picture, or — while a neuron heatmap is hovered in the graph — that
 * neuron's heatmap at the same size, over the same extent and points, in the same colours, named
 * in its corner.
 */
import type { BoundaryPoints } from '../../../src/protocol';
import { drawBoundary } from '../../shared/draw';
import type { NeuronFocus } from '../neuronHeatmaps';

type Grid = Parameters<typeof drawBoundary>[2];

/** Draws `neuron`'s grid when one is hovered, else the boundary; the canvas says which (data-neuron, aria-label). */
export function drawNeuronOrBoundary(canvas: HTMLCanvasElement, side: number, neuron: NeuronFocus | undefined, boundary: Grid, points: BoundaryPoints | undefined): void {
  drawBoundary(canvas, side, neuron?.grid ?? boundary, points);
  if (!neuron) {
    canvas.removeAttribute('data-neuron');
    canvas.setAttribute('aria-label', 'Decision boundary with training and validation points');
    return;
  }
  canvas.setAttribute('data-neuron', neuron.label);
  canvas.setAttribute('aria-label', `Heatmap of neuron ${neuron.label} over the input plane, with the training and validation points`);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.font = '11px sans-serif';
  const w = ctx.measureText(neuron.label).width + 8;
  ctx.fillStyle = 'rgba(0,0,0,0.6)';
  ctx.fillRect(2, 2, w, 16);
  ctx.fillStyle = '#fff';
  ctx.fillText(neuron.label, 6, 14);
}
