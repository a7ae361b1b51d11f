/**
 * The training stream: one update of a run as every view sees it (the training process sends it
 * to the host, the host forwards it to the graph editor and the gradients panel), and the result
 * of Check Gradients. Each shape is defined once below; its type is inferred from it.
 */
import { FILTER_FIELDS, filtersProblem, IMAGE_GRID_FIELDS, imageGridProblem } from './imageViews';
import { NEURON_GRID_FIELDS, neuronGridProblem } from './neuronGrids';
import { anyNumber, count, custom, type Infer, int, list, LIMITS, object, oneOf, optional, path, record, text, typedArray, union, variant } from './schema';

/** Run ids of updates; -1 marks a failure of the whole process (src/trainer/main.ts). */
const runId = int(-1, Number.MAX_SAFE_INTEGER);
const message = text(100_000);
const name = text(1000);

const histogram = object({ min: anyNumber, max: anyNumber, counts: list(anyNumber, { max: 10_000 }) });

/** Summary of one tensor (mirrors the engine's TensorStats; the protocol may not import the engine). */
export const TensorSummary = object({ l2: anyNumber, mean: anyNumber, std: anyNumber, histogram });
export type TensorSummary = Infer<typeof TensorSummary>;

/** Statistics of one dense layer at one step (deadFraction: ReLU layers, the fraction of units dead on the last batch). */
export const LayerSummary = object({ id: name, weight: TensorSummary, grad: optional(TensorSummary), deadFraction: optional(anyNumber) });
export type LayerSummary = Infer<typeof LayerSummary>;

/** Evaluation metrics (classifiers: accuracy and confusion[actual][predicted]; regression: MAE, R²). */
export const MetricsSummary = object({
  accuracy: optional(anyNumber), confusion: optional(list(list(anyNumber, { max: 10_000 }), { max: 10_000 })), mae: optional(anyNumber), r2: optional(anyNumber),
});
export type MetricsSummary = Infer<typeof MetricsSummary>;

/** The largest dense layer (in weights) whose weights a run streams to the views. */
export const MAX_STREAMED_WEIGHTS = 4096;

/** One dense layer's weights, for edge colours and the panel's heatmap ([units, inputs] row-major). */
export const LayerWeights = object({ shape: list(count, { max: 8 }), data: typedArray(Float32Array) });
export type LayerWeights = Infer<typeof LayerWeights>;

/** The data points a 2-input classifier is drawn with (x: count×2, label: class index per row; validation: 1 for validation rows). */
export const BoundaryPoints = object({ x: typedArray(Float32Array), label: typedArray(Float32Array), validation: typedArray(Uint8Array) });
export type BoundaryPoints = Infer<typeof BoundaryPoints>;

/**
 * Every epoch of a run, as columns (index i is epoch i + 1): the training loss and, where the run
 * has them, validation loss, accuracy, MAE and R² (NaN where an epoch has none). The views get
 * epochs throttled; the run history needs them all, so 'done' and 'error' carry them.
 */
export const EpochCurves = object({
  loss: list(anyNumber), valLoss: optional(list(anyNumber)), accuracy: optional(list(anyNumber)), mae: optional(list(anyNumber)), r2: optional(list(anyNumber)),
});
export type EpochCurves = Infer<typeof EpochCurves>;

const update = <const K extends string, const F extends Parameters<typeof object>[0]>(kind: K, fields: F) => variant('kind', kind, { runId, ...fields });

/**
 * One update of a run, as views see it. `runId` tells runs apart so a late event of an old run
 * never lands in a new one. Bulk numbers are typed arrays (they cross IPC and postMessage as such).
 */
export const TrainingUpdate = union('kind', 'update', [
  update('start', {
    file: name, backend: name, reason: message, mode: oneOf(['train', 'step']),
    paramCounts: list(object({ id: name, count }), { max: LIMITS.names }), totalParams: count,
    trainCount: count, validationCount: count, epochs: count, stepsPerEpoch: count, batchSize: count,
    notices: list(message, { max: 100 }),
    /** Networks with two inputs: the points the boundary is drawn over. */
    points: optional(BoundaryPoints), classes: optional(count),
  }),
  update('progress', { epoch: count, step: count, totalSteps: count, globalStep: count, loss: anyNumber, samplesPerSec: anyNumber }),
  /** An epoch's end, or (with `step`: the step of the epoch it was made at) an evaluation during one. */
  update('epoch', { epoch: count, epochs: count, step: optional(count), loss: anyNumber, valLoss: optional(anyNumber), metrics: MetricsSummary, samplesPerSec: anyNumber }),
  update('layers', { globalStep: count, layers: list(LayerSummary, { max: LIMITS.names }) }),
  /** A size×size grid of predictions over extent [xmin, xmax, ymin, ymax]: per cell, `width` outputs, row 0 at ymin. */
  update('boundary', { size: int(1, 4096), extent: custom<[number, number, number, number]>(list(anyNumber, { min: 4, max: 4 }).check), width: count, values: typedArray(Float32Array) }),
  update('weights', { layers: record(LayerWeights) }),
  /** Two-input networks, with the boundary: each neuron's activation over the input plane (neuronGrids.ts). */
  variant('kind', 'neurons', { runId, ...NEURON_GRID_FIELDS }, { refine: neuronGridProblem }),
  update('done', {
    epochs: count, loss: anyNumber, valLoss: optional(anyNumber), metrics: MetricsSummary,
    stopped: oneOf(['completed', 'early-stopping', 'aborted']), reason: message,
    elapsedMs: anyNumber, samplesPerSec: anyNumber, weightsFile: optional(path),
    history: optional(EpochCurves),
  }),
  update('error', { message, layer: optional(name), history: optional(EpochCurves) }),
  /** The training process ended without finishing the run (killed, crashed). */
  update('exited', { message }),
  /** Reset Weights: views clear their charts. */
  update('reset', { message }),
  /** Sent when a view opens: the file has saved weights (Predict and the boundary use them). */
  update('saved', { weightsFile: path }),
  /** Image networks, instead of the boundary: validation images with predicted and true classes, mistakes first (at most ~1 a second). */
  variant('kind', 'images', { runId, ...IMAGE_GRID_FIELDS }, { refine: imageGridProblem }),
  /** Image networks: the first conv layer's filters, once an epoch. */
  variant('kind', 'filters', { runId, ...FILTER_FIELDS }, { refine: filtersProblem }),
]);
export type TrainingUpdate = Infer<typeof TrainingUpdate>;

const GradientCheckRow = object({
  tensor: name,
  /** Elements compared (large tensors are sampled). */
  checked: count,
  analyticNorm: anyNumber,
  numericNorm: anyNumber,
  /** ‖a − n‖ / max(‖a‖ + ‖n‖, 1e-12). */
  relativeError: anyNumber,
  /** A few elements side by side, for the table. */
  samples: list(object({ index: count, analytic: anyNumber, numeric: anyNumber }), { max: 10_000 }),
});
/** Analytic and numerical gradients of one parameter tensor, and their relative error. */
export type GradientCheckRow = Infer<typeof GradientCheckRow>;

/** The result of Check Gradients (`what`: what was differentiated, in words). */
export const GradientCheckResult = object({ file: name, what: message, rows: list(GradientCheckRow, { max: LIMITS.names }) });
export type GradientCheckResult = Infer<typeof GradientCheckResult>;
