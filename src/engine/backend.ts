/**
 * The contract between the engine and a device: buffers, and a registry of kernels, one per op.
 *
 * Every backend (cpu, webgpu) implements the ops listed in OP_NAMES. A network is compiled once
 * into a Program: a flat list of kernel invocations over buffers allocated up front. Kernels are
 * *prepared* once per invocation (the CPU binds closures over Float32Arrays, WebGPU makes a
 * pipeline and a bind group) and the returned Runnable is replayed every step, so the step loop
 * allocates nothing and pays no per-op lookup.
 *
 * Rules every kernel follows, so backends agree:
 * - Matrices are row-major float32; `rows` is the batch dimension.
 * - An output never aliases an input of the same invocation (WebGPU forbids binding one buffer
 *   as read and read-write at once), except where an op says its outputs are updated in place.
 * - Kernels read runtime state only from the StepContext (the step counter), never from globals.
 */
import type { WindowGeometry } from '../model/convGeometry';

/** An opaque device buffer of `size` float32 elements. */
export interface BufferHandle {
  readonly size: number;
  /** Debug name, shown in errors ("h1.weight", "grad:h1.out"). */
  readonly label: string;
}

/** Mutable per-run state that kernels read when they run (not when they are prepared). */
export interface StepContext {
  /** 1-based optimizer step; Adam's bias correction and dropout's random stream read it. */
  step: number;
}

/** Activation functions the engine implements; the same names as nn/1's. */
export type ActivationFn = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'elu' | 'softmax' | 'step';

/**
 * Loss kinds. The `*Logits` kinds take pre-activation logits and are what the compiler uses when
 * a sigmoid/softmax output meets cross-entropy (stable: no log of a saturated probability).
 */
export type LossKind = 'sigmoidBceLogits' | 'softmaxCeLogits' | 'bce' | 'ce' | 'mse';

/**
 * The geometry of a 2-D window op over images stored channels last: one sample is h×w×c floats,
 * row-major (index (y·w + x)·c + ch), and a batch is `rows` samples back to back. The kernel (or
 * pooling window) is kh×kw at strides sh, sw; padTop/padLeft cells of padding lie before row and
 * column 0 (the output size oh×ow already accounts for the padding after). Built from the model's
 * windowGeometry (src/model/convGeometry.ts), so every backend and exporter pads alike.
 */
export type Window2D = Omit<WindowGeometry, 'padBottom' | 'padRight'>;

/**
 * Every op, its attributes, its buffers and its dims, in one place.
 * `in` lists input buffers, `out` output buffers (in that order); dims are the named integers
 * the invocation carries.
 */
