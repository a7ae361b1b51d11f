/** Symbolic tensors of the static graph: a shape, a device buffer, and whether a gradient flows. */
import type { BufferHandle } from './backend';

/** A rows×cols matrix living in a device buffer (rows is the batch for activations). */
export interface Tensor {
  readonly rows: number;
  readonly cols: number;
  readonly buf: BufferHandle;
  /** Name for errors and statistics, e.g. "h1.z" or "h1.weight". */
  readonly name: string;
  /** True when a gradient must be computed for it (parameters, and inputs for `nn grad`). */
  readonly requiresGrad: boolean;
}

/** Number of elements of a tensor. */
export function sizeOf(t: Tensor): number {
  return t.rows * t.cols;
}
