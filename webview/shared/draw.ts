/**
 * Canvas drawing shared by the editor's training view and the gradients panel: the decision
 * boundary, weight matrices and histograms over time. Plain 2-D canvas into ImageData, so a
 * 64×64 boundary costs well under a millisecond.
 */
import { cellClass, classColour, type BoundaryPoints } from '../../src/protocol';
import { divergingRgba } from './colours';

/** Sizes a canvas's backing store to its CSS box (crisp on HiDPI) and returns its 2-D context. */
export function fitCanvas(canvas: HTMLCanvasElement, w: number, h: number): CanvasRenderingContext2D {
  const ratio = Math.min(2, window.devicePixelRatio || 1);
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  }
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** A cols×rows canvas and its pixels, kept for the next picture of that size (a new canvas and image each time cost a boundary ~2 ms and garbage). */
const scratches = new Map<string, { canvas: HTMLCanvasElement; img: ImageData }>();

/** Paints an rows×cols grid of RGBA cells, stretched over w×h CSS pixels (row 0 at the top); `fill` writes the cells' bytes. */
function paintPixels(ctx: CanvasRenderingContext2D, rows: number, cols: number, w: number, h: number, fill: (data: Uint8ClampedArray) => void): void {
  const key = `${cols}x${rows}`;
  let scratch = scratches.get(key);
  if (!scratch) {
    const canvas = document.createElement('canvas');
    canvas.width = cols;
    canvas.height = rows;
    scratch = { canvas, img: new ImageData(cols, rows) };
    if (scratches.size > 8) scratches.clear();
    scratches.set(key, scratch);
  }
  fill(scratch.img.data);
  (scratch.canvas.getContext('2d') as CanvasRenderingContext2D).putImageData(scratch.img, 0, 0);
  ctx.imageSmoothingEnabled = rows > 16 || cols > 16;
  ctx.drawImage(scratch.canvas, 0, 0, w, h);
}

/** paintPixels with one cell's RGBA at a time. */
function paintCells(ctx: CanvasRenderingContext2D, rows: number, cols: number, w: number, h: number, cell: (r: number, c: number) => [number, number, number, number]): void {
  paintPixels(ctx, rows, cols, w, h, (data) => {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const [R, G, B, A] = cell(r, c);
        const k = (r * cols + c) * 4;
        data[k] = R; data[k + 1] = G; data[k + 2] = B; data[k + 3] = A;
      }
    }
  });
}

/** The decision boundary: each cell tinted by the predicted class, strength by confidence; points on top. */
export function drawBoundary(
  canvas: HTMLCanvasElement, side: number,
  grid: { size: number; width: number; values: Float32Array; extent: [number, number, number, number] } | undefined,
  points: BoundaryPoints | undefined,
): void {
  const ctx = fitCanvas(canvas, side, side);
  ctx.clearRect(0, 0, side, side);
  const extent = grid?.extent ?? pointsExtent(points);
  if (grid) {
    const { size, width, values } = grid;
    // Grid row 0 is at ymin; the canvas's row 0 is the top, so flip.
    paintPixels(ctx, size, size, side, side, (data) => {
      for (let r = 0, d = 0; r < size; r++) {
        for (let c = 0; c < size; c++, d += 4) {
          const { cls, confidence: conf } = cellClass(values, ((size - 1 - r) * size + c) * width, width);
          // Blue for the positive class as TF Playground draws it; orange for class 0.
          const col = classColour(cls, width);
          data[d] = col[0]; data[d + 1] = col[1]; data[d + 2] = col[2]; data[d + 3] = Math.round(40 + conf * 150);
        }
      }
    });
  }
  if (!points || !extent) return;
  // Points alone (a run's first frame, before its first boundary) are drawn as they are: a layer
  // would cost that frame more.
  if (!grid) { drawPoints(ctx, side, extent, points, 1); return; }
  // Over a boundary, the points change only with the data: drawn once on a layer of their own,
  // then copied (one by one, a spiral's 400 points took most of each boundary's drawing).
  const width = grid.width;
  const key = `${extent.join(' ')} ${canvas.width} ${canvas.height} ${side} ${width}`;
  let layer = pointLayers.get(points);
  if (layer?.key !== key) {
    const own = document.createElement('canvas');
    own.width = canvas.width;
    own.height = canvas.height;
    const lctx = own.getContext('2d') as CanvasRenderingContext2D;
    lctx.setTransform(ctx.getTransform());
    drawPoints(lctx, side, extent, points, width);
    layer = { key, canvas: own };
    pointLayers.set(points, layer);
  }
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(layer.canvas, 0, 0);
  ctx.restore();
}

