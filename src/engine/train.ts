/**
 * The training loop: seeded mini-batches over a prepared Program, validation, early stopping,
 * NaN/Inf detection, and the TrainEvent stream at the caller's rate.
 */
import { CpuBackend } from './cpu/cpuBackend';
import type { Dataset } from './data/dataset';
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

  outer: for (epoch = 1; epoch <= settings.epochs; epoch++) {
    if (settings.shuffle) rng.shuffle(order);
    backend.write(full.tp.lossSum.buf, zero);
    if (rem) backend.write(rem.tp.lossSum.buf, zero);
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
      if (cpuView) {
        // The CPU can afford to look at every step's loss: catch divergence at the step it happens.
        const sum = cpuView.view(f.tp.lossSum.buf)[0];
        const stepLoss = f === full ? sum - prevLoss : sum;
        if (f === full) prevLoss = sum;
        if (!Number.isFinite(stepLoss)) await diverged(session, f.tp, session.ctx.step, epoch, opts);
        running += stepLoss;
      }
      const now = Date.now();
      if (now - lastEvent >= every) {
        lastEvent = now;
        // Other backends sum batch losses on the device; reading the sum here (at the event
        // rate, not per step) is their one sync point besides the epoch end.
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
    const fullSum = (await backend.read(full.tp.lossSum.buf))[0];
    const remSum = rem ? (await backend.read(rem.tp.lossSum.buf))[0] : 0;
    trainLoss = (fullSum * batch + remSum * remRows) / tr.count;
    if (!Number.isFinite(trainLoss)) await diverged(session, full.tp, session.ctx.step, epoch, opts);
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
  const ranEpochs = Math.min(epoch, settings.epochs);
  if (stopped === 'early-stopping' && bestWeights) session.writeWeights(bestWeights);
  const weights = await session.readWeights();
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

/** Finds the first layer whose gradient or weights went non-finite, reports it, and throws. */
async function diverged(session: EngineSession, tp: TrainProgram, step: number, epoch: number, opts: TrainOptions): Promise<never> {
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
  const outId = session.net.outputIds[0];
  const layer = where?.split(' ')[0] ?? outId;
  // No tensor is non-finite yet: the batch loss itself overflowed float32 (enormous outputs).
  const detail = where ? `; first non-finite values in layer ${where}` : `; the loss overflowed float32: the outputs of layer ${outId} are too large`;
  const message = `the loss became NaN/Inf at step ${step} (epoch ${epoch})${detail}. ` +
    'Lower the learning rate, standardise the inputs, or use a from-logits loss (sigmoid/softmax output with cross-entropy).';
  opts.onEvent({ type: 'error', message, step, layer });
  session.backend.dispose();
  throw new TrainError(message, step, layer);
}
