/**
 * The training process's brain, independent of how messages travel (process IPC in main.ts, a
 * plain function in tests): one run at a time, prompt stop, Step, Predict and Check Gradients.
 */
import * as path from 'node:path';
import { paramCounts, predict, TrainError, TrainingSession, type CompiledNetwork, type TrainEvent, type WeightMap } from '../engine';
import type { DataSplit } from '../engine/data';
import { EXPORT_FORMATS } from '../export';
import { checkDesign, JobError, loadJobData, runTrainingJob, saveTrainedWeights, savedWeightsState, settingsFor, startingPoint, trainedNetwork, type CheckedDesign, type StartingPoint } from '../jobs';
import { Channel, type ExportAnswer, type FeatureMapsValue, type FromTrainer, type PredictReply, type ResponseMessage, type StepReply, type ToTrainer, type TrainingUpdate } from '../protocol';
import { boundaryGrid, boundaryPoints, type BoundaryGrid } from './boundary';
import { exportDesign, ExportFailure } from './exportFiles';
import { checkGradients } from './gradientCheck';
import { featureMaps, imageSource, ImageStream, type ImageSource } from './imageViews';
import { predictInfo } from './predictInfo';
import { EpochCurveRecorder } from './epochCurves';
import { boundaryFromSession, evaluation, weightsUpdate } from './liveView';
import { NEURON_GRID_SIZE, neuronGrids } from './neuronGrids';

type TrainMessage = Extract<ToTrainer, { type: 'train' }>;

/** Default side of the decision-boundary grid. */
export const BOUNDARY_SIZE = 64;

/** Step's session, kept between Step commands so the optimizer's state carries over as inside a run. */
interface Stepper {
  key: string;
  session: TrainingSession;
  split: DataSplit;
}

/** A run in progress. */
interface ActiveRun {
  runId: number;
  abort: AbortController;
  finished: Promise<void>;
  /** Every epoch so far (the run history gets them with 'done' or 'error'). */
  curves: EpochCurveRecorder;
}

/** An image network's run in progress: feature maps use its latest weights (read for the views anyway). */
interface LiveImages {
  file: string;
  net: CompiledNetwork;
  src: ImageSource;
  weights?: WeightMap;
}

/** Serves ToTrainer messages; `send` delivers FromTrainer messages to the host. */
export class TrainerCore {
  readonly channel: Channel<FromTrainer, ToTrainer>;
  private active?: ActiveRun;
  private stepper?: Stepper;
  private errorPosted = false;
  private live?: LiveImages;
  /** The data of the last design that trained or showed feature maps (feature maps of one image need not reload MNIST). */
  private lastData?: { key: string; split: DataSplit };
  /** Whether runs compute neuron heatmaps (the user's setting; each run starts with its own, the toggle changes it mid-run). */
  private heatmaps = true;

  constructor(send: (m: FromTrainer | ResponseMessage) => void) {
    this.channel = new Channel<FromTrainer, ToTrainer>(send);
    this.channel.on('train', (m) => void this.startRun(m));
    this.channel.on('stop', (m) => { if (this.active?.runId === m.runId) this.active.abort.abort(); });
    this.channel.on('neuronHeatmaps', (m) => { this.heatmaps = m.on; });
    this.channel.on('resetStep', () => this.dropStepper());
    this.channel.handle('step', (m) => this.step(m));
    this.channel.handle('predict', (m) => this.predict(m));
    this.channel.handle('predictInfo', (m) => predictInfo(m));
    this.channel.handle('checkGradients', async (m) => {
      const design = checkDesign(m);
      const { net } = await trainedNetwork(design, { allowInit: true });
      // Saved weights were trained on standardised rows; sampleRows' split standardises the same way.
      const rows = await sampleRows(design, net, m.allowedRoots);
      return checkGradients(net, rows.x, rows.count, path.basename(m.file));
    });
    this.channel.handle('export', (m) => this.exportFiles(m));
    this.channel.handle('featureMaps', (m) => this.featureMaps(m));
    this.channel.handle('savedWeights', async (m) => (await savedWeightsState(checkDesign(m))).state);
  }

