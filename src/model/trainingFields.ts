/**
 * The rules of the `training` section stated once, by path ("optimizer.learningRate"): what each
 * setting may hold. The parser reads the section with these rules, and the editor's settings
 * inspector and the host's message check ask the same ones, so the view can write nothing that
 * `nn check` would refuse. `trainingFieldProblem` says why a value does not fit, in the parser's words.
 */
import { DATASET_NAMES, GENERATOR_NAMES, LOSS_NAMES, OPTIMIZER_NAMES } from './types';
import { EPOCHS, FRACTION, fitsKind, kindText, LEARNING_RATE, NON_NEGATIVE, POSITIVE_INT, type NumberRule, type ValueKind } from './fieldRules';

const SEED: NumberRule = { integer: true, min: 0 };
const number = (rule: NumberRule): ValueKind => ({ kind: 'number', rule });
const flag: ValueKind = { kind: 'flag' };
const texts: ValueKind = { kind: 'textList' };

/** Every setting of the `training` section the editor may write, by its path inside `training`. */
export const TRAINING_FIELD_KINDS: Readonly<Record<string, ValueKind>> = {
  'loss': { kind: 'name', names: LOSS_NAMES, what: 'loss', code: 'unknown-loss' },
  'optimizer.type': { kind: 'name', names: OPTIMIZER_NAMES, what: 'optimizer', code: 'unknown-optimizer' },
  'optimizer.learningRate': number(LEARNING_RATE),
  'optimizer.momentum': number(FRACTION),
  'optimizer.nesterov': flag,
  'optimizer.beta1': number(FRACTION),
  'optimizer.beta2': number(FRACTION),
  'optimizer.rho': number(FRACTION),
  'optimizer.epsilon': number({ min: 0, minExclusive: true, max: 1 }),
  'batchSize': number(POSITIVE_INT),
  'epochs': number(EPOCHS),
  'validationSplit': number(FRACTION),
  'shuffle': flag,
  'seed': number(SEED),
  'l1': number(NON_NEGATIVE),
  'l2': number(NON_NEGATIVE),
  'earlyStopping.monitor': { kind: 'name', names: ['val_loss', 'loss'], what: 'monitor', code: 'unknown-monitor' },
  'earlyStopping.patience': number(SEED),
  'earlyStopping.minDelta': number(NON_NEGATIVE),
  'earlyStopping.restoreBestWeights': flag,
  'data.generator': { kind: 'name', names: GENERATOR_NAMES, what: 'generator', code: 'unknown-generator' },
  'data.samples': number(POSITIVE_INT),
  'data.noise': number(NON_NEGATIVE),
  'data.seed': number(SEED),
  'data.classes': number({ integer: true, min: 2, max: 100 }),
  'data.csv': { kind: 'text' },
  'data.features': texts,
  'data.labels': texts,
  'data.categorical': texts,
  'data.standardize': flag,
  'data.dataset': { kind: 'name', names: DATASET_NAMES, what: 'data set', code: 'unknown-dataset' },
};

/** The rule of the setting at `path` (["optimizer", "learningRate"]); undefined for one the editor does not write. */
export function trainingFieldKind(path: readonly string[]): ValueKind | undefined {
  const key = path.join('.');
  return Object.prototype.hasOwnProperty.call(TRAINING_FIELD_KINDS, key) ? TRAINING_FIELD_KINDS[key] : undefined;
}

/** The kinds of data and the key that names each (exactly one is written). */
export const DATA_KIND_KEYS = ['generator', 'csv', 'dataset', 'idx', 'imageFolder'] as const;

/** The settings each kind of data reads. */
export const DATA_KIND_FIELDS: Readonly<Record<string, readonly string[]>> = {
  generator: ['generator', 'samples', 'noise', 'seed', 'classes'],
  csv: ['csv', 'features', 'labels', 'categorical', 'standardize'],
  dataset: ['dataset'],
  idx: ['idx'],
  imageFolder: ['imageFolder'],
};

/** Settings that cannot be left out of their object (remove the object instead). */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  optimizer: ['type'],
  earlyStopping: ['patience'],
  'data.generator': ['generator'],
  'data.csv': ['csv', 'labels'],
  'data.dataset': ['dataset'],
};

/** The keys each optimizer reads besides type, learningRate and epsilon (Keras names). */
export const OPTIMIZER_PARAMS: Readonly<Record<string, readonly string[]>> = {
  sgd: ['momentum', 'nesterov'],
  adam: ['beta1', 'beta2'],
  rmsprop: ['rho'],
};

/** What the engine uses when a setting is left out (src/engine/trainSettings.ts; a unit test keeps them equal), for the editor's placeholders. */
export const TRAINING_DEFAULTS = {
  optimizer: 'adam',
  learningRate: { adam: 0.01, sgd: 0.01, rmsprop: 0.001 } as Readonly<Record<string, number>>,
  momentum: 0, beta1: 0.9, beta2: 0.999, rho: 0.9, epsilon: 1e-7,
  batchSize: 32, epochs: 100, validationSplit: 0.2, seed: 42, l1: 0, l2: 0,
  patience: 10, monitor: 'val_loss', minDelta: 0,
} as const;

