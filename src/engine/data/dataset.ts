/**
 * The in-memory data set every loader produces and the training loop consumes: dense float32
 * rows, ready to be sliced into mini-batches without any further conversion.
 */

/** What kind of prediction the labels ask for; decides the metrics the engine reports. */
export type DataTask = 'binary' | 'multiclass' | 'regression';

/** A data set: `count` rows of `inputSize` features and `outputSize` targets. */
export interface Dataset {
  /** Features, row-major, count × inputSize. */
  x: Float32Array;
  /** Targets, row-major, count × outputSize (multiclass: one-hot; binary: 0 or 1). */
  y: Float32Array;
  count: number;
  inputSize: number;
  outputSize: number;
  /** One name per feature column after encoding (e.g. `Smoker`, `Blood Pressure_1`, `color=red`). */
  featureNames: string[];
  /** binary: the positive class (one per output); multiclass: the class names in one-hot order; regression: target names. */
  labelNames: string[];
  task: DataTask;
  /**
   * Per feature: whether `splitData` standardises it (fitted on the training split). Set by CSV
   * and shipped data (numeric columns true, one-hot and yes/no columns false); absent for
   * generated data, which is already on a unit scale.
   */
  standardize?: boolean[];
  /**
   * [H, W, C] of one sample when the rows are images: each row holds H·W·C pixels row-major,
   * channels last (HWC). Set by the image loaders, and for any data fed to an image input.
   */
  shape?: number[];
}

/** A problem with the data a user asked for, with a message written for that user. */
export class DataError extends Error {
  /** The file the problem is in, when there is one. */
  readonly file?: string;
  /** 1-based line of the file, when known. */
  readonly line?: number;
  /** The column's header name, when known. */
  readonly column?: string;

  /** `message` is shown as is; `where` lets callers point an editor at the spot. */
  constructor(message: string, where: { file?: string; line?: number; column?: string } = {}) {
    super(message);
    this.name = 'DataError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** Checks a data set's arrays against its declared sizes (a loader bug, not a user error, if this fails). */
export function assertDatasetShape(ds: Dataset): void {
  if (ds.x.length !== ds.count * ds.inputSize || ds.y.length !== ds.count * ds.outputSize) {
    throw new Error(`data set arrays do not match ${ds.count} rows × ${ds.inputSize} inputs / ${ds.outputSize} outputs`);
  }
}
