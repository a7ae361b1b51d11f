/**
 * What the views see of a network's current weights while it trains: the decision-boundary grid
 * (two-input networks) and the weights of small dense layers (edge colours, the panel's heatmap).
 * Image networks' views are in imageViews.ts.
 */
import type { CompiledNetwork, TrainingSession, WeightMap } from '../engine';
import { MAX_STREAMED_WEIGHTS, type LayerWeights, type TrainingUpdate } from '../protocol';
import type { BoundaryGrid } from './boundary';
import { setOwn } from '../model/ownKeys';

/** Layers with more weights than this are not streamed (edges of big layers are drawn plain; the inspector says so). */
export { MAX_STREAMED_WEIGHTS };

/** The weights update for the dense layers small enough to stream. */
export function weightsUpdate(runId: number, net: CompiledNetwork, weights: WeightMap): TrainingUpdate {
  const layers: Record<string, LayerWeights> = {};
  for (const layer of net.layers) {
    if (layer.kind !== 'dense') continue;
    const w = weights.get(`${layer.id}.weight`);
    // Layer ids are node ids, which may be '__proto__': stored as own properties.
    if (w && w.data.length <= MAX_STREAMED_WEIGHTS) setOwn(layers, layer.id, { shape: [...w.shape], data: Float32Array.from(w.data) });
  }
  return { kind: 'weights', runId, layers };
}

/** Predicts the boundary grid with a live session (the weights as they are mid-run). */
export async function boundaryFromSession(runId: number, session: TrainingSession, grid: BoundaryGrid): Promise<TrainingUpdate> {
  const n = grid.size * grid.size;
  const values = await session.predict(grid.rows, n, 1024);
  return { kind: 'boundary', runId, size: grid.size, extent: grid.extent, width: values.length / n, values };
}

/**
 * Validation loss and metrics with the live weights, and the outputs they were computed from
 * (the image grid reuses them). Without a validation split the metrics are the training steps'
 * own over the epoch so far, as the run's epoch events give them, so a chart's line keeps one
 * meaning (the outputs are still the live weights' on the training rows).
 */
export async function evaluation(runId: number, session: TrainingSession, last: { epoch: number; step: number; loss: number; samplesPerSec: number }, epochs: number): Promise<{ update: TrainingUpdate; outputs?: Float32Array }> {
  const { valLoss, predictions, ...ev } = await session.evaluate();
  const metrics = (session.validationCount === 0 ? await session.epochMetrics() : undefined) ?? ev.metrics;
  // Made during an epoch: it names its step, so no view takes the epoch for finished.
  return { update: { kind: 'epoch', runId, epoch: last.epoch, epochs, step: last.step, loss: last.loss, valLoss, metrics, samplesPerSec: last.samplesPerSec }, outputs: predictions };
}
