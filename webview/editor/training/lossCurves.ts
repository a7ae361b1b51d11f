/**
 * The loss chart's lines (pure, no DOM): the current run and the past runs chosen in the run
 * history, all against epochs so runs of other batch sizes line up (TensorBoard-style).
 *
 * Honest per-epoch values: a finished epoch is its mean training loss (as Keras reports it) and
 * its validation loss, at x = epoch. The epoch in progress is one provisional point, the mean of
 * its batches so far at its fraction of the epoch, replaced when the epoch ends. (The chart used
 * to keep every throttled running mean against the global step: each epoch's line fell steeply at
 * its start, where the mean restarts, and levelled off, a saw-tooth the loss never had.) Step runs
 * one batch at a time: each batch's loss at its fraction of an epoch. 'done' brings every epoch.
 */
import { type LoggedRun } from '../../../src/model';
import type { TrainingUpdate } from '../../../src/protocol';

/** A line as the chart draws it. */
export interface CurveSeries {
  label: string;
  color: string;
  dash?: number[];
  x: number[];
  y: (number | null)[];
}

/** Colours of past runs (a run keeps its colour while the list is the same): distinct from the current run's blue and orange, readable on light and dark. */
export const RUN_COLOURS = ['#2ca02c', '#d62728', '#9467bd', '#17becf', '#e377c2', '#8c564b', '#bcbd22', '#7f7f7f'];
const CURRENT = { loss: '#3794ff', val: '#f5a623' };
/** Points drawn per line at most (a longer line is drawn thinned; the file keeps every epoch). */
export const MAX_DRAWN = 2000;

/** The run in this session's chart. */
interface Current {
  mode: 'train' | 'step';
  stepsPerEpoch: number;
  x: number[];
  loss: (number | null)[];
  val: (number | null)[];
  partial?: { x: number; loss: number; val?: number };
}

const num = (v: number | null | undefined): number | null => (v !== undefined && v !== null && Number.isFinite(v) ? v : null);

/** The chart's model. */
export class LossCurves {
  private current?: Current;
  private runs: LoggedRun[] = [];
  /** Chosen runs, by start time (a run's identity in its file). */
  readonly selected = new Set<string>();
  /** Bumped on every change (the view redraws when it moves). */
  version = 0;

  /** Applies one update of the current run. */
  apply(u: TrainingUpdate): void {
    const c = this.current;
    switch (u.kind) {
      case 'start':
        if (u.mode === 'train' || !c || c.mode !== 'step') this.current = { mode: u.mode, stepsPerEpoch: Math.max(1, u.stepsPerEpoch), x: [], loss: [], val: [] };
        break;
      case 'progress':
        if (!c || !Number.isFinite(u.loss)) return;
        if (c.mode === 'step') {
          c.x.push(u.globalStep / c.stepsPerEpoch);
          c.loss.push(u.loss);
          c.val.push(null);
        } else {
          c.partial = { x: u.epoch - 1 + u.step / Math.max(1, u.totalSteps), loss: u.loss };
        }
        break;
      case 'epoch': {
        if (!c || c.mode === 'step') return;
        const during = 'step' in u && typeof u.step === 'number' ? u.step : undefined;
        if (during !== undefined && during < c.stepsPerEpoch) {
          c.partial = { x: u.epoch - 1 + during / c.stepsPerEpoch, loss: u.loss, ...(num(u.valLoss) !== null ? { val: u.valLoss } : {}) };
          break;
        }
        // Epochs arrive in order: the new one goes last (an epoch seen again replaces its values).
        const last = c.x.length ? c.x[c.x.length - 1] : -Infinity;
        const at = u.epoch > last ? -1 : c.x.indexOf(u.epoch);
        if (at >= 0) { c.loss[at] = num(u.loss); c.val[at] = num(u.valLoss); } else if (u.epoch > last) { c.x.push(u.epoch); c.loss.push(num(u.loss)); c.val.push(num(u.valLoss)); }
        if (c.partial && c.partial.x <= u.epoch) c.partial = undefined;
        break;
      }
      case 'done':
      case 'error':
        if (!c || c.mode === 'step') return;
        if (u.history) {
          c.x = u.history.loss.map((_, i) => i + 1);
          c.loss = u.history.loss.map(num);
          c.val = u.history.valLoss ? u.history.valLoss.map(num) : c.x.map(() => null);
        }
        c.partial = undefined;
        break;
      case 'reset':
        this.current = undefined;
        break;
      default:
        return;
    }
    this.version++;
  }

