/**
 * The rules of the nn/1 format stated once: what a node id may be, and what each node property
 * may hold. The parser builds its readers from these, and everything else that accepts a value
 * for a `.nn` file (the host's message validators, the editor's inspector) asks the same rules,
 * so nothing can accept what `nn check` refuses, or refuse what it accepts.
 */
import { ACTIVATION_NAMES, type NodeType, type PaddingName } from './types';

/** Padding names of window ops (Keras). */
export const PADDING_NAMES: readonly PaddingName[] = ['valid', 'same'];

/** The most axes a `shape` may have (an image is 3: [H, W, C]). */
export const MAX_RANK = 8;

/** Node ids: letters, digits, `_` and `-` (docs/format.md). */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** The id rule in words, for messages. */
export const NODE_ID_RULE = 'letters, digits, _ and - only (for example "hidden2")';

/** Whether `v` is a valid node id. */
export function isNodeId(v: unknown): v is string {
  return typeof v === 'string' && NODE_ID_PATTERN.test(v);
}

/** Bounds of a number; inclusive unless marked exclusive. */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/** Whether `v` is a finite number that keeps `rule`. */
export function fitsNumberRule(rule: NumberRule, v: unknown): v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  if (rule.integer && !Number.isInteger(v)) return false;
  if (rule.min !== undefined && (rule.minExclusive ? v <= rule.min : v < rule.min)) return false;
  if (rule.max !== undefined && (rule.maxExclusive ? v >= rule.max : v > rule.max)) return false;
  return true;
}

/** A number rule in words: "a whole number ≥ 1", "a number ≥ 0 and < 1". */
export function numberRuleText(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`${rule.minExclusive ? '>' : '≥'} ${rule.min}`);
  if (rule.max !== undefined) parts.push(`${rule.maxExclusive ? '<' : '≤'} ${rule.max}`);
  const kind = rule.integer ? 'a whole number' : 'a number';
  return parts.length ? `${kind} ${parts.join(' and ')}` : kind;
}

/** What one property may hold. */
export type ValueKind =
  | { kind: 'number'; rule: NumberRule }
  | { kind: 'name'; names: readonly string[]; what: string; code: string }
  | { kind: 'text' }
  | { kind: 'flag' }
  | { kind: 'textList' }
  | { kind: 'numberList' }
  | { kind: 'numberMatrix' }
  /** A window size or stride: a whole number ≥ 1, or [height, width] of two. */
  | { kind: 'size2d' }
  /** A tensor shape: 1 to MAX_RANK whole numbers ≥ 1 whose product is a safe integer. */
  | { kind: 'shape' }
  /** Numbers nested `depth` lists deep (conv2d weights: 4, [filters][kernelH][kernelW][inputChannels]). */
  | { kind: 'numberTensor'; depth: number };

/** Whole numbers from 1 up (units). */
export const POSITIVE_INT: NumberRule = { integer: true, min: 1 };
/** Numbers from 0 up (alpha, noise, l1, l2). */
export const NON_NEGATIVE: NumberRule = { min: 0 };
/** Fractions in [0, 1) (dropout rate, momentum, validationSplit). */
export const FRACTION: NumberRule = { min: 0, max: 1, maxExclusive: true };
/** Open interval (0, 1): batchnorm momentum (0 would forget everything, 1 never learn). */
export const OPEN_FRACTION: NumberRule = { min: 0, minExclusive: true, max: 1, maxExclusive: true };
/** Numbers above 0 (batchnorm epsilon). */
export const POSITIVE: NumberRule = { min: 0, minExclusive: true };

/** training.epochs, and a run's epochs override. */
export const EPOCHS: NumberRule = { integer: true, min: 1, max: 1_000_000 };
/** training.optimizer.learningRate, and a run's learning-rate override. */
export const LEARNING_RATE: NumberRule = { min: 0, minExclusive: true, max: 10 };

/** Every node property other than `id` and `type`, with what it may hold. */
export const NODE_PROPERTY_KINDS: Readonly<Record<string, ValueKind>> = {
  label: { kind: 'text' },
  units: { kind: 'number', rule: POSITIVE_INT },
  features: { kind: 'textList' },
  activation: { kind: 'name', names: ACTIVATION_NAMES, what: 'activation', code: 'unknown-activation' },
  alpha: { kind: 'number', rule: NON_NEGATIVE },
  weights: { kind: 'numberMatrix' },
  bias: { kind: 'numberList' },
  useBias: { kind: 'flag' },
  rate: { kind: 'number', rule: FRACTION },
  shape: { kind: 'shape' },
  filters: { kind: 'number', rule: POSITIVE_INT },
  kernelSize: { kind: 'size2d' },
  poolSize: { kind: 'size2d' },
  strides: { kind: 'size2d' },
  padding: { kind: 'name', names: PADDING_NAMES, what: 'padding', code: 'unknown-padding' },
  momentum: { kind: 'number', rule: OPEN_FRACTION },
  epsilon: { kind: 'number', rule: POSITIVE },
};

/** Where a node type reads a property differently from NODE_PROPERTY_KINDS (conv2d's weights are 4-D). */
export const NODE_TYPE_PROPERTY_KINDS: Readonly<Partial<Record<NodeType, Readonly<Record<string, ValueKind>>>>> = {
  conv2d: { weights: { kind: 'numberTensor', depth: 4 } },
};

/** What property `key` of a node of `type` may hold (the type's own rule first); undefined for a key no node has. */
export function nodePropertyKind(key: string, type?: NodeType | string): ValueKind | undefined {
  const special = type !== undefined && Object.prototype.hasOwnProperty.call(NODE_TYPE_PROPERTY_KINDS, type)
    ? NODE_TYPE_PROPERTY_KINDS[type as NodeType] : undefined;
  if (special && Object.prototype.hasOwnProperty.call(special, key)) return special[key];
  return Object.prototype.hasOwnProperty.call(NODE_PROPERTY_KINDS, key) ? NODE_PROPERTY_KINDS[key] : undefined;
}