function shown(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Why `value` cannot be written as the object at `path` ("data", "optimizer", "earlyStopping"), or undefined. */
function objectProblem(path: string, value: Record<string, unknown>): string | undefined {
  let requiredKey = path;
  if (path === 'data') {
    const kinds = DATA_KIND_KEYS.filter((k) => Object.prototype.hasOwnProperty.call(value, k));
    if (kinds.length !== 1) return 'training.data needs exactly one of "generator", "csv", "dataset", "idx" or "imageFolder"';
    if (kinds[0] === 'idx' || kinds[0] === 'imageFolder') return `training.data: ${kinds[0]} data is written in the text editor`;
    requiredKey = `data.${kinds[0]}`;
  }
  for (const [key, v] of Object.entries(value)) {
    if (path === 'data' && !DATA_KIND_FIELDS[requiredKey.slice(5)].includes(key)) return `training.data: ${requiredKey.slice(5)} data has no "${key}"`;
    const problem = trainingFieldProblem([...path.split('.'), key], v);
    if (problem) return problem;
  }
  const missing = (REQUIRED[requiredKey] ?? []).find((k) => value[k] === undefined);
  return missing ? `training.${path} needs "${missing}"` : undefined;
}

/**
 * Why `value` cannot be written at `path` inside `training` (undefined: it can); `undefined`
 * removes the setting, which a required one ("optimizer.type") refuses. The words are the
 * parser's: "training.optimizer: learningRate must be a number > 0 and ≤ 10, not 20".
 */
export function trainingFieldProblem(path: readonly string[], value: unknown): string | undefined {
  const key = path.join('.');
  if (path.length === 0) return 'say which training setting to change';
  if (key === 'data' || key === 'optimizer' || key === 'earlyStopping') {
    if (value === undefined) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return `training.${key} must be an object { … }, not ${shown(value)}`;
    return objectProblem(key, value as Record<string, unknown>);
  }
  const kind = trainingFieldKind(path);
  const owner = path.length > 1 ? `training.${path.slice(0, -1).join('.')}` : 'training';
  const last = path[path.length - 1];
  if (!kind) return `${owner}: ${last} cannot be set from the editor`;
  if (value === undefined) {
    const parent = path.slice(0, -1).join('.');
    // A kind's naming key and a CSV's labels stay; switching kinds writes the whole data object.
    const required = parent === 'data' ? ['generator', 'csv', 'labels', 'dataset'] : REQUIRED[parent] ?? [];
    return required.includes(last) ? `${owner}: ${last} cannot be removed` : undefined;
  }
  if (!fitsKind(kind, value)) return `${owner}: ${last} must be ${kindText(kind)}, not ${shown(value)}`;
  if (key === 'data.labels' && (value as unknown[]).length === 0) return `${owner}: labels must name at least one column`;
  return undefined;
}

/** A kind of training data that fits a design, as offered by "Add training data…". */
export interface DataChoice {
  label: string;
  detail: string;
  /** The training.data to write; undefined for a CSV file (the user picks the file and its label columns). */
  data?: Record<string, unknown>;
}

/** The built-in data that fits a design of `width` input features (image inputs: none), best first; a CSV file always fits. */
export function dataChoices(width: number, image: boolean): DataChoice[] {
  const out: DataChoice[] = [];
  if (!image && width === 2) {
    out.push(
      { label: 'Spiral', detail: 'two interleaved spirals (generator)', data: { generator: 'spiral', samples: 1000, noise: 0.05 } },
      { label: 'XOR', detail: 'four clusters, opposite corners alike (generator)', data: { generator: 'xor', samples: 500, noise: 0.05 } },
      { label: 'Circle', detail: 'a disc inside a ring (generator)', data: { generator: 'circle', samples: 500, noise: 0.05 } },
      { label: 'Gaussian', detail: 'two blobs (generator)', data: { generator: 'gaussian', samples: 500, noise: 0.1 } },
      { label: 'Interview', detail: 'GPA and experience → called for interview (shipped data set)', data: { dataset: 'interview' } },
    );
  }
  if (!image && width === 1) {
    out.push(
      { label: 'Sine', detail: 'y = sin(x) with noise (generator, regression)', data: { generator: 'sine', samples: 500, noise: 0.05 } },
      { label: 'Linear', detail: 'a straight line with noise (generator, regression)', data: { generator: 'linear', samples: 500, noise: 0.05 } },
    );
  }
  if (!image && width === 4) out.push({ label: 'Iris', detail: '150 flowers, 4 measurements, 3 species (shipped data set)', data: { dataset: 'iris' } });
  if (width === 64) out.push({ label: 'Digits', detail: '8×8 handwritten digits, 10 classes (shipped data set)', data: { dataset: 'digits' } });
  out.push({ label: 'CSV file…', detail: 'a table in the workspace: pick the file, then its label column' });
  return out;
}

/** What to write for a design that has no training data, in words for an error message ("training": { "data": … }). */
export function dataSuggestion(width: number, image: boolean): string {
  const first = dataChoices(width, image)[0];
  const data = first.data ?? (image ? { imageFolder: 'images' } : { csv: 'data.csv', labels: ['label'] });
  const what = first.data ? first.detail : image ? 'a folder of images, one sub-folder per class' : `a CSV with ${width} feature column${width === 1 ? '' : 's'} and a label column`;
  return `"training": { "data": ${JSON.stringify(data).replace(/,/g, ', ').replace(/:/g, ': ')} } (${what})`;
}
