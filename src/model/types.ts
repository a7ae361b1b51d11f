/**
 * The nn/1 format: the TypeScript shape of a `.nn` file.
 *
 * These types describe a *well-formed* document after parsing. The parser is error-tolerant and
 * reports every problem as a Diagnostic; a node that is too broken to type is left out of
 * `nodes` and named in a diagnostic instead. Unknown fields are preserved in the text (edits are
 * minimal text edits) and reported as warnings, so they never appear here.
 */

/** The only format version this build reads. */
export const FORMAT_VERSION = 'nn/1';

/** Activation function names, as written in a file. */
export type ActivationName =
  | 'linear'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'elu'
  | 'softmax'
  | 'step';

/** Every activation name, in the lectures' order. */
export const ACTIVATION_NAMES: readonly ActivationName[] = [
  'linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'softmax', 'step',
];

/** Default `alpha` per activation that takes one (leaky ReLU: the lectures' max(0.1x, x)). */
export const DEFAULT_ALPHA: Readonly<Partial<Record<ActivationName, number>>> = {
  leaky_relu: 0.1,
  elu: 1.0,
};

/** Node type names, as written in a file. */
export type NodeType =
  | 'input' | 'dense' | 'activation' | 'dropout' | 'add' | 'multiply' | 'concat'
  | 'conv2d' | 'maxpool2d' | 'avgpool2d' | 'globalavgpool2d' | 'flatten' | 'reshape' | 'batchnorm';

/** Every node type name. */
export const NODE_TYPES: readonly NodeType[] = [
  'input', 'dense', 'activation', 'dropout', 'add', 'multiply', 'concat',
  'conv2d', 'maxpool2d', 'avgpool2d', 'globalavgpool2d', 'flatten', 'reshape', 'batchnorm',
];

/** How a window op treats the border (Keras): `valid` uses only whole windows, `same` pads so out = ceil(in / stride). */
export type PaddingName = 'valid' | 'same';

/** A window size or stride: one number for both axes, or [height, width]. */
export type Size2D = number | [number, number];

/** Fields every node has. */
export interface NodeBase {
  /** Unique within the file; edges refer to it. Letters, digits, `_` and `-`. */
  id: string;
  type: NodeType;
  /** Free text shown in the editor (e.g. "GPA, experience"). */
  label?: string;
}

/**
 * A network input: either `units` features (a vector) or a `shape` — `[H, W, C]` for images,
 * channels last as in Keras. Exactly one of the two is written; `units` is then the product of
 * the shape (the parser fills it in), so code that only needs the width reads `units`.
 */
export interface InputNode extends NodeBase {
  type: 'input';
  units: number;
  /** Image (or other tensor) shape without the batch dimension, e.g. [28, 28, 1]. */
  shape?: number[];
  /** Optional feature names, one per unit (used by CSV data and the predict prompt). */
  features?: string[];
}

/** A fully connected layer: y = g(W·x + b). */
export interface DenseNode extends NodeBase {
  type: 'dense';
  units: number;
  /** Absent means linear. */
  activation?: ActivationName;
  /** For leaky_relu and elu; DEFAULT_ALPHA otherwise. */
  alpha?: number;
  /** Hand-set weights, `units` rows × `inputs` columns (row i holds the weights into unit i). */
  weights?: number[][];
  /** Hand-set bias, one per unit. */
  bias?: number[];
  /** Default true. */
  useBias?: boolean;
}

/** A standalone activation applied element-wise (softmax: across the feature axis). */
export interface ActivationNode extends NodeBase {
  type: 'activation';
  activation: ActivationName;
  alpha?: number;
}

/** Drops a fraction `rate` of its inputs while training (inverted dropout); identity otherwise. */
export interface DropoutNode extends NodeBase {
  type: 'dropout';
  rate: number;
}

/** Element-wise sum or product of two or more inputs of one shape. */
export interface MergeNode extends NodeBase {
  type: 'add' | 'multiply';
}

/** Concatenation of its inputs along the feature axis, in edge order. */
export interface ConcatNode extends NodeBase {
  type: 'concat';
}

