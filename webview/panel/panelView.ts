/**
 * The gradients panel's DOM: header, for image networks the first conv layer's filters and a
 * node's feature maps (convView.ts), warnings, per-layer table, norm charts (log), and for the
 * selected layer its weight/gradient histograms over time and weight-matrix heatmap; then the
 * Check Gradients table. Redraws are coalesced to one per animation frame.
 */
import type { GradientCheckResult } from '../../src/protocol';
import { own } from '../../src/model/ownKeys';
import { drawHistograms, drawMatrix } from '../shared/draw';
import { LineChart } from '../shared/lineChart';
import { formatMetric } from '../shared/formatMetric';
import { ConvView } from './convView';
import { gradientCheckTable } from './gradientCheckTable';
import { PanelState, type LayerSeries } from './panelState';

const PALETTE = ['#3794ff', '#f5a623', '#2ea043', '#b180d7', '#f14c4c', '#00b7c3', '#d7ba7d', '#8c8c8c'];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A colour key; set through CSSOM because the CSP forbids style attributes. */
function swatch(color: string): HTMLElement {
  const s = el('span', { class: 'swatch' });
  s.style.background = color;
  return s;
}

/** The panel UI; `onSelect` and `onCheck` go back to the host. */
export class PanelView {
  readonly state = new PanelState();
  private readonly file = el('span', { class: 'file' });
  private readonly status = el('span', { class: 'status', 'aria-live': 'polite' });
  private readonly warningsList = el('ul', { class: 'warnings', 'aria-live': 'polite', 'data-testid': 'warnings' });
  private readonly tableBody = el('tbody');
  private readonly gradChartEl = el('div', { class: 'chart', 'data-testid': 'grad-norms' });
  private readonly weightChartEl = el('div', { class: 'chart', 'data-testid': 'weight-norms' });
  private readonly selectedTitle = el('h3');
  private readonly weightHist = el('canvas', { 'aria-label': 'weight histograms over time' });
  private readonly gradHist = el('canvas', { 'aria-label': 'gradient histograms over time' });
  private readonly matrix = el('canvas', { 'aria-label': 'weight matrix heatmap' });
  private readonly captions = { w: el('figcaption'), g: el('figcaption'), m: el('figcaption') };
  private readonly checkBox = el('div', { 'data-testid': 'gradient-check' });
  private readonly empty = el('div', { class: 'empty' }, 'Train a network (Neural Canvas: Train) to see the gradients of each dense layer here.');
  private readonly body = el('div');
  private readonly conv: ConvView;
  private gradChart?: LineChart;
  private weightChart?: LineChart;
  private frame = 0;

