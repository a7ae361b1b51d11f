/**
 * Neuron heatmaps of two-input networks: every input, dense and output neuron's value at each cell
 * of a coarse grid over the boundary's extent, from one batched forward pass with the weights of
 * the moment (the engine's own kernels: what the network computes, not a copy of it).
 */
import { nodeOutputs, type CompiledNetwork, type LayerSpec, type WeightMap } from '../engine';
import { MAX_NEURON_LAYERS, MAX_NEURONS_PER_LAYER, neuronLevel, type NeuronLayer, type TrainingUpdate } from '../protocol';
import type { BoundaryGrid } from './boundary';

/**
 * Cells a side of the neuron grids: each heatmap is drawn ~25 px wide in the graph (and 150 px
 * when hovered), so 24×24 reads as smooth while a 2-16-16-1 network's update stays ~80 KB.
 */
export const NEURON_GRID_SIZE = 24;

/** The layers that get heatmaps: inputs, dense layers and outputs with a vector output, in order. */
export function heatmapLayers(net: CompiledNetwork): LayerSpec[] {
  const outputs = new Set(net.outputIds);
  return net.layers
    .filter((l) => l.shape.length === 1 && (l.kind === 'input' || l.kind === 'dense' || outputs.has(l.id)))
    .slice(0, MAX_NEURON_LAYERS);
}

/** 'probability' for sigmoid and softmax outputs (0…1), else 'signed'. */
function rangeOf(layer: LayerSpec): NeuronLayer['range'] {
  return layer.kind !== 'input' && (layer.activation === 'sigmoid' || layer.activation === 'softmax') ? 'probability' : 'signed';
}

/**
 * The 'neurons' update: for each heatmap layer, its first MAX_NEURONS_PER_LAYER neurons' colour
 * levels over `grid` (neuron-major: neuron k's size² cells, grid row 0 at ymin, x varying fastest).
 */
export async function neuronGrids(runId: number, net: CompiledNetwork, weights: WeightMap, grid: BoundaryGrid): Promise<Extract<TrainingUpdate, { kind: 'neurons' }>> {
  const layers = heatmapLayers(net);
  const cells = grid.size * grid.size;
  const outs = await nodeOutputs(net, weights, grid.rows, layers.map((l) => l.id), { rows: cells });
  return {
    kind: 'neurons', runId, size: grid.size, extent: grid.extent,
    layers: layers.map((layer, li) => {
      const width = layer.units;
      const data = outs[li].data;
      const shown = Math.min(width, MAX_NEURONS_PER_LAYER);
      const range = rangeOf(layer);
      const max = new Array<number>(shown).fill(1);
      for (let c = 0; c < cells; c++) {
        for (let k = 0; k < shown; k++) {
          const v = data[c * width + k];
          if (Math.abs(v) > max[k] && Number.isFinite(v)) max[k] = Math.abs(v);
        }
      }
      const levels = new Uint8Array(shown * cells);
      for (let k = 0; k < shown; k++) {
        for (let c = 0; c < cells; c++) levels[k * cells + c] = Math.round(255 * neuronLevel(data[c * width + k], range, max[k]));
      }
      return { id: layer.id, units: width, range, scale: max, levels };
    }),
  };
}
