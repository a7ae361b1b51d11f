/**
 * An overview of big graphs in the corner: every node as a small box and the visible area as a
 * frame; a click or drag there moves the view.
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

  constructor(private readonly viewport: Viewport) {
    this.boxes = s('path', { class: 'minimap-nodes' });
    this.frame = s('rect', { class: 'minimap-frame' });
    this.svg = s('svg', { class: 'minimap', 'data-testid': 'minimap', 'aria-hidden': 'true' }, this.boxes, this.frame);
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

  /** Shows the node boxes of a big graph (hidden below MINIMAP_MIN_NODES) and the frame. */
  show(rects: { x: number; y: number; width: number; height: number }[], bounds: { x: number; y: number; width: number; height: number }): void {
    const big = rects.length >= MINIMAP_MIN_NODES;
    this.svg.style.display = big ? '' : 'none';
    if (big) this.draw(rects, bounds);
  }

  /** Redraws the node boxes (after layout) and the frame. */
  draw(rects: { x: number; y: number; width: number; height: number }[], bounds: { x: number; y: number; width: number; height: number }): void {
    const pad = 40;
    this.box = { x: bounds.x - pad, y: bounds.y - pad, width: bounds.width + 2 * pad, height: bounds.height + 2 * pad };
    this.svg.setAttribute('viewBox', `${this.box.x} ${this.box.y} ${this.box.width} ${this.box.height}`);
    this.svg.setAttribute('preserveAspectRatio', 'none');
    this.boxes.setAttribute('d', rects.map((r) => `M${r.x},${r.y}h${r.width}v${r.height}h${-r.width}z`).join(''));
    this.drawFrame();
  }

  /** Moves the frame to the visible area. */
  drawFrame(): void {
    const v = this.viewport.visible();
    this.frame.setAttribute('x', String(v.x));
    this.frame.setAttribute('y', String(v.y));
    this.frame.setAttribute('width', String(v.width));
    this.frame.setAttribute('height', String(v.height));
  }
}
