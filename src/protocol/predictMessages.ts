/**
 * The Predict pane of the graph editor (host ↔ view ↔ training process): what the pane needs to
 * name its fields and read the network's outputs (`PredictInfo`, worked out by the training
 * process from the design, its data and its weights), and what the host sends to open or refresh
 * the pane (`PredictPaneMessage`). One row's prediction is the training process's `predict`
 * (`PredictReply`), asked for by the view with `predictRow`.
 */
import { anyNumber, bool, count, custom, finite, type Infer, int, list, object, oneOf, optional, text, typedArray } from './schema';
import { BoundaryPoints } from './trainingUpdate';

/** The most input values the pane shows fields for (an image network takes `nn predict` instead). */
export const MAX_PANE_INPUTS = 64;

const name = text(1000);
const words = text(100_000);
const extent = custom<[number, number, number, number]>(list(anyNumber, { min: 4, max: 4 }).check);

/** What the outputs mean: one sigmoid (two classes), one score per class, or quantities. */
export const PredictTask = oneOf(['binary', 'multiclass', 'regression']);
export type PredictTask = Infer<typeof PredictTask>;

/**
 * The pane's picture of the design. `features`: one name per input value (the data's columns, the
 * input node's `features`, x1/x2 of a generator, else "input i"); `classes`: class names in output
 * order (binary: [negative, positive]); `outputs`: names of the output values (regression);
 * `scale`: the standardiser the weights were trained with (the boundary's axes are in its units);
 * for two inputs, a boundary computed with these weights and the data's points (in the same units);
 * `source`: which weights predict, in words; `problem`: why the pane cannot predict (no weights
 * yet, too many inputs), in words.
 */
export const PredictInfo = object({
  file: name,
  features: list(name, { max: MAX_PANE_INPUTS }),
  classes: list(name, { max: 10_000 }),
  outputs: list(name, { max: 10_000 }),
  task: PredictTask,
  scale: optional(object({ mean: list(anyNumber, { max: MAX_PANE_INPUTS }), std: list(anyNumber, { max: MAX_PANE_INPUTS }) })),
  boundary: optional(object({ size: int(1, 4096), extent, width: count, values: typedArray(Float32Array) })),
  points: optional(BoundaryPoints),
  source: optional(words),
  problem: optional(words),
});
export type PredictInfo = Infer<typeof PredictInfo>;

/**
 * Host → view: `open` shows the pane (the Predict command) rather than only refreshing it;
 * `inputs` fill its fields and, with `outputs` and `source`, the prediction the host already made;
 * `error`: why that prediction failed, in words.
 */
export const PredictPaneFields = {
  info: PredictInfo,
  open: optional(bool),
  inputs: optional(list(finite(), { max: MAX_PANE_INPUTS })),
  outputs: optional(list(anyNumber, { max: 10_000 })),
  source: optional(words),
  error: optional(words),
};
export const PredictPane = object(PredictPaneFields);
export type PredictPane = Infer<typeof PredictPane>;
