/**
 * The rules of the nn/1 format stated once: what a node id may be, and what each node property
 * may hold. The parser builds its readers from these, and everything else that accepts a value
 * for a `.nn` file (the host's message validators, the editor's inspector) asks the same rules,
 * so nothing can accept what `nn check` refuses, or refuse what it accepts.
 */
import { ACTIVATION_NAMES, type NodeType } from './types';

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
  | { kind: 'numberMatrix' };

/** Whole numbers from 1 up (units). */
export const POSITIVE_INT: NumberRule = { integer: true, min: 1 };
/** Numbers from 0 up (alpha, noise, l1, l2). */
export const NON_NEGATIVE: NumberRule = { min: 0 };
/** Fractions in [0, 1) (dropout rate, momentum, validationSplit). */
export const FRACTION: NumberRule = { min: 0, max: 1, maxExclusive: true };

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
};

/** The properties each node type takes (besides id, type and label), and which it needs. */
export const NODE_PROPERTIES: Readonly<Record<NodeType, { optional: readonly string[]; required: readonly string[] }>> = {
  input: { required: ['units'], optional: ['features'] },
  dense: { required: ['units'], optional: ['activation', 'alpha', 'weights', 'bias', 'useBias'] },
  activation: { required: ['activation'], optional: ['alpha'] },
  dropout: { required: ['rate'], optional: [] },
  add: { required: [], optional: [] },
  multiply: { required: [], optional: [] },
  concat: { required: [], optional: [] },
};

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
  }
}

/** Whether node property `key` may hold `v` (false for a key no node has). */
export function fitsNodeProperty(key: string, v: unknown): boolean {
  const kind = Object.prototype.hasOwnProperty.call(NODE_PROPERTY_KINDS, key) ? NODE_PROPERTY_KINDS[key] : undefined;
  return kind !== undefined && fitsKind(kind, v);
}

/** The number typed into the editor's field for node property `key`, when it keeps the rule for it. */
export function numberTyped(key: string, typed: string): number | undefined {
  const t = typed.trim();
  const n = t === '' ? Number.NaN : Number(t);
  return fitsNodeProperty(key, n) ? n : undefined;
}
