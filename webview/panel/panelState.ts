/**
 * What the gradients panel knows, built from TrainingUpdates alone (pure, no DOM): per-layer
 * norm series, the recent histograms of each layer, its latest weights, and the warnings for
 * vanishing, exploding and NaN gradients, each naming its layer.
 */
import { NO_RUN, nextRunStatus, runHeadline, type GradientCheckResult, type LayerSummary, type LayerWeights, type RunStatus, type TrainingUpdate } from '../../src/protocol';
import { formatMetric } from '../shared/formatMetric';
import { ConvState } from './convState';

/** Below this L2 norm a gradient counts as vanished… */
export const VANISHING_NORM = 1e-7;
/** …once it stays there for this many steps. */
export const VANISHING_STEPS = 100;
/** Above this L2 norm a gradient counts as exploding. */
export const EXPLODING_NORM = 1e3;
/** Histogram snapshots kept per layer (the "over time" picture). */
export const HISTORY_SNAPSHOTS = 120;
/** Norm points kept per layer. */
export const MAX_POINTS = 2000;

/** One layer's series. */
export interface LayerSeries {
  id: string;
  steps: number[];
  gradNorm: number[];
  weightNorm: number[];
  deadFraction?: number;
  /** Recent histograms (oldest first). */
  weightHist: LayerSummary['weight']['histogram'][];
  gradHist: LayerSummary['weight']['histogram'][];
  /** First step of the current run of tiny gradients, if one is going on. */
  tinySince?: number;
  latest?: LayerSummary;
}

/** A problem the panel points out. */
export interface GradientWarning {
  layer: string;
  kind: 'vanishing' | 'exploding' | 'nan';
  message: string;
}

/** The panel's model. */
export class PanelState {
  file?: string;
  layers = new Map<string, LayerSeries>();
  weights: Record<string, LayerWeights> = {};
  check?: GradientCheckResult;
  /** Where the run stands (the training view's header and the status bar fold the same stream). */
  run: RunStatus = NO_RUN;
  status = '';
  backend = '';
  selected?: string;
  /** Number of 'layers' updates applied (tests and the rendered report read it). */
  points = 0;
  /** Image networks: filters over time and feature maps. */
  readonly conv = new ConvState();

  /** Forgets the run (a new run starts, or the panel follows another file). */
  reset(file?: string): void {
    // The node picked for feature maps stays picked through a new run of the same file only.
    this.conv.reset(file === this.file);
    this.file = file;
    this.layers.clear();
    this.weights = {};
    this.run = NO_RUN;
    this.status = '';
    this.backend = '';
    this.points = 0;
  }

  /** Applies one update. */
  apply(u: TrainingUpdate): void {
    this.conv.apply(u);
    const run = nextRunStatus(this.run, u);
    switch (u.kind) {
      case 'start':
        if (u.mode === 'train' || this.layers.size === 0) { const f = this.file; this.reset(f); }
        this.backend = u.backend;
        break;
      case 'layers':
        this.points++;
        for (const l of u.layers) this.addLayer(u.globalStep, l);
        if (!this.selected && u.layers.length > 0) this.selected = u.layers[0].id;
        break;
      case 'weights':
        this.weights = { ...this.weights, ...u.layers };
        break;
      case 'reset':
        this.reset(this.file);
        break;
      default:
        break;
    }
    this.run = run;
    this.status = panelStatus(run);
  }

  private addLayer(step: number, l: LayerSummary): void {
    let s = this.layers.get(l.id);
    if (!s) this.layers.set(l.id, (s = { id: l.id, steps: [], gradNorm: [], weightNorm: [], weightHist: [], gradHist: [] }));
    const g = l.grad?.l2 ?? NaN;
    s.steps.push(step);
    s.gradNorm.push(g);
    s.weightNorm.push(l.weight.l2);
    if (s.steps.length > MAX_POINTS) {
      // Thin the older half so the whole run stays visible at a bounded cost.
      const half = s.steps.length >> 1;
      for (const arr of [s.steps, s.gradNorm, s.weightNorm]) arr.splice(0, half, ...arr.slice(0, half).filter((_, i) => i % 2 === 0));
    }
    s.weightHist.push(l.weight.histogram);
    if (l.grad) s.gradHist.push(l.grad.histogram);
    if (s.weightHist.length > HISTORY_SNAPSHOTS) s.weightHist.shift();
    if (s.gradHist.length > HISTORY_SNAPSHOTS) s.gradHist.shift();
    s.deadFraction = l.deadFraction;
    s.latest = l;
    if (Number.isFinite(g) && g < VANISHING_NORM) s.tinySince ??= step;
    else s.tinySince = undefined;
  }

  /** The warnings for the latest state, one per troubled layer. */
  warnings(): GradientWarning[] {
    const out: GradientWarning[] = [];
    for (const s of this.layers.values()) {
      const l = s.latest;
      if (!l) continue;
      const g = l.grad?.l2;
      if (g !== undefined && !Number.isFinite(g)) {
        out.push({ layer: s.id, kind: 'nan', message: `${s.id}: the gradient is NaN/Inf — lower the learning rate or standardise the inputs.` });
      } else if (g !== undefined && g > EXPLODING_NORM) {
        out.push({ layer: s.id, kind: 'exploding', message: `${s.id}: exploding gradient (norm ${formatMetric(g)} > 1e3) — lower the learning rate or add L2.` });
      } else if (s.tinySince !== undefined && (s.steps[s.steps.length - 1] ?? 0) - s.tinySince >= VANISHING_STEPS) {
        out.push({ layer: s.id, kind: 'vanishing', message: `${s.id}: vanishing gradient (norm < 1e-7 for ${(s.steps[s.steps.length - 1] ?? 0) - s.tinySince} steps) — try ReLU, a smaller depth or another initialisation.` });
      }
    }
    return out;
  }
}

/** The panel's status line: the run's headline (as the header and status bar word it), its loss and backend. */
export function panelStatus(r: RunStatus): string {
  const head = runHeadline(r, { speed: false });
  if (r.phase === 'none' || r.phase === 'starting') return head;
  if (r.phase === 'reset') return r.message ?? head;
  if (r.phase === 'failed') return r.message ? `${head}: ${r.message}` : head;
  const loss = r.loss !== undefined ? ` · loss ${formatMetric(r.loss)}` : '';
  return `${head}${loss}${r.phase === 'training' || r.phase === 'stepped' ? ` · ${r.backend}` : ''}`;
}
