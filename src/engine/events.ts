/** The stream of events a training run emits, and its result. */
import type { LayerStats } from './layerStats';
import type { Metrics } from './metrics';
import type { WeightMap } from './network';

/** Why a run ended. */
export type StopReason = 'completed' | 'early-stopping' | 'aborted';

/** One event of a training run, discriminated by `type`. */
export type TrainEvent =
  | {
    type: 'start';
    /** The backend picked, and in words why. */
    backend: string;
    reason: string;
    paramCounts: Array<{ id: string; count: number }>;
    totalParams: number;
    /** The loss kernel used, e.g. 'sigmoidBceLogits' (stable cross-entropy from logits). */
    lossKind: string;
    trainCount: number;
    validationCount: number;
    batchSize: number;
    epochs: number;
    stepsPerEpoch: number;
    /** Things the user should know, e.g. that a step activation trains with a straight-through gradient. */
    notices: string[];
  }
  | { type: 'progress'; epoch: number; step: number; totalSteps: number; loss: number; samplesPerSec: number }
  | { type: 'epoch'; epoch: number; epochs: number; loss: number; valLoss?: number; metrics: Metrics; samplesPerSec: number }
  | { type: 'layers'; epoch: number; step: number; layers: LayerStats[] }
  | { type: 'done'; epochs: number; loss: number; valLoss?: number; metrics: Metrics; stopped: StopReason; reason: string; elapsedMs: number; samplesPerSec: number }
  | { type: 'error'; message: string; step?: number; layer?: string };

/** What `train()` resolves with. */
export interface TrainResult {
  /** The final (or, with restoreBestWeights, the best) weights; also stored into the network. */
  weights: WeightMap;
  epochs: number;
  loss: number;
  valLoss?: number;
  metrics: Metrics;
  stopped: StopReason;
  history: Array<{ epoch: number; loss: number; valLoss?: number }>;
  backend: string;
  samplesPerSec: number;
}

/** A run that failed for a reason the user can act on (NaN loss, shape mismatch). */
export class TrainError extends Error {
  constructor(message: string, readonly step?: number, readonly layer?: string) {
    super(message);
    this.name = 'TrainError';
  }
}
