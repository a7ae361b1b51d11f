/**
 * A network placed on one backend: parameter buffers, optimizer state, and the Programs built
 * from the tape. A Program is compiled once per (kind, batch size) and replayed every step.
 */
import { prepareProgram, type Backend, type BufferHandle, type Invocation, type LossKind, type Runnable, type StepContext } from './backend';
import { TapeGraph } from './tapeGraph';
import { buildForward, isTrainedParam, type CompiledNetwork, type ForwardGraph, type WeightMap } from './network';
import { sizeOf, type Tensor } from './tensor';
import type { LossSetting, OptimizerSettings } from './trainSettings';

/** A flat list of prepared kernel invocations, replayed as one step. */
export class Program {
  constructor(private readonly backend: Backend, private readonly runnables: Runnable[]) {}

  /** Runs every invocation once, as one backend step (one submission on WebGPU). */
  run(): void {
    this.backend.beginStep();
    const r = this.runnables;
    for (let i = 0; i < r.length; i++) r[i]();
    this.backend.endStep();
  }

  /** Adds a runnable replayed at the end of every step (the divergence watch's check). */
  append(r: Runnable): void {
    this.runnables.push(r);
  }

  /** Number of kernel invocations per step. */
  get length(): number {
    return this.runnables.length;
  }
}

/** A training step program and the tensors the loop feeds and reads. */
export interface TrainProgram {
  program: Program;
  batch: number;
  inputs: Tensor[];
  target: Tensor;
  /** Running sum of batch losses (the loop zeroes it). */
  lossSum: Tensor;
  output: Tensor;
  /**
   * What the loss reads: the output, or its logits when the loss works from them (lossKind
   * sigmoidBceLogits, softmaxCeLogits); rows × cols as the target. Running training metrics read it.
   */
  pred: Tensor;
  /** Gradient of each parameter, by WeightMap key. */
  grads: Map<string, Tensor>;
  /** The loss kernel actually used (e.g. sigmoidBceLogits for sigmoid + BCE). */
  lossKind: LossKind;
  /**
   * Each node's output tensor (for dead-ReLU statistics). Outputs no training op reads (the
   * final sigmoid/softmax when the loss works from logits) are not computed by this program.
   */
  values: Map<string, Tensor>;
}

/** A forward-only program (inference: dropout off). */
export interface ForwardProgram {
  program: Program;
  batch: number;
  inputs: Tensor[];
  outputs: Tensor[];
}

/** A program computing ∂output/∂(inputs, parameters) for one sample and a scalar output. */
export interface GradProgram {
  program: Program;
  inputs: Tensor[];
  output: Tensor;
  inputGrads: Array<Tensor | undefined>;
  paramGrads: Map<string, Tensor>;
}

/**
 * Drops forward invocations whose outputs nothing reads: when the loss is computed from logits,
 * the output's sigmoid/softmax is never needed while training (a tenth of a tiny net's step).
 */
function pruneForward(forward: Invocation[], after: Invocation[]): Invocation[] {
  const needed = new Set<BufferHandle>();
  for (const inv of after) inv.inputs.forEach((b) => needed.add(b));
  const kept: Invocation[] = [];
  for (let i = forward.length - 1; i >= 0; i--) {
    const inv = forward[i];
    if (inv.op !== 'loss' && !inv.outputs.some((b) => needed.has(b))) continue;
    inv.inputs.forEach((b) => needed.add(b));
    kept.push(inv);
  }
  return kept.reverse();
}

/** Picks the loss kernel: from logits where a sigmoid/softmax output meets cross-entropy. */
export function chooseLoss(loss: LossSetting, fwd: ForwardGraph, outputId: string, output: Tensor): { kind: LossKind; pred: Tensor } {
  const pre = fwd.preActivation.get(outputId);
  if (loss === 'binary_crossentropy' && pre?.fn === 'sigmoid') return { kind: 'sigmoidBceLogits', pred: pre.pre };
  if (loss === 'categorical_crossentropy' && pre?.fn === 'softmax') return { kind: 'softmaxCeLogits', pred: pre.pre };
  return { kind: loss === 'binary_crossentropy' ? 'bce' : loss === 'categorical_crossentropy' ? 'ce' : 'mse', pred: output };
}

/** Parameters and optimizer state of one network on one backend. */
export class EngineSession {
  /** The step counter kernels read (Adam's t, dropout's stream). */
  readonly ctx: StepContext = { step: 0 };
  readonly params = new Map<string, Tensor>();
  private readonly state = new Map<string, Tensor[]>();
  private readonly forwardCache = new Map<number, ForwardProgram>();