export interface OpAttrs {
  /**
   * C = op(A)·op(B). in [A, B], out [C]; dims {m, k, n}: C is m×n, op(A) m×k, op(B) k×n.
   * transposeA: A is stored k×m; transposeB: B is stored n×k. accumulate: C += instead of C =.
   */
  matmul: { transposeA: boolean; transposeB: boolean; accumulate: boolean };
  /** Y = X + b broadcast over rows. in [X (rows×cols), b (cols)], out [Y]; dims {rows, cols}. */
  biasAdd: Record<string, never>;
  /** db = Σ_rows dY (or db += when accumulate). in [dY], out [db (cols)]; dims {rows, cols}. */
  biasGrad: { accumulate: boolean };
  /** c = a + b element-wise. in [a, b], out [c]; dims {size}. */
  add: Record<string, never>;
  /** c = a ⊙ b element-wise. in [a, b], out [c]; dims {size}. */
  mul: Record<string, never>;
  /** c = factor·a (or c += factor·a when accumulate). in [a], out [c]; dims {size}. */
  scale: { factor: number; accumulate: boolean };
  /** x = value. in [], out [x]; dims {size}. */
  fill: { value: number };
  /** out = [a₁ | a₂ | …] along columns. in [a₁…aₙ] (rows×widths[i]), out [out]; dims {rows, cols = Σ widths}. */
  concat: { widths: number[] };
  /** The backward of concat: column slices. in [dOut], out [d₁…dₙ]; dims {rows, cols}. accumulate: dᵢ +=. */
  concatGrad: { widths: number[]; accumulate: boolean };
  /** y = f(x); softmax is row-wise. in [x], out [y]; dims {rows, cols}. alpha: leaky_relu slope / elu α. */
  activation: { fn: ActivationFn; alpha: number };
  /**
   * dx = f'(x)·dy (softmax: the row-wise Jacobian product y⊙(dy − Σ dy⊙y)).
   * step is straight-through: dx = dy (its true derivative is 0 almost everywhere, which would
   * stop all learning; the compiler tells the user). in [x, y, dy], out [dx]; dims {rows, cols}.
   */
  activationGrad: { fn: ActivationFn; alpha: number };
  /**
   * Inverted dropout: mask = (u ≥ rate) / (1 − rate), y = x ⊙ mask, with u = dropoutUniform(seed,
   * ctx.step, i) so every backend draws the same mask. in [x], out [y, mask]; dims {size}.
   * The backward is `mul(dy, mask)`.
   */
  dropout: { rate: number; seed: number };
  /**
   * The mean loss over the batch and its gradient with respect to `pred` (logits for the *Logits
   * kinds). in [pred, target], out [loss (1 element), dPred]; dims {rows, cols}.
   * bce/sigmoidBceLogits/mse: mean over all elements (Keras); ce/softmaxCeLogits: sum over
   * columns, mean over rows. accumulate: loss += (the training loop sums batch losses on device).
   */
  loss: { kind: LossKind; accumulate: boolean };
  /**
   * SGD. in [grad], out (updated in place) [param, velocity]; dims {size}. The velocity is needed
   * only with momentum: plain SGD may pass [param] alone (and leaves a velocity it is given alone).
   * g' = grad + l2·2·param + l1·sign(param); v = momentum·v − lr·g';
   * param += nesterov ? momentum·v − lr·g' : v (momentum 0: param −= lr·g').
   */
  sgdUpdate: { lr: number; momentum: number; nesterov: boolean; l1: number; l2: number };
  /**
   * Adam with bias correction, t = ctx.step. in [grad], out (in place) [param, m, v]; dims {size}.
   * g' as for SGD; m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²;
   * param −= lr·(m/(1−β1ᵗ)) / (sqrt(v/(1−β2ᵗ)) + ε).
   */
  adamUpdate: { lr: number; beta1: number; beta2: number; epsilon: number; l1: number; l2: number };
  /**
   * RMSprop. in [grad], out (in place) [param, ms]; dims {size}.
   * ms = ρ·ms + (1−ρ)·g'²; param −= lr·g' / (sqrt(ms) + ε).
   */
  rmspropUpdate: { lr: number; rho: number; epsilon: number; l1: number; l2: number };
  /**
   * 2-D convolution (cross-correlation, as Keras and PyTorch), no bias (biasAdd follows with
   * rows = batch·oh·ow, cols = filters). in [X (rows × h·w·c), W (filters × kh·kw·c, i.e.
   * [filters][kh][kw][c])], out [Y (rows × oh·ow·filters)]; dims {rows}. Padding cells are zeros.
   */
  conv2d: Window2D & { filters: number };
  /** dX of conv2d. in [dY, W], out [dX (rows × h·w·c)]; dims {rows}. accumulate: dX +=. */
  conv2dGradInput: Window2D & { filters: number; accumulate: boolean };
  /** dW of conv2d, summed over the batch. in [X, dY], out [dW (filters × kh·kw·c)]; dims {rows}. accumulate: dW +=. */
  conv2dGradWeight: Window2D & { filters: number; accumulate: boolean };
  /**
   * Pooling per channel. in [X (rows × h·w·c)], out [Y (rows × oh·ow·c)]; dims {rows}. Padding
   * cells are ignored: max takes the largest cell inside the input, avg divides by the number of
   * window cells inside the input (Keras; PyTorch's count_include_pad=False). Global average
   * pooling is avg with kh×kw = h×w.
   */
  pool2d: Window2D & { mode: 'max' | 'avg' };
  /**
   * dX of pool2d. in [X, dY], out [dX]; dims {rows}. max: each window's gradient goes to its
   * first largest cell in row-major scan order (overlapping windows add up). accumulate: dX +=.
   */
  pool2dGrad: Window2D & { mode: 'max' | 'avg'; accumulate: boolean };
  /**
   * Batch normalization while training, over the last axis: rows = batch·h·w (or batch for a
   * vector), cols = channels. in [X, gamma (cols), beta (cols)], out [Y, mean (cols), invStd
   * (cols), movingMean (cols), movingVar (cols)]; dims {rows, cols}. mean and the biased variance
   * var are the batch's; invStd = 1/sqrt(var + epsilon); Y = gamma·(X − mean)·invStd + beta; the
   * moving statistics are updated in place (Keras): moving = momentum·moving + (1 − momentum)·batch,
   * with the batch's biased variance.
   */
  batchNorm: { epsilon: number; momentum: number };
  /**
   * Batch normalization at inference. in [X, gamma, beta, movingMean, movingVar], out [Y];
   * dims {rows, cols}. Y = gamma·(X − movingMean)/sqrt(movingVar + epsilon) + beta.
   */
  batchNormInference: { epsilon: number };
  /**
   * The backward of batchNorm (training). in [X, dY, gamma, mean, invStd], out [dX, dGamma,
   * dBeta]; dims {rows, cols}. accumulate: dX += (dGamma and dBeta are always written, not added).
   */
  batchNormGrad: { accumulate: boolean };
}

/** The name of an op. */
export type OpName = keyof OpAttrs;

