/**
 * A small uPlot line chart with a log-scale toggle. uPlot draws 10⁴ points in about a
 * millisecond, and setData is cheap, so the views can redraw at the stream's rate.
 */
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css';

let cssAdopted = false;

/** Adopts uPlot's stylesheet once per page (constructed sheets keep the CSP nonce-only). */
function adoptCss(): void {
  if (cssAdopted) return;
  cssAdopted = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(uplotCss);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** One line. */
export interface SeriesSpec {
  label: string;
  color: string;
  dash?: number[];
}

/** A chart bound to a container element. */
export class LineChart {
  private plot?: uPlot;
  private data: uPlot.AlignedData = [[]];
  private log: boolean;
  /** The theme foreground the axes were drawn in. */
  private fg = '';
  /**
   * The container's width, kept by a ResizeObserver: read in a frame after its writes, it forced
   * a style and layout pass of the whole page on every update (tens of ms while training streams).
   */
  private width?: number;
  private resizeFrame = 0;
  /** Whether the plot is in its container: prepare() builds it detached, ahead of its first lines. */
  private mounted = false;
  /** Told when the container gets a width (a view waiting to draw its lines can draw them). */
  onSized?: () => void;

  constructor(private readonly el: HTMLElement, private series: SeriesSpec[], private readonly opts: { height: number; xLabel: string; log?: boolean }) {
    adoptCss();
    this.log = opts.log ?? false;
    // A color theme change restyles the webview in place (the body's class and the variables on
    // <html>); the canvas keeps what it drew, so the axes are drawn again in the new foreground.
    const watch = new MutationObserver(() => {
      const fg = foreground();
      if (this.plot && fg !== this.fg) { this.fg = fg; this.rebuild(); }
    });
    watch.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    watch.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
    // Layout is up to date when observers are told: reading the width there costs nothing. The
    // plot follows in the next frame (resizing it inside the callback would resize what is observed).
    new ResizeObserver(() => {
      const was = this.sized;
      this.width = this.el.clientWidth;
      // Given a width, a view that waits for it draws the lines at it (resizing first would draw twice).
      if (!was && this.sized && this.onSized) { this.onSized(); return; }
      if (this.resizeFrame || !this.plot || !this.mounted) return;
      this.resizeFrame = requestAnimationFrame(() => {
        this.resizeFrame = 0;
        if (this.plot && Math.abs(this.plot.width - this.plotWidth()) > 2) this.plot.setSize({ width: this.plotWidth(), height: this.plot.height });
      });
    }).observe(el);
  }

  /** Whether the container has a width, known without reading layout (its observer has told it; 0 while it is hidden). */
  get sized(): boolean {
    return !!this.width;
  }

  /** The plot's width: the container's (measured once before its observer has told it). */
  private plotWidth(): number {
    this.width ??= this.el.clientWidth;
    return Math.max(120, this.width);
  }

  /** Sets the plot's height in px (applied by the next setData). */
  setHeight(height: number): void {
    this.opts.height = height;
  }

  /** Whether the y axis is logarithmic. */
  get logScale(): boolean {
    return this.log;
  }

  /** Switches between linear and log y (uPlot fixes the distribution at construction: rebuild). */
  setLog(on: boolean): void {
    if (on === this.log) return;
    this.log = on;
    this.rebuild();
  }

  /**
   * Replaces the lines (a new layer appeared, a past run was ticked); the next setData brings
   * their values. The plot keeps its DOM, axes and canvas: building it anew each time a line
   * came or went cost a frame 5–10 ms at the start of every run.
   */
  setSeries(series: SeriesSpec[]): void {
    this.series = series;
    const plot = this.plot;
    if (!plot) return;
    for (let i = plot.series.length - 1; i >= 1; i--) plot.delSeries(i);
    for (const s of series) plot.addSeries(lineOptions(s));
    this.data = [this.data[0] ?? [], ...series.map(() => [])];
  }

  /** Number of series. */
  get seriesCount(): number {
    return this.series.length;
  }

  /**
   * Builds the plot now, without lines and out of the page (the training view does it in idle
   * time before a run: built in the frame that shows the view, it was a run's longest frame); the
   * first setData puts it in its container. It is drawn once out of sight with placeholder lines:
   * a plot's first drawing (its code not yet compiled, its glyphs not cached) took 10 ms more
   * than the next ones, in the frame of the run's first lines.
   */
  prepare(): void {
    if (this.plot) return;
    const plot = this.rebuild(), series = this.series;
    if (this.mounted) return;
    if (series.length === 0) plot.addSeries(lineOptions({ label: '', color: '#888' }));
    plot.setData([[0, 1, 2], ...plot.series.slice(1).map(() => [2, 1, 0.5])]);
    // uPlot draws in a microtask: the placeholder is taken out after it is drawn.
    queueMicrotask(() => queueMicrotask(() => {
      if (this.plot !== plot || this.series !== series) return;
      if (series.length === 0) plot.delSeries(1);
      plot.setData([[], ...series.map(() => [])]);
    }));
  }

  /**
   * Puts the plot built by prepare() in its container, unseen until its first lines: the
   * container (hidden while empty) takes its width in the next layout, and its observer tells it
   * (onSized) without a read of layout.
   */
  mount(): void {
    if (this.mounted) return;
    this.mounted = true;
    if (!this.plot) return;
    this.plot.root.style.visibility = 'hidden';
    this.el.append(this.plot.root);
  }

  /** New data: x then one array per series (null for gaps). */
  setData(data: uPlot.AlignedData): void {
    this.data = this.log ? positiveOnly(data) : data;
    const width = this.plotWidth();
    this.mount();
    if (!this.plot) { this.rebuild(); return; }
    this.plot.root.style.visibility = '';
    if (Math.abs(this.plot.width - width) > 2 || this.plot.height !== this.opts.height) this.plot.setSize({ width, height: this.opts.height });
    this.plot.setData(this.data);
  }

  private rebuild(): uPlot {
    this.plot?.destroy();
    const fg = (this.fg ||= foreground());
    const grid = 'rgba(128,128,128,0.18)';
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '11px sans-serif' };
    this.plot = new uPlot({
      // Built out of the page, it does not read the container's width (a layout of the page).
      width: this.mounted ? this.plotWidth() : Math.max(120, this.width ?? 400),
      height: this.opts.height,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: this.log ? { distr: 3 } : { auto: true } },
      axes: [{ ...axis, label: this.opts.xLabel, labelSize: 14, labelFont: '11px sans-serif' }, { ...axis, size: 52 }],
      series: [{ label: this.opts.xLabel }, ...this.series.map(lineOptions)],
    }, this.data.length === this.series.length + 1 ? this.data : [[], ...this.series.map(() => [])]);
    if (this.mounted) this.el.append(this.plot.root);
    return this.plot;
  }

  /** Removes the chart. */
  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }
}

/** uPlot's options for one line. */
function lineOptions(s: SeriesSpec): uPlot.Series {
  return { label: s.label, stroke: s.color, width: 1.5, dash: s.dash, spanGaps: true, points: { show: false } };
}

/** The theme's foreground colour now. */
function foreground(): string {
  return getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#888';
}

/** Log scales cannot show values ≤ 0: those become gaps. */
function positiveOnly(data: uPlot.AlignedData): uPlot.AlignedData {
  return data.map((arr, i) => (i === 0 ? arr : (arr as (number | null | undefined)[]).map((v) => (v !== null && v !== undefined && v > 0 && Number.isFinite(v) ? v : null)))) as uPlot.AlignedData;
}