  constructor(readonly backend: Backend, readonly net: CompiledNetwork) {
    for (const [key, w] of net.weights) {
      const rows = w.shape[0] ?? 1;
      const t: Tensor = { rows, cols: w.data.length / rows, name: key, requiresGrad: true, buf: backend.createBuffer(w.data.length, key) };
      backend.write(t.buf, w.data);
      this.params.set(key, t);
    }
  }

  /** Copies the device weights back into a fresh WeightMap. */
  async readWeights(): Promise<WeightMap> {
    const out: WeightMap = new Map();
    for (const [key, t] of this.params) {
      const shape = this.net.weights.get(key)?.shape ?? [t.rows, t.cols];
      out.set(key, { shape: [...shape], data: await this.backend.read(t.buf) });
    }
    return out;
  }

  /** Overwrites the device weights (restoring the best epoch's weights). */
  writeWeights(w: WeightMap): void {
    for (const [key, t] of this.params) {
      const src = w.get(key);
      if (src) this.backend.write(t.buf, src.data);
    }
  }

  /** Builds a training-step program for `batch` rows. */
  buildTrain(batch: number, loss: LossSetting, opt: OptimizerSettings, reg: { l1: number; l2: number }): TrainProgram {
    const net = this.net;
    if (net.outputIds.length !== 1) {
      throw new Error(`training needs exactly one output node; this network has ${net.outputIds.length} (${net.outputIds.join(', ')}). Join them with a concat node.`);
    }
    const g = new TapeGraph(this.backend);
    const inputs = net.inputIds.map((id, i) => g.tensor(batch, net.inputSizes[i], `${id}.x`));
    const fwd = buildForward(g, net, this.params, inputs, true);
    const outputId = net.outputIds[0];
    const output = fwd.values.get(outputId) as Tensor;
    const lossSum = g.tensor(1, 1, 'loss');
    const { kind, pred } = chooseLoss(loss, fwd, outputId, output);
    // The target has the prediction's layout: batch rows of a vector, or batch·H·W rows of an
    // image's channels (per-pixel losses, as Keras averages them); the host writes it row by row either way.
    const target = g.tensor(pred.rows, pred.cols, 'target');
    const dPred = g.tensor(pred.rows, pred.cols, `grad:${pred.name}`);
    g.emitForward({ op: 'loss', attrs: { kind, accumulate: true }, inputs: [pred.buf, target.buf], outputs: [lossSum.buf, dPred.buf], dims: { rows: pred.rows, cols: pred.cols } });
    g.seedGrad(pred, dPred);
    g.backwardPass();
    const grads = new Map<string, Tensor>();
    const updates = [];
    for (const [key, p] of this.params) {
      // Batch norm's moving statistics are updated by its training kernel, never by the optimizer.
      const grad = isTrainedParam(key) ? g.gradOf(p) : undefined;
      if (!grad) continue; // a parameter the output does not depend on
      grads.set(key, grad);
      // Regularisation applies to weights, not biases (the lectures' R(W)).
      const l1 = key.endsWith('.weight') ? reg.l1 : 0;
      const l2 = key.endsWith('.weight') ? reg.l2 : 0;
      const size = sizeOf(p);
      const st = this.optimizerState(key, p, opt);
      if (opt.type === 'sgd') {
        updates.push({ op: 'sgdUpdate' as const, attrs: { lr: opt.learningRate, momentum: opt.momentum, nesterov: opt.nesterov, l1, l2 }, inputs: [grad.buf], outputs: [p.buf, ...st.map((s) => s.buf)], dims: { size } });
      } else if (opt.type === 'adam') {
        updates.push({ op: 'adamUpdate' as const, attrs: { lr: opt.learningRate, beta1: opt.beta1, beta2: opt.beta2, epsilon: opt.epsilon, l1, l2 }, inputs: [grad.buf], outputs: [p.buf, st[0].buf, st[1].buf], dims: { size } });
      } else {
        updates.push({ op: 'rmspropUpdate' as const, attrs: { lr: opt.learningRate, rho: opt.rho, epsilon: opt.epsilon, l1, l2 }, inputs: [grad.buf], outputs: [p.buf, st[0].buf], dims: { size } });
      }
    }
    const all = [...pruneForward(g.forward, [...g.backward, ...updates]), ...g.backward, ...updates];
    const program = new Program(this.backend, prepareProgram(this.backend, all, this.ctx));
    return { program, batch, inputs, target, lossSum, output, pred, grads, lossKind: kind, values: fwd.values };
  }

