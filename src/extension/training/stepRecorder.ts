/**
 * Turns Steps into the run history (src/model/runLog.ts): consecutive Steps on the same weights —
 * one step session of the training process, which starts over after Reset Weights, a Train run,
 * an edit of the design or a failed Step — make one entry (`mode: "step"`), which each Step
 * brings up to date: one point per Step, at the epochs reached (the 3rd Step of an 8-step epoch: 0.375).
 * No VS Code API: unit-tested directly.
 */
import { RUN_LOG_FORMAT, TRAINING_DEFAULTS, trainingAsUsed, type RunRecord } from '../../model';
import type { TrainingUpdate } from '../../protocol';

/** What is known when the sequence's first Step is pressed. */
export interface StepBegin {
  design: string;
  /** ISO 8601 UTC. */
  started: string;
  /** The file's training section (comments dropped). */
  training: Record<string, unknown>;
}

/** Epochs reached, to 6 decimals (2 of 3 steps: 0.666667). */
const epochsAt = (globalStep: number, stepsPerEpoch: number): number => Math.round((globalStep / Math.max(1, stepsPerEpoch)) * 1e6) / 1e6;

/** One run-history entry made of Steps. */
export class StepSequence {
  private readonly points: { epoch: number; loss: number | null }[] = [];
  private backend = 'cpu';

  constructor(private readonly begin: StepBegin) {}

  /** Feeds one update of a Step of this sequence; true when it was a Step done (its entry changed). */
  add(u: TrainingUpdate): boolean {
    if (u.kind === 'start') {
      this.backend = u.backend;
      return false;
    }
    if (u.kind !== 'progress') return false;
    this.points.push({ epoch: epochsAt(u.globalStep, u.totalSteps), loss: Number.isFinite(u.loss) ? u.loss : null });
    return true;
  }

  /** Steps done so far. */
  get steps(): number {
    return this.points.length;
  }

  /** The entry as it stands; with `failure`, the Step that failed (the sequence ends there). */
  record(failure?: string): RunRecord {
    const { begin, points } = this;
    const n = points.length;
    const last = points[n - 1];
    const seed = typeof begin.training.seed === 'number' ? begin.training.seed : TRAINING_DEFAULTS.seed;
    return {
      format: RUN_LOG_FORMAT, design: begin.design, started: begin.started, source: 'editor', mode: 'step', steps: n,
      training: trainingAsUsed(begin.training, {}), backend: this.backend, seed,
      ended: failure === undefined ? 'finished' : 'failed',
      reason: failure ?? `${n} Step${n === 1 ? '' : 's'} of one batch each`,
      curves: { epoch: points.map((p) => p.epoch), loss: points.map((p) => p.loss) },
      final: { epochs: last?.epoch ?? 0, loss: last?.loss ?? null },
    };
  }
}
