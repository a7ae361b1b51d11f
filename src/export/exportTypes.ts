/**
 * What the exporters read. The analysis and weight types are the structural subset of the model
 * core's NetworkAnalysis and the engine's WeightMap that export needs, so this pure module does
 * not have to pull in the engine (and stays usable from the extension host).
 */
import type { NetworkDoc } from '../model/types';
import type { DataTask, Dataset } from '../engine/data';

/** The part of the model core's `NetworkAnalysis` the exporters use. */
export interface ExportAnalysis {
  /** Node ids in topological order. */
  order: string[];
  inputs: string[];
  outputs: string[];
  /** Per-node output shape without the batch dimension, e.g. [3]. */
  shapes: Map<string, number[]>;
  /** Per-node input node ids, in edge order. */
  inputsOf: Map<string, string[]>;
}

/** One tensor: row-major data with its shape (same layout as the engine's WeightMap). */
export interface ExportTensor {
  shape: number[];
  data: Float32Array;
}

/**
 * Weights keyed as the engine's WeightMap: dense `"<id>.weight"` [units, inputs] and `"<id>.bias"`
 * [units]; conv2d `"<id>.weight"` [filters, kh, kw, C] (channels last) and `"<id>.bias"` [filters];
 * batch norm `"<id>.gamma"`, `"<id>.beta"`, `"<id>.moving_mean"`, `"<id>.moving_variance"` [C]. Row-major.
 */
export type ExportWeights = Map<string, ExportTensor>;

/** The export formats. */
export type ExportFormat = 'pytorch' | 'keras' | 'onnx';

/** Every export format, in the order `nn export --help` lists them. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ['pytorch', 'keras', 'onnx'];

/** What a data set asks the network to do: the engine's own type. */
export type { DataTask };

/** Data already loaded, split and standardised by the engine, to be written beside a script. */
export type ExportDataset = Pick<Dataset, 'x' | 'y' | 'count' | 'inputSize' | 'outputSize' | 'featureNames' | 'labelNames'> & {
  task?: DataTask;
};

/** Options shared by the exporters. */
export interface ExportOptions {
  /** Base name of the written files (default: the network's name, or "network"). */
  baseName?: string;
  /**
   * The training data exactly as our engine sees it (after split and standardisation). When given,
   * script exporters write it as `<base>_data.csv` beside the script so both sides train on the
   * same rows in the same order; when absent the script asks for `--data`.
   */
  data?: { train: ExportDataset; validation?: ExportDataset };
  /** File name of the weights the script loads when present (default `<base>.weights.safetensors`). */
  weightsFile?: string;
  /** File name of the data CSV written beside a script (default `<base>_data.csv`). */
  dataFile?: string;
  /**
   * Feature scaling fitted when training on CSV data (one mean and std per feature, all inputs
   * concatenated). ONNX then standardises inside the graph, so it takes raw features as `nn predict` does.
   */
  standardizer?: FeatureScaling;
}

/** Per-feature scaling: x' = (x − mean) / std. */
export interface FeatureScaling {
  mean: ArrayLike<number>;
  std: ArrayLike<number>;
}

/** One file an export produces; its name is relative to the output folder. */
export interface ExportFile {
  name: string;
  content: string | Uint8Array;
  /** What the file is: the main file (script or model), the data rows, or the weights copy. */
  role: 'main' | 'data' | 'weights';
}

/** What `exportNetwork` returns. */
export interface ExportResult {
  files: ExportFile[];
  /** Things the user should know that are not errors (e.g. "ONNX holds the inference graph only"). */
  notes: string[];
}

/** The document type re-exported so callers of this module need one import. */
export type { NetworkDoc };
