/**
 * An overview in the corner, shown for big graphs and whenever the graph does not fit the view
 * (Fit keeps text readable, so a long graph scrolls): every node as a small box and the visible
 * area as a frame; a click or drag there moves the view. Its box takes the graph's proportions.
 */
import { s } from './dom';
import type { Viewport } from './viewport';

/** Nodes needed before the minimap shows. */
export const MINIMAP_MIN_NODES = 25;

/** The minimap element and its redraw. */
export class Minimap {
  /** Mount this. */
  readonly svg: SVGSVGElement;
  private readonly boxes: SVGPathElement;
  private readonly frame: SVGRectElement;
  private box = { x: 0, y: 0, width: 1, height: 1 };
  private bounds = { x: 0, y: 0, width: 1, height: 1 };
  private many = false;

  constructor(private readonly viewport: Viewport) {
    this.boxes = s('path', { class: 'minimap-nodes' });
    this.frame = s('rect', { class: 'minimap-frame' });
    this.svg = s('svg', { class: 'minimap', 'data-testid': 'minimap', 'aria-hidden': 'true' }, this.boxes, this.frame);
    this.svg.style.display = 'none';
    const go = (e: PointerEvent): void => {
      const r = this.svg.getBoundingClientRect();
      const gx = this.box.x + ((e.clientX - r.left) / r.width) * this.box.width;
      const gy = this.box.y + ((e.clientY - r.top) / r.height) * this.box.height;
      this.viewport.centreOn(gx, gy);
    };
    this.svg.addEventListener('pointerdown', (e) => {
      e.stopPropagation();
      this.svg.setPointerCapture(e.pointerId);
      go(e);
      const move = (m: PointerEvent): void => go(m);
      this.svg.addEventListener('pointermove', move);
      this.svg.addEventListener('pointerup', () => this.svg.removeEventListener('pointermove', move), { once: true });
    });
  }

  /** Shows the node boxes and the frame (hidden for a small graph wholly in view). */
  show(rects: { x: number; y: number; width: number; height: number }[], bounds: { x: number; y: number; width: number; height: number }): void {
    this.many = rects.length >= MINIMAP_MIN_NODES;
    this.draw(rects, bounds);
  }

  /** Redraws the node boxes (after layout) and the frame. */
  draw(rects: { x: number; y: number; width: number; height: number }[], bounds: { x: number; y: number; width: number; height: number }): void {
    const pad = 40;
    this.bounds = bounds;
    this.box = { x: bounds.x - pad, y: bounds.y - pad, width: bounds.width + 2 * pad, height: bounds.height + 2 * pad };
    // The graph's proportions within 12 × 8 em (a long chain is a tall strip, not a squashed one).
    const aspect = this.box.width / this.box.height;
    const w = Math.min(12, Math.max(3, 8 * aspect));
    this.svg.style.width = `${w.toFixed(2)}em`;
    this.svg.style.height = `${Math.min(8, Math.max(3, w / aspect)).toFixed(2)}em`;
    this.svg.setAttribute('viewBox', `${this.box.x} ${this.box.y} ${this.box.width} ${this.box.height}`);
    this.svg.setAttribute('preserveAspectRatio', 'none');
    this.boxes.setAttribute('d', rects.map((r) => `M${r.x},${r.y}h${r.width}v${r.height}h${-r.width}z`).join(''));
    this.drawFrame();
  }

  /** Moves the frame to the visible area; shows the minimap when the graph is big or not wholly in view. */
  drawFrame(): void {
    const v = this.viewport.visible();
    const b = this.bounds;
    const whole = b.x >= v.x && b.y >= v.y && b.x + b.width <= v.x + v.width && b.y + b.height <= v.y + v.height;
    this.svg.style.display = this.many || !whole ? '' : 'none';
    this.frame.setAttribute('x', String(v.x));
    this.frame.setAttribute('y', String(v.y));
    this.frame.setAttribute('width', String(v.width));
    this.frame.setAttribute('height', String(v.height));
  }
}
