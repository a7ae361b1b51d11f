/**
 * Host ↔ training process (child_process IPC with 'advanced' serialization). Both ends check
 * every message against these definitions: the process with `ToTrainerMessage.validate`, the host
 * with `FromTrainerMessage.validate`; a malformed message is logged and dropped, and a malformed
 * request with a readable requestId is answered with why.
 */
import { EPOCHS, LEARNING_RATE } from '../model/fieldRules';
import { responseMessage } from './response';
import { anyNumber, bool, count, finite, type Infer, int, keyName, LIMITS, list, msg, object, oneOf, optional, path, plainData, request, type RepliesOf, type Shape, show, text, union, variant } from './schema';
import { FeatureMaps, imageRow } from './imageViews';
import { GradientCheckResult, TrainingUpdate } from './trainingUpdate';
import { MAX_PANE_INPUTS, PredictInfo } from './predictMessages';

/** How the training process starts its own log lines on stderr (the host copies them to its output channel). */
export const TRAINER_LOG_PREFIX = 'neural-canvas training process: ';

/** Per-run overrides chosen in the quick pick: the same rules as the file's training settings (src/model/fieldRules.ts). */
export const TrainOverrides = object({
  epochs: optional(int(EPOCHS.min ?? 1, EPOCHS.max ?? Number.MAX_SAFE_INTEGER)),
  learningRate: optional(finite(LEARNING_RATE.min, LEARNING_RATE.max, LEARNING_RATE.minExclusive)),
  backend: optional(oneOf(['auto', 'cpu', 'webgpu'])),
});
export type TrainOverrides = Infer<typeof TrainOverrides>;

/**
 * What every trainer request carries about the network: the document text (the trainer parses it
 * itself: no half-parsed state crosses the boundary), the absolute path of the .nn file, and the
 * folders data files must stay inside (the workspace folders).
 */
export const TrainerJob = object({ text: text(), file: path, allowedRoots: list(path, { max: 1000 }) });
export type TrainerJob = Infer<typeof TrainerJob>;
const job = TrainerJob.fields;

/** The formats of the Export… command (src/export's EXPORT_FORMATS). */
export const EXPORT_FORMAT_NAMES = ['pytorch', 'keras', 'onnx'] as const;
export type ExportFormatName = (typeof EXPORT_FORMAT_NAMES)[number];
const exportFormat = oneOf(EXPORT_FORMAT_NAMES, (v, at) => `cannot export to ${typeof v === 'string' ? `'${keyName(v)}'` : show(v)}: choose one of ${EXPORT_FORMAT_NAMES.join(', ')} ("${at}")`);

/** The trainer's answer to 'export': absolute paths written (main file first), notes for the user, and existing files export did not write (nothing was written; ask the user). */
export const ExportAnswer = object({ written: list(path, { max: LIMITS.names }), notes: list(text(100_000), { max: 1000 }), conflicts: optional(list(path, { max: LIMITS.names })) });
export type ExportAnswer = Infer<typeof ExportAnswer>;

/**
 * The weights file beside a design, as the trainer finds it (the answer to 'savedWeights'):
 * absent, fitting the design exactly, not fitting it (a changed layer), or damaged (unreadable,
 * NaN/Inf). `problem` names the file's tensors and shapes, or what is wrong with the file.
 */
const status = <const V extends string, const F extends Shape>(value: V, fields: F) => variant('status', value, fields);
export const SavedWeightsState = union('status', 'weights state', [
  status('none', { file: path }),
  status('fits', { file: path }),
  status('mismatch', { file: path, problem: text(100_000) }),
  status('damaged', { file: path, problem: text(100_000) }),
]);
export type SavedWeightsState = Infer<typeof SavedWeightsState>;

/** The answer to 'step': the batch's loss, where the run stands, and the weights file written. */
export const StepReply = object({ loss: anyNumber, globalStep: count, fresh: bool, weightsFile: path });
export type StepReply = Infer<typeof StepReply>;

/** The answer to 'predict': the network's outputs and which weights gave them, in words. */
export const PredictReply = object({ outputs: list(anyNumber), source: text(100_000) });
export type PredictReply = Infer<typeof PredictReply>;

/** Host → trainer process. */
export const ToTrainerMessage = union('type', 'message', [
  /**
   * `replaceWeights`: the user agreed to replace a weights file that does not fit or is damaged;
   * without it the trainer refuses such a file rather than overwrite it.
   */
  /** `neuronHeatmaps: false`: the run computes no neuron heatmaps (the user's setting; absent: on). */
  msg('train', { ...job, runId: count, overrides: TrainOverrides, boundarySize: optional(int(2, 1024)), eventEveryMs: optional(finite(0, 3_600_000)), replaceWeights: optional(bool), neuronHeatmaps: optional(bool) }),
  msg('stop', { runId: count }),
  /** The user turned neuron heatmaps on or off: the run in progress starts or stops computing them. */
  msg('neuronHeatmaps', { on: bool }),
  /** One mini-batch with the step session (kept between Step commands; optimizer state included). */
  request('step', { ...job, runId: count, replaceWeights: optional(bool), neuronHeatmaps: optional(bool) }, StepReply),
  /** How the saved weights stand against the design. */
  request('savedWeights', job, SavedWeightsState),
  /** Drops the step session (after Reset Weights). */
  msg('resetStep', {}),
  request('predict', { ...job, inputs: list(finite(), { max: 1_000_000 }) }, PredictReply),
  /** What the Predict pane shows of the design: feature and class names, the weights, a boundary for two inputs (over the data and `inputs`). */
  request('predictInfo', { ...job, inputs: optional(list(finite(), { max: MAX_PANE_INPUTS })) }, PredictInfo),
  request('checkGradients', job, GradientCheckResult),
  /**
   * One node's output for one image of the run's image grid (`row` of its set): with the live
   * weights while the file trains, else the saved weights.
   */
  request('featureMaps', { ...job, node: text(1000), row: imageRow }, FeatureMaps),
  /**
   * Writes the network for another framework. Files in the way that export did not write are
   * replaced only with `force` (the user chose Replace); without it nothing is written and the
   * answer lists them in `conflicts`.
   */
  request('export', { ...job, format: exportFormat, out: optional(path), noData: optional(bool), force: optional(bool) }, ExportAnswer),
]);
export type ToTrainer = Infer<typeof ToTrainerMessage>;

/** Trainer process → host; requests are answered with `response` (plain data: typed arrays may cross). */
export const FromTrainerMessage = union('type', 'message', [
  msg('ready', { pid: count }),
  msg('update', { update: TrainingUpdate }),
  responseMessage(plainData),
]);
export type FromTrainer = Exclude<Infer<typeof FromTrainerMessage>, { type: 'response' }>;

/** The answers to the host's requests, by request type. */
export type TrainerReplies = RepliesOf<typeof ToTrainerMessage>;
