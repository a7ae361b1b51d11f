/**
 * The Predict pane's arithmetic (pure, no DOM): reading the typed values (errors in words, named
 * after the field), reading the network's outputs as per-class probabilities and a class name, and
 * mapping between the values a user types and the boundary's plane (the standardised units the
 * weights were trained in) and back.
 */
import { formatNumber } from '../../../src/model/formatNumber';
import type { PredictInfo } from '../../../src/protocol';

/** The values of the fields, or why they cannot be predicted from (and which field). */
export type ReadInputs = { values: number[] } | { error: string; field: number };

/** Reads one number per field; `names` name the fields in the error. */
export function readInputs(texts: readonly string[], names: readonly string[]): ReadInputs {
  const values: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i].trim();
    const name = names[i] ?? `input ${i + 1}`;
    if (t === '') return { error: `Enter a number for ${name}.`, field: i };
    const v = Number(t);
    if (!Number.isFinite(v)) {
      const hint = /^-?\d+,\d+$/.test(t) ? ` Write decimals with a point: ${t.replace(',', '.')}.` : ' Enter a number, e.g. 2.5 or -1.';
      return { error: `${name}: "${t.length > 40 ? `${t.slice(0, 40)}…` : t}" is not a number.${hint}`, field: i };
    }
    values.push(v);
  }
  return { values };
}

/** One bar: a class and its probability (0–1). */
export interface ClassBar {
  name: string;
  p: number;
}

/** What the outputs say: per-class bars and the predicted class (classifiers), and each output value in words. */
export interface ReadOutputs {
  bars: ClassBar[];
  predicted?: string;
  values: string;
}

/** Softmax of `v` (for scores that are not yet probabilities). */
function softmax(v: readonly number[]): number[] {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** Reads `outputs` as the design's task says: a sigmoid is two classes; one score per class; else quantities. */
export function readOutputs(outputs: readonly number[], info: Pick<PredictInfo, 'task' | 'classes' | 'outputs'>): ReadOutputs {
  const names = outputs.length === info.outputs.length ? info.outputs : outputs.map((_, i) => `output ${i + 1}`);
  // A probability reads best with three digits (the lecture's 0.226); a quantity keeps four.
  const shown = (v: number): string => (info.task === 'regression' || !Number.isFinite(v) ? formatNumber(v) : String(Number(v.toPrecision(3))));
  const values = outputs.map((v, i) => `${names[i]} = ${shown(v)}`).join(', ');
  if (outputs.some((v) => !Number.isFinite(v))) return { bars: [], values };
  if (info.task === 'binary' && outputs.length === 1 && info.classes.length === 2) {
    const p = Math.min(1, Math.max(0, outputs[0]));
    return { bars: [{ name: info.classes[0], p: 1 - p }, { name: info.classes[1], p }], predicted: info.classes[p >= 0.5 ? 1 : 0], values };
  }
  if (info.task === 'multiclass' && outputs.length === info.classes.length && outputs.length > 1) {
    const sum = outputs.reduce((a, b) => a + b, 0);
    const probs = outputs.every((v) => v >= 0 && v <= 1) && Math.abs(sum - 1) < 1e-3 ? [...outputs] : softmax(outputs);
    let best = 0;
    probs.forEach((p, i) => { if (p > probs[best]) best = i; });
    return { bars: probs.map((p, i) => ({ name: info.classes[i], p })), predicted: info.classes[best], values };
  }
  return { bars: [], values };
}

/** The point on the boundary's plane of typed `values` (scaled as the weights take them). */
export function toPlane(values: readonly number[], scale: PredictInfo['scale']): [number, number] {
  const s = (v: number, i: number): number => (scale ? (v - scale.mean[i]) / scale.std[i] : v);
  return [s(values[0], 0), s(values[1], 1)];
}

/** The typed values of a point of the plane, rounded to what the plane's resolution can tell apart. */
export function fromPlane(point: readonly [number, number], scale: PredictInfo['scale'], extent: readonly [number, number, number, number]): [number, number] {
  const raw = (v: number, i: number): number => (scale ? v * scale.std[i] + scale.mean[i] : v);
  const x = raw(point[0], 0), y = raw(point[1], 1);
  // One pixel of a 150 px plot is about 1/150 of the span: keep the decimal digit of a pixel.
  const spanX = Math.abs(raw(extent[1], 0) - raw(extent[0], 0)), spanY = Math.abs(raw(extent[3], 1) - raw(extent[2], 1));
  return [roundTo(x, spanX / 150), roundTo(y, spanY / 150)];
}

/** `v` rounded to the decimal digit at `resolution`. */
export function roundTo(v: number, resolution: number): number {
  if (!(resolution > 0) || !Number.isFinite(resolution)) return v;
  const digits = Math.max(0, Math.min(10, -Math.floor(Math.log10(resolution))));
  return Number(v.toFixed(digits));
}

/** Where a plane point falls on a side×side canvas over `extent` (row 0 at the top), and whether it lies inside. */
export function planeToCanvas(point: readonly [number, number], extent: readonly [number, number, number, number], side: number): { x: number; y: number; inside: boolean } {
  const [x0, x1, y0, y1] = extent;
  const x = ((point[0] - x0) / (x1 - x0)) * side;
  const y = side - ((point[1] - y0) / (y1 - y0)) * side;
  return { x, y, inside: x >= 0 && x <= side && y >= 0 && y <= side };
}

/** The plane point under canvas pixel (x, y). */
export function canvasToPlane(x: number, y: number, extent: readonly [number, number, number, number], side: number): [number, number] {
  const [x0, x1, y0, y1] = extent;
  return [x0 + (x / side) * (x1 - x0), y0 + ((side - y) / side) * (y1 - y0)];
}
