/**
 * What the views see of a network's current weights while it trains: the decision-boundary grid
 * (two-input networks) and the weights of small dense layers (edge colours, the panel's heatmap).
 */
import { defaultLoss, type CompiledNetwork, type LossSetting, type TrainSettings, type WeightMap } from '../engine';
import type { DataSplit } from '../engine/data';
import { computeMetrics, hostLoss } from '../engine/metrics';
import type { EngineSession } from '../engine/session';
import { splitInputs } from '../engine/train';
import type { LayerWeights, TrainingUpdate } from '../protocol';
import type { BoundaryGrid } from './boundary';
import { setOwn } from '../model/ownKeys';

/** Layers with more weights than this are not streamed (edges of big layers are drawn plain). */
export const MAX_STREAMED_WEIGHTS = 4096;

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
export async function boundaryFromSession(runId: number, session: EngineSession, grid: BoundaryGrid): Promise<TrainingUpdate> {
  const n = grid.size * grid.size;
  const values = await session.predictRows(splitInputs(grid.rows, n, session.net.inputSizes), n, 1024);
  return { kind: 'boundary', runId, size: grid.size, extent: grid.extent, width: values.length / n, values };
}

/** Validation loss and metrics (training metrics without a validation split) with the live weights. */
export async function evaluation(
  runId: number, session: EngineSession, split: DataSplit, loss: LossSetting,
  last: { epoch: number; loss: number; samplesPerSec: number }, epochs: number,
): Promise<TrainingUpdate> {
  const set = split.validation && split.validation.count > 0 ? split.validation : split.train;
  const pred = await session.predictRows(splitInputs(set.x, set.count, session.net.inputSizes), set.count);
  const metrics = computeMetrics(set.task, pred, set.y, set.count, set.outputSize);
  const valLoss = set === split.validation ? hostLoss(loss, pred, set.y, set.count, set.outputSize) : undefined;
  return { kind: 'epoch', runId, epoch: last.epoch, epochs, loss: last.loss, valLoss, metrics, samplesPerSec: last.samplesPerSec };
}

/** The loss a run uses: the file's, else the one its task implies. */
export function lossOf(settings: TrainSettings, split: DataSplit): LossSetting {
  return settings.loss ?? defaultLoss(split.train.task);
}
