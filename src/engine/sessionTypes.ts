/** What a TrainingSession takes and gives, and how far a device backend's loss reads may lag. */
import type { TrainProgram } from './session';
import type { Metrics } from './metrics';
import type { Dataset } from './data/dataset';
import type { StepPlace } from './divergenceReport';

/**
 * Device backends: how many steps' loss reads may be in flight before the session waits for the
 * oldest. Every step's loss is read back (a 4-byte copy sent with the next step's submission),
 * but without waiting for it, so the device keeps working; the session learns of a bad step at
 * most this many steps later, stops there, and reports the step where it happened.
 */
export const LOSS_READS_IN_FLIGHT = 4;

/** The data a session trains on. */
export interface TrainingData {
  train: Dataset;
  validation?: Dataset;
}

/** What one step did. */
export interface StepOutcome {
  /** 1-based epoch of the session and step within it; the session's global step. */
  epoch: number;
  step: number;
  globalStep: number;
  /** The batch's loss: known at once on the CPU; device backends read it a few steps later. */
  loss?: number;
}

/** Loss and metrics of the current weights: on the validation rows when there are some, else the training rows. */
export interface Evaluation {
  valLoss?: number;
  metrics: Metrics;
  /** The outputs on the rows evaluated (count × output width), for views that show single predictions; absent with `metrics: false` and no validation split. */
  predictions?: Float32Array;
}

/** A step's loss read back from the device, not yet looked at. */
export interface PendingLoss extends StepPlace {
  sum: Promise<Float32Array>;
  /** The device's sticky NaN/Inf-weights flag after this step (backends with watchFinite). */
  nonFinite?: Promise<Float32Array>;
  /** The full-batch feeder's running sum (subtract the previous sum) or the remainder's own loss. */
  running: boolean;
  tp: TrainProgram;
  /** With running metrics: the step's predictions, read back like its loss, and its targets. */
  pred?: Promise<Float32Array>;
  y?: Float32Array;
}
