/**
 * Neuron heatmaps of two-input networks (TensorFlow Playground's signature picture): what each
 * neuron of each dense layer, the input and the output computes over the input plane, on a coarse
 * size×size grid over the same extent as the decision boundary. Sent with the boundary, a few
 * times a second. Bounded here: at most MAX_NEURONS_PER_LAYER neurons of a layer (its first ones)
 * and MAX_NEURON_GRID_SIDE cells a side, so a wide network never floods the views.
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

/** One layer's heatmaps: `values` holds shown × size² numbers, neuron-major, each grid row 0 at ymin. */
export const NeuronLayer = object({
  id: text(1000),
  /** The layer's unit count (more than shown when it is wider than MAX_NEURONS_PER_LAYER). */
  units: count,
  range: NeuronRange,
  /** Per neuron shown (see NeuronRange). */
  scale: list(anyNumber, { max: MAX_NEURONS_PER_LAYER }),
  values: custom<Float32Array>((v, at) => (v instanceof Float32Array ? undefined : `"${at}" must be a Float32Array`)),
});
export type NeuronLayer = Infer<typeof NeuronLayer>;

/** The fields of a 'neurons' training update (see trainingUpdate.ts). */
export const NEURON_GRID_FIELDS = {
  size: int(1, MAX_NEURON_GRID_SIDE),
  extent: custom<[number, number, number, number]>(list(anyNumber, { min: 4, max: 4 }).check),
  layers: list(NeuronLayer, { max: MAX_NEURON_LAYERS }),
};

/** Each layer's values are whole grids, of at most MAX_NEURONS_PER_LAYER neurons and at most its units. */
export function neuronGridProblem(m: Record<string, unknown>): string | undefined {
  const cells = (m.size as number) ** 2;
  for (const [i, layer] of (m.layers as NeuronLayer[]).entries()) {
    const shown = layer.values.length / cells;
    if (!Number.isInteger(shown) || shown < 1) return `"layers[${i}].values" must hold whole ${m.size as number}×${m.size as number} grids, got ${layer.values.length} values`;
    if (shown > Math.min(layer.units, MAX_NEURONS_PER_LAYER)) return `"layers[${i}].values" holds ${shown} grids; at most ${Math.min(layer.units, MAX_NEURONS_PER_LAYER)} are sent for '${layer.id}'`;
    if (layer.scale.length !== shown) return `"layers[${i}].scale" must have one entry per neuron shown (${shown}), got ${layer.scale.length}`;
  }
  return undefined;
}
