/**
 * The autograd tape over a static graph. Forward calls allocate output buffers and record a
 * TapeEntry; `backward()` sweeps the tape in reverse and asks each op's definition (ops.ts) to
 * emit the invocations that compute its inputs' gradients. Nothing runs here: the result is
 * two invocation lists that a Program prepares once and replays every step.
 */
import type { ActivationFn, Backend, BufferHandle, Invocation, OpAttrs } from './backend';
import { OP_DEFS, type ForwardAttrs, type GradContext, type TapeEntry } from './ops';
import type { Tensor } from './tensor';

/** Records forward ops, then derives their backward. */
export class TapeGraph {
  /** Invocations of the forward pass, in order. */
  readonly forward: Invocation[] = [];
  /** Invocations of the backward pass (filled by backward()). */
  readonly backward: Invocation[] = [];
  private readonly tape: TapeEntry[] = [];
  private readonly grads = new Map<Tensor, Tensor>();

  constructor(readonly backend: Backend) {}

  /** A new tensor with a fresh zeroed buffer. */
  tensor(rows: number, cols: number, name: string, requiresGrad = false): Tensor {
    return { rows, cols, name, requiresGrad, buf: this.backend.createBuffer(rows * cols, name) };
  }

  /** op(a)·op(b). */
  matmul(a: Tensor, b: Tensor, name: string, transposeA = false, transposeB = false): Tensor {
    return this.record('matmul', { transposeA, transposeB, accumulate: false }, [a, b], name, (o) => {
      const k = transposeA ? a.rows : a.cols;
      return { m: o[0].rows, k, n: o[0].cols };
    })[0];
  }

  /** x + b, b broadcast over rows. */
  biasAdd(x: Tensor, b: Tensor, name: string): Tensor {
    return this.record('biasAdd', {}, [x, b], name, () => ({ rows: x.rows, cols: x.cols }))[0];
  }

  /** Element-wise a + b. */
  add(a: Tensor, b: Tensor, name: string): Tensor {
    return this.record('add', {}, [a, b], name, () => ({ size: a.rows * a.cols }))[0];
  }

  /** Element-wise a ⊙ b. */
  mul(a: Tensor, b: Tensor, name: string): Tensor {
    return this.record('mul', {}, [a, b], name, () => ({ size: a.rows * a.cols }))[0];
  }

  /** Column-wise concatenation. */
  concat(parts: Tensor[], name: string): Tensor {
    const widths = parts.map((p) => p.cols);
    return this.record('concat', { widths }, parts, name, (o) => ({ rows: o[0].rows, cols: o[0].cols }))[0];
  }

  /** f(x). */
  activation(x: Tensor, fn: ActivationFn, alpha: number, name: string): Tensor {
    return this.record('activation', { fn, alpha }, [x], name, () => ({ rows: x.rows, cols: x.cols }))[0];
  }

  /** Inverted dropout with a seeded mask. */
  dropout(x: Tensor, rate: number, seed: number, name: string): Tensor {
    return this.record('dropout', { rate, seed }, [x], name, () => ({ size: x.rows * x.cols }))[0];
  }

  /** 2-D convolution (no bias) of an image tensor (batch·h·w × c) with kernels (filters × kh·kw·c). */
  conv2d(x: Tensor, w: Tensor, attrs: OpAttrs['conv2d'], name: string): Tensor {
    return this.record('conv2d', attrs, [x, w], name, () => ({ rows: x.rows / (attrs.h * attrs.w) }))[0];
  }

  /** Max or average pooling of an image tensor, per channel. */
  pool2d(x: Tensor, attrs: OpAttrs['pool2d'], name: string): Tensor {
    return this.record('pool2d', attrs, [x], name, () => ({ rows: x.rows / (attrs.h * attrs.w) }))[0];
  }

  /**
   * Batch normalization with the batch's statistics over the last axis; updates `moving` (mean,
   * variance) in place, as Keras does while training.
   */
  batchNorm(x: Tensor, gamma: Tensor, beta: Tensor, moving: [Tensor, Tensor], attrs: OpAttrs['batchNorm'], name: string): Tensor {
    const stats = [this.tensor(x.cols, 1, `${name}.mean`), this.tensor(x.cols, 1, `${name}.invStd`)];
    return this.record('batchNorm', attrs, [x, gamma, beta], name, () => ({ rows: x.rows, cols: x.cols }), [...stats, ...moving])[0];
  }

