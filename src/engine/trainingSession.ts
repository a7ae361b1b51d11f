/**
 * A network being trained: compiled once on one backend, then driven a mini-batch at a time.
 * `train()` loops over it; Step, the live views, gradient checks and the jobs layer use the same
 * object, so a training step, an evaluation and the layer statistics are written once.
 *
 * Batching: an epoch visits the training rows in order (shuffled at the start of every epoch when
 * the settings say so, from the run's seed) in full batches and, when the row count is not a
 * multiple of the batch size, one smaller last batch. Divergence (a NaN/Inf or exploding loss,
 * NaN/Inf weights) throws a TrainError naming the step and the layer.
 */
import type { Backend, BufferHandle, Runnable } from './backend';
import { gatherRows, makeFeeder, type Feeder } from './batchFeeder';
import { CpuBackend } from './cpu/cpuBackend';
import type { Dataset } from './data/dataset';
import { DivergenceWatch } from './divergence';
import { divergenceError, nonFiniteParam, paramPlace, weightsDivergence, type Divergence, type StepPlace } from './divergenceReport';
import { TrainError } from './events';
import { firstNonFinite, type LayerStats } from './layerStats';
import { computeMetrics, hostLoss, type Metrics } from './metrics';
import { multiplyAdds, paramCounts, type CompiledNetwork, type WeightMap } from './network';
import { Random } from './random';
import { pickBackend, type BackendChoice } from './selectBackend';
import { EngineSession, type TrainProgram } from './session';
import { splitInputs } from './splitInputs';
import { RunningMetrics } from './runningMetrics';
import type { Tensor } from './tensor';
import { resolveLoss, type LossSetting, type TrainSettings } from './trainSettings';
import { sessionLayerStats } from './sessionLayerStats';
import { LOSS_READS_IN_FLIGHT, type Evaluation, type PendingLoss, type StepOutcome, type TrainingData } from './sessionTypes';

export { LOSS_READS_IN_FLIGHT, type Evaluation, type StepOutcome, type TrainingData };

/** The batch size a run uses for `rows` training rows (never more than there are rows). */
export function batchSizeFor(settings: TrainSettings, rows: number): number {
  return Math.max(1, Math.min(settings.batchSize, rows));
}

/** A network compiled for training on one backend, with its optimizer state and batch schedule. */
export class TrainingSession {
  /** The loss the session minimises (the file's, else the one the task implies). */
  readonly loss: LossSetting;
  readonly batch: number;
  readonly stepsPerEpoch: number;
  private readonly engine: EngineSession;
  private readonly train: Dataset;
  private readonly validation?: Dataset;
  private readonly inWidth: number;
  private readonly outWidth: number;
  /** Positions per sample of an image output (H·W; 1 for a vector). */
  private readonly outPixels: number;
  private readonly full: Feeder;
  private readonly rem?: Feeder;
  private readonly remRows: number;
  private readonly cpuView?: CpuBackend;
  private readonly finiteWatch?: { flag: BufferHandle; record: Runnable };
  private readonly order: Uint32Array;
  /** The parameter tensors, [key, tensor] in the session's order (the CPU checks them every step). */
  private readonly paramList: ReadonlyArray<readonly [string, Tensor]>;
  private readonly rng: Random;
  private readonly watch = new DivergenceWatch();
  private readonly pending: PendingLoss[] = [];
  private lastProgram: TrainProgram;
  private epochNo = 0;
  private stepNo = 0;
  private prevDeviceSum = 0;
  /** Device backends: the epoch's short last batch's loss sum, as its step's read brought it back. */
  private remDeviceSum = 0;
  private prevLoss = 0;
  /** The CPU: the last step's loss. */
  private cpuLoss = NaN;
  /** The CPU: the step that diverged in stepSync(), its error thrown by the next step(). */
  private diverged?: { bad: Divergence; tp: TrainProgram };
  private lastEpochLoss = NaN;
  /** The epoch's training metrics from its steps' outputs, once collectTrainingMetrics() asked for them. */
  private metricsSoFar?: RunningMetrics;

