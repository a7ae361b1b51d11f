/**
 * Step: one mini-batch at a time, on a session kept between Step commands so the optimizer's
 * state (Adam's moments, the step counter) carries over, as it would inside a run.
 */
import { defaultLoss, TrainError, type CompiledNetwork, type TrainSettings } from '../engine';
import { CpuBackend } from '../engine/cpu/cpuBackend';
import type { DataSplit } from '../engine/data';
import { DivergenceWatch, explodedText, lossText } from '../engine/divergence';
import { deadFraction, firstNonFinite, tensorStats } from '../engine/layerStats';
import { EngineSession, type TrainProgram } from '../engine/session';
import { splitInputs } from '../engine/train';
import type { LayerSummary } from '../protocol';

/** The result of one step. */
export interface StepResult {
  /** 1-based epoch and step within it. */
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  globalStep: number;
  loss: number;
  layers: LayerSummary[];
}

/** A network on the CPU backend with a training program for one batch size. */
export class StepSession {
  readonly session: EngineSession;
  private readonly program: TrainProgram;
  private readonly batch: number;
  private cursor = 0;
  private steps = 0;
  private readonly watch = new DivergenceWatch();

  constructor(readonly key: string, readonly net: CompiledNetwork, readonly split: DataSplit, readonly settings: TrainSettings) {
    this.session = new EngineSession(new CpuBackend(), net);
    this.batch = Math.max(1, Math.min(settings.batchSize, split.train.count));
    const loss = settings.loss ?? defaultLoss(split.train.task);
    this.program = this.session.buildTrain(this.batch, loss, settings.optimizer, { l1: settings.l1, l2: settings.l2 });
  }

  /** Batches per pass over the training rows (the last partial batch wraps around). */
  get stepsPerEpoch(): number {
    return Math.ceil(this.split.train.count / this.batch);
  }

  /**
   * Runs one batch (rows taken in order, wrapping around) and returns its loss and layer
   * statistics. A step whose loss is NaN/Inf or explodes, or that leaves NaN/Inf weights, throws
   * TrainError: the session is then spent (drop it) and its weights must not be saved.
   */
  async step(): Promise<StepResult> {
    const tr = this.split.train;
    const b = this.batch;
    const x = new Float32Array(b * tr.inputSize);
    const y = new Float32Array(b * tr.outputSize);
    for (let r = 0; r < b; r++) {
      const src = (this.cursor + r) % tr.count;
      x.set(tr.x.subarray(src * tr.inputSize, (src + 1) * tr.inputSize), r * tr.inputSize);
      y.set(tr.y.subarray(src * tr.outputSize, (src + 1) * tr.outputSize), r * tr.outputSize);
    }
    this.cursor = (this.cursor + b) % tr.count;
    const backend = this.session.backend;
    const tp = this.program;
    splitInputs(x, b, this.net.inputSizes).forEach((part, i) => backend.write(tp.inputs[i].buf, part));
    backend.write(tp.target.buf, y);
    backend.write(tp.lossSum.buf, new Float32Array(1));
    this.session.ctx.step++;
    tp.program.run();
    const loss = (await backend.read(tp.lossSum.buf))[0];
    this.guard(loss);
    const layers: LayerSummary[] = [];
    for (const layer of this.net.layers) {
      if (layer.kind !== 'dense') continue;
      const w = this.session.params.get(`${layer.id}.weight`);
      if (!w) continue;
      const g = tp.grads.get(`${layer.id}.weight`);
      const s: LayerSummary = { id: layer.id, weight: tensorStats(await backend.read(w.buf)) };
      if (g) s.grad = tensorStats(await backend.read(g.buf));
      const act = tp.values.get(layer.id);
      if (layer.activation === 'relu' && act) s.deadFraction = deadFraction(await backend.read(act.buf), act.rows, act.cols);
      layers.push(s);
    }
    this.steps++;
    const spe = this.stepsPerEpoch;
    return { epoch: Math.floor((this.steps - 1) / spe) + 1, step: ((this.steps - 1) % spe) + 1, stepsPerEpoch: spe, globalStep: this.steps, loss, layers };
  }

  /** Throws TrainError when this step diverged (see step). */
  private guard(loss: number): void {
    const spe = this.stepsPerEpoch;
    const n = this.steps + 1;
    const where = `training diverged at epoch ${Math.floor((n - 1) / spe) + 1}, step ${((n - 1) % spe) + 1} (step ${n} of the session)`;
    const advice = 'Try a lower learning rate. The weights file was left as it was; Step starts again from it.';
    const kind = this.watch.check(loss);
    if (kind) throw new TrainError(`${where}: ${kind === 'exploded' ? explodedText(loss, this.watch.first ?? NaN) : `loss ${lossText(loss)}`}. ${advice}`, n);
    for (const [key, t] of this.session.params) {
      const i = firstNonFinite((this.session.backend as CpuBackend).view(t.buf));
      if (i >= 0) throw new TrainError(`${where}: loss ${lossText(loss)}; ${key} became NaN/Inf at index ${i}. ${advice}`, n, key.split('.')[0]);
    }
  }

  /** Frees the backend. */
  dispose(): void {
    this.session.backend.dispose();
  }
}
