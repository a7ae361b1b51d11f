/**
 * Where a file's training stands, as every surface shows it: the training view's header, the
 * status bar item, the progress notification and the gradients panel each fold the same
 * TrainingUpdate stream through `nextRunStatus` and word it with `runHeadline`, so they show one
 * epoch counter (1-based, "epoch k/N · step i/M") and one word for how the run stands, during
 * and after Train, Step, Stop and Reset Weights. Pure: no DOM, no Node, no vscode.
 */
import type { TrainingUpdate } from './trainingUpdate';

/**
 * How the run stands: `none` before any run; `starting` until its first step; `training` while a
 * run goes on; `stepped` after Step (one batch, nothing running); `completed` (all epochs, or
 * early stopping), `stopped` (Stop) and `failed` (an error, or the training process died) after a
 * run; `reset` after Reset Weights.
 */
export type RunPhase = 'none' | 'starting' | 'training' | 'stepped' | 'completed' | 'stopped' | 'failed' | 'reset';

/** A file's training state (immutable; `nextRunStatus` returns a new one). */
export interface RunStatus {
  /** The run the state belongs to (-1: none). Run ids only grow: an older run's late update is ignored. */
  readonly runId: number;
  readonly mode: 'train' | 'step';
  readonly phase: RunPhase;
  readonly backend: string;
  /** The epoch the run is in, or ended in (1-based; 0 before its first step). */
  readonly epoch: number;
  readonly epochs: number;
  /** Steps (mini-batches) done in `epoch`, of `stepsPerEpoch`. */
  readonly step: number;
  readonly stepsPerEpoch: number;
  /** Steps done since the run (or the first Step) began. */
  readonly globalStep: number;
  /** Measured speed; undefined where none was measured (Step runs one batch at a time). */
  readonly samplesPerSec?: number;
  /** The latest training loss. */
  readonly loss?: number;
  /** Why the run ended, its error, or what Reset Weights did, in words. */
  readonly message?: string;
}

/** The state before any run. */
export const NO_RUN: RunStatus = Object.freeze({ runId: -1, mode: 'train', phase: 'none', backend: '', epoch: 0, epochs: 0, step: 0, stepsPerEpoch: 0, globalStep: 0 });

/** Whether a run (not a Step) is going on. */
export function isRunning(s: RunStatus): boolean {
  return s.phase === 'starting' || s.phase === 'training';
}

/** Whether the state is over: nothing runs and nothing more comes of this run. */
function ended(s: RunStatus): boolean {
  return s.phase === 'completed' || s.phase === 'stopped' || s.phase === 'failed';
}

/** The state after one update (the same object when the update does not change it). */
export function nextRunStatus(s: RunStatus, u: TrainingUpdate): RunStatus {
  if (u.kind === 'reset') return { ...NO_RUN, phase: 'reset', message: u.message };
  // A late update of an older run (run ids only grow; -1 is the training process as a whole).
  if (u.runId !== -1 && u.runId < s.runId) return s;
  const runId = u.runId === -1 ? s.runId : u.runId;
  switch (u.kind) {
    case 'start': {
      const base = { runId, mode: u.mode, backend: u.backend, epochs: u.epochs, stepsPerEpoch: u.stepsPerEpoch };
      return { ...NO_RUN, ...base, phase: 'starting' };
    }
    case 'progress': {
      if (ended(s) && runId === s.runId) return s;
      const step = s.mode === 'step';
      return {
        ...s, runId, phase: step ? 'stepped' : 'training',
        epoch: u.epoch, step: u.step, stepsPerEpoch: u.totalSteps, globalStep: u.globalStep,
        samplesPerSec: step ? undefined : u.samplesPerSec, loss: Number.isFinite(u.loss) ? u.loss : s.loss,
      };
    }
    case 'epoch': {
      // An evaluation during an epoch (it names its step) says nothing new about where the run is;
      // an epoch's end makes that epoch whole (progress is throttled, so its last counters can lag).
      if (u.step !== undefined || ended(s) || u.epoch < s.epoch) return s;
      return {
        ...s, runId, epoch: u.epoch, step: s.stepsPerEpoch, globalStep: Math.max(s.globalStep, u.epoch * s.stepsPerEpoch),
        samplesPerSec: s.mode === 'step' ? undefined : u.samplesPerSec, loss: Number.isFinite(u.loss) ? u.loss : s.loss,
      };
    }
    case 'done': {
      const aborted = u.stopped === 'aborted';
      // Stopped mid-epoch: the step it reached (none yet when the epoch had only just begun).
      const step = aborted ? (u.epochs === s.epoch ? s.step : 0) : s.stepsPerEpoch;
      return {
        ...s, runId, phase: aborted ? 'stopped' : 'completed', epoch: u.epochs, step,
        globalStep: Math.max(0, u.epochs - 1) * s.stepsPerEpoch + step,
        samplesPerSec: u.samplesPerSec, loss: u.loss, message: u.reason,
      };
    }
    case 'error':
    case 'exited':
      return { ...s, runId, phase: 'failed', message: u.message };
    default:
      return s;
  }
}

/** "epoch 3/10 · step 4/45" (the one way every surface counts); '' before the first step. */
export function runPosition(s: RunStatus): string {
  if (s.epoch === 0) return '';
  const epoch = s.epochs > 0 ? `epoch ${s.epoch}/${s.epochs}` : `epoch ${s.epoch}`;
  return s.stepsPerEpoch > 0 ? `${epoch} · step ${s.step}/${s.stepsPerEpoch}` : epoch;
}

/** The word for a phase that has ended or paused ('' while training). */
const PHASE_WORDS: Record<RunPhase, string> = {
  none: '', starting: 'starting', training: '', stepped: 'stepped', completed: 'completed', stopped: 'stopped', failed: 'failed', reset: 'weights reset',
};

/**
 * How the run stands, in the same words on every surface: "starting on cpu", "epoch 3/10 · step
 * 4/45 · 1,234 samples/s", "stepped · epoch 1/10 · step 3/45", "completed · epoch 10/10 · step
 * 45/45", "stopped · …", "failed · …", "weights reset"; '' with no run. `speed: false` leaves the
 * samples per second out (the status bar has little room).
 */
export function runHeadline(s: RunStatus, opts: { speed?: boolean } = {}): string {
  if (s.phase === 'none' || s.phase === 'reset') return PHASE_WORDS[s.phase];
  if (s.phase === 'starting' && s.epoch === 0) return `starting on ${s.backend}`;
  const parts = [PHASE_WORDS[s.phase], runPosition(s)];
  const measured = s.samplesPerSec !== undefined && s.mode === 'train' && s.phase !== 'failed';
  if (opts.speed !== false && measured) parts.push(`${Math.round(s.samplesPerSec ?? 0).toLocaleString('en-US')} samples/s`);
  return parts.filter((p) => p !== '').join(' · ');
}
