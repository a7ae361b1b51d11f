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

/** Copies the rows order[start … start + batch) of `data` into the feeder's staging arrays, a row's run of values at a time. */
export function gatherRows(data: Dataset, order: Uint32Array, start: number, f: Feeder): void {
  const { x, y, inputSize, outputSize } = data;
  const rows = f.tp.batch;
  for (let r = 0; r < rows; r++) {
    const src = order[start + r];
    for (let i = 0; i < f.xs.length; i++) {
      const dst = f.xs[i];
      const w = dst.length / rows;
      const base = src * inputSize + f.offsets[i];
      dst.set(x.subarray(base, base + w), r * w);
    }
    f.y.set(y.subarray(src * outputSize, (src + 1) * outputSize), r * outputSize);
  }
}