  /** `onMaps(node, row)` asks the host for a node's feature maps for one image (image networks). */
  constructor(private readonly root: HTMLElement, private readonly onSelect: (id: string) => void, onCheck: () => void, private readonly onRendered: (v: PanelView) => void,
    private readonly onMaps: (node: string, row: number) => void = () => {}) {
    this.conv = new ConvView(this.state.conv, () => this.schedule());
    const check = el('button', { title: 'Compare analytic and numerical gradients' }, 'Check Gradients');
    check.addEventListener('click', onCheck);
    const table = el('table', { 'aria-label': 'Dense layers' },
      el('thead', {}, el('tr', {}, el('th', {}, 'layer'), el('th', {}, '‖grad‖'), el('th', {}, '‖W‖'), el('th', {}, 'grad mean'), el('th', {}, 'dead ReLU'))),
      this.tableBody);
    this.body.append(
      this.warningsList,
      el('div', { class: 'grid' },
        el('section', {}, el('h3', {}, 'Layers'), table),
        el('section', {}, el('h3', {}, 'Gradient norm per layer (log)'), this.gradChartEl),
        el('section', {}, el('h3', {}, 'Weight norm per layer'), this.weightChartEl),
        el('section', {}, this.selectedTitle, el('div', { class: 'maps' },
          el('figure', {}, this.weightHist, this.captions.w),
          el('figure', {}, this.gradHist, this.captions.g),
          el('figure', {}, this.matrix, this.captions.m)))),
    );
    // An image network's filters and feature maps come first: they are what its panel is opened for.
    root.append(el('div', { class: 'top' }, this.file, this.status, check), this.empty, this.conv.root, this.body, this.checkBox);
    this.tableBody.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest('tr');
      const id = row?.getAttribute('data-layer');
      if (id) this.select(id, true);
    });
    this.tableBody.addEventListener('keydown', (e) => {
      const row = (e.target as HTMLElement).closest('tr');
      const id = row?.getAttribute('data-layer');
      if (id && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); this.select(id, true); }
    });
    window.addEventListener('resize', () => this.schedule());
  }

  /** Selects a layer (from the table: also tells the host, which selects the node in the graph). */
  select(id: string | undefined, fromUser = false): void {
    this.state.selected = id;
    // A node selected in the graph is the one whose feature maps are wanted (a click in the table only picks histograms).
    if (!fromUser) this.state.conv.pickNode(id);
    if (fromUser && id) this.onSelect(id);
    this.schedule();
  }

  /** Shows the feature maps of a node for one image (or why there are none): the host's answer to onMaps. */
  showMaps(node: string, row: number, maps: Parameters<PanelState['conv']['answer']>[2], error: string | undefined): void {
    this.state.conv.answer(node, row, maps, error);
    this.schedule();
  }

  /** The user clicked an image in the editor's image grid. */
  pickImage(row: number): void {
    this.state.conv.pickRow(row);
    this.schedule();
  }

  /** Shows a Check Gradients result. */
  showCheck(result: GradientCheckResult | undefined): void {
    this.state.check = result;
    this.schedule();
  }

  /** Redraws on the next frame (many updates between frames cost one draw). */
  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  /** Draws everything now. */
  render(): void {
    const s = this.state;
    this.file.textContent = s.file ?? 'No network';
    this.status.textContent = s.status;
    const layers = [...s.layers.values()];
    this.empty.hidden = layers.length > 0 || s.conv.active;
    this.body.hidden = layers.length === 0;
    const warnings = s.warnings();
    this.warningsList.replaceChildren(...warnings.map((w) => el('li', { class: w.kind, role: 'alert' }, w.message)));
    this.tableBody.replaceChildren(...layers.map((l, i) => {
      const last = l.latest;
      const bad = warnings.some((w) => w.layer === l.id);
      return el('tr', { 'data-layer': l.id, tabindex: '0', class: l.id === s.selected ? 'selected' : '', 'aria-selected': String(l.id === s.selected) },
        el('td', {}, swatch(PALETTE[i % PALETTE.length]), l.id),
        el('td', { class: bad ? 'bad' : '' }, formatMetric(last?.grad?.l2)),
        el('td', {}, formatMetric(last?.weight.l2)),
        el('td', {}, formatMetric(last?.grad?.mean)),
        el('td', {}, l.deadFraction === undefined ? '—' : `${Math.round(l.deadFraction * 100)}%`));
    }));
    if (layers.length > 0) this.drawCharts(layers);
    this.drawSelected();
    this.drawCheck();
    this.conv.render();
    const ask = s.conv.request(performance.now());
    if (ask) this.onMaps(ask.node, ask.row);
    this.onRendered(this);
  }

  private drawCharts(layers: LayerSeries[]): void {
    const series = layers.map((l, i) => ({ label: l.id, color: PALETTE[i % PALETTE.length] }));
    this.gradChart ??= new LineChart(this.gradChartEl, series, { height: 150, xLabel: 'step', log: true });
    this.weightChart ??= new LineChart(this.weightChartEl, series, { height: 150, xLabel: 'step' });
    for (const c of [this.gradChart, this.weightChart]) if (c.seriesCount !== series.length) c.setSeries(series);
    // All layers report at the same steps (one 'layers' update covers every layer).
    const xs = layers[0].steps;
    this.gradChart.setData([xs, ...layers.map((l) => l.gradNorm.slice(-xs.length))]);
    this.weightChart.setData([xs, ...layers.map((l) => l.weightNorm.slice(-xs.length))]);
  }

  private drawSelected(): void {
    const s = this.state;
    const layer = s.selected ? s.layers.get(s.selected) : undefined;
    this.selectedTitle.textContent = layer ? `Layer ${layer.id}: over time, and its weights` : 'Select a layer';
    if (!layer) return;
    const w = drawHistograms(this.weightHist, 150, 110, layer.weightHist, [55, 148, 255]);
    this.captions.w.textContent = w ? `weights ${formatMetric(w.min)} … ${formatMetric(w.max)}` : 'weights';
    const g = drawHistograms(this.gradHist, 150, 110, layer.gradHist, [245, 166, 35]);
    this.captions.g.textContent = g ? `gradients ${formatMetric(g.min)} … ${formatMetric(g.max)}` : 'gradients';
    const m = own(s.weights, layer.id);
    this.matrix.hidden = !m;
    if (m) {
      const [rows, cols] = m.shape;
      const cell = Math.max(2, Math.min(16, Math.floor(150 / Math.max(rows, cols))));
      drawMatrix(this.matrix, cols * cell, rows * cell, m.data, rows, cols);
      this.captions.m.textContent = `W: ${rows}×${cols} (blue < 0 < orange)`;
    } else {
      this.captions.m.textContent = s.conv.filter?.node === layer.id ? 'W: its filters are drawn below' : 'W: too large to stream';
    }
  }

  private drawCheck(): void {
    const c = this.state.check;
    this.checkBox.replaceChildren(...(c ? gradientCheckTable(c) : []));
  }
}