/** Every op name; a backend is complete when it registers a kernel for each. */
export const OP_NAMES: readonly OpName[] = [
  'matmul', 'biasAdd', 'biasGrad', 'add', 'mul', 'scale', 'fill', 'concat', 'concatGrad',
  'activation', 'activationGrad', 'dropout', 'loss', 'sgdUpdate', 'adamUpdate', 'rmspropUpdate',
  'conv2d', 'conv2dGradInput', 'conv2dGradWeight', 'pool2d', 'pool2dGrad',
  'batchNorm', 'batchNormInference', 'batchNormGrad',
];

/** The named integers of an invocation (see each op's comment for which it carries). */
export interface Dims {
  m?: number;
  k?: number;
  n?: number;
  rows?: number;
  cols?: number;
  size?: number;
}

/** One call of one op over concrete buffers, as recorded in a Program. */
export interface Invocation<O extends OpName = OpName> {
  op: O;
  attrs: OpAttrs[O];
  inputs: BufferHandle[];
  outputs: BufferHandle[];
  dims: Dims;
}

/** A prepared kernel invocation, replayed every step. */
export type Runnable = () => void;

/** Prepares one invocation of an op; called once at compile time, never in the step loop. */
export type Kernel<O extends OpName = OpName> = (inv: Invocation<O>, ctx: StepContext) => Runnable;

/** The kernels a backend implements, by op name. */
export type KernelRegistry = { [O in OpName]?: Kernel<O> };

/** A compute device. */
export interface Backend {
  readonly name: string;
  /** Allocates a zero-filled buffer of `size` float32 elements. */
  createBuffer(size: number, label: string): BufferHandle;
  /** Copies `data` into `buf` starting at element `offset` (default 0). */
  write(buf: BufferHandle, data: Float32Array, offset?: number): void;
  /** Reads a buffer back to the host (waits for queued work). */
  read(buf: BufferHandle): Promise<Float32Array>;
  /**
   * Optional (host backends): the buffer's own storage, read in place with no copy; it changes
   * with the next step, so a caller copies what it keeps.
   */
  view?(buf: BufferHandle): Float32Array;
  /**
   * Optional (device backends): queues a read of `buf` as it is now, sent with the next step's
   * submission (or endStep) instead of one of its own; the loop reads every step's loss this way.
   */
  readLater?(buf: BufferHandle): Promise<Float32Array>;
  /**
   * Optional (device backends): a runnable that, replayed at the end of each step, sets `flag[0]`
   * to 1 (and leaves it so) once any of `bufs` holds NaN/Inf; the loop reads the flag with each
   * step's loss, so NaN weights stop the run at the step they appear without reading them back.
   */
  watchFinite?(bufs: BufferHandle[]): { flag: BufferHandle; record: Runnable };
  readonly kernels: KernelRegistry;
  /**
   * Optional: prepares a whole program's invocations at once, where the backend has one kernel
   * for several neighbours (the CPU: bias + activation in one pass). Every invocation's outputs
   * are written exactly as preparing each alone would write them.
   */
  prepareAll?(invs: Invocation[], ctx: StepContext): Runnable[];
  /** Starts recording one step (WebGPU: opens the command encoder). */
  beginStep(): void;
  /** Ends a step (WebGPU: one submission). */
  endStep(): void;
  /** Frees every buffer and device resource. */
  dispose(): void;
}

/** Error thrown when a backend lacks a kernel the program needs. */
export class MissingKernelError extends Error {
  constructor(op: string, backend: string) {
    super(`The ${backend} backend has no kernel for op '${op}'. Use --backend cpu, or report this as a bug.`);
    this.name = 'MissingKernelError';
  }
}

/** Looks up and prepares a kernel, failing with a message naming the op and the backend. */
export function prepareKernel<O extends OpName>(backend: Backend, inv: Invocation<O>, ctx: StepContext): Runnable {
  const kernel = backend.kernels[inv.op] as Kernel<O> | undefined;
  if (!kernel) throw new MissingKernelError(inv.op, backend.name);
  return kernel(inv, ctx);
}

/** Prepares a program's invocations in order: with the backend's fused kernels where it has some (see Backend.prepareAll). */
export function prepareProgram(backend: Backend, invs: Invocation[], ctx: StepContext): Runnable[] {
  return backend.prepareAll ? backend.prepareAll(invs, ctx) : invs.map((inv) => prepareKernel(backend, inv, ctx));
}

/**
 * The dropout random stream shared by every backend: a uniform in [0, 1) from (seed, step, i).
 * A 32-bit integer hash (lowbias32 by Chris Wellons' hash prospector) over the three words, so
 * WGSL can compute the same bits with u32 arithmetic.
 */
export function dropoutUniform(seed: number, step: number, i: number): number {
  let h = hash32((seed ^ 0x9e3779b9) >>> 0);
  h = hash32((h ^ step) >>> 0);
  h = hash32((h ^ i) >>> 0);
  return (h >>> 8) / 16777216;
}

/** lowbias32: x ^= x>>16; x *= 0x7feb352d; x ^= x>>15; x *= 0x846ca68b; x ^= x>>16. */
function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}
