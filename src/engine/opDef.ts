/**
 * The shape of an op definition (ops.ts, convOps.ts): what the tape records for each forward op
 * and what a gradient rule may do. Its own file so both definition files import it without
 * importing each other.
 */
import type { Invocation, OpAttrs } from './backend';
import type { Tensor } from './tensor';

/** What a gradient rule may do: read upstream gradients and emit contributions to inputs. */
export interface GradContext {
  /** The gradient of `t` (an output of the op being differentiated), if any flows. */
  gradOf(t: Tensor): Tensor | undefined;
  /**
   * Adds a contribution to `t`'s gradient. `make(dst, accumulate)` returns the invocation
   * writing it; when `canAccumulate` is false and `t` already has a gradient, the contribution
   * goes to a scratch tensor and is summed in with `scale(…, accumulate)`.
   */
  contribute(t: Tensor, canAccumulate: boolean, make: (dst: Tensor, accumulate: boolean) => Invocation): void;
  /**
   * Declares that `t`'s gradient is exactly `g` (biasAdd, add): the first time, `g`'s buffer is
   * reused with no op at all; otherwise it is summed in like any contribution.
   */
  pass(t: Tensor, g: Tensor): void;
  /** A scratch tensor for intermediate gradient values. */
  scratch(rows: number, cols: number, name: string): Tensor;
  /** Emits an invocation into the backward list. */
  emit(inv: Invocation): void;
}

/** The forward ops the tape records, with their attributes. */
export interface ForwardAttrs {
  matmul: OpAttrs['matmul'];
  biasAdd: OpAttrs['biasAdd'];
  add: OpAttrs['add'];
  mul: OpAttrs['mul'];
  concat: OpAttrs['concat'];
  activation: OpAttrs['activation'];
  dropout: OpAttrs['dropout'];
  conv2d: OpAttrs['conv2d'];
  pool2d: OpAttrs['pool2d'];
  batchNorm: OpAttrs['batchNorm'];
  batchNormInference: OpAttrs['batchNormInference'];
  /** A view: the same buffer read as rows×cols (flatten, reshape, an image input); no kernel runs. */
  view: { rows: number; cols: number };
}

/** One recorded forward op. */
export interface TapeEntry<O extends keyof ForwardAttrs = keyof ForwardAttrs> {
  op: O;
  attrs: ForwardAttrs[O];
  inputs: Tensor[];
  /** Outputs; for dropout the second output is the mask (batchNorm: see OpAttrs). */
  outputs: Tensor[];
}

/** An op definition: output shapes from input shapes, and the gradient rule. */
export interface OpDef<O extends keyof ForwardAttrs> {
  shapes(inputs: Tensor[], attrs: ForwardAttrs[O]): Array<[number, number]>;
  grad(e: TapeEntry<O>, ctx: GradContext): void;
}
