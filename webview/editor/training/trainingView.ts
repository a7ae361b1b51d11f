/**
 * The training view inside the graph editor (docked below or beside it by TrainingDock): the
 * loss chart (train and validation, log toggle), epoch/step/samples/s/backend, parameters,
 * accuracy and confusion matrix, the live decision boundary of two-input networks or, for image
 * networks, a grid of validation images beside the confusion matrix; new weights go to the graph
 * (its edges are coloured by them). Updates are applied as they come; drawing is coalesced to one frame.
 */
import type { LayerWeights, TrainingUpdate } from '../../../src/protocol';
import type { NeuronFocus } from '../neuronHeatmaps';
import { drawNeuronOrBoundary } from './neuronFocus';
import { LineChart } from '../../shared/lineChart';
import trainingCss from './training.css';
import { formatMetric } from '../../shared/formatMetric';
import { ImageGrid } from './imageGrid';
import { RunHistoryPane } from './runHistoryPane';
import { PredictPane } from './predictPane';
import { pointsExtent } from '../../shared/draw';
import { trainingHeader } from './trainingHeader';
import { TrainingState } from './trainingState';

const BOUNDARY_SIDE = 150;
/**
 * A frame's drawing past this many ms leaves the rest (chart, edge colours) to the next frame,
 * so one update's boundary, chart and graph never add up to one long main-thread task.
 */
export const FRAME_BUDGET_MS = 8;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** What the dock hears from the view: it was shown or hidden or got content to show; the user asked to fold or unfold it. */
export interface TrainingViewHooks {
  changed?(shown: { visible: boolean; content: boolean }): void;
  fold?(): void;
}

/** The view; `onWeights` gets each new set of weights (once per frame at most; {} after a reset). */
export class TrainingView {
  readonly state = new TrainingState();
  readonly root = el('section', { class: 'nc-training', 'aria-label': 'Training', 'data-testid': 'training', hidden: '' });
  private readonly stats = el('span', { class: 'stats', 'aria-live': 'off', 'data-testid': 'training-stats' });
  private readonly outcome = el('div', { class: 'outcome', role: 'status' });
  private readonly chartEl = el('div', { class: 'chart', 'data-testid': 'loss-chart' });
  private readonly metrics = el('div', { class: 'metrics', 'data-testid': 'training-metrics' });
  private readonly boundary = el('canvas', { 'data-testid': 'boundary', 'aria-label': 'Decision boundary with training and validation points' });
  private readonly notices = el('div', { class: 'nc-notices' });
  private readonly body = el('div', { class: 'body' });
  private readonly logBox = el('input', { type: 'checkbox', 'aria-label': 'Log scale' });
  /** Neuron heatmaps on or off (the user's setting neuralCanvas.training.neuronHeatmaps), for two-input networks. */
  private readonly heatmapsBox = el('input', { type: 'checkbox', checked: '', 'data-testid': 'neuron-heatmaps-toggle' });
  private readonly heatmapsLabel = el('label', { hidden: '', title: 'Each neuron\'s activation over the input plane, drawn in the graph while training (the setting neuralCanvas.training.neuronHeatmaps). Off: the training process does not compute them.' }, this.heatmapsBox, 'Neuron heatmaps');
  /** The user turned the "Neuron heatmaps" toggle (the editor sets the setting). */
  onNeuronHeatmaps?: (on: boolean) => void;
  private readonly foldButton = el('button', { class: 'fold', type: 'button', 'aria-expanded': 'true', 'aria-label': 'Collapse the training view', title: 'Collapse (Enter on the splitter)', 'data-testid': 'training-fold' }, el('span', { class: 'codicon codicon-chevron-down', 'aria-hidden': 'true' }));
  private readonly grid: ImageGrid;
  /** The Predict pane (beside the boundary; its point is drawn on it, a click there sets its inputs). */
  readonly predict = new PredictPane();
  private chart?: LineChart;
  /** The run history under the chart; its lines are the chart's (honest per-epoch values, past runs overlaid). */
  readonly history = new RunHistoryPane(() => this.relayout());
  /** The neuron heatmap hovered in the graph, shown in place of the boundary. */
  private neuron?: NeuronFocus;
  private frame = 0;
  /** What was drawn last, so a frame repaints only what changed (DOM and SVG churn cost layout and paint). */
  private drawn: { metrics?: unknown; boundary?: unknown; points?: unknown; weights?: unknown; images?: unknown; losses: number; log: boolean; height?: number } = { losses: -1, log: false };
  /** Who hears of changes of shape and fold requests (the dock). */
  hooks: TrainingViewHooks = {};
  /** What the dock was last told. */
  private shown = { visible: false, content: false };
  /**
   * The heights the chart's height comes from (the body's room, the outcome and notices lines), kept by a
   * ResizeObserver: read in a frame after its writes, they forced a layout of the page each update.
   */
  private readonly sizes = { room: 0, outcome: 0, notices: 0 };
  /** Frames drawn (the speed measurement reads it). */
  frames = 0;
  /** Told what the view shows after each frame (the editor turns it into a test probe). */
  onRendered?: (shown: { header: string; outcome: string; notices: string; chart: boolean; boundary: boolean }) => void;

