/**
 * A training run: epochs of a TrainingSession's steps, validation, early stopping, and the
 * TrainEvent stream at the caller's rate. Every epoch gets its 'epoch' event; progress and layer
 * statistics are throttled (`eventEveryMs`).
 */
import { stopReasonText, TrainError, type EpochRecord, type StopReason, type TrainEvent, type TrainResult } from './events';
import { paramCounts, type CompiledNetwork, type WeightMap } from './network';
import type { BackendChoice } from './selectBackend';
import { TrainingSession, type TrainingData } from './trainingSession';
import type { TrainSettings } from './trainSettings';

export { LOSS_READS_IN_FLIGHT } from './trainingSession';

/** Options of a run. */
export interface TrainOptions {
  backend: BackendChoice;
  onEvent: (e: TrainEvent) => void;
  /** Aborting stops the run before the next step. */
  signal?: AbortSignal;
  /** Minimum time between progress/layers events (default 50 ms, ~20 updates/s); epoch events are never skipped. */
  eventEveryMs?: number;
  /**
   * Called with the live session at the 'layers' cadence (≥250 ms), between steps, so a caller
   * can look at the current weights (the trainer's decision-boundary grid, edge colours).
   */
  inspect?: (session: TrainingSession) => void | Promise<void>;
}

/** At most this many steps between looks at the clock. */
const MAX_CLOCK_EVERY = 1000;

/**
 * Whether a 'layers' event (and the inspect hook) is due at `now` (ms): at least 250 ms (and the
 * event interval) after the last one, and at least 20× as long as the last one took. Layer
 * statistics read every weight and gradient (two passes over 4M floats on a wide network: ~19 ms
 * in wasm SIMD, 80–120 ms in JavaScript, against a ~100 ms step) and the trainer's inspect hook
 * copies the weights and evaluates, so together they never take more than ~5% of a run.
 */
export function layersDue(now: number, last: number, everyMs: number, lastCostMs: number): boolean {
  return now - last >= Math.max(everyMs, 250, 20 * lastCostMs);
}

/** Trains `net` on `data`; updates `net.weights` and resolves with the result. */
export async function train(net: CompiledNetwork, data: TrainingData, settings: TrainSettings, opts: TrainOptions): Promise<TrainResult> {
  const session = await TrainingSession.open(net, data, settings, opts.backend);
  try {
    return await runEpochs(session, settings, opts);
  } catch (e) {
    // A diverged run says where (the step and layer) before it throws.
    if (e instanceof TrainError && e.step !== undefined) opts.onEvent({ type: 'error', message: e.message, step: e.step, layer: e.layer });
    throw e;
  } finally {
    session.dispose();
  }
}