  /** Opens a session on the backend `choice` picks for this network and batch size. */
  static async open(net: CompiledNetwork, data: TrainingData, settings: TrainSettings, choice: BackendChoice): Promise<TrainingSession> {
    const params = paramCounts(net).reduce((s, c) => s + c.count, 0);
    const picked = await pickBackend(choice, { params, batch: batchSizeFor(settings, data.train.count), multiplyAdds: multiplyAdds(net) });
    return new TrainingSession(picked.backend, net, data, settings, picked.reason);
  }

  constructor(readonly backend: Backend, readonly net: CompiledNetwork, data: TrainingData, readonly settings: TrainSettings, readonly backendReason = '') {
    const tr = data.train;
    this.train = tr;
    this.validation = data.validation && data.validation.count > 0 ? data.validation : undefined;
    this.inWidth = net.inputSizes.reduce((a, b) => a + b, 0);
    this.outWidth = net.outputSizes.reduce((a, b) => a + b, 0);
    const outShape = net.outputIds.length === 1 ? net.layers.find((l) => l.id === net.outputIds[0])?.shape : undefined;
    this.outPixels = outShape && outShape.length > 1 ? this.outWidth / outShape[outShape.length - 1] : 1;
    if (tr.inputSize !== this.inWidth) throw new TrainError(`the data has ${tr.inputSize} feature(s) per row but the network's inputs take ${this.inWidth}; change the input units or the data's feature columns.`);
    if (tr.outputSize !== this.outWidth) throw new TrainError(`the data has ${tr.outputSize} target value(s) per row but the network outputs ${this.outWidth}; change the output layer's units to ${tr.outputSize}.`);
    if (tr.count === 0) throw new TrainError('the training data has no rows.');
    this.loss = resolveLoss(settings.loss, tr.task);
    this.batch = batchSizeFor(settings, tr.count);
    this.engine = new EngineSession(backend, net);
    this.full = this.feeder(this.batch);
    this.remRows = tr.count % this.batch;
    this.rem = this.remRows > 0 ? this.feeder(this.remRows) : undefined;
    this.lastProgram = this.full.tp;
    this.stepsPerEpoch = Math.ceil(tr.count / this.batch);
    this.cpuView = backend instanceof CpuBackend ? backend : undefined;
    // Device backends flag NaN/Inf weights on the device at the end of every step.
    const fw = this.cpuView ? undefined : backend.watchFinite?.([...this.engine.params.values()].map((t) => t.buf));
    if (fw) for (const f of [this.full, this.rem]) f?.tp.program.append(fw.record);
    this.finiteWatch = fw;
    this.paramList = [...this.engine.params];
    this.order = new Uint32Array(tr.count);
    for (let i = 0; i < this.order.length; i++) this.order[i] = i;
    this.rng = new Random(settings.seed ^ 0x2545f491);
  }

  /** The backend's name ('cpu', 'webgpu'). */
  get backendName(): string {
    return this.backend.name;
  }

  /** The loss kernel used (e.g. 'sigmoidBceLogits': cross-entropy computed from the logits). */
  get lossKind(): string {
    return this.full.tp.lossKind;
  }

  get trainCount(): number {
    return this.train.count;
  }

  get validationCount(): number {
    return this.validation?.count ?? 0;
  }

  /** The session's epoch (1-based; 0 before the first step) and step within it. */
  get epoch(): number {
    return this.epochNo;
  }

  get stepInEpoch(): number {
    return this.stepNo;
  }

  /** Steps run so far (the step counter Adam and dropout read). */
  get globalStep(): number {
    return this.engine.ctx.step;
  }