  /** Batch normalization with the moving statistics (inference). */
  batchNormInference(x: Tensor, gamma: Tensor, beta: Tensor, moving: [Tensor, Tensor], attrs: OpAttrs['batchNormInference'], name: string): Tensor {
    return this.record('batchNormInference', attrs, [x, gamma, beta, ...moving], name, () => ({ rows: x.rows, cols: x.cols }))[0];
  }

  /** `x`'s buffer read as rows×cols (flatten, reshape): no kernel runs; `x` itself when the shape is the same. */
  view(x: Tensor, rows: number, cols: number, name: string): Tensor {
    if (x.rows === rows && x.cols === cols) return x;
    const shapes = OP_DEFS.view.shapes([x], { rows, cols });
    const y: Tensor = { rows: shapes[0][0], cols: shapes[0][1], name, requiresGrad: x.requiresGrad, buf: x.buf };
    this.tape.push({ op: 'view', attrs: { rows, cols }, inputs: [x], outputs: [y] });
    return y;
  }

  /** Appends a non-differentiable invocation (a loss, a fill) to the forward list. */
  emitForward(inv: Invocation): void {
    this.forward.push(inv);
  }

  /** Declares `grad` as the gradient of `t` (the loss kernel's dPred, or a seed of ones). */
  seedGrad(t: Tensor, grad: Tensor): void {
    this.grads.set(t, grad);
  }

  /** The gradient tensor of `t` once backward() ran, if any flowed to it. */
  gradOf(t: Tensor): Tensor | undefined {
    return this.grads.get(t);
  }

  /** The reverse sweep: emits every gradient invocation into `backward`. */
  backwardPass(): void {
    // Gradient buffers already shared by a pass-through: a second tensor sharing one would see
    // the first one's later accumulations, so it gets a copy instead.
    // Tracked by buffer: a view's gradient is another tensor over the same buffer.
    const shared = new Set<BufferHandle>();
    const ctx: GradContext = {
      pass: (t, g) => {
        if (!this.grads.has(t) && !shared.has(g.buf)) {
          this.grads.set(t, g);
          shared.add(g.buf);
          return;
        }
        ctx.contribute(t, true, (d, acc) => ({ op: 'scale', attrs: { factor: 1, accumulate: acc }, inputs: [g.buf], outputs: [d.buf], dims: { size: t.rows * t.cols } }));
      },
      gradOf: (t) => this.grads.get(t),
      scratch: (rows, cols, name) => this.tensor(rows, cols, name),
      emit: (inv) => { this.backward.push(inv); },
      contribute: (t, canAccumulate, make) => {
        const existing = this.grads.get(t);
        if (!existing) {
          const g = this.tensor(t.rows, t.cols, `grad:${t.name}`);
          this.grads.set(t, g);
          this.backward.push(make(g, false));
        } else if (canAccumulate) {
          this.backward.push(make(existing, true));
        } else {
          const tmp = this.tensor(t.rows, t.cols, `grad:${t.name}.part`);
          this.backward.push(make(tmp, false));
          this.backward.push({ op: 'scale', attrs: { factor: 1, accumulate: true }, inputs: [tmp.buf], outputs: [existing.buf], dims: { size: t.rows * t.cols } });
        }
      },
    };
    for (let i = this.tape.length - 1; i >= 0; i--) {
      const e = this.tape[i];
      if (!e.outputs.some((o) => this.grads.has(o))) continue;
      (OP_DEFS[e.op].grad as (e: TapeEntry, ctx: GradContext) => void)(e, ctx);
    }
  }

  /** Records one forward op; `given` supplies outputs after the first that already exist (batch norm's statistics). */
  private record<O extends Exclude<keyof ForwardAttrs, 'view'>>(
    op: O, attrs: ForwardAttrs[O], inputs: Tensor[], name: string,
    dims: (outputs: Tensor[]) => Invocation['dims'], given: Tensor[] = [],
  ): Tensor[] {
    const shapes = (OP_DEFS[op].shapes as (i: Tensor[], a: ForwardAttrs[O]) => Array<[number, number]>)(inputs, attrs);
    const requiresGrad = inputs.some((t) => t.requiresGrad);
    const outputs = shapes.map(([r, c], i) => (i > 0 && given[i - 1]) || this.tensor(r, c, i === 0 ? name : `${name}.mask`, requiresGrad && i === 0));
    this.tape.push({ op, attrs, inputs, outputs } as TapeEntry);
    this.forward.push({ op, attrs, inputs: inputs.map((t) => t.buf), outputs: outputs.map((t) => t.buf), dims: dims(outputs) } as Invocation);
    return outputs;
  }
}
