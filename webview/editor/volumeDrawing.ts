/**
 * Draws a volume (volume.ts) as SVG: front, top and side faces in the node's colour, with the
 * channels as slices when there are few enough to count.
 */
import { s } from './dom';
import type { VolumeGeometry } from './volume';

const r = (v: number): number => Math.round(v * 100) / 100;

/** Most slices drawn across the channel axis (more read as a solid block). */
const MAX_SLICES = 16;

/**
 * The window of the next conv or pool layer on the volume's H × W face (the right side face),
 * centred, in proportion to the face: a 3×3 kernel over 8×8 covers 3/8 of each side.
 */
function drawWindow(g: VolumeGeometry, x: number, fy: number): SVGPathElement {
  const { width: w, height: h, dx, dy } = g;
  const win = g.window!;
  const fh = Math.min(1, win.rows / g.shape[0]);
  const fw = Math.min(1, win.cols / g.shape[1]);
  const ox = x + w + (dx * (1 - fw)) / 2;
  const oy = fy - (dy * (1 - fw)) / 2 + (h * (1 - fh)) / 2;
  const d = `M${r(ox)},${r(oy)}l${r(dx * fw)},${r(-dy * fw)}v${r(h * fh)}l${r(-dx * fw)},${r(dy * fw)}Z`;
  return s('path', { class: 'volume-window', d, 'data-window': `${win.rows}x${win.cols}` }, s('title', {}, `${win.rows}×${win.cols} window of ${win.by}`));
}

/**
 * The SVG of a volume with its front face's top-left corner at (`x`, `y` + dy): front, top and
 * side faces, channel slices when there are few, and a title naming the shape.
 */
export function drawVolume(g: VolumeGeometry, x: number, y: number, title: string): SVGGElement {
  const { width: w, height: h, dx, dy } = g;
  const fy = y + dy;
  const front = s('rect', { class: 'volume-front', x: r(x), y: r(fy), width: r(w), height: r(h) });
  const top = s('path', { class: 'volume-top', d: `M${r(x)},${r(fy)}L${r(x + dx)},${r(y)}H${r(x + dx + w)}L${r(x + w)},${r(fy)}Z` });
  const side = s('path', { class: 'volume-side', d: `M${r(x + w)},${r(fy)}L${r(x + w + dx)},${r(y)}V${r(y + h)}L${r(x + w)},${r(fy + h)}Z` });
  const out = s('g', { class: 'volume', 'data-shape': g.shape.join('x') }, s('title', {}, title), top, side, front);
  const c = g.shape[2];
  if (c > 1 && c <= MAX_SLICES && w / c >= 2.5) {
    let d = '';
    for (let i = 1; i < c; i++) {
      const sx = r(x + (w * i) / c);
      d += `M${sx},${r(fy)}V${r(fy + h)}M${sx},${r(fy)}L${r(sx + dx)},${r(y)}`;
    }
    out.append(s('path', { class: 'volume-slices', d }));
  }
  if (g.window) out.append(drawWindow(g, x, fy));
  return out;
}