  /**
   * Runs the next mini-batch: after the last batch of an epoch the next epoch begins (shuffled
   * when the settings say so). Throws TrainError when the run diverged (see the file comment);
   * the session is then spent.
   */
  async step(): Promise<StepOutcome> {
    if (this.cpuView && this.stepSync()) return { epoch: this.epochNo, step: this.stepNo, globalStep: this.engine.ctx.step, loss: this.cpuLoss };
    const diverged = this.diverged;
    if (diverged) throw await divergenceError(this.engine, diverged.tp, diverged.bad);
    if (this.epochNo === 0 || this.stepNo === this.stepsPerEpoch) await this.beginEpoch();
    const backend = this.backend;
    const f = this.nextBatch();
    if (!f.direct) {
      f.xs.forEach((x, i) => backend.write(f.tp.inputs[i].buf, x));
      backend.write(f.tp.target.buf, f.y);
    }
    this.engine.ctx.step++;
    this.stepNo++;
    f.tp.program.run();
    this.lastProgram = f.tp;
    const at: StepPlace = { global: this.engine.ctx.step, epoch: this.epochNo, step: this.stepNo };
    // A device reads every step's loss back without waiting for it (see LOSS_READS_IN_FLIGHT).
    const sum = backend.readLater ? backend.readLater(f.tp.lossSum.buf) : backend.read(f.tp.lossSum.buf);
    const nonFinite = this.finiteWatch && backend.readLater ? backend.readLater(this.finiteWatch.flag) : undefined;
    // Running metrics: the predictions travel back with the loss; the targets are kept (the staging array is refilled next step).
    const pred = this.metricsSoFar ? (backend.readLater ? backend.readLater(f.tp.pred.buf) : backend.read(f.tp.pred.buf)) : undefined;
    this.pending.push({ ...at, sum, nonFinite, running: f === this.full, tp: f.tp, pred, y: pred && f.y.slice() });
    await this.settle(LOSS_READS_IN_FLIGHT);
    return { epoch: at.epoch, step: at.step, globalStep: at.global };
  }

  /**
   * The CPU: step() without a promise, for loops that run many steps (awaiting a tiny network's
   * step cost more than the step). Returns true once the step ran and was checked. Returns false
   * on a device backend, having run nothing (call step()), and when the step it ran diverged: the
   * next step() throws that step's TrainError.
   */
  stepSync(): boolean {
    const cpu = this.cpuView;
    if (!cpu || this.diverged) return false;
    // The CPU has no loss reads in flight: an epoch begins at once.
    if (this.epochNo === 0 || this.stepNo === this.stepsPerEpoch) this.openEpoch();
    const f = this.nextBatch();
    const step = ++this.engine.ctx.step;
    this.stepNo++;
    f.tp.program.run();
    this.lastProgram = f.tp;
    // The CPU looks at every step's loss and weights: divergence stops the run at its step.
    const sum = cpu.view(f.tp.lossSum.buf)[0];
    const loss = f === this.full ? sum - this.prevLoss : sum;
    if (f === this.full) this.prevLoss = sum;
    this.cpuLoss = loss;
    const bad = this.check(loss, step);
    if (bad) {
      this.diverged = { bad, tp: f.tp };
      return false;
    }
    this.metricsSoFar?.add(cpu.view(f.tp.pred.buf), f.y, this.metricRows(f.tp));
    return true;
  }

  /** The feeder of the epoch's next batch (the full one, or the smaller last one), its rows gathered. */
  private nextBatch(): Feeder {
    const start = this.stepNo * this.batch;
    const f = start + this.batch <= this.train.count ? this.full : (this.rem as Feeder);
    gatherRows(this.train, this.order, start, f, !this.settings.shuffle);
    return f;
  }

  /**
   * The current epoch's loss so far: the mean over the rows its steps have seen (each batch's loss
   * weighted by its rows, as the epoch loss is), the same on every backend. After an epoch's last
   * step it equals epochLoss().
   */
  async runningLoss(): Promise<number> {
    const rows = Math.min(this.stepNo * this.batch, this.train.count);
    return (await this.rowLossSum()) / Math.max(1, rows);
  }