/** A 2-D convolution over an [H, W, C] input (Keras Conv2D, channels last). */
export interface Conv2DNode extends NodeBase {
  type: 'conv2d';
  filters: number;
  kernelSize: Size2D;
  /** Default 1. */
  strides?: Size2D;
  /** Default `valid`. */
  padding?: PaddingName;
  /** Absent means linear. */
  activation?: ActivationName;
  alpha?: number;
  /** Default true. */
  useBias?: boolean;
  /** Hand-set kernels, nested [filters][kernelH][kernelW][inputChannels] (out-first, as dense's [units][inputs]). */
  weights?: number[][][][];
  /** Hand-set bias, one per filter. */
  bias?: number[];
}

/** Max or average pooling over an [H, W, C] input, per channel. */
export interface Pool2DNode extends NodeBase {
  type: 'maxpool2d' | 'avgpool2d';
  poolSize: Size2D;
  /** Default: poolSize. */
  strides?: Size2D;
  /** Default `valid`. */
  padding?: PaddingName;
}

/** Mean over H and W of an [H, W, C] input: [C]. */
export interface GlobalAvgPool2DNode extends NodeBase {
  type: 'globalavgpool2d';
}

/** Row-major over H, W, C: [H, W, C] → [H·W·C]. */
export interface FlattenNode extends NodeBase {
  type: 'flatten';
}

/** The same values in a new shape of the same size (row-major). */
export interface ReshapeNode extends NodeBase {
  type: 'reshape';
  shape: number[];
}

/**
 * Batch normalization over the last axis (Keras BatchNormalization): batch statistics while
 * training, running statistics at inference. Parameters gamma and beta are trained; the moving
 * mean and variance are not, and are saved with the weights.
 */
export interface BatchNormNode extends NodeBase {
  type: 'batchnorm';
  /** Default 0.99: moving = momentum·moving + (1 − momentum)·batch. */
  momentum?: number;
  /** Default 0.001. */
  epsilon?: number;
}

/** Any node of an nn/1 network. */
export type NetworkNode =
  | InputNode | DenseNode | ActivationNode | DropoutNode | MergeNode | ConcatNode
  | Conv2DNode | Pool2DNode | GlobalAvgPool2DNode | FlattenNode | ReshapeNode | BatchNormNode;

/** A directed connection: the output of `from` feeds `to`. Order among a node's inputs is file order. */
export interface Edge {
  from: string;
  to: string;
}

/** Loss function names (Keras spelling). */
export type LossName = 'binary_crossentropy' | 'categorical_crossentropy' | 'mse';

/** Every loss name. */
export const LOSS_NAMES: readonly LossName[] = ['binary_crossentropy', 'categorical_crossentropy', 'mse'];

/** Optimizer names. */
export type OptimizerName = 'sgd' | 'adam' | 'rmsprop';

/** Every optimizer name. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'adam', 'rmsprop'];

/** Optimizer settings; names follow Keras. */
export interface OptimizerSpec {
  type: OptimizerName;
  learningRate?: number;
  /** SGD only. */
  momentum?: number;
  /** SGD only. */
  nesterov?: boolean;
  /** Adam only. */
  beta1?: number;
  /** Adam only. */
  beta2?: number;
  /** RMSprop only (decay of the squared-gradient average). */
  rho?: number;
  epsilon?: number;
}

/** Built-in 2-D (and 1-D regression) data generators. */
export type GeneratorName = 'xor' | 'circle' | 'gaussian' | 'spiral' | 'linear' | 'sine';

/** Every generator name. */
export const GENERATOR_NAMES: readonly GeneratorName[] = ['xor', 'circle', 'gaussian', 'spiral', 'linear', 'sine'];

/** Data sets shipped with the product. */
export type DatasetName = 'iris' | 'digits' | 'interview';

/** Every shipped data set name. */
export const DATASET_NAMES: readonly DatasetName[] = ['iris', 'digits', 'interview'];

/** Synthetic data from a generator. */
export interface GeneratorData {
  generator: GeneratorName;
  /** Number of points (default 500). */
  samples?: number;
  /** Std of Gaussian noise on the coordinates (classification) or targets (regression), which lie in about [-1, 1]; default 0. */
  noise?: number;
  /** Seed of this data set alone (default: the training seed). */
  seed?: number;
  /** spiral and gaussian: number of classes (default 2). */
  classes?: number;
}