  /** Feeds one message received from the host. */
  receive(m: ToTrainer | ResponseMessage): void {
    this.channel.receive(m);
  }

  /** Whether a run is in progress (tests). */
  get busy(): boolean {
    return this.active !== undefined;
  }

  /** Resolves when the current run (if any) has ended. */
  async idle(): Promise<void> {
    await this.active?.finished;
  }

  private post(update: TrainingUpdate): void {
    if (update.kind === 'error') {
      this.errorPosted = true;
      if (this.active?.runId === update.runId) update = { ...update, history: this.active.curves.curves };
    }
    this.channel.post({ type: 'update', update });
  }

  private async startRun(m: TrainMessage): Promise<void> {
    if (this.active) {
      // One run per process: a new request replaces the old run (the host stops it first anyway).
      this.active.abort.abort();
      await this.active.finished;
    }
    const abort = new AbortController();
    let finish!: () => void;
    const finished = new Promise<void>((r) => { finish = r; });
    this.active = { runId: m.runId, abort, finished, curves: new EpochCurveRecorder() };
    this.errorPosted = false;
    try {
      await this.run(m, abort.signal);
    } catch (e) {
      // The engine reports divergence itself (an 'error' event naming the layer) before it throws.
      if (!this.errorPosted) this.post({ kind: 'error', runId: m.runId, message: messageOf(e) });
    } finally {
      this.active = undefined;
      finish();
    }
  }

  private async run(m: TrainMessage, signal: AbortSignal): Promise<void> {
    const runId = m.runId;
    this.heatmaps = m.neuronHeatmaps !== false;
    this.dropStepper();
    const design = checkDesign(m);
    const settings = settingsFor(design.doc, m.overrides);
    const split = await loadJobData(design, settings, m.allowedRoots);
    const start = await startingPoint(design, settings.seed, { replace: m.replaceWeights === true });
    const notice = startNotice(start);
    const net = start.net;
    this.lastData = { key: `${m.file}\n${m.text}`, split };
    const src = imageSource(net, split);
    const images = src && new ImageStream(runId, net, src);
    this.live = src && { file: m.file, net, src };
    const grid = !src && twoInputs(net) ? boundaryGrid(split.train.x, split.train.count, m.boundarySize ?? BOUNDARY_SIZE) : undefined;
    // Neuron heatmaps: a coarser grid over the same extent, at the boundary's cadence (none while the user has them off).
    const neuronGrid = grid && boundaryGrid(split.train.x, split.train.count, NEURON_GRID_SIZE);
    let stepsPerEpoch = 1;
    let elapsedMs = 0;
    let last = { epoch: 1, step: 0, loss: NaN, samplesPerSec: 0 };
    const everyMs = m.eventEveryMs ?? 50;
    // Progress and epoch updates share one event budget: each view (the graph editor and the
    // gradients panel) redraws its chart on either, so two streams at the budget's rate each
    // doubled what the views must keep up with, and with both views open a busy window fell
    // behind by many seconds (the Stop command and the final 'done' waited behind the backlog).
    let lastChartPost = -Infinity;
    const chartPosted = (): void => { lastChartPost = performance.now(); };
    const curves = this.active?.curves ?? new EpochCurveRecorder();
    const onEvent = (e: TrainEvent): void => {
      if (e.type === 'epoch') curves.add(e);
      // 'done' is posted below, once the weights are saved, so the views can say where they went.
      if (e.type === 'done') { elapsedMs = e.elapsedMs; return; }
      // The engine reports every epoch (the CLI prints each); the views get one only when the
      // budget has room after the last progress or epoch update (and always the first and the
      // last), so thousands of tiny epochs do not flood them. Validation loss and metrics still
      // arrive a few times a second through `inspect` below.
      if (e.type === 'epoch' && e.epoch > 1 && e.epoch < e.epochs && performance.now() - lastChartPost < everyMs) return;
      if (e.type === 'progress') last = { epoch: e.epoch, step: e.step, loss: e.loss, samplesPerSec: e.samplesPerSec };
      const u = toUpdate(runId, e, stepsPerEpoch, path.basename(m.file), grid ? split : undefined);
      if (e.type === 'start') {
        stepsPerEpoch = e.stepsPerEpoch;
        if (notice && u.kind === 'start') u.notices.push(notice);
      }
      this.post(u);
      // Stamped once posted, so the budget counts from when the views got it.
      if (e.type === 'progress' || e.type === 'epoch') chartPosted();
    };
    const { result, weightsFile: file } = await runTrainingJob(design, start, split, settings, {
      backend: m.overrides.backend ?? 'auto',
      onEvent,
      signal,
      eventEveryMs: everyMs,
      inspect: async (session) => {
        const weights = await session.readWeights();
        this.post(weightsUpdate(runId, net, weights));
        if (grid) this.post(await boundaryFromSession(runId, session, grid));
        if (neuronGrid && this.heatmaps) this.post(await neuronGrids(runId, net, weights, neuronGrid));
        // Small epochs end faster than the event budget allows 'epoch' events: evaluate here too,
        // so the chart gets validation loss and accuracy a few times a second.
        const ev = await evaluation(runId, session, last, settings.epochs);
        this.post(ev.update);
        if (images && this.live) {
          this.live.weights = weights;
          for (const u of images.live(session.epoch, session.globalStep, weights, ev.outputs)) this.post(u);
        }
        chartPosted();
      },
    }).finally(() => { this.live = undefined; });
    // The final picture, with the weights the run ends on.
    this.post(weightsUpdate(runId, net, result.weights));
    if (grid) this.post(await finalBoundary(runId, net, grid));
    if (neuronGrid && this.heatmaps) this.post(await neuronGrids(runId, net, result.weights, neuronGrid));
    if (images && src) for (const u of images.final(result.epochs, result.epochs * stepsPerEpoch, result.weights, await predict(net, src.data.x, src.data.count))) this.post(u);
    this.post({ kind: 'done', runId, epochs: result.epochs, loss: result.loss, valLoss: result.valLoss, metrics: result.metrics, stopped: result.stopped, reason: result.reason, elapsedMs, samplesPerSec: result.samplesPerSec, weightsFile: file, history: curves.curves });
  }

