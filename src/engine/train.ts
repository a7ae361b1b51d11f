/**
 * The training loop: seeded mini-batches over a prepared Program, validation, early stopping,
 * divergence detection at the step it happens (NaN/Inf or an exploding loss, on every backend),
 * and the TrainEvent stream at the caller's rate.
 */
import { CpuBackend } from './cpu/cpuBackend';
import type { Dataset } from './data/dataset';
import { DivergenceWatch, explodedText, lossText, type DivergenceKind } from './divergence';
import { TrainError, type StopReason, type TrainEvent, type TrainResult } from './events';
import { deadFraction, firstNonFinite, tensorStats, type LayerStats } from './layerStats';
import { computeMetrics, hostLoss, type Metrics } from './metrics';
import { paramCounts, type CompiledNetwork, type WeightMap } from './network';
import { Rng } from './random';
import { pickBackend, type BackendChoice } from './selectBackend';
import { EngineSession, type TrainProgram } from './session';
import type { LossSetting, TrainSettings } from './trainSettings';

/** Options of a run. */
export interface TrainOptions {
  backend: BackendChoice;
  onEvent: (e: TrainEvent) => void;
  /** Aborting stops the run before the next step. */
  signal?: AbortSignal;
  /** Minimum time between progress/epoch/layers events (default 50 ms, ~20 updates/s). */
  eventEveryMs?: number;
  /**
   * Called with the live session at the 'layers' cadence (≥250 ms), between steps, so a caller
   * can look at the current weights (the trainer's decision-boundary grid, edge colours).
   */
  inspect?: (session: EngineSession) => void | Promise<void>;
}

/**
 * Device backends: how many steps' loss reads may be in flight before the loop waits for the
 * oldest. Every step's loss is read back (a 4-byte copy sent with the next step's submission),
 * but without waiting for it, so the device keeps working; the loop learns of a bad step at most
 * this many steps later, stops there, and reports the step where it happened.
 */
export const LOSS_READS_IN_FLIGHT = 4;

/** Where a step ran: the global step, its epoch and its 1-based index in the epoch. */
interface StepPlace {
  global: number;
  epoch: number;
  step: number;
}

/** A step's loss read back from the device, not yet looked at. */
interface PendingLoss extends StepPlace {
  sum: Promise<Float32Array>;
  /** The device's sticky NaN/Inf-weights flag after this step (backends with watchFinite). */
  nonFinite?: Promise<Float32Array>;
  /** The full-batch feeder's running sum (subtract the previous sum) or the remainder's own loss. */
  running: boolean;
  tp: TrainProgram;
}

/** A step's staging: host arrays for the batch, copied to the device once per step. */
interface Feeder {
  tp: TrainProgram;
  xs: Float32Array[];
  y: Float32Array;
  offsets: number[];
}

/** The loss a task implies when the file names none. */
export function defaultLoss(task: Dataset['task']): LossSetting {
  return task === 'binary' ? 'binary_crossentropy' : task === 'multiclass' ? 'categorical_crossentropy' : 'mse';
}

/** Splits row-major rows of all inputs into one array per input node. */
export function splitInputs(x: Float32Array, count: number, sizes: number[]): Float32Array[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sizes.length === 1) return [x];
  let off = 0;
  return sizes.map((w) => {
    const out = new Float32Array(count * w);
    for (let r = 0; r < count; r++) out.set(x.subarray(r * total + off, r * total + off + w), r * w);
    off += w;
    return out;
  });
}

