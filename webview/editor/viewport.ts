/** Pan and zoom of the graph: a scale and a translation applied to the viewport group. */
import type { Box } from './geometry';
import { fitTransformScale, MAX_SCALE, MIN_SCALE } from './readableScale';

export { MAX_SCALE, MIN_SCALE, readableScale } from './readableScale';

/** Graph → screen: screen = graph × scale + (x, y). */
export interface Transform {
  x: number;
  y: number;
  scale: number;
}

/** How Fit frames a box. */
export interface FitOptions {
  /** Screen pixels kept free around the box. */
  margin?: number;
  /** The smallest zoom Fit may choose (the readable one); a larger box scrolls instead. */
  minScale?: number;
  /** The part to show first when the box does not fit (the inputs); the box itself by default. */
  start?: Box;
}

/** Keeps the transform and writes it to the viewport group; `onChange` feeds the minimap. */
export class Viewport {
  /** The current transform. */
  t: Transform = { x: 0, y: 0, scale: 1 };

  /** The canvas size, kept by a ResizeObserver: reading it forces no layout (a redraw of 2,000 nodes asks often). */
  private known?: { width: number; height: number };

  constructor(private readonly host: SVGSVGElement, private readonly group: SVGGElement, private readonly onChange: () => void) {
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver((entries) => {
        const r = entries[entries.length - 1]?.contentRect;
        if (!r) return;
        // Before the canvas is laid out (or while hidden) it measures 0: ask the element then.
        this.known = r.width > 0 && r.height > 0 ? { width: r.width, height: r.height } : undefined;
        this.onChange();
      }).observe(host);
    }
  }

  /**
   * The canvas size measured during the running task (cleared once it ends): a redraw measures
   * the canvas before it writes the nodes, and Fit and the minimap reuse that instead of forcing
   * the browser to lay out every new node on the spot (on a cold page, before the observer has
   * reported, two such forced layouts were most of a 500-node first drawing).
   */
  private measured?: { width: number; height: number };

  /** Measures the canvas now, and keeps the size for the rest of the running task. */
  private measure(): { width: number; height: number } {
    const r = this.host.getBoundingClientRect();
    const size = { width: r.width, height: r.height };
    if (!this.measured) queueMicrotask(() => { this.measured = undefined; });
    this.measured = size;
    return size;
  }

  /** The canvas size in pixels, without forcing a layout once measured in this task or reported by the observer. */
  private box(): { width: number; height: number } {
    return this.measured ?? this.known ?? this.measure();
  }

  /** Applies `t`. */
  set(t: Transform): void {
    this.t = { x: t.x, y: t.y, scale: Math.min(MAX_SCALE, Math.max(MIN_SCALE, t.scale)) };
    this.group.setAttribute('transform', `translate(${this.t.x},${this.t.y}) scale(${this.t.scale})`);
    this.onChange();
  }

  /** Zooms by `factor` keeping the screen point (cx, cy) still (the centre by default). */
  zoom(factor: number, cx?: number, cy?: number): void {
    const r = this.host.getBoundingClientRect();
    const px = cx ?? r.width / 2;
    const py = cy ?? r.height / 2;
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.t.scale * factor));
    const k = scale / this.t.scale;
    this.set({ scale, x: px - (px - this.t.x) * k, y: py - (py - this.t.y) * k });
  }

  /** Moves by a screen offset. */
  pan(dx: number, dy: number): void {
    this.set({ ...this.t, x: this.t.x + dx, y: this.t.y + dy });
  }

  /**
   * Shows the whole box, never zooming in past 100 % nor out below `minScale` (the smallest
   * readable zoom). A box too large for the canvas at that zoom is shown from its start: on each
   * axis it does not fit, the view centres on `start` (the first input) as far as the box's ends
   * allow, and the rest is reached by scrolling.
   */
  fit(box: Box, opts: FitOptions = {}): void {
    const margin = opts.margin ?? 32;
    const r = this.box();
    const scale = fitTransformScale(box, r, margin, opts.minScale);
    const start = opts.start ?? box;
    // Too long on an axis: centred on the start, never past the graph's ends, the start's near edge in view.
    const axis = (size: number, from: number, length: number, startFrom: number, startLength: number): number => {
      const drawn = length * scale;
      if (drawn <= size - 2 * margin) return (size - drawn) / 2 - from * scale;
      const centred = size / 2 - (startFrom + startLength / 2) * scale;
      const inGraph = Math.min(margin - from * scale, Math.max(size - margin - (from + length) * scale, centred));
      return Math.min(margin - startFrom * scale, inGraph);
    };
    this.set({ scale, x: axis(r.width, box.x, box.width, start.x, start.width), y: axis(r.height, box.y, box.height, start.y, start.height) });
  }

  /** The canvas size in pixels. */
  size(): { width: number; height: number } {
    // Measured now: asked before a redraw (the layout is clean) and right after the canvas changed.
    return this.measure();
  }

  /** Centres the graph point (gx, gy) on screen. */
  centreOn(gx: number, gy: number): void {
    const r = this.host.getBoundingClientRect();
    this.set({ ...this.t, x: r.width / 2 - gx * this.t.scale, y: r.height / 2 - gy * this.t.scale });
  }

  /** Screen (client) coordinates → graph coordinates. */
  toGraph(clientX: number, clientY: number): { x: number; y: number } {
    const r = this.host.getBoundingClientRect();
    return { x: (clientX - r.left - this.t.x) / this.t.scale, y: (clientY - r.top - this.t.y) / this.t.scale };
  }

  /** The visible part of the graph, in graph coordinates. */
  visible(): { x: number; y: number; width: number; height: number } {
    const r = this.box();
    return { x: -this.t.x / this.t.scale, y: -this.t.y / this.t.scale, width: r.width / this.t.scale, height: r.height / this.t.scale };
  }
}