  private async step(m: Extract<ToTrainer, { type: 'step' }>): Promise<StepReply> {
    if (this.active) throw new JobError('a training run is in progress; stop it before stepping one batch at a time.');
    const design = checkDesign(m);
    const settings = settingsFor(design.doc);
    const key = `${m.file}\n${m.text}`;
    let fresh = false;
    if (!this.stepper || this.stepper.key !== key) {
      this.dropStepper();
      const split = await loadJobData(design, settings, m.allowedRoots);
      const start = await startingPoint(design, settings.seed, { replace: m.replaceWeights === true });
      const notice = startNotice(start);
      this.stepper = { key, split, session: await TrainingSession.open(start.net, split, settings, 'cpu') };
      fresh = true;
      const s = this.stepper.session;
      this.post({
        kind: 'start', runId: m.runId, file: path.basename(m.file), backend: 'cpu', reason: 'Step runs one batch at a time on the CPU', mode: 'step',
        paramCounts: paramCounts(start.net), totalParams: paramCounts(start.net).reduce((a, c) => a + c.count, 0), trainCount: split.train.count, validationCount: split.validation?.count ?? 0,
        epochs: settings.epochs, stepsPerEpoch: s.stepsPerEpoch, batchSize: settings.batchSize, notices: notice ? [notice] : [],
        ...(twoInputs(start.net) ? { points: boundaryPoints(split), classes: Math.max(2, split.train.outputSize) } : {}),
      });
    }
    const { session: s, split } = this.stepper;
    let r;
    try {
      r = await s.step();
    } catch (e) {
      // A diverged step leaves NaN/Inf or exploded weights: never saved, and the next Step starts over.
      this.dropStepper();
      if (e instanceof TrainError) throw new TrainError(`${e.message} The weights file was left as it was; Step starts again from it.`, e.step, e.layer);
      throw e;
    }
    const loss = r.loss ?? NaN;
    this.post({ kind: 'progress', runId: m.runId, epoch: r.epoch, step: r.step, totalSteps: s.stepsPerEpoch, globalStep: r.globalStep, loss, samplesPerSec: 0 });
    this.post({ kind: 'layers', runId: m.runId, globalStep: r.globalStep, layers: await s.layerStats() });
    const weights = await s.finalWeights();
    this.post(weightsUpdate(m.runId, s.net, weights));
    const src = imageSource(s.net, split);
    if (src) {
      // An image network shows its grid and filters after every step (Step is one click at a time).
      const ev = await s.evaluate();
      for (const u of new ImageStream(m.runId, s.net, src).final(r.epoch, r.globalStep, weights, ev.predictions ?? new Float32Array(0))) this.post(u);
    } else if (twoInputs(s.net)) {
      this.post(await boundaryFromSession(m.runId, s, boundaryGrid(split.train.x, split.train.count, BOUNDARY_SIZE)));
      if (m.neuronHeatmaps !== false) this.post(await neuronGrids(m.runId, s.net, weights, boundaryGrid(split.train.x, split.train.count, NEURON_GRID_SIZE)));
    }
    const file = await saveTrainedWeights(design.file, weights, split, { epochs: 0, loss, backend: 'cpu', seed: settings.seed });
    return { loss, globalStep: r.globalStep, fresh, weightsFile: file };
  }

