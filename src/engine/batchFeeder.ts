/**
 * A training step's staging: where each mini-batch's rows are gathered before its program runs.
 * On the CPU these are the program's own input and target buffers (the batch is gathered straight
 * into them); a device backend gets host arrays, copied to it once per step.
 */
import type { Backend } from './backend';
import type { Dataset } from './data/dataset';
import type { TrainProgram } from './session';

/** One program's staging arrays. */
export interface Feeder {
  tp: TrainProgram;
  xs: Float32Array[];
  y: Float32Array;
  /** Where each input's features start within a data row. */
  offsets: number[];
  /** Whether xs and y are the program's buffers themselves (nothing to copy after gathering). */
  direct: boolean;
}

/** The staging for `tp`, whose inputs take `inputSizes` features each and whose target `outWidth` values a row. */
export function makeFeeder(backend: Backend, tp: TrainProgram, inputSizes: number[], outWidth: number): Feeder {
  let o = 0;
  const offsets = inputSizes.map((w) => { const v = o; o += w; return v; });
  const view = backend.view?.bind(backend);
  if (view) return { tp, xs: tp.inputs.map((t) => view(t.buf)), y: view(tp.target.buf), offsets, direct: true };
  return { tp, xs: inputSizes.map((w) => new Float32Array(tp.batch * w)), y: new Float32Array(tp.batch * outWidth), offsets, direct: false };
}

/**
 * Copies the rows order[start … start + batch) of `data` into the feeder's staging arrays: rows
 * that follow one another in the data (no shuffling) in one copy per array, else a row at a time.
 * `inOrder`: the caller knows `order` is 0, 1, 2 … (an epoch not shuffled), so it is not looked at.
 */
export function gatherRows(data: Dataset, order: Uint32Array, start: number, f: Feeder, inOrder = false): void {
  const rows = f.tp.batch;
  const first = inOrder ? start : order[start];
  let run = true;
  if (!inOrder) for (let r = 1; r < rows && run; r++) run = order[start + r] === first + r;
  const at = run ? undefined : order.subarray(start, start + rows);
  for (let i = 0; i < f.xs.length; i++) copyRows(data.x, data.inputSize, f.offsets[i], f.xs[i], f.xs[i].length / rows, first, at, rows);
  copyRows(data.y, data.outputSize, 0, f.y, data.outputSize, first, at, rows);
}

/** Below this many values, a copy runs value by value (no subarray and set()). */
const SHORT_COPY = 256;

/**
 * Copies `w` values at `offset` of `rows` rows of `src` (`stride` values a row) into `dst`, row
 * after row: the rows `at` lists, or without it the rows first … first + rows.
 */
function copyRows(src: Float32Array, stride: number, offset: number, dst: Float32Array, w: number, first: number, at: Uint32Array | undefined, rows: number): void {
  if (!at && w === stride) {
    const n = rows * stride, base = first * stride;
    // A short run value by value: a subarray and set() cost more than copying a tiny batch.
    if (n >= SHORT_COPY) dst.set(src.subarray(base, base + n));
    else for (let i = 0; i < n; i++) dst[i] = src[base + i];
    return;
  }
  for (let r = 0; r < rows; r++) {
    const base = (at ? at[r] : first + r) * stride + offset;
    const o = r * w;
    // Short rows element by element (a subarray per row would cost more than the copy).
    if (w >= 64) dst.set(src.subarray(base, base + w), o);
    else for (let c = 0; c < w; c++) dst[o + c] = src[base + c];
  }
}
