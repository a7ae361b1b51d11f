/**
 * Every epoch of a run as columns, for the run history (the views get epochs throttled, so the
 * host could not rebuild the curve from the stream). Sent with the run's 'done' or 'error'.
 */
import type { EpochRecord } from '../engine';
import type { EpochCurves } from '../protocol';

/** Collects one row per epoch. */
export class EpochCurveRecorder {
  private readonly loss: number[] = [];
  private readonly columns = { valLoss: [] as number[], accuracy: [] as number[], mae: [] as number[], r2: [] as number[] };
  private readonly seen = { valLoss: false, accuracy: false, mae: false, r2: false };

  /** Adds the epoch that just ended. */
  add(e: EpochRecord): void {
    this.loss.push(e.loss);
    const values = { valLoss: e.valLoss, accuracy: e.metrics.accuracy, mae: e.metrics.mae, r2: e.metrics.r2 };
    for (const key of Object.keys(values) as (keyof typeof values)[]) {
      const v = values[key];
      if (v !== undefined) this.seen[key] = true;
      this.columns[key].push(v ?? NaN);
    }
  }

  /** The curves so far; a metric no epoch had is left out. */
  get curves(): EpochCurves {
    const out: EpochCurves = { loss: [...this.loss] };
    for (const key of Object.keys(this.columns) as (keyof typeof this.columns)[]) if (this.seen[key]) out[key] = [...this.columns[key]];
    return out;
  }
}