/**
 * The properties each node type takes (besides id, type and label), and which it needs;
 * `oneOf`: exactly one of these must be written (an input has `units` or a `shape`).
 */
export const NODE_PROPERTIES: Readonly<Record<NodeType, { optional: readonly string[]; required: readonly string[]; oneOf?: readonly string[] }>> = {
  input: { required: [], optional: ['units', 'shape', 'features'], oneOf: ['units', 'shape'] },
  dense: { required: ['units'], optional: ['activation', 'alpha', 'weights', 'bias', 'useBias'] },
  activation: { required: ['activation'], optional: ['alpha'] },
  dropout: { required: ['rate'], optional: [] },
  add: { required: [], optional: [] },
  multiply: { required: [], optional: [] },
  concat: { required: [], optional: [] },
  conv2d: { required: ['filters', 'kernelSize'], optional: ['strides', 'padding', 'activation', 'alpha', 'useBias', 'weights', 'bias'] },
  maxpool2d: { required: ['poolSize'], optional: ['strides', 'padding'] },
  avgpool2d: { required: ['poolSize'], optional: ['strides', 'padding'] },
  globalavgpool2d: { required: [], optional: [] },
  flatten: { required: [], optional: [] },
  reshape: { required: ['shape'], optional: [] },
  batchnorm: { required: [], optional: ['momentum', 'epsilon'] },
};

/** Whether `v` is a list of 1 to MAX_RANK whole numbers ≥ 1 with a safe-integer product. */
function isShape(v: unknown): v is number[] {
  if (!Array.isArray(v) || v.length < 1 || v.length > MAX_RANK) return false;
  let product = 1;
  for (const n of v) {
    if (!fitsNumberRule(POSITIVE_INT, n) || !Number.isSafeInteger(n)) return false;
    product *= n;
  }
  return Number.isSafeInteger(product);
}

function isTensor(v: unknown, depth: number): boolean {
  if (depth === 0) return fitsNumberRule({}, v);
  return Array.isArray(v) && v.every((x) => isTensor(x, depth - 1));
}

/** Whether `v` is a whole number ≥ 1 (and safe), for window sizes and strides. */
function isWindowSide(v: unknown): boolean {
  return fitsNumberRule(POSITIVE_INT, v) && Number.isSafeInteger(v);
}

/** Whether `v` (a plain JavaScript value) is what `kind` allows. */
export function fitsKind(kind: ValueKind, v: unknown): boolean {
  switch (kind.kind) {
    case 'number': return fitsNumberRule(kind.rule, v);
    case 'name': return typeof v === 'string' && kind.names.includes(v);
    case 'text': return typeof v === 'string';
    case 'flag': return typeof v === 'boolean';
    case 'textList': return Array.isArray(v) && v.every((s) => typeof s === 'string');
    case 'numberList': return Array.isArray(v) && v.every((n) => fitsNumberRule({}, n));
    case 'numberMatrix': return Array.isArray(v) && v.every((row) => Array.isArray(row) && row.every((n) => fitsNumberRule({}, n)));
    case 'size2d': return isWindowSide(v) || (Array.isArray(v) && v.length === 2 && v.every(isWindowSide));
    case 'shape': return isShape(v);
    case 'numberTensor': return isTensor(v, kind.depth);
  }
}

/** What `kind` allows, in words. */
export function kindText(kind: ValueKind): string {
  switch (kind.kind) {
    case 'number': return numberRuleText(kind.rule);
    case 'name': return `one of ${kind.names.join(', ')}`;
    case 'text': return 'text';
    case 'flag': return 'true or false';
    case 'textList': return 'a list of texts';
    case 'numberList': return 'a list of numbers';
    case 'numberMatrix': return 'a matrix of numbers (a list of rows)';
    case 'size2d': return 'a whole number ≥ 1, or [height, width] of two whole numbers ≥ 1';
    case 'shape': return `a list of 1 to ${MAX_RANK} whole numbers ≥ 1 (for an image [height, width, channels])`;
    case 'numberTensor': return kind.depth === 4
      ? 'numbers nested [filters][kernelHeight][kernelWidth][inputChannels]'
      : `numbers nested ${kind.depth} lists deep`;
  }
}

/**
 * Whether node property `key` may hold `v` (false for a key no node has); with `type`, by that
 * node type's rule (conv2d's `weights` are 4-D, dense's a matrix).
 */
export function fitsNodeProperty(key: string, v: unknown, type?: NodeType | string): boolean {
  const kind = nodePropertyKind(key, type);
  return kind !== undefined && fitsKind(kind, v);
}

/**
 * A node as a file writes it: without what the parser derives (an input with a `shape` gets its
 * `units` filled in, so a parsed node copied back into a file would otherwise hold both).
 */
export function asWritten<T extends object>(node: T): T {
  const n = node as Record<string, unknown>;
  if (n.type !== 'input' || !isShape(n.shape) || n.units !== shapeSize(n.shape)) return node;
  const copy = { ...n };
  delete copy.units;
  return copy as T;
}

/** The product of a shape: the number of values of one sample (an input's `units`). */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The number typed into the editor's field for node property `key`, when it keeps the rule for it. */
export function numberTyped(key: string, typed: string): number | undefined {
  const t = typed.trim();
  const n = t === '' ? Number.NaN : Number(t);
  return fitsNodeProperty(key, n) ? n : undefined;
}