async function runEpochs(session: TrainingSession, settings: TrainSettings, opts: TrainOptions): Promise<TrainResult> {
  const net = session.net;
  const every = opts.eventEveryMs ?? 50;
  const counts = paramCounts(net);
  const notices: string[] = [];
  if (net.stepNodes.length > 0) {
    notices.push(`step activation in ${net.stepNodes.join(', ')}: its true gradient is 0 almost everywhere, so training uses a straight-through gradient (as if it were linear) for it.`);
  }
  opts.onEvent({
    type: 'start', backend: session.backendName, reason: session.backendReason, paramCounts: counts, totalParams: counts.reduce((s, c) => s + c.count, 0),
    lossKind: session.lossKind, trainCount: session.trainCount, validationCount: session.validationCount, batchSize: session.batch,
    epochs: settings.epochs, stepsPerEpoch: session.stepsPerEpoch, notices,
  });
  const es = settings.earlyStopping;
  const history: EpochRecord[] = [];
  const t0 = Date.now();
  let lastProgress = 0;
  /**
   * The clock is read every `clockEvery` steps (events are due at most ~1 ms late): a tiny
   * network runs a hundred steps a millisecond, and reading the clock at each cost 1% of them.
   */
  let clockEvery = 1, sinceClock = 0, stepsSinceProgress = 0;
  let lastLayers = 0;
  /** Milliseconds the last layer statistics and inspect hook took. */
  let layersCost = 0;
  let stopped: StopReason = 'completed';
  let best = Infinity, bestEpoch = 0, bestWeights: WeightMap | undefined;
  let epoch = 0, trainLoss = NaN, samples = 0;
  /** The evaluation after the last whole epoch: the final one too, unless the weights changed since. */
  let lastEval: Awaited<ReturnType<typeof session.evaluate>> | undefined;
  // Without a validation split the metrics are the training rows', scored by the training steps'
  // own outputs as Keras reports them: no second pass over the data (a third of a step's work).
  const runningMetrics = session.validationCount === 0;
  if (runningMetrics) session.collectTrainingMetrics();
  const sps = (): number => samples / Math.max(1e-3, (Date.now() - t0) / 1000);

  outer: for (epoch = 1; epoch <= settings.epochs; epoch++) {
    for (let step = 0; step < session.stepsPerEpoch; step++) {
      if (opts.signal?.aborted) { stopped = 'aborted'; break outer; }
      // The CPU steps without a promise each (more than a tiny network's step costs).
      if (!session.stepSync()) await session.step();
      samples += Math.min(session.batch, session.trainCount - step * session.batch);
      stepsSinceProgress++;
      if (++sinceClock < clockEvery) continue;
      sinceClock = 0;
      const now = Date.now();
      if (now - lastProgress >= every) {
        // About a millisecond's steps between looks at the clock, from the rate since the last event.
        if (lastProgress > 0) clockEvery = Math.max(1, Math.min(MAX_CLOCK_EVERY, Math.floor(stepsSinceProgress / Math.max(1, now - lastProgress))));
        stepsSinceProgress = 0;
        lastProgress = now;
        opts.onEvent({ type: 'progress', epoch, step: step + 1, totalSteps: session.stepsPerEpoch, loss: await session.runningLoss(), samplesPerSec: sps() });
        if (layersDue(now, lastLayers, every, layersCost)) {
          lastLayers = now;
          opts.onEvent({ type: 'layers', epoch, step: step + 1, layers: await session.layerStats() });
          if (opts.inspect) await opts.inspect(session);
          layersCost = Date.now() - now;
        }
        // Let the event loop deliver an abort request (the trainer's stop message).
        await new Promise<void>((r) => setImmediate(r));
      }
    }
    trainLoss = await session.epochLoss();
    lastEval = runningMetrics ? { metrics: (await session.epochMetrics()) ?? {} } : await session.evaluate();
    const { valLoss, metrics } = lastEval;
    history.push({ epoch, loss: trainLoss, valLoss, metrics });
    opts.onEvent({ type: 'epoch', epoch, epochs: settings.epochs, loss: trainLoss, valLoss, metrics, samplesPerSec: sps() });
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
  const restored = stopped === 'early-stopping' && bestWeights !== undefined;
  if (restored) session.writeWeights(bestWeights!);
  const weights = await session.finalWeights();
  // Final metrics: after a whole last epoch with nothing restored, that epoch's (its validation
  // on the same weights, or its training steps'), so not a second pass over the data (which was
  // up to 40% of a short run's time); else an evaluation of the final weights.
  const { valLoss, metrics } = stopped !== 'aborted' && !restored && lastEval ? lastEval : await session.evaluate();
  const reason = stopReasonText(stopped, ranEpochs, es && { monitor: es.monitor, patience: es.patience, bestEpoch });
  const samplesPerSec = sps();
  opts.onEvent({ type: 'done', epochs: ranEpochs, loss: trainLoss, valLoss, metrics, stopped, reason, elapsedMs: Date.now() - t0, samplesPerSec });
  return { weights, epochs: ranEpochs, loss: trainLoss, valLoss, metrics, stopped, reason, history, backend: session.backendName, samplesPerSec };
}