  /** The current epoch's training loss: the mean over its rows of the batch losses. */
  async epochLoss(): Promise<number> {
    const loss = (await this.rowLossSum()) / this.train.count;
    // Every step's loss was finite, so this only catches a sum that overflowed float32.
    if (!Number.isFinite(loss)) throw await divergenceError(this.engine, this.full.tp, { global: this.globalStep, epoch: this.epochNo, step: this.stepNo, loss, kind: 'nonFinite' });
    this.lastEpochLoss = loss;
    return loss;
  }

  /**
   * Loss and metrics of the current weights: validation loss and metrics when there is a
   * validation split, else training metrics. `metrics: false` skips what only metrics need.
   */
  async evaluate(opts: { metrics?: boolean } = {}): Promise<Evaluation> {
    const va = this.validation;
    const set = va ?? this.train;
    if (!va && opts.metrics === false) return { metrics: {} };
    const pred = await this.predict(set.x, set.count);
    // An image output ([H, W, C]) is H·W predictions over C per sample, as training scores it:
    // losses and class metrics per pixel.
    const px = this.outPixels;
    const metrics = opts.metrics === false ? {} : set.task === 'multiclass'
      ? computeMetrics(set.task, pred, set.y, set.count * px, this.outWidth / px)
      : computeMetrics(set.task, pred, set.y, set.count, this.outWidth);
    return { valLoss: va ? hostLoss(this.loss, pred, va.y, va.count * px, this.outWidth / px) : undefined, metrics, predictions: pred };
  }

  /**
   * From now on, score every training step's rows by the outputs the step computed (as Keras
   * reports training metrics during fit): epochMetrics() then gives the epoch's metrics without a
   * pass of their own over the data. Call it before the first step: an epoch counts the steps run since.
   */
  collectTrainingMetrics(): void {
    if (this.metricsSoFar) return;
    const multiclass = this.train.task === 'multiclass';
    // An image output is H·W predictions per sample, scored per pixel (as evaluate() does).
    const px = multiclass ? this.outPixels : 1;
    this.metricsSoFar = new RunningMetrics(this.train.task, this.outWidth / px, this.full.tp.lossKind === 'sigmoidBceLogits' ? 0 : 0.5);
  }

  /** The current epoch's training metrics so far, every step settled first; undefined unless collectTrainingMetrics() asked for them. */
  async epochMetrics(): Promise<Metrics | undefined> {
    await this.settle(0);
    return this.metricsSoFar?.result();
  }

  /**
   * Statistics of every dense and conv2d layer's weights (kernels) and gradients after the last
   * step, and dead ReLUs: units, or filters dead at every position of the batch.
   */
  async layerStats(): Promise<LayerStats[]> {
    return sessionLayerStats(this.backend, this.net, this.engine.params, this.lastProgram);
  }

  /** Runs the network (dropout off) on `count` rows (features concatenated in input-node order). */
  async predict(x: Float32Array, count: number, chunk?: number): Promise<Float32Array> {
    return this.engine.predictRows(splitInputs(x, count, this.net.inputSizes), count, chunk);
  }

  /** The current weights, copied out. */
  readWeights(): Promise<WeightMap> {
    return this.engine.readWeights();
  }

  /** Overwrites the current weights (restoring the best epoch's). */
  writeWeights(w: WeightMap): void {
    this.engine.writeWeights(w);
  }

  /**
   * The weights to keep, checked: every step settled, and none NaN/Inf (a device backend checks
   * them here, once). Also stored into the network, so `predict(net, …)` uses them.
   */
  async finalWeights(): Promise<WeightMap> {
    await this.settle(0);
    const weights = await this.readWeights();
    for (const [key, w] of weights) {
      const i = firstNonFinite(w.data);
      if (i >= 0) throw await divergenceError(this.engine, this.full.tp, { global: this.globalStep, epoch: this.epochNo, step: this.stepNo, loss: this.lastEpochLoss, kind: 'weights', where: paramPlace(key, i) });
    }
    this.net.weights = weights;
    return weights;
  }