  /** A cached inference program for `batch` rows. */
  forward(batch: number): ForwardProgram {
    let fp = this.forwardCache.get(batch);
    if (fp) return fp;
    const net = this.net;
    const g = new TapeGraph(this.backend);
    const inputs = net.inputIds.map((id, i) => g.tensor(batch, net.inputSizes[i], `${id}.x`));
    const fwd = buildForward(g, net, this.params, inputs, false);
    // Each output read as batch rows of its values (an image output is viewed flat).
    const outputs = net.outputIds.map((id, i) => {
      const t = fwd.values.get(id) as Tensor;
      return g.view(t, batch, net.outputSizes[i], `${id}.rows`);
    });
    fp = { program: new Program(this.backend, prepareProgram(this.backend, g.forward, this.ctx)), batch, inputs, outputs };
    this.forwardCache.set(batch, fp);
    return fp;
  }

  /** Runs inference over `count` rows per input (row-major per input), in chunks; returns outputs concatenated per row. */
  async predictRows(xs: Float32Array[], count: number, chunk = 256): Promise<Float32Array> {
    const outWidth = this.net.outputSizes.reduce((a, b) => a + b, 0);
    const result = new Float32Array(count * outWidth);
    for (let start = 0; start < count; start += chunk) {
      const b = Math.min(chunk, count - start);
      const fp = this.forward(b);
      fp.inputs.forEach((t, i) => this.backend.write(t.buf, xs[i].subarray(start * t.cols, (start + b) * t.cols)));
      fp.program.run();
      let off = 0;
      for (const o of fp.outputs) {
        // The CPU's buffer is read where it lies (a device's read is a fresh copy either way).
        const data = this.backend.view ? this.backend.view(o.buf) : await this.backend.read(o.buf);
        // One output is the result's rows as they are: one copy, not one per row (a tenth of a tiny net's epoch).
        if (o.cols === outWidth) result.set(data.subarray(0, b * o.cols), start * outWidth);
        else for (let r = 0; r < b; r++) result.set(data.subarray(r * o.cols, (r + 1) * o.cols), (start + r) * outWidth + off);
        off += o.cols;
      }
    }
    return result;
  }

  /** A program for ∂output/∂inputs and ∂output/∂parameters of the single scalar output, one sample. */
  buildGrad(): GradProgram {
    const net = this.net;
    const total = net.outputSizes.reduce((a, b) => a + b, 0);
    if (total !== 1) throw new Error(`nn grad needs a single scalar output; this network outputs ${total} values.`);
    const g = new TapeGraph(this.backend);
    const inputs = net.inputIds.map((id, i) => g.tensor(1, net.inputSizes[i], `${id}`, true));
    const fwd = buildForward(g, net, this.params, inputs, false);
    const output = fwd.values.get(net.outputIds[0]) as Tensor;
    const seed = g.tensor(1, 1, 'seed');
    g.emitForward({ op: 'fill', attrs: { value: 1 }, inputs: [], outputs: [seed.buf], dims: { size: 1 } });
    g.seedGrad(output, seed);
    g.backwardPass();
    const paramGrads = new Map<string, Tensor>();
    for (const [key, p] of this.params) {
      const gr = g.gradOf(p);
      if (gr) paramGrads.set(key, gr);
    }
    const all = [...g.forward, ...g.backward];
    return {
      program: new Program(this.backend, prepareProgram(this.backend, all, this.ctx)),
      inputs, output, inputGrads: inputs.map((t) => g.gradOf(t)), paramGrads,
    };
  }

  /** Adam's two moments, RMSprop's mean square, SGD's velocity only with momentum (plain SGD keeps none). */
  private optimizerState(key: string, p: Tensor, opt: OptimizerSettings): Tensor[] {
    let st = this.state.get(key);
    if (!st) {
      const n = opt.type === 'adam' ? 2 : opt.type === 'rmsprop' || opt.momentum !== 0 ? 1 : 0;
      st = Array.from({ length: n }, (_, i) => ({ rows: p.rows, cols: p.cols, name: `${key}.opt${i}`, requiresGrad: false, buf: this.backend.createBuffer(sizeOf(p), `${key}.opt${i}`) }));
      this.state.set(key, st);
    }
    return st;
  }
}
