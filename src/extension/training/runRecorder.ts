/**
 * Turns one Train run's updates into its line of the run history (src/model/runLog.ts): the
 * training section as the run used it, the backend, seed and start time, every epoch's curves
 * (from the trainer's complete history; from the epochs the stream carried if the process died)
 * and how it ended. No VS Code API: unit-tested directly.
 */
import { RUN_LOG_FORMAT, TRAINING_DEFAULTS, trainingAsUsed, type RunCurves, type RunEnd, type RunRecord } from '../../model';
import type { EpochCurves, TrainingUpdate, TrainOverrides } from '../../protocol';

/** What is known when Train is pressed. */
export interface RunBegin {
  design: string;
  /** ISO 8601 UTC. */
  started: string;
  /** The file's training section (comments dropped). */
  training: Record<string, unknown>;
  overrides: TrainOverrides;
}

export { trainingAsUsed };

const finiteOrNull = (v: number | undefined): number | null | undefined => (v === undefined ? undefined : Number.isFinite(v) ? v : null);

/** Columns of the trainer's history as the log writes them. */
function curvesFrom(h: EpochCurves): RunCurves {
  const col = (c: number[]) => c.map((v) => (Number.isFinite(v) ? v : null));
  const out: RunCurves = { epoch: h.loss.map((_, i) => i + 1), loss: col(h.loss) };
  for (const key of ['valLoss', 'accuracy', 'mae', 'r2'] as const) {
    const c = h[key];
    if (c && c.length === h.loss.length) out[key] = col(c);
  }
  return out;
}

/** Collects one run's updates until it ends. */
export class RunRecorder {
  private backend = '';
  private readonly seen: Extract<TrainingUpdate, { kind: 'epoch' }>[] = [];

  constructor(private readonly begin: RunBegin) {}

  /** Feeds one update of the run; returns its record once the run has ended. */
  add(u: TrainingUpdate): RunRecord | undefined {
    switch (u.kind) {
      case 'start':
        this.backend = u.backend;
        return undefined;
      case 'epoch':
        // An evaluation made during an epoch names its step: not an epoch's end.
        if (!('step' in u && u.step !== undefined)) this.seen.push(u);
        return undefined;
      case 'done': {
        const ended: RunEnd = u.stopped === 'aborted' ? 'stopped' : 'finished';
        const m = u.metrics;
        return this.record(ended, u.reason, u.history, {
          epochs: u.epochs, loss: finiteOrNull(u.loss), valLoss: finiteOrNull(u.valLoss), accuracy: finiteOrNull(m.accuracy), mae: finiteOrNull(m.mae), r2: finiteOrNull(m.r2),
        }, u.elapsedMs);
      }
      case 'error':
      case 'exited':
        return this.record('failed', u.message, u.kind === 'error' ? u.history : undefined);
      default:
        return undefined;
    }
  }

  private record(ended: RunEnd, reason: string, history: EpochCurves | undefined, final?: RunRecord['final'], elapsedMs?: number): RunRecord {
    const curves = history ? curvesFrom(history) : this.streamCurves();
    const last = curves.epoch.length - 1;
    const at = (c?: (number | null)[]) => (c && last >= 0 ? c[last] : undefined);
    const { begin } = this;
    const overrides = Object.fromEntries(Object.entries(begin.overrides).filter(([, v]) => v !== undefined));
    const seed = typeof begin.training.seed === 'number' ? begin.training.seed : TRAINING_DEFAULTS.seed;
    return {
      format: RUN_LOG_FORMAT, design: begin.design, started: begin.started, source: 'editor',
      training: trainingAsUsed(begin.training, begin.overrides),
      ...(Object.keys(overrides).length ? { overrides } : {}),
      backend: this.backend || begin.overrides.backend || 'unknown', seed, ended, reason,
      ...(elapsedMs !== undefined ? { elapsedMs: Math.round(elapsedMs) } : {}),
      curves,
      final: final ?? { epochs: curves.epoch.length, loss: at(curves.loss), valLoss: at(curves.valLoss), accuracy: at(curves.accuracy), mae: at(curves.mae), r2: at(curves.r2) },
    };
  }

  /** The epochs the stream carried (the trainer's history did not arrive: the process died). */
  private streamCurves(): RunCurves {
    const byEpoch = new Map<number, Extract<TrainingUpdate, { kind: 'epoch' }>>();
    for (const e of this.seen) byEpoch.set(e.epoch, e);
    const rows = [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
    const num = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
    const out: RunCurves = { epoch: rows.map((r) => r.epoch), loss: rows.map((r) => num(r.loss)) };
    if (rows.some((r) => r.valLoss !== undefined)) out.valLoss = rows.map((r) => num(r.valLoss));
    if (rows.some((r) => r.metrics.accuracy !== undefined)) out.accuracy = rows.map((r) => num(r.metrics.accuracy));
    if (rows.some((r) => r.metrics.mae !== undefined)) out.mae = rows.map((r) => num(r.metrics.mae));
    if (rows.some((r) => r.metrics.r2 !== undefined)) out.r2 = rows.map((r) => num(r.metrics.r2));
    return out;
  }
}
