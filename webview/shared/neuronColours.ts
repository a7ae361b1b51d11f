/**
 * Neuron heatmaps in the boundary's colour scale (pure, no DOM). A neuron's value arrives as a
 * level, read as the boundary reads a probability (src/protocol/neuronGrids.ts: neuronLevel): a
 * 'probability' layer (sigmoid, softmax) as is, a 'signed' one as ½ + ½·clamp(v / scale, −1, 1)
 * (scale: the neuron's). So ½ (a signed 0) is the faintest tint, 1 (v ≥ scale) full blue and 0
 * (v ≤ −scale) full orange, exactly as the decision boundary paints its cells.
 */
import { cellClass, classColour, type NeuronLayer } from '../../src/protocol';
export { neuronLevel } from '../../src/protocol';

/** RGBA of a cell whose level is `p`: the boundary's colour and opacity for a one-output network. */
export function levelRgba(p: number): [number, number, number, number] {
  const { cls, confidence } = cellClass([p], 0, 1);
  const c = classColour(cls, 1);
  return [c[0], c[1], c[2], Math.round(40 + confidence * 150)];
}

/** levelRgba at 256 levels, packed RGBA bytes (painting a tile looks colours up instead of computing them). */
export const LEVEL_LUT: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) lut.set(levelRgba(i / 255), i * 4);
  return lut;
})();

/** Neuron `k`'s grid of `layer` as a one-output boundary grid (drawBoundary paints it, points on top). */
export function neuronAsBoundary(layer: NeuronLayer, k: number, size: number, extent: [number, number, number, number]): { size: number; width: number; values: Float32Array; extent: [number, number, number, number] } {
  const cells = size * size;
  const values = new Float32Array(cells);
  for (let c = 0; c < cells; c++) values[c] = layer.levels[k * cells + c] / 255;
  return { size, width: 1, values, extent };
}
