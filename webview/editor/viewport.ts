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

  /** Shows the whole box, never zooming in past 100 %. */
  fit(box: { x: number; y: number; width: number; height: number }, margin = 32): void {
    const r = this.host.getBoundingClientRect();
    const w = Math.max(1, r.width - 2 * margin);
    const h = Math.max(1, r.height - 2 * margin);
    const scale = Math.min(1, w / Math.max(1, box.width), h / Math.max(1, box.height));
    this.set({ scale, x: (r.width - box.width * scale) / 2 - box.x * scale, y: (r.height - box.height * scale) / 2 - box.y * scale });
  }

  /** The canvas size in pixels. */
  size(): { width: number; height: number } {
    const r = this.host.getBoundingClientRect();
    return { width: r.width, height: r.height };
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
