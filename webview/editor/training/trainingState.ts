/**
 * What the editor's training view knows, built from TrainingUpdates (pure, no DOM): the loss
 * series, the latest metrics, the boundary grid and points (or, for image networks, the latest
 * grid of validation images), and the weights of small layers.
 */
import { isRunning, NO_RUN, nextRunStatus, type BoundaryPoints, type LayerWeights, type MetricsSummary, type RunStatus, type TrainingUpdate } from '../../../src/protocol';
import { formatMetric } from '../../shared/formatMetric';

/** Loss points kept before older ones are thinned. */
export const MAX_LOSS_POINTS = 3000;

/** The training view's model. */
export class TrainingState {
  /** Where the run stands: the state the status bar, progress notification and gradients panel show too. */
  run: RunStatus = NO_RUN;
  reason = '';
  totalParams = 0;
  /** A line for the header when the run ended, failed or the process died. */
  outcome?: { level: 'info' | 'error'; text: string };
  savedWeights?: string;
  notices: string[] = [];
  /** x: global step; train loss per progress update; validation loss at evaluations (NaN elsewhere). */
  steps: number[] = [];
  loss: number[] = [];
  valLoss: (number | null)[] = [];
  metrics: MetricsSummary = {};
  points?: BoundaryPoints;
  boundary?: { size: number; width: number; values: Float32Array; extent: [number, number, number, number] };
  weights: Record<string, LayerWeights> = {};
  /** Image networks: the latest grid of validation images (mistakes first). */
  images?: Extract<TrainingUpdate, { kind: 'images' }>;
  /** Updates applied (the speed measurement counts them). */
  applied = 0;

  get runId(): number { return this.run.runId; }
  get mode(): 'train' | 'step' { return this.run.mode; }
  get backend(): string { return this.run.backend; }
  get epochs(): number { return this.run.epochs; }
  get epoch(): number { return this.run.epoch; }
  get step(): number { return this.run.step; }
  get totalSteps(): number { return this.run.stepsPerEpoch; }
  get globalStep(): number { return this.run.globalStep; }
  get samplesPerSec(): number { return this.run.samplesPerSec ?? 0; }
  get running(): boolean { return isRunning(this.run); }

  /** Whether there is anything to show. */
  get visible(): boolean {
    return this.runId >= 0 || this.savedWeights !== undefined || this.outcome !== undefined;
  }

  /** Applies one update. */
  apply(u: TrainingUpdate): void {
    this.applied++;
    const before = this.run;
    this.run = nextRunStatus(before, u);
    switch (u.kind) {
      case 'start':
        if (u.mode === 'train' || before.mode !== 'step' || before.runId < 0) this.clearSeries();
        this.reason = u.reason;
        this.totalParams = u.totalParams || this.totalParams;
        this.notices = u.notices;
        this.points = u.points;
        this.outcome = undefined;
        break;
      case 'progress': {
        // A Step that works after one that failed: the failure is over.
        if (before.phase === 'failed' && this.run.phase !== 'failed') this.outcome = undefined;
        if (Number.isFinite(u.loss)) this.push(u.globalStep, u.loss, null);
        break;
      }
      case 'epoch':
        this.metrics = u.metrics;
        if (u.valLoss !== undefined && Number.isFinite(u.valLoss)) {
          // Attach the validation loss to the latest step so both lines share one x axis.
          if (this.steps.length > 0) this.valLoss[this.valLoss.length - 1] = u.valLoss;
        }
        break;
      case 'boundary':
        this.boundary = { size: u.size, width: u.width, values: u.values, extent: u.extent };
        break;
      case 'weights':
        this.weights = { ...this.weights, ...u.layers };
        break;
      case 'images':
        this.images = u;
        break;
      case 'done':
        this.metrics = u.metrics;
        this.outcome = { level: 'info', text: `${u.reason}: loss ${formatMetric(u.loss)}${u.valLoss !== undefined ? `, validation ${formatMetric(u.valLoss)}` : ''}${u.weightsFile ? ` · weights saved to ${basename(u.weightsFile)}` : ''}` };
        if (u.weightsFile) this.savedWeights = basename(u.weightsFile);
        break;
      case 'error':
      case 'exited':
        this.outcome = { level: 'error', text: u.message };
        break;
      case 'reset':
        // Everything of the old weights goes: chart, metrics, boundary, the "continuing from" note.
        this.clearSeries();
        this.notices = [];
        this.savedWeights = undefined;
        this.outcome = { level: 'info', text: u.message };
        break;
      case 'saved':
        this.savedWeights = u.weightsFile;
        break;
      default:
        break;
    }
  }

  private push(step: number, loss: number, val: number | null): void {
    this.steps.push(step);
    this.loss.push(loss);
    this.valLoss.push(val);
    if (this.steps.length > MAX_LOSS_POINTS) {
      // Thin the older half (keep validation points): the whole curve stays, memory does not grow.
      const half = this.steps.length >> 1;
      const keep = (i: number): boolean => i % 2 === 0 || this.valLoss[i] !== null;
      const idx = [...Array(half).keys()].filter(keep);
      this.steps.splice(0, half, ...idx.map((i) => this.steps[i]));
      this.loss.splice(0, half, ...idx.map((i) => this.loss[i]));
      this.valLoss.splice(0, half, ...idx.map((i) => this.valLoss[i]));
    }
  }

  private clearSeries(): void {
    this.steps = [];
    this.loss = [];
    this.valLoss = [];
    this.metrics = {};
    this.boundary = undefined;
    this.points = undefined;
    this.images = undefined;
    this.weights = {};
  }
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}
