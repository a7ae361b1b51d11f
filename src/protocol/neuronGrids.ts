/**
 * Neuron heatmaps of two-input networks (TensorFlow Playground's signature picture): what each
 * neuron of each dense layer, the input and the output computes over the input plane, on a coarse
 * size×size grid over the same extent as the decision boundary. Sent with the boundary, a few
 * times a second, as colour levels (one byte a cell: what the views draw, a quarter of the floats'
 * size). Bounded here: at most MAX_NEURONS_PER_LAYER neurons of a layer (its first ones) and
 * MAX_NEURON_GRID_SIDE cells a side, so a wide network never floods the views.
 */
import { anyNumber, count, custom, type Infer, int, list, object, oneOf, text } from './schema';

/**
 * Neurons of one layer whose heatmaps are sent (the first ones; `units` says how many it has).
 * 16 is the widest layer the graph draws as a column of neurons, and 16 tiles fill a layer's box
 * four by four: more would be too small to read and would cost each update units × size² floats.
 */
export const MAX_NEURONS_PER_LAYER = 16;
/** Layers sent per update (inputs, hidden and outputs together). */
export const MAX_NEURON_LAYERS = 16;
/** Most cells a side of a neuron grid. */
export const MAX_NEURON_GRID_SIDE = 64;

/**
 * How a layer's values become colours: 'probability' (sigmoid and softmax outputs, 0…1) is read
 * as the boundary reads a probability (½ faintest, 1 blue, 0 orange); 'signed' values are
 * divided by the neuron's `scale` (its largest |value| on the grid, at least 1: a tanh neuron is
 * drawn as TensorFlow Playground draws it, a ReLU neuron's shape stays visible however large its
 * values) and clamped to −1…1 (0 faintest, positive blue, negative orange) — one colour scale
 * with the boundary.
 */
export const NeuronRange = oneOf(['probability', 'signed']);

/**
 * A neuron's value as the boundary reads a probability, 0…1 (see NeuronRange); non-finite values
 * read ½ (nothing known).
 */
export function neuronLevel(v: number, range: NeuronRange, scale: number): number {
  if (!Number.isFinite(v)) return 0.5;
  if (range === 'probability') return Math.min(1, Math.max(0, v));
  return 0.5 + 0.5 * Math.max(-1, Math.min(1, v / (scale > 0 ? scale : 1)));
}
export type NeuronRange = Infer<typeof NeuronRange>;

/**
 * One layer's heatmaps: `levels` holds shown × size² cells, neuron-major, each grid row 0 at ymin:
 * round(255 · neuronLevel(value, range, scale of the neuron)).
 */
export const NeuronLayer = object({
  id: text(1000),
  /** The layer's unit count (more than shown when it is wider than MAX_NEURONS_PER_LAYER). */
  units: count,
  range: NeuronRange,
  /** Per neuron shown (see NeuronRange). */
  scale: list(anyNumber, { max: MAX_NEURONS_PER_LAYER }),
  levels: custom<Uint8Array>((v, at) => (v instanceof Uint8Array ? undefined : `"${at}" must be a Uint8Array`)),
});
export type NeuronLayer = Infer<typeof NeuronLayer>;

/** The fields of a 'neurons' training update (see trainingUpdate.ts). */
export const NEURON_GRID_FIELDS = {
  size: int(1, MAX_NEURON_GRID_SIDE),
  extent: custom<[number, number, number, number]>(list(anyNumber, { min: 4, max: 4 }).check),
  layers: list(NeuronLayer, { max: MAX_NEURON_LAYERS }),
};

/** Each layer's levels are whole grids, of at most MAX_NEURONS_PER_LAYER neurons and at most its units. */
export function neuronGridProblem(m: Record<string, unknown>): string | undefined {
  const cells = (m.size as number) ** 2;
  for (const [i, layer] of (m.layers as NeuronLayer[]).entries()) {
    const shown = layer.levels.length / cells;
    if (!Number.isInteger(shown) || shown < 1) return `"layers[${i}].levels" must hold whole ${m.size as number}×${m.size as number} grids, got ${layer.levels.length} values`;
    if (shown > Math.min(layer.units, MAX_NEURONS_PER_LAYER)) return `"layers[${i}].levels" holds ${shown} grids; at most ${Math.min(layer.units, MAX_NEURONS_PER_LAYER)} are sent for '${layer.id}'`;
    if (layer.scale.length !== shown) return `"layers[${i}].scale" must have one entry per neuron shown (${shown}), got ${layer.scale.length}`;
  }
  return undefined;
}
