/**
 * What the editor's training view knows, built from TrainingUpdates (pure, no DOM): the loss
 * series, the latest metrics, the boundary grid and points (or, for image networks, the latest
 * grid of validation images), and the weights of small layers.
 */
import type { BoundaryPoints, LayerWeights, MetricsSummary, TrainingUpdate } from '../../../src/protocol';
import { formatMetric } from '../../shared/formatMetric';

/** Loss points kept before older ones are thinned. */
export const MAX_LOSS_POINTS = 3000;

/** The training view's model. */
export class TrainingState {
  runId = -1;
  mode: 'train' | 'step' = 'train';
  backend = '';
  reason = '';
  totalParams = 0;
  epochs = 0;
  epoch = 0;
  step = 0;
  totalSteps = 0;
  globalStep = 0;
  samplesPerSec = 0;
  running = false;
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

  /** Whether there is anything to show. */
  get visible(): boolean {
    return this.runId >= 0 || this.savedWeights !== undefined || this.outcome !== undefined;
  }

  /** Applies one update. */
  apply(u: TrainingUpdate): void {
    this.applied++;
    switch (u.kind) {
      case 'start':
        if (u.mode === 'train' || this.mode !== 'step' || this.runId < 0) this.clearSeries();
        this.runId = u.runId;
        this.mode = u.mode;
        this.backend = u.backend;
        this.reason = u.reason;
        this.totalParams = u.totalParams || this.totalParams;
        this.epochs = u.epochs;
        this.notices = u.notices;
        this.points = u.points;
        this.running = u.mode === 'train';
        this.outcome = undefined;
        break;
      case 'progress': {
        this.epoch = u.epoch;
        this.step = u.step;
        this.totalSteps = u.totalSteps;
        this.globalStep = u.globalStep;
        this.samplesPerSec = u.samplesPerSec;
        if (Number.isFinite(u.loss)) this.push(u.globalStep, u.loss, null);
        break;
      }
      case 'epoch':
        // Progress is throttled, so its last counters can lag: a whole epoch has ended here.
        this.epoch = u.epoch;
        this.step = this.totalSteps;
        this.samplesPerSec = u.samplesPerSec;
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
        this.running = false;
        // The header shows where the run ended, not the last throttled progress.
        if (this.mode === 'train') {
          this.epoch = u.epochs;
          if (u.stopped !== 'aborted') this.step = this.totalSteps;
        }
        this.samplesPerSec = u.samplesPerSec;
        this.metrics = u.metrics;
        this.outcome = { level: 'info', text: `${u.reason}: loss ${formatMetric(u.loss)}${u.valLoss !== undefined ? `, validation ${formatMetric(u.valLoss)}` : ''}${u.weightsFile ? ` · weights saved to ${basename(u.weightsFile)}` : ''}` };
        if (u.weightsFile) this.savedWeights = basename(u.weightsFile);
        break;
      case 'error':
      case 'exited':
        this.running = false;
        this.outcome = { level: 'error', text: u.message };
        break;
      case 'reset':
        // Everything of the old weights goes: chart, metrics, boundary, the "continuing from" note.
        this.clearSeries();
        this.runId = -1;
        this.running = false;
        this.epoch = this.step = this.totalSteps = this.globalStep = this.samplesPerSec = 0;
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
    this.globalStep = 0;
  }
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}