  /**
   * `onPick(row)`: the user clicked an image of the image grid (the host shows its feature maps in
   * the gradients panel). The caller places `root` (TrainingDock docks it beside the graph editor).
   */
  constructor(private readonly onWeights: (weights: Readonly<Record<string, LayerWeights>>) => void, onPick: (row: number) => void = () => {}) {
    this.grid = new ImageGrid(onPick);
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(trainingCss);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    const header = el('header', { title: 'Click to collapse or expand' }, this.foldButton, el('span', { class: 'title' }, 'Training'), this.stats, el('label', {}, this.logBox, 'log'), this.heatmapsLabel);
    header.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('label')) return;
      if (this.hooks.fold) this.hooks.fold();
      else this.setCollapsed(!this.collapsed);
    });
    this.logBox.addEventListener('change', () => { this.chart?.setLog(this.logBox.checked); this.schedule(); });
    this.heatmapsBox.addEventListener('change', () => this.onNeuronHeatmaps?.(this.heatmapsBox.checked));
    this.body.append(this.outcome, el('div', { class: 'row' }, this.chartEl, el('div', { class: 'side' }, this.boundary, this.metrics, this.grid.root), this.predict.root, this.history.root), this.notices);
    this.predict.onChange = () => { this.drawn.boundary = {}; this.schedule(); };
    this.predict.attachBoundary(this.boundary, BOUNDARY_SIDE, () => this.plane());
    this.root.append(header, this.body);
    // Layout is up to date when observers are told: reading the sizes there costs nothing.
    const sizes = new ResizeObserver(() => {
      const was = this.chartHeight();
      this.sizes.room = this.body.clientHeight;
      this.sizes.outcome = this.outcome.offsetHeight;
      this.sizes.notices = this.notices.offsetHeight;
      if (this.chartHeight() !== was) this.schedule();
    });
    for (const e of [this.body, this.outcome, this.notices]) sizes.observe(e);
    // The chart's plot is built while the page is idle, before any run: built in the frames that
    // show the view at a run's start, it and its first lines were the run's longest tasks.
    const idle = window.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 200));
    idle(() => this.makeChart(), { timeout: 2000 });
  }

  /** The loss chart, built out of the page until its first lines (once; the first call builds it). */
  private makeChart(): LineChart {
    if (this.chart) return this.chart;
    const chart = this.chart = new LineChart(this.chartEl, this.history.chartData().series, { height: this.chartHeight(), xLabel: 'epoch', log: this.logBox.checked });
    chart.prepare();
    // Its lines wait for the container's width (its observer tells it after a layout: no read of layout in a frame).
    chart.onSized = () => this.relayout();
    return chart;
  }

  /** Whether only the header shows. */
  get collapsed(): boolean {
    return this.root.classList.contains('collapsed');
  }

  /** Shows only the header (true) or everything. */
  setCollapsed(collapsed: boolean): void {
    const was = this.collapsed;
    this.root.classList.toggle('collapsed', collapsed);
    this.foldButton.setAttribute('aria-expanded', String(!collapsed));
    this.foldButton.setAttribute('aria-label', collapsed ? 'Expand the training view' : 'Collapse the training view');
    this.foldButton.title = collapsed ? 'Expand (Enter on the splitter)' : 'Collapse (Enter on the splitter)';
    this.foldButton.firstElementChild?.setAttribute('class', `codicon codicon-chevron-${collapsed ? 'up' : 'down'}`);
    if (was && !collapsed) this.relayout();
  }

  /** Whether there is more than a header line to show: a chart, a boundary or images. */
  get hasContent(): boolean {
    const s = this.state;
    return this.history.hasRuns || this.history.curves.hasCurves || s.steps.length > 0 || !!s.images || !!s.points || !!s.boundary || this.predict.open;
  }

  /** The plane the boundary shows (its grid's extent, else the points'). */
  private plane(): [number, number, number, number] | undefined {
    return this.state.boundary?.extent ?? pointsExtent(this.state.points);
  }

  /** The view changed size: redraw the chart at its new width. */
  relayout(): void {
    this.drawn.losses = -1;
    this.schedule();
  }

  /** Shows the user's neuron heatmaps setting on the toggle. */
  setNeuronHeatmaps(on: boolean): void {
    this.heatmapsBox.checked = on;
    this.schedule();
  }

  /** Shows a neuron's heatmap large in place of the boundary (undefined: the boundary again). */
  showNeuron(focus: NeuronFocus | undefined): void {
    this.neuron = focus;
    this.schedule();
  }

  /** Applies one update from the host. */
  apply(u: TrainingUpdate): void {
    this.state.apply(u);
    this.history.apply(u);
    this.schedule();
  }

  /** Redraws on the next animation frame. */
  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  /** Draws now. */
  render(): void {
    // Each frame draws at least one of the costly parts (boundary or images, chart, edge colours).
    const started = performance.now();
    let drew = false;
    this.frames++;
    const s = this.state;
    const visible = s.visible || this.predict.open || this.history.hasRuns;
    this.root.hidden = !visible;
    const shown = { visible, content: visible && this.hasContent };
    if (shown.visible !== this.shown.visible || shown.content !== this.shown.content) {
      this.shown = shown;
      this.hooks.changed?.(shown);
    }
    if (!visible) { this.report(); return; }
    this.stats.textContent = trainingHeader(s);
    this.outcome.hidden = !s.outcome;
    this.outcome.className = `outcome${s.outcome?.level === 'error' ? ' error' : ''}`;
    this.outcome.textContent = s.outcome?.text ?? '';
    this.notices.textContent = s.notices.join(' ');
    // An image network shows its images beside the confusion matrix (the chart is redrawn at its new width).
    if (this.root.classList.contains('image-net') !== !!s.images) {
      this.root.classList.toggle('image-net', !!s.images);
      this.drawn.losses = -1;
    }
    if (s.metrics !== this.drawn.metrics) {
      this.drawn.metrics = s.metrics;
      this.drawMetrics();
    }
    const showBoundary = !!(s.points || s.boundary);
    // Heatmaps are drawn for two-input networks only: those with a boundary.
    if (this.heatmapsLabel.hidden === showBoundary) this.heatmapsLabel.hidden = !showBoundary;
    if (this.boundary.hidden === showBoundary) this.drawn.losses = -1;
    this.boundary.hidden = !showBoundary;
    if (showBoundary && ((this.neuron?.grid ?? s.boundary) !== this.drawn.boundary || s.points !== this.drawn.points)) {
      this.drawn.boundary = this.neuron?.grid ?? s.boundary;
      this.drawn.points = s.points;
      drawNeuronOrBoundary(this.boundary, BOUNDARY_SIDE, this.neuron, s.boundary, s.points);
      this.predict.drawPoint(this.boundary, BOUNDARY_SIDE, this.plane());
      drew = true;
    }
    if (s.images !== this.drawn.images) {
      this.drawn.images = s.images;
      this.grid.render(s.images);
      drew = true;
    }
    if (drew && this.overBudget(started)) return;
    // The chart last: it takes the width the boundary, metrics and images leave it, and the height the view has.
    const height = this.chartHeight();
    if (height !== this.drawn.height) {
      this.drawn.height = height;
      this.chart?.setHeight(height);
      this.drawn.losses = -1;
    }
    const lossKey = this.history.curves.version;
    if (this.history.curves.hasCurves && (lossKey !== this.drawn.losses || this.drawn.log !== this.logBox.checked)) {
      if (!this.chart?.sized) {
        // The plot (built in idle time, else now) goes in its container in this frame and is given
        // its lines in the next, once the container has a width (together they made a run's longest task).
        this.makeChart().mount();
        drew = true;
      } else {
        const { series, data, seriesChanged } = this.history.chartData();
        this.drawn.losses = lossKey;
        this.drawn.log = this.logBox.checked;
        if (seriesChanged) this.chart.setSeries(series);
        this.chart.setData(data);
        drew = true;
      }
    }
    if (drew && this.overBudget(started)) return;
    if (s.weights !== this.drawn.weights) {
      this.drawn.weights = s.weights;
      this.onWeights(s.weights);
    }
    this.report();
  }

  /** Whether the frame has used its budget (having drawn something): then the rest is drawn in the next one. */
  private overBudget(started: number): boolean {
    if (performance.now() - started < FRAME_BUDGET_MS) return false;
    this.schedule();
    this.report();
    return true;
  }

  private report(): void {
    const s = this.state;
    this.onRendered?.({ header: this.root.hidden ? '' : this.stats.textContent ?? '', outcome: this.outcome.hidden ? '' : this.outcome.textContent ?? '', notices: this.notices.textContent ?? '', chart: s.steps.length > 0, boundary: !this.root.hidden && !this.boundary.hidden });
  }

  /** The chart's height: what the body has left under the messages and above the legend, 110–240 px (130 while folded). */
  private chartHeight(): number {
    const { room, outcome, notices } = this.sizes;
    if (!room) return 130;
    const used = (outcome ? outcome + 4 : 0) + notices + 14 + 34;
    return Math.round(Math.min(240, Math.max(110, room - used)));
  }

  private drawMetrics(): void {
    const m = this.state.metrics;
    const parts: (Node | string)[] = [];
    if (m.accuracy !== undefined) parts.push(el('div', {}, `accuracy ${(m.accuracy * 100).toFixed(1)}%`));
    if (m.mae !== undefined) parts.push(el('div', {}, `MAE ${formatMetric(m.mae)} · R² ${formatMetric(m.r2)}`));
    if (m.confusion && m.confusion.length <= 10) {
      const k = m.confusion.length;
      parts.push(el('table', { class: 'confusion', 'aria-label': 'Confusion matrix: rows actual, columns predicted' },
        el('tr', {}, el('th', {}, 'a\\p'), ...[...Array(k).keys()].map((i) => el('th', {}, String(i)))),
        ...m.confusion.map((row, i) => el('tr', {}, el('th', {}, String(i)), ...row.map((v) => el('td', {}, String(v)))))));
    }
    this.metrics.replaceChildren(...parts);
  }
}
