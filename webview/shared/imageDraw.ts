/**
 * Pictures of image networks, shared by the editor's image grid and the gradients panel: an input
 * image (grey for one channel, colour for three), a conv filter, a feature map. Each is painted at
 * its own pixel size into a small canvas; CSS scales it up without smoothing (image-rendering:
 * pixelated), so a 3×3 filter stays nine crisp squares.
 */
import { divergingRgba } from './colours';

/** Paints `h`×`w` RGBA pixels from `pixel(r, c)` into `canvas` (its backing store becomes w×h). */
function paint(canvas: HTMLCanvasElement, h: number, w: number, pixel: (r: number, c: number) => [number, number, number, number]): void {
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const img = new ImageData(w, h);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const k = (r * w + c) * 4;
      const [R, G, B, A] = pixel(r, c);
      img.data[k] = R; img.data[k + 1] = G; img.data[k + 2] = B; img.data[k + 3] = A;
    }
  }
  (canvas.getContext('2d') as CanvasRenderingContext2D).putImageData(img, 0, 0);
}

/** An image sent as bytes (H·W·C, channels last): one channel grey, three RGB, others their first channel. */
export function drawPicture(canvas: HTMLCanvasElement, shape: readonly number[], pixels: Uint8Array, offset = 0): void {
  const [h, w, c] = shape;
  paint(canvas, h, w, (r, col) => {
    const k = offset + (r * w + col) * c;
    if (c === 3) return [pixels[k], pixels[k + 1], pixels[k + 2], 255];
    const v = pixels[k];
    return [v, v, v, 255];
  });
}

/**
 * Filter `f` of conv weights [filters, kh, kw, c] (row-major), normalised on its own: three input
 * channels as colour (min to max), otherwise the mean over channels on the weights' diverging
 * scale (blue below 0, orange above, strength relative to the filter's largest |w|).
 */
export function drawFilter(canvas: HTMLCanvasElement, data: Float32Array, shape: readonly number[], f: number): void {
  const [, kh, kw, c] = shape;
  const per = kh * kw * c;
  const base = f * per;
  if (c === 3) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < per; i++) { const v = data[base + i]; if (v < lo) lo = v; if (v > hi) hi = v; }
    const span = hi > lo ? hi - lo : 1;
    paint(canvas, kh, kw, (r, col) => {
      const k = base + (r * kw + col) * 3;
      const ch = (i: number): number => Math.round(((data[k + i] - lo) / span) * 255);
      return [ch(0), ch(1), ch(2), 255];
    });
    return;
  }
  const mean = (r: number, col: number): number => {
    let s = 0;
    for (let i = 0; i < c; i++) s += data[base + (r * kw + col) * c + i];
    return s / c;
  };
  let max = 0;
  for (let r = 0; r < kh; r++) for (let col = 0; col < kw; col++) max = Math.max(max, Math.abs(mean(r, col)));
  paint(canvas, kh, kw, (r, col) => divergingRgba(mean(r, col), max));
}

/** Channel `ch` of a feature map [H, W, C] (channels last), grey from `lo` (black) to `hi` (white). */
export function drawFeatureMap(canvas: HTMLCanvasElement, data: Float32Array, shape: readonly number[], ch: number, lo: number, hi: number): void {
  const [h, w, c] = shape;
  const span = hi > lo ? hi - lo : 1;
  paint(canvas, h, w, (r, col) => {
    const v = data[(r * w + col) * c + ch];
    const g = Number.isFinite(v) ? Math.round(Math.max(0, Math.min(1, (v - lo) / span)) * 255) : 0;
    return [g, g, g, 255];
  });
}

/** The smallest and largest finite value. */
export function valueRange(data: Float32Array): { lo: number; hi: number } {
  let lo = Infinity, hi = -Infinity;
  for (const v of data) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return Number.isFinite(lo) ? { lo, hi } : { lo: 0, hi: 0 };
}

/** A class as the image views name it: its name when the data has names (at most 8 characters), else its number. */
export function classLabel(classNames: readonly string[], cls: number): string {
  const n = classNames[cls];
  return n === undefined || n === '' ? String(cls) : n.length > 8 ? `${n.slice(0, 7)}…` : n;
}
