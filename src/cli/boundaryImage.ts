/**
 * The decision boundary as pixels, drawn the way the editor's training view draws it
 * (webview/shared/draw.ts): each grid cell tinted by its predicted class, stronger the
 * surer the network is, smoothed between cell centres; the data points on top, training points
 * ringed in white and validation points in black. Composited on white, for `nn boundary --png`.
 */
import { cellClass, classColour, type BoundaryPoints } from '../protocol';


/** A size×size grid of predictions over extent [xmin, xmax, ymin, ymax]; row 0 at ymin, `width` outputs a cell. */
export interface PredictedGrid {
  size: number;
  width: number;
  values: Float32Array;
  extent: [number, number, number, number];
}

/** Each cell's colour over white: the class colour at alpha 40 + 150·confidence (of 255), as in the editor. */
function cellColors(grid: PredictedGrid): Float32Array {
  const { size, width, values } = grid;
  const out = new Float32Array(size * size * 3);
  for (let k = 0; k < size * size; k++) {
    const { cls, confidence: conf } = cellClass(values, k * width, width);
    const a = Math.round(40 + (Number.isFinite(conf) ? conf : 0) * 150) / 255;
    const col = classColour(cls, width);
    for (let c = 0; c < 3; c++) out[k * 3 + c] = col[c] * a + 255 * (1 - a);
  }
  return out;
}

/** Draws the grid and points into a side×side RGBA image (row 0 at the top, i.e. at ymax). */
export function boundaryImage(grid: PredictedGrid, points: BoundaryPoints | undefined, side: number): Uint8Array {
  const { size, extent } = grid;
  const cells = cellColors(grid);
  const img = new Uint8Array(side * side * 4);
  const clamp = (v: number): number => Math.max(0, Math.min(size - 1, v));
  for (let py = 0; py < side; py++) {
    // Grid coordinates of the pixel centre, cell centres at whole numbers; y flipped.
    const gy = clamp(size - 1 - ((py + 0.5) / side * size - 0.5));
    const j0 = Math.floor(gy), j1 = Math.min(size - 1, j0 + 1), fy = gy - j0;
    for (let px = 0; px < side; px++) {
      const gx = clamp((px + 0.5) / side * size - 0.5);
      const i0 = Math.floor(gx), i1 = Math.min(size - 1, i0 + 1), fx = gx - i0;
      const k = (py * side + px) * 4;
      for (let c = 0; c < 3; c++) {
        const top = cells[(j0 * size + i0) * 3 + c] * (1 - fx) + cells[(j0 * size + i1) * 3 + c] * fx;
        const bottom = cells[(j1 * size + i0) * 3 + c] * (1 - fx) + cells[(j1 * size + i1) * 3 + c] * fx;
        img[k + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
      img[k + 3] = 255;
    }
  }
  if (points) drawPoints(img, side, extent, points, grid.width);
  return img;
}

/** Filled discs with a one-pixel ring, anti-aliased by coverage of the pixel centre's distance. */
function drawPoints(img: Uint8Array, side: number, extent: [number, number, number, number], points: BoundaryPoints, width: number): void {
  const [x0, x1, y0, y1] = extent;
  const r = Math.max(2.6, side / 110), ring = Math.max(1, side / 300);
  for (let n = 0; n < points.label.length; n++) {
    const cx = ((points.x[n * 2] - x0) / (x1 - x0)) * side;
    const cy = side - ((points.x[n * 2 + 1] - y0) / (y1 - y0)) * side;
    if (!Number.isFinite(cx) || !Number.isFinite(cy)) continue;
    const fill = classColour(width === 1 ? (points.label[n] >= 0.5 ? 1 : 0) : points.label[n], width);
    const edge: [number, number, number] = points.validation[n] ? [17, 17, 17] : [255, 255, 255];
    const reach = r + ring + 1;
    for (let py = Math.max(0, Math.floor(cy - reach)); py < Math.min(side, Math.ceil(cy + reach)); py++) {
      for (let px = Math.max(0, Math.floor(cx - reach)); px < Math.min(side, Math.ceil(cx + reach)); px++) {
        const d = Math.hypot(px + 0.5 - cx, py + 0.5 - cy);
        const outer = Math.max(0, Math.min(1, r + ring - d + 0.5));
        if (outer <= 0) continue;
        const inner = Math.max(0, Math.min(1, r - d + 0.5));
        const k = (py * side + px) * 4;
        for (let c = 0; c < 3; c++) {
          const col = fill[c] * inner + edge[c] * (1 - inner);
          img[k + c] = Math.round(col * outer + img[k + c] * (1 - outer));
        }
      }
    }
  }
}