/** Trains `net` on `data`; updates `net.weights` and resolves with the result. */
export async function train(net: CompiledNetwork, data: { train: Dataset; validation?: Dataset }, settings: TrainSettings, opts: TrainOptions): Promise<TrainResult> {
  const tr = data.train;
  const va = data.validation && data.validation.count > 0 ? data.validation : undefined;
  const inWidth = net.inputSizes.reduce((a, b) => a + b, 0);
  const outWidth = net.outputSizes.reduce((a, b) => a + b, 0);
  if (tr.inputSize !== inWidth) throw new TrainError(`the data has ${tr.inputSize} feature(s) per row but the network's inputs take ${inWidth}; change the input units or the data's feature columns.`);
  if (tr.outputSize !== outWidth) throw new TrainError(`the data has ${tr.outputSize} target value(s) per row but the network outputs ${outWidth}; change the output layer's units to ${tr.outputSize}.`);
  if (tr.count === 0) throw new TrainError('the training data has no rows.');
  const loss = settings.loss ?? defaultLoss(tr.task);
  const every = opts.eventEveryMs ?? 50;
  const batch = Math.max(1, Math.min(settings.batchSize, tr.count));
  const counts = paramCounts(net);
  const totalParams = counts.reduce((s, c) => s + c.count, 0);
  const picked = await pickBackend(opts.backend, { params: totalParams, batch });
  const backend = picked.backend;
  const session = new EngineSession(backend, net);
  const reg = { l1: settings.l1, l2: settings.l2 };
  const feeder = (b: number): Feeder => {
    const tp = session.buildTrain(b, loss, settings.optimizer, reg);
    let o = 0;
    const offsets = net.inputSizes.map((w) => { const v = o; o += w; return v; });
    return { tp, xs: net.inputSizes.map((w) => new Float32Array(b * w)), y: new Float32Array(b * outWidth), offsets };
  };
  const full = feeder(batch);
  const remRows = tr.count % batch;
  const rem = remRows > 0 ? feeder(remRows) : undefined;
  const stepsPerEpoch = Math.ceil(tr.count / batch);
  const notices: string[] = [];
  if (net.stepNodes.length > 0) {
    notices.push(`step activation in ${net.stepNodes.join(', ')}: its true gradient is 0 almost everywhere, so training uses a straight-through gradient (as if it were linear) for it.`);
  }
  opts.onEvent({
    type: 'start', backend: backend.name, reason: picked.reason, paramCounts: counts, totalParams, lossKind: full.tp.lossKind,
    trainCount: tr.count, validationCount: va?.count ?? 0, batchSize: batch, epochs: settings.epochs, stepsPerEpoch, notices,
  });

  const cpuView = backend instanceof CpuBackend ? backend : undefined;
  // Device backends flag NaN/Inf weights on the device at the end of every step.
  const finiteWatch = cpuView ? undefined : backend.watchFinite?.([...session.params.values()].map((t) => t.buf));
  if (finiteWatch) for (const f of [full, rem]) f?.tp.program.append(finiteWatch.record);
  const order = new Uint32Array(tr.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const rng = new Rng(settings.seed ^ 0x2545f491);
  const zero = new Float32Array(1);
  const es = settings.earlyStopping;
  const history: TrainResult['history'] = [];
  const t0 = Date.now();
  let lastEvent = 0;
  let lastLayers = 0;
  let stopped: StopReason = 'completed';
  let best = Infinity, bestEpoch = 0, bestWeights: WeightMap | undefined;
  let epoch = 0, trainLoss = NaN, valLoss: number | undefined, metrics: Metrics = {}, samples = 0;
  const sps = (): number => samples / Math.max(1e-3, (Date.now() - t0) / 1000);
  const watch = new DivergenceWatch();
  const pending: PendingLoss[] = [];
  let prevDeviceSum = 0;
  /** Looks at one step's loss (and on the CPU its weights): what went wrong, or undefined (synchronous: no await per step). */
  const check = (loss: number, at: StepPlace): Divergence | undefined => {
    const kind = watch.check(loss);
    if (kind) return { ...at, loss, kind, first: watch.first };
    const bad = cpuView ? nonFiniteParam(session, cpuView) : undefined;
    return bad ? { ...at, loss, kind: 'weights', where: bad } : undefined;
  };
  /** Device backends: checks the oldest in-flight loss reads until at most `keep` remain. */
  const settle = async (keep: number): Promise<void> => {
    // Reads queued with readLater travel with the next submission: send what is recorded.
    if (keep === 0 && pending.length > 0) backend.endStep();
    try {
      while (pending.length > keep) {
        const p = pending.shift() as PendingLoss;
        const sum = (await p.sum)[0];
        const loss = p.running ? sum - prevDeviceSum : sum;
        if (p.running) prevDeviceSum = sum;
        const bad = check(loss, p) ?? ((p.nonFinite && (await p.nonFinite)[0] !== 0) ? await weightsDivergence(session, p, loss) : undefined);
        if (bad) await diverged(session, p.tp, bad, opts);
      }
    } catch (e) {
      // The run ends here: reads still in flight fail with the disposed device, unheard.
      for (const p of pending.splice(0)) {
        p.sum.catch(() => undefined);
        p.nonFinite?.catch(() => undefined);
      }
      throw e;
    }
  };

  outer: for (epoch = 1; epoch <= settings.epochs; epoch++) {
    if (settings.shuffle) rng.shuffle(order);
    await settle(0);
    backend.write(full.tp.lossSum.buf, zero);
    if (rem) backend.write(rem.tp.lossSum.buf, zero);
    prevDeviceSum = 0;
    let prevLoss = 0, running = 0;
    for (let step = 0; step < stepsPerEpoch; step++) {
      if (opts.signal?.aborted) { stopped = 'aborted'; break outer; }
      const start = step * batch;
      const f = start + batch <= tr.count ? full : (rem as Feeder);
      const rows = f.tp.batch;
      gather(tr, order, start, rows, f, inWidth, outWidth);
      f.xs.forEach((x, i) => backend.write(f.tp.inputs[i].buf, x));
      backend.write(f.tp.target.buf, f.y);
      session.ctx.step++;
      f.tp.program.run();
      samples += rows;
      const at: StepPlace = { global: session.ctx.step, epoch, step: step + 1 };
      if (cpuView) {
        // The CPU looks at every step's loss and weights: divergence stops the run at its step.
        const sum = cpuView.view(f.tp.lossSum.buf)[0];
        const stepLoss = f === full ? sum - prevLoss : sum;
        if (f === full) prevLoss = sum;
        const bad = check(stepLoss, at);
        if (bad) await diverged(session, f.tp, bad, opts);
        running += stepLoss;
      } else {
        // A device reads every step's loss back without waiting for it (see LOSS_READS_IN_FLIGHT).
        const sum = backend.readLater ? backend.readLater(f.tp.lossSum.buf) : backend.read(f.tp.lossSum.buf);
        const nonFinite = finiteWatch && backend.readLater ? backend.readLater(finiteWatch.flag) : undefined;
        pending.push({ ...at, sum, nonFinite, running: f === full, tp: f.tp });
        await settle(LOSS_READS_IN_FLIGHT);
      }
      const now = Date.now();
      if (now - lastEvent >= every) {
        lastEvent = now;
        await settle(0);
        // Other backends sum batch losses on the device; the progress event reads that sum.
        const loss = cpuView ? running / (step + 1) : (await backend.read(full.tp.lossSum.buf))[0] / Math.max(1, Math.min(step + 1, Math.floor(tr.count / batch)));
        opts.onEvent({ type: 'progress', epoch, step: step + 1, totalSteps: stepsPerEpoch, loss, samplesPerSec: sps() });
        if (now - lastLayers >= Math.max(every, 250)) {
          lastLayers = now;
          opts.onEvent({ type: 'layers', epoch, step: step + 1, layers: await layerStats(session, f.tp) });
          if (opts.inspect) await opts.inspect(session);
        }
        // Let the event loop deliver an abort request (the trainer's stop message).
        await new Promise<void>((r) => setImmediate(r));
      }
    }
    await settle(0);
    const fullSum = (await backend.read(full.tp.lossSum.buf))[0];
    const remSum = rem ? (await backend.read(rem.tp.lossSum.buf))[0] : 0;
    trainLoss = (fullSum * batch + remSum * remRows) / tr.count;
    // Every step's loss was finite, so this only catches a sum that overflowed float32.
    if (!Number.isFinite(trainLoss)) await diverged(session, full.tp, { global: session.ctx.step, epoch, step: stepsPerEpoch, loss: trainLoss, kind: 'nonFinite' }, opts);
    const isLast = epoch === settings.epochs;
    const wantEvent = isLast || Date.now() - lastEvent >= every || epoch === 1;
    valLoss = undefined;
    if (va) {
      const pred = await session.predictRows(splitInputs(va.x, va.count, net.inputSizes), va.count);
      valLoss = hostLoss(loss, pred, va.y, va.count, outWidth);
      if (wantEvent) metrics = computeMetrics(va.task, pred, va.y, va.count, outWidth);
    } else if (wantEvent) {
      const pred = await session.predictRows(splitInputs(tr.x, tr.count, net.inputSizes), tr.count);
      metrics = computeMetrics(tr.task, pred, tr.y, tr.count, outWidth);
    }
    history.push({ epoch, loss: trainLoss, valLoss });
    if (wantEvent) {
      lastEvent = Date.now();
      opts.onEvent({ type: 'epoch', epoch, epochs: settings.epochs, loss: trainLoss, valLoss, metrics, samplesPerSec: sps() });
    }
    if (es) {
      const monitored = es.monitor === 'val_loss' && valLoss !== undefined ? valLoss : trainLoss;
      if (monitored < best - es.minDelta) {
        best = monitored;
        bestEpoch = epoch;
        if (es.restoreBestWeights) bestWeights = await session.readWeights();
      } else if (epoch - bestEpoch >= es.patience) {
        stopped = 'early-stopping';
        break;
      }
    }
  }
  await settle(0);
  const ranEpochs = Math.min(epoch, settings.epochs);
  if (stopped === 'early-stopping' && bestWeights) session.writeWeights(bestWeights);
  const weights = await session.readWeights();
  // The weights a caller saves are never NaN/Inf (a device backend checks them here, once).
  for (const [key, w] of weights) {
    const i = firstNonFinite(w.data);
    if (i >= 0) await diverged(session, full.tp, { global: session.ctx.step, epoch: ranEpochs, step: stepsPerEpoch, loss: trainLoss, kind: 'weights', where: `${key.replace(/\.(weight|bias)$/, '')} (${key.endsWith('.bias') ? 'bias' : 'weight'}, index ${i})` }, opts);
  }
  net.weights = weights;
  // Final metrics on the final weights (validation when there is one).
  const evalSet = va ?? tr;
  const pred = await session.predictRows(splitInputs(evalSet.x, evalSet.count, net.inputSizes), evalSet.count);
  metrics = computeMetrics(evalSet.task, pred, evalSet.y, evalSet.count, outWidth);
  if (va) valLoss = hostLoss(loss, pred, va.y, va.count, outWidth);
  const reason = stopped === 'completed' ? `completed ${ranEpochs} epoch(s)`
    : stopped === 'aborted' ? `stopped on request during epoch ${ranEpochs}`
      : `early stopping: ${es?.monitor} did not improve for ${es?.patience} epoch(s) after epoch ${bestEpoch}`;
  const samplesPerSec = sps();
  opts.onEvent({ type: 'done', epochs: ranEpochs, loss: trainLoss, valLoss, metrics, stopped, reason, elapsedMs: Date.now() - t0, samplesPerSec });
  backend.dispose();
  return { weights, epochs: ranEpochs, loss: trainLoss, valLoss, metrics, stopped, history, backend: backend.name, samplesPerSec };
}

/** Copies the rows order[start … start+rows) into the feeder's staging arrays. */
function gather(ds: Dataset, order: Uint32Array, start: number, rows: number, f: Feeder, inWidth: number, outWidth: number): void {
  const { x, y } = ds;
  for (let r = 0; r < rows; r++) {
    const src = order[start + r];
    for (let i = 0; i < f.xs.length; i++) {
      const w = f.xs[i].length / rows;
      const base = src * inWidth + f.offsets[i];
      const dst = f.xs[i];
      const o = r * w;
      for (let c = 0; c < w; c++) dst[o + c] = x[base + c];
    }
    const yb = src * outWidth;
    const yo = r * outWidth;
    for (let c = 0; c < outWidth; c++) f.y[yo + c] = y[yb + c];
  }
}

/** Statistics of every dense layer's weights and gradients (and dead ReLUs) after the last step. */
async function layerStats(session: EngineSession, tp: TrainProgram): Promise<LayerStats[]> {
  const out: LayerStats[] = [];
  for (const layer of session.net.layers) {
    if (layer.kind !== 'dense') continue;
    const key = `${layer.id}.weight`;
    const w = session.params.get(key);
    if (!w) continue;
    const g = tp.grads.get(key);
    const stats: LayerStats = { id: layer.id, weight: tensorStats(await session.backend.read(w.buf)) };
    if (g) stats.grad = tensorStats(await session.backend.read(g.buf));
    const act = tp.values.get(layer.id);
    if (layer.activation === 'relu' && act) stats.deadFraction = deadFraction(await session.backend.read(act.buf), act.rows, act.cols);
    out.push(stats);
  }
  return out;
}

/** The first parameter tensor holding NaN/Inf on the CPU backend, in words, or undefined. */
function nonFiniteParam(session: EngineSession, cpu: CpuBackend): string | undefined {
  for (const [key, t] of session.params) {
    const i = firstNonFinite(cpu.view(t.buf));
    if (i >= 0) return `${key.replace(/\.(weight|bias)$/, '')} (${key.endsWith('.bias') ? 'bias' : 'weight'}, index ${i})`;
  }
  return undefined;
}

/** A device's flag said some weights went NaN/Inf at this step: finds which (the first such tensor now). */
async function weightsDivergence(session: EngineSession, at: StepPlace, loss: number): Promise<Divergence> {
  for (const [key, t] of session.params) {
    const i = firstNonFinite(await session.backend.read(t.buf));
    if (i >= 0) return { ...at, loss, kind: 'weights', where: `${key.replace(/\.(weight|bias)$/, '')} (${key.endsWith('.bias') ? 'bias' : 'weight'}, index ${i})` };
  }
  return { ...at, loss, kind: 'weights', where: 'of the network' };
}

/** What went wrong at which step (see diverged). */
interface Divergence extends StepPlace {
  loss: number;
  kind: DivergenceKind | 'weights';
  /** exploded: the first step's loss. */
  first?: number;
  /** weights: the layer and tensor that went non-finite. */
  where?: string;
}

/** Finds where the run went wrong (the first layer whose output, gradient or weights went non-finite), reports it, and throws. */
async function diverged(session: EngineSession, tp: TrainProgram, d: Divergence, opts: TrainOptions): Promise<never> {
  const outId = session.net.outputIds[0];
  let what: string;
  let layer: string;
  if (d.kind === 'exploded') {
    what = `${explodedText(d.loss, d.first ?? NaN)}`;
    layer = outId;
  } else if (d.kind === 'weights') {
    what = `loss ${lossText(d.loss)}; the weights of layer ${d.where} became NaN/Inf`;
    layer = d.where?.split(' ')[0] ?? outId;
  } else {
    const where = await firstNonFiniteLayer(session, tp);
    // No tensor is non-finite yet: the batch loss itself overflowed float32 (enormous outputs).
    const detail = where ? `; first non-finite values in layer ${where}` : `; the loss overflowed float32: the outputs of layer ${outId} are too large`;
    what = `loss ${lossText(d.loss)}${detail}`;
    layer = where?.split(' ')[0] ?? outId;
  }
  const message = `training diverged at epoch ${d.epoch}, step ${d.step} (step ${d.global} of the run): ${what}. ` +
    'Try a lower learning rate; standardising the inputs or a from-logits loss (sigmoid/softmax output with cross-entropy) also help.';
  opts.onEvent({ type: 'error', message, step: d.global, layer });
  session.backend.dispose();
  throw new TrainError(message, d.global, layer);
}

/** The earliest layer whose output, gradient or weights hold NaN/Inf after the last step, in words. */
async function firstNonFiniteLayer(session: EngineSession, tp: TrainProgram): Promise<string | undefined> {
  let where: string | undefined;
  // Forward first: the earliest layer whose output overflowed is where the trouble starts.
  for (const layer of session.net.layers) {
    const out = tp.values.get(layer.id);
    if (layer.kind !== 'input' && out && firstNonFinite(await session.backend.read(out.buf)) >= 0) { where = `${layer.id} (its output)`; break; }
  }
  for (const layer of session.net.layers) {
    if (where) break;
    if (layer.kind !== 'dense') continue;
    for (const suffix of ['weight', 'bias']) {
      const key = `${layer.id}.${suffix}`;
      const g = tp.grads.get(key);
      const p = session.params.get(key);
      if (g && firstNonFinite(await session.backend.read(g.buf)) >= 0) { where = `${layer.id} (gradient of ${suffix})`; break; }
      if (p && firstNonFinite(await session.backend.read(p.buf)) >= 0) { where = `${layer.id} (${suffix})`; break; }
    }
    if (where) break;
  }
  return where;
}