  private async predict(m: Extract<ToTrainer, { type: 'predict' }>): Promise<PredictReply> {
    const design = checkDesign(m);
    const { net, source, standardizer } = await trainedNetwork(design, { allowInit: false });
    const width = net.inputSizes.reduce((a, b) => a + b, 0);
    if (m.inputs.length !== width || m.inputs.some((v) => !Number.isFinite(v))) {
      throw new JobError(`${path.basename(m.file)} takes ${width} input value(s); got ${m.inputs.length}. Enter ${width} numbers separated by commas.`);
    }
    const raw = Float32Array.from(m.inputs);
    const x = standardizer ? Float32Array.from(standardizer.transform(raw)) : raw;
    const out = await predict(net, x, 1);
    return { outputs: Array.from(out), source };
  }

  /** Export…: the CLI's file-level export, with data kept inside the workspace and hints for the editor. */
  private async exportFiles(m: Extract<ToTrainer, { type: 'export' }>): Promise<ExportAnswer> {
    if (!EXPORT_FORMATS.includes(m.format)) throw new JobError(`cannot export to '${String(m.format)}': choose one of ${EXPORT_FORMATS.join(', ')}.`);
    const design = checkDesign(m);
    const shown = path.basename(m.file);
    try {
      const r: ExportAnswer = await exportDesign({ ...design, shown, text: m.text }, m.format, {
        out: m.out, noData: m.noData, cwd: path.dirname(m.file), allowedRoots: m.allowedRoots,
        trainHint: 'Neural Canvas: Train',
        noDataHint: 'Fix the data, or export the ONNX model (it needs no data).',
        force: m.force === true,
      });
      return { written: r.written, notes: r.notes };
    } catch (e) {
      // Files in the way that export did not write: nothing was written; the host asks the user.
      if (e instanceof ExportFailure && e.kind === 'exists') return { written: [], notes: [], conflicts: e.files };
      if (e instanceof ExportFailure) throw new JobError(e.message);
      throw e;
    }
  }

  /**
   * A node's feature maps for one image of the grid: with the live weights while this file's run
   * goes on, else with its saved weights (and its data, loaded once and kept for the next image).
   */
  private async featureMaps(m: Extract<ToTrainer, { type: 'featureMaps' }>): Promise<FeatureMapsValue> {
    const live = this.live;
    const wrap = async (f: () => Promise<FeatureMapsValue>): Promise<FeatureMapsValue> => {
      try { return await f(); } catch (e) { throw e instanceof JobError ? e : new JobError(`Feature maps of '${m.node}': ${messageOf(e)}`); }
    };
    if (live?.weights && live.file === m.file) return wrap(() => featureMaps(live.net, live.weights as WeightMap, live.src, m.node, m.row, 'the weights of the run in progress'));
    const design = checkDesign(m);
    const { net, source } = await trainedNetwork(design, { allowInit: false });
    const key = `${m.file}\n${m.text}`;
    const split = this.lastData?.key === key ? this.lastData.split : await loadJobData(design, settingsFor(design.doc), m.allowedRoots);
    this.lastData = { key, split };
    const src = imageSource(net, split);
    if (!src) throw new JobError(`${path.basename(m.file)} has no image input (an input with "shape": [H, W, C]), so it has no feature maps to show.`);
    return wrap(() => featureMaps(net, net.weights, src, m.node, m.row, source));
  }