  /** Σ(batch loss × batch rows) over the epoch's steps so far, from the programs' loss sums (every step checked first). */
  private async rowLossSum(): Promise<number> {
    await this.settle(0);
    // A device backend already has both sums from its settled steps' reads: no further round trip.
    const cpu = this.cpuView;
    const fullSum = cpu ? cpu.view(this.full.tp.lossSum.buf)[0] : this.prevDeviceSum;
    const remSum = !this.rem ? 0 : cpu ? cpu.view(this.rem.tp.lossSum.buf)[0] : this.remDeviceSum;
    return fullSum * this.batch + remSum * this.remRows;
  }

  /** Frees the backend; reads still in flight are dropped unheard. */
  dispose(): void {
    for (const p of this.pending.splice(0)) {
      p.sum.catch(() => undefined);
      p.nonFinite?.catch(() => undefined);
      p.pred?.catch(() => undefined);
    }
    this.backend.dispose();
  }

  private feeder(b: number): Feeder {
    const tp = this.engine.buildTrain(b, this.loss, this.settings.optimizer, { l1: this.settings.l1, l2: this.settings.l2 });
    return makeFeeder(this.backend, tp, this.net.inputSizes, this.outWidth);
  }

  private async beginEpoch(): Promise<void> {
    await this.settle(0);
    this.openEpoch();
  }

  /** Starts the next epoch, every step of the last one settled: shuffles the rows and zeroes the loss sums and metrics. */
  private openEpoch(): void {
    if (this.settings.shuffle) this.rng.shuffle(this.order);
    const zero = new Float32Array(1);
    this.backend.write(this.full.tp.lossSum.buf, zero);
    if (this.rem) this.backend.write(this.rem.tp.lossSum.buf, zero);
    this.prevDeviceSum = 0;
    this.remDeviceSum = 0;
    this.prevLoss = 0;
    this.metricsSoFar?.reset();
    this.epochNo++;
    this.stepNo = 0;
  }

  /** Rows a step adds to the running metrics: its samples, or an image output's pixels (multiclass, scored per pixel). */
  private metricRows(tp: TrainProgram): number {
    return this.train.task === 'multiclass' ? tp.batch * this.outPixels : tp.batch;
  }

  /**
   * Looks at the loss of the run's step `global` (and on the CPU the weights after it): what went
   * wrong, or undefined (synchronous: no await per step). The step is the session's current one
   * (on a device backend, one in flight: `at` says which).
   */
  private check(loss: number, global: number, at?: StepPlace): Divergence | undefined {
    const kind = this.watch.check(loss);
    const where = kind ? undefined : this.cpuView && nonFiniteParam(this.paramList, this.cpuView);
    if (!kind && !where) return undefined;
    const place = at ?? { global, epoch: this.epochNo, step: this.stepNo };
    return kind ? { ...place, loss, kind, first: this.watch.first } : { ...place, loss, kind: 'weights', where };
  }

  /** Device backends: checks the oldest in-flight loss reads until at most `keep` remain. */
  private async settle(keep: number): Promise<void> {
    const pending = this.pending;
    // Reads queued with readLater travel with the next submission: send what is recorded.
    if (keep === 0 && pending.length > 0) this.backend.endStep();
    while (pending.length > keep) {
      const p = pending.shift() as PendingLoss;
      const sum = (await p.sum)[0];
      const loss = p.running ? sum - this.prevDeviceSum : sum;
      if (p.running) this.prevDeviceSum = sum;
      else this.remDeviceSum = sum;
      const bad = this.check(loss, p.global, p) ?? ((p.nonFinite && (await p.nonFinite)[0] !== 0) ? await weightsDivergence(this.engine, p, loss) : undefined);
      if (bad) throw await divergenceError(this.engine, p.tp, bad);
      if (p.pred && p.y) this.metricsSoFar?.add(await p.pred, p.y, this.metricRows(p.tp));
    }
  }
}