/** Each set of points drawn on a canvas of its own, for the plane and size it was drawn for (key). */
const pointLayers = new WeakMap<BoundaryPoints, { key: string; canvas: HTMLCanvasElement }>();

/** The data's points over the plane `extent` (training points ringed white, validation points dark). */
function drawPoints(ctx: CanvasRenderingContext2D, side: number, extent: [number, number, number, number], points: BoundaryPoints, width: number): void {
  const [x0, x1, y0, y1] = extent;
  const n = points.label.length;
  for (let i = 0; i < n; i++) {
    const px = ((points.x[i * 2] - x0) / (x1 - x0)) * side;
    const py = side - ((points.x[i * 2 + 1] - y0) / (y1 - y0)) * side;
    const cls = points.label[i];
    const col = classColour(width === 1 ? (cls >= 0.5 ? 1 : 0) : cls, width);
    ctx.beginPath();
    ctx.arc(px, py, 2.6, 0, Math.PI * 2);
    ctx.fillStyle = `rgb(${col[0]},${col[1]},${col[2]})`;
    ctx.fill();
    // Validation points get a dark ring, training points a white one.
    ctx.lineWidth = 1;
    ctx.strokeStyle = points.validation[i] ? '#111' : '#fff';
    ctx.stroke();
  }
}

/** The plane that holds `points`, padded by a tenth on each side (undefined: no points). */
export function pointsExtent(points: BoundaryPoints | undefined): [number, number, number, number] | undefined {
  if (!points || points.label.length === 0) return undefined;
  let a = Infinity, b = -Infinity, c = Infinity, d = -Infinity;
  for (let i = 0; i < points.label.length; i++) {
    a = Math.min(a, points.x[i * 2]); b = Math.max(b, points.x[i * 2]);
    c = Math.min(c, points.x[i * 2 + 1]); d = Math.max(d, points.x[i * 2 + 1]);
  }
  const px = (b - a || 2) * 0.1, py = (d - c || 2) * 0.1;
  return [a - px, b + px, c - py, d + py];
}

/** A weight matrix ([units, inputs] row-major) as a diverging heatmap. */
export function drawMatrix(canvas: HTMLCanvasElement, w: number, h: number, data: Float32Array, rows: number, cols: number): void {
  const ctx = fitCanvas(canvas, w, h);
  ctx.clearRect(0, 0, w, h);
  let max = 0;
  for (const v of data) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  paintCells(ctx, rows, cols, w, h, (r, c) => divergingRgba(data[r * cols + c], max));
}

/** Histograms over time: x is the snapshot (oldest left), y the value (common range), shade the count. */
export function drawHistograms(canvas: HTMLCanvasElement, w: number, h: number, hists: { min: number; max: number; counts: number[] }[], rgb: [number, number, number]): { min: number; max: number } | undefined {
  const ctx = fitCanvas(canvas, w, h);
  ctx.clearRect(0, 0, w, h);
  if (hists.length === 0) return undefined;
  let lo = Infinity, hi = -Infinity;
  for (const hst of hists) if (Number.isFinite(hst.min) && Number.isFinite(hst.max)) { lo = Math.min(lo, hst.min); hi = Math.max(hi, hst.max); }
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  const bins = 40;
  const cols = hists.length;
  const grid = new Float32Array(bins * cols);
  let peak = 0;
  hists.forEach((hst, c) => {
    const n = hst.counts.length;
    const span = hst.max - hst.min;
    const total = hst.counts.reduce((a, b) => a + b, 0) || 1;
    hst.counts.forEach((count, i) => {
      const center = span > 0 ? hst.min + ((i + 0.5) / n) * span : hst.min;
      const b = Math.min(bins - 1, Math.max(0, Math.floor(((center - lo) / (hi - lo)) * bins)));
      const v = (grid[b * cols + c] += count / total);
      if (v > peak) peak = v;
    });
  });
  paintCells(ctx, bins, cols, w, h, (r, c) => {
    const v = grid[(bins - 1 - r) * cols + c] / (peak || 1);
    return [rgb[0], rgb[1], rgb[2], Math.round(Math.sqrt(v) * 255)];
  });
  return { min: lo, max: hi };
}