  private dropStepper(): void {
    this.stepper?.session.dispose();
    this.stepper = undefined;
  }
}

/** What the views should know about where a run starts. */
function startNotice(start: StartingPoint): string | undefined {
  const name = path.basename(start.state.file);
  if (start.from === 'saved') return `continuing from ${name} (Reset Weights starts over)`;
  if (start.state.status === 'mismatch' || start.state.status === 'damaged') {
    return `starting from fresh weights: ${name} ${start.state.status === 'damaged' ? 'was damaged' : 'did not fit the design'} and will be replaced`;
  }
  return undefined;
}

/** A few rows to check gradients on: the file's data when it has some, else a fixed pseudo-random row set. */
async function sampleRows(design: CheckedDesign, net: CompiledNetwork, allowedRoots: string[]): Promise<{ x: Float32Array; count: number }> {
  const width = net.inputSizes.reduce((a, b) => a + b, 0);
  if (design.doc.training?.data) {
    const split = await loadJobData(design, settingsFor(design.doc), allowedRoots);
    const count = Math.min(8, split.train.count);
    return { x: split.train.x.slice(0, count * width), count };
  }
  const count = 4;
  const x = new Float32Array(count * width);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(1.7 * i + 0.3);
  return { x, count };
}

function twoInputs(net: CompiledNetwork): boolean {
  return net.inputSizes.reduce((a, b) => a + b, 0) === 2;
}

async function finalBoundary(runId: number, net: CompiledNetwork, grid: BoundaryGrid): Promise<TrainingUpdate> {
  const n = grid.size * grid.size;
  const values = await predict(net, grid.rows, n);
  return { kind: 'boundary', runId, size: grid.size, extent: grid.extent, width: values.length / n, values };
}

/** Maps an engine event to the views' update (adding the run id, global step and boundary points). */
export function toUpdate(runId: number, e: TrainEvent, stepsPerEpoch: number, file: string, pointsFrom?: DataSplit): TrainingUpdate {
  switch (e.type) {
    case 'start':
      return {
        kind: 'start', runId, file, backend: e.backend, reason: e.reason, mode: 'train', paramCounts: e.paramCounts, totalParams: e.totalParams,
        trainCount: e.trainCount, validationCount: e.validationCount, epochs: e.epochs, stepsPerEpoch: e.stepsPerEpoch, batchSize: e.batchSize,
        notices: [...e.notices], ...(pointsFrom ? { points: boundaryPoints(pointsFrom), classes: Math.max(2, pointsFrom.train.outputSize) } : {}),
      };
    case 'progress':
      return { kind: 'progress', runId, epoch: e.epoch, step: e.step, totalSteps: e.totalSteps, globalStep: (e.epoch - 1) * e.totalSteps + e.step, loss: e.loss, samplesPerSec: e.samplesPerSec };
    case 'epoch':
      return { kind: 'epoch', runId, epoch: e.epoch, epochs: e.epochs, loss: e.loss, valLoss: e.valLoss, metrics: e.metrics, samplesPerSec: e.samplesPerSec };
    case 'layers':
      return { kind: 'layers', runId, globalStep: (e.epoch - 1) * stepsPerEpoch + e.step, layers: e.layers };
    case 'done':
      return { kind: 'done', runId, epochs: e.epochs, loss: e.loss, valLoss: e.valLoss, metrics: e.metrics, stopped: e.stopped, reason: e.reason, elapsedMs: e.elapsedMs, samplesPerSec: e.samplesPerSec };
    case 'error':
      return { kind: 'error', runId, message: e.message, layer: e.layer };
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
