/**
 * The decision-boundary grid for networks with two input features: a size×size lattice over
 * the data's extent (padded a little, as TensorFlow Playground draws it), predicted in one batch.
 */
import { cellClass, type BoundaryPoints } from '../protocol';
import type { DataSplit } from '../engine/data';

/** Where the grid lies and the lattice's input rows. */
export interface BoundaryGrid {
  size: number;
  extent: [number, number, number, number];
  /** size² rows of 2 features, row 0 at (xmin, ymin), x varying fastest. */
  rows: Float32Array;
}

/** The grid over the points' extent with 10% padding on each side. */
export function boundaryGrid(x: Float32Array, count: number, size: number): BoundaryGrid {
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (let i = 0; i < count; i++) {
    const a = x[i * 2], b = x[i * 2 + 1];
    if (a < xmin) xmin = a;
    if (a > xmax) xmax = a;
    if (b < ymin) ymin = b;
    if (b > ymax) ymax = b;
  }
  if (!(xmax > xmin)) { xmin -= 1; xmax += 1; }
  if (!(ymax > ymin)) { ymin -= 1; ymax += 1; }
  const px = (xmax - xmin) * 0.1, py = (ymax - ymin) * 0.1;
  const extent: [number, number, number, number] = [xmin - px, xmax + px, ymin - py, ymax + py];
  const rows = new Float32Array(size * size * 2);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const k = (j * size + i) * 2;
      rows[k] = extent[0] + ((i + 0.5) / size) * (extent[1] - extent[0]);
      rows[k + 1] = extent[2] + ((j + 0.5) / size) * (extent[3] - extent[2]);
    }
  }
  return { size, extent, rows };
}

/** Class index of each row of targets (width 1: threshold 0.5; otherwise argmax of the one-hot). */
export function classIndex(y: Float32Array, count: number, width: number): Float32Array {
  return Float32Array.from(predictedClasses(y, count, width));
}

/** The training and validation points of a 2-feature split, for drawing over the boundary. */
export function boundaryPoints(split: DataSplit): BoundaryPoints {
  const parts = [split.train, ...(split.validation ? [split.validation] : [])];
  const count = parts.reduce((s, p) => s + p.count, 0);
  const x = new Float32Array(count * 2);
  const label = new Float32Array(count);
  const validation = new Uint8Array(count);
  let off = 0;
  parts.forEach((p, pi) => {
    x.set(p.x, off * 2);
    label.set(classIndex(p.y, p.count, p.outputSize), off);
    if (pi === 1) validation.fill(1, off, off + p.count);
    off += p.count;
  });
  return { x, label, validation };
}

/** The predicted class of each of `count` rows of outputs `width` wide (width 1: p ≥ 0.5), as the boundary pictures read a cell. */
export function predictedClasses(values: Float32Array, count: number, width: number): Int32Array {
  const out = new Int32Array(count);
  for (let r = 0; r < count; r++) out[r] = cellClass(values, r * width, width).cls;
  return out;
}

/**
 * How ragged a boundary is: of the 2·size·(size − 1) pairs of side-by-side and one-above-the-other
 * cells of a size×size grid of classes, how many differ. A straight level boundary across the
 * grid costs `size`; every wiggle and island adds to it.
 */
export function classChanges(classes: ArrayLike<number>, size: number): { changes: number; pairs: number } {
  let changes = 0;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const c = classes[j * size + i];
      if (i + 1 < size && classes[j * size + i + 1] !== c) changes++;
      if (j + 1 < size && classes[(j + 1) * size + i] !== c) changes++;
    }
  }
  return { changes, pairs: 2 * size * (size - 1) };
}