/** A CSV file, path relative to the `.nn` file. */
export interface CsvData {
  csv: string;
  /** Feature columns by header name; default: every column that is not a label. */
  features?: string[];
  /** Label column(s) by header name. */
  labels: string[];
  /** Columns to one-hot encode (text columns are detected even if not listed). */
  categorical?: string[];
  /** Standardise features, fitted on the training split only (default true). */
  standardize?: boolean;
}

/** A data set that ships with Neural Canvas. */
export interface DatasetData {
  dataset: DatasetName;
}

/**
 * MNIST-format files (IDX): `images` (magic 0x00000803: count × rows × cols bytes) and `labels`
 * (magic 0x00000801: count class numbers), paths relative to the `.nn` file; a `.gz` file is
 * unpacked while reading. Pixels are scaled to [0, 1]; labels become one-hot over 0 … max label.
 */
export interface IdxData {
  idx: { images: string; labels: string };
}

/**
 * A folder of PNG/JPEG images, path relative to the `.nn` file, one sub-folder per class (the
 * sorted sub-folder names are the class names). Every image has the input's height and width;
 * pixels are scaled to [0, 1] and converted to the input's channels (1 gray, 3 RGB).
 */
export interface ImageFolderData {
  imageFolder: string;
}

/** Where training data comes from. */
export type DataSpec = GeneratorData | CsvData | DatasetData | IdxData | ImageFolderData;

/** Stop when the monitored loss has not improved by `minDelta` for `patience` epochs. */
export interface EarlyStoppingSpec {
  monitor?: 'val_loss' | 'loss';
  patience: number;
  minDelta?: number;
  restoreBestWeights?: boolean;
}

/** The optional `training` section. */
export interface TrainingSpec {
  data?: DataSpec;
  loss?: LossName;
  optimizer?: OptimizerSpec;
  batchSize?: number;
  epochs?: number;
  /** Fraction of the data held out for validation, in [0, 1). */
  validationSplit?: number;
  shuffle?: boolean;
  seed?: number;
  l1?: number;
  l2?: number;
  earlyStopping?: EarlyStoppingSpec;
}

/** A pinned editor position for one node (pixels in graph space). */
export interface PinnedPosition {
  x: number;
  y: number;
}

/** Which way the editor draws the layers: chosen for the graph and the canvas, or fixed by the file. */
export const LAYOUT_DIRECTIONS = ['auto', 'right', 'down'] as const;
export type LayoutDirection = (typeof LAYOUT_DIRECTIONS)[number];

/** Editor layout, kept apart from the architecture so a re-layout diff stays small. */
export interface LayoutSpec {
  pinned?: Record<string, PinnedPosition>;
  /** Left to right, top to bottom, or (`auto`, the default) chosen from the graph's shape and the canvas. */
  direction?: LayoutDirection;
}

/**
 * A named set of nodes the editor may draw as one box (its input and output shapes and its
 * parameter total). A view aid only: training and every exporter ignore groups.
 */
export interface NodeGroup {
  /** Unique among groups and distinct from every node id; same rule as a node id. */
  id: string;
  /** Shown on the box; the id when absent. */
  label?: string;
  /** Member node ids; a node belongs to at most one group. */
  nodes: string[];
  /** Drawn as one box (true) or as its members in place (false, the default). */
  collapsed?: boolean;
}

/** A parsed nn/1 document. */
export interface NetworkDoc {
  format: typeof FORMAT_VERSION;
  name?: string;
  description?: string;
  nodes: NetworkNode[];
  edges: Edge[];
  training?: TrainingSpec;
  layout?: LayoutSpec;
  /** Groups of nodes for the editor (see NodeGroup). */
  groups?: NodeGroup[];
}

/** 0-based line and column (UTF-16 code units), as VS Code counts them. */
export interface Position {
  line: number;
  character: number;
}

/** A span of the file's text. */
export interface TextRange {
  /** Offset of the first character. */
  offset: number;
  length: number;
  start: Position;
  end: Position;
}

/** How serious a diagnostic is. */
export type Severity = 'error' | 'warning' | 'info';

/** One problem found in a file, written for the person who wrote it. */
export interface Diagnostic {
  severity: Severity;
  /** Stable machine code, e.g. `weight-shape`, `cycle`, `unknown-field`. */
  code: string;
  message: string;
  range: TextRange;
  /** The node the problem belongs to, when there is one (the editor puts a badge on it). */
  nodeId?: string;
}
