/** Pan and zoom of the graph: a scale and a translation applied to the viewport group. */

/** Graph → screen: screen = graph × scale + (x, y). */
export interface Transform {
  x: number;
  y: number;
  scale: number;
}

/** Smallest and largest zoom. */
export const MIN_SCALE = 0.05;
export const MAX_SCALE = 4;

/** The smallest node text a user should have to read at the default zoom, in screen pixels. */
export const READABLE_TEXT_PX = 11;

/** The largest zoom Fit chooses: a small graph grows to use the canvas, but not without limit. */
export const FIT_MAX_SCALE = 1.5;

/** VS Code's default font size, when the page's cannot be read. */
const DEFAULT_FONT_PX = 13;

/** The scale at which text of `fontPx` (in graph units) is READABLE_TEXT_PX on screen. */
export function readableScaleFor(fontPx: number): number {
  return Math.min(FIT_MAX_SCALE, READABLE_TEXT_PX / fontPx);
}

/** Fit's scale for a box in a room of w × h: the whole box, but never below `readable` nor above FIT_MAX_SCALE. */
export function fitScale(box: { width: number; height: number }, w: number, h: number, readable: number): number {
  const whole = Math.min(w / Math.max(1, box.width), h / Math.max(1, box.height));
  return Math.min(FIT_MAX_SCALE, Math.max(readable, whole));
}

/** Keeps the transform and writes it to the viewport group; `onChange` feeds the minimap. */
export class Viewport {
  /** The current transform. */
  t: Transform = { x: 0, y: 0, scale: 1 };

  constructor(private readonly host: SVGSVGElement, private readonly group: SVGGElement, private readonly onChange: () => void) {}

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
   * Frames the box: the whole of it when that keeps node text readable (a small graph grows up
   * to FIT_MAX_SCALE to use the canvas), else at the readable scale, centred along an axis that
   * fits and showing the start (the inputs) of one that does not; the minimap shows the rest.
   */
  fit(box: { x: number; y: number; width: number; height: number }, margin = 32): void {
    const r = this.host.getBoundingClientRect();
    const w = Math.max(1, r.width - 2 * margin);
    const h = Math.max(1, r.height - 2 * margin);
    const scale = fitScale(box, w, h, this.readableScale());
    const place = (size: number, origin: number, room: number): number =>
      size * scale <= room - 2 * margin ? (room - size * scale) / 2 - origin * scale : margin - origin * scale;
    this.set({ scale, x: place(box.width, box.x, r.width), y: place(box.height, box.y, r.height) });
  }

  /** The smallest scale at which the smallest node text is READABLE_TEXT_PX on screen. */
  readableScale(): number {
    const samples = ['node-title', 'node-sub', 'node-footer'].map((c) => this.group.querySelector(`text.${c}`)).filter((e) => e !== null);
    const sizes = (samples.length ? samples : [this.host]).map((e) => parseFloat(getComputedStyle(e).fontSize)).filter((px) => Number.isFinite(px) && px > 0);
    return readableScaleFor(sizes.length ? Math.min(...sizes) : DEFAULT_FONT_PX);
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
    const r = this.host.getBoundingClientRect();
    return { x: -this.t.x / this.t.scale, y: -this.t.y / this.t.scale, width: r.width / this.t.scale, height: r.height / this.t.scale };
  }
}
