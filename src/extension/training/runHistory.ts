/**
 * The latest state of each file's training, kept on the host so a view that opens (or is shown
 * again) can be brought up to date by replaying it. Bounded: charts need the curve, not every
 * event, so long runs keep at most MAX_SERIES points of each series (thinned, never truncated).
 */
import type { GradientCheckResult, TrainingUpdate } from '../../protocol';

/** Points kept per series before thinning. */
export const MAX_SERIES = 2000;
/** Filter snapshots kept (image networks; each is up to 32k numbers), thinned like the series. */
export const MAX_FILTER_SNAPSHOTS = 40;

type Kind = TrainingUpdate['kind'];

/** One file's training state. */
export class RunHistory {
  private start?: TrainingUpdate;
  private readonly series = new Map<Kind, TrainingUpdate[]>();
  private readonly latest = new Map<Kind, TrainingUpdate>();
  /** The latest Check Gradients result for the file. */
  check?: GradientCheckResult;

  /** Records one update; a 'start' of a train run begins a new history. */
  add(u: TrainingUpdate): void {
    if (u.kind === 'reset') { this.clear(); return; }
    if (u.kind === 'start') {
      // Steps keep adding to the same picture until a real run (or Reset Weights) starts over.
      if (u.mode === 'train' || this.start === undefined || (this.start.kind === 'start' && this.start.mode === 'train')) this.clear();
      this.start = u;
      return;
    }
    if (u.kind === 'progress' || u.kind === 'epoch' || u.kind === 'layers' || u.kind === 'filters') {
      let list = this.series.get(u.kind);
      if (!list) this.series.set(u.kind, (list = []));
      list.push(u);
      if (list.length > (u.kind === 'filters' ? MAX_FILTER_SNAPSHOTS : MAX_SERIES)) {
        // Keep every other point of the older half: the curve's shape survives, memory stays flat.
        const half = Math.floor(list.length / 2);
        const thinned = list.slice(0, half).filter((_, i) => i % 2 === 0);
        list.splice(0, half, ...thinned);
      }
      this.latest.set(u.kind, u);
      return;
    }
    this.latest.set(u.kind, u);
  }

  /** Forgets everything (Reset Weights). */
  clear(): void {
    this.start = undefined;
    this.series.clear();
    this.latest.clear();
  }

  /** Whether the file has trained (or stepped) in this session. */
  get hasRun(): boolean {
    return this.start !== undefined;
  }

  /** The latest update of one kind. */
  last<K extends Kind>(kind: K): Extract<TrainingUpdate, { kind: K }> | undefined {
    return this.latest.get(kind) as Extract<TrainingUpdate, { kind: K }> | undefined;
  }

  /** Every update a fresh view needs, in an order it can apply one by one. */
  replay(): TrainingUpdate[] {
    if (!this.start) return [];
    const out: TrainingUpdate[] = [this.start];
    for (const kind of ['progress', 'epoch', 'layers', 'filters'] as const) out.push(...(this.series.get(kind) ?? []));
    for (const kind of ['weights', 'boundary', 'neurons', 'images', 'done', 'error', 'exited'] as const) {
      const u = this.latest.get(kind);
      if (u) out.push(u);
    }
    return out;
  }
}