  /** The runs of the design's history (oldest first); a choice of a run no longer listed is dropped. */
  setRuns(runs: LoggedRun[]): void {
    this.runs = runs;
    const known = new Set(runs.map((r) => r.started));
    for (const s of [...this.selected]) if (!known.has(s)) this.selected.delete(s);
    this.version++;
  }

  /** The history's runs. */
  get pastRuns(): readonly LoggedRun[] {
    return this.runs;
  }

  /** Chooses a run to overlay, or not. */
  choose(started: string, on: boolean): void {
    if (on) this.selected.add(started); else this.selected.delete(started);
    this.version++;
  }

  /** A past run's colour (by its place in the history, so it stays while the list grows). */
  colour(run: LoggedRun): string {
    return RUN_COLOURS[Math.max(0, this.runs.indexOf(run)) % RUN_COLOURS.length];
  }

  /** Whether there is a line to draw. */
  get hasCurves(): boolean {
    return (this.current !== undefined && (this.current.x.length > 0 || this.current.partial !== undefined)) || this.runs.some((r) => this.selected.has(r.started));
  }

  /** The lines: the current run's, then each chosen run's (training solid, validation dashed). */
  lines(): CurveSeries[] {
    const out: CurveSeries[] = [];
    const c = this.current;
    if (c) {
      const p = c.partial && (c.x.length === 0 || c.partial.x > c.x[c.x.length - 1]) ? c.partial : undefined;
      const x = p ? [...c.x, p.x] : c.x;
      out.push({ label: c.mode === 'step' ? 'batch loss' : 'loss', color: CURRENT.loss, x, y: p ? [...c.loss, p.loss] : c.loss });
      if (c.val.some((v) => v !== null) || p?.val !== undefined) out.push({ label: 'validation', color: CURRENT.val, dash: [4, 3], x, y: p ? [...c.val, num(p.val)] : c.val });
    }
    this.runs.forEach((r, i) => {
      if (!this.selected.has(r.started)) return;
      const color = this.colour(r);
      out.push({ label: `#${i + 1} loss`, color, x: r.curves.epoch, y: r.curves.loss });
      if (r.curves.valLoss?.some((v) => v !== null)) out.push({ label: `#${i + 1} validation`, color, dash: [4, 3], x: r.curves.epoch, y: r.curves.valLoss });
    });
    return out.map(thin);
  }
}

/** A line of at most MAX_DRAWN points (every k-th, and the last). */
function thin(s: CurveSeries): CurveSeries {
  if (s.x.length <= MAX_DRAWN) return s;
  const k = Math.ceil(s.x.length / MAX_DRAWN);
  const keep = (_: unknown, i: number) => i % k === 0 || i === s.x.length - 1;
  return { ...s, x: s.x.filter(keep), y: s.y.filter(keep) };
}

/** The lines on one shared x axis (uPlot's aligned data): the union of their x values, null where a line has no point. Linear in the points: lines that share an x array are merged once. */
export function alignLines(lines: CurveSeries[]): { x: number[]; ys: (number | null)[][] } {
  const sorted = lines.map(ascending);
  const distinct: number[][] = [];
  for (const l of sorted) if (!distinct.includes(l.x)) distinct.push(l.x);
  let x = distinct[0] ?? [];
  for (let k = 1; k < distinct.length; k++) x = mergeSorted(x, distinct[k]);
  const ys = sorted.map((l) => {
    if (l.x === x) return l.y;
    const y: (number | null)[] = new Array<number | null>(x.length).fill(null);
    let j = 0;
    for (let i = 0; i < l.x.length; i++) {
      while (x[j] < l.x[i]) j++;
      y[j] = l.y[i];
    }
    return y;
  });
  return { x, ys };
}

/** The line with its points in ascending x (a hand-edited file may list epochs out of order). */
function ascending(l: CurveSeries): CurveSeries {
  let ok = true;
  for (let i = 1; i < l.x.length && ok; i++) ok = l.x[i - 1] < l.x[i];
  if (ok) return l;
  const order = [...l.x.keys()].sort((a, b) => l.x[a] - l.x[b]).filter((i, k, all) => k === 0 || l.x[i] !== l.x[all[k - 1]]);
  return { ...l, x: order.map((i) => l.x[i]), y: order.map((i) => l.y[i]) };
}

/** The union of two ascending arrays, ascending, each value once. */
function mergeSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    out.push(v);
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
  }
  return out;
}
