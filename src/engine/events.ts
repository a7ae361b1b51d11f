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

/** The metrics of one epoch, as its 'epoch' event gives them. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  valLoss?: number;
  metrics: Metrics;
}

/**
 * Why a run ended, in words — the one text the CLI prints and the editor shows: "completed 10
 * epoch(s)", "stopped on request during epoch 3", "early stopping: val_loss did not improve for 5
 * epoch(s) after epoch 12".
 */
export function stopReasonText(stopped: StopReason, epochs: number, early?: { monitor: string; patience: number; bestEpoch: number }): string {
  if (stopped === 'completed') return `completed ${epochs} epoch(s)`;
  if (stopped === 'aborted') return `stopped on request during epoch ${epochs}`;
  return early ? `early stopping: ${early.monitor} did not improve for ${early.patience} epoch(s) after epoch ${early.bestEpoch}` : `early stopping after epoch ${epochs}`;
}

/** What `train()` resolves with. */
export interface TrainResult {
  /** The final (or, with restoreBestWeights, the best) weights; also stored into the network. */
  weights: WeightMap;
  epochs: number;
  loss: number;
  valLoss?: number;
  metrics: Metrics;
  stopped: StopReason;
  /** One entry per epoch run: training loss, validation loss and the epoch's metrics. */
  history: EpochRecord[];
  /** Why the run ended, in words (stopReasonText). */
  reason: string;
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
