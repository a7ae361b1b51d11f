/**
 * Validation of every message between the extension host and the training process, in both
 * directions: `validateToTrainer` (the process checks what the host sends) and
 * `validateFromTrainer` (the host checks what the process sends). A message that does not match
 * src/protocol.ts exactly is returned as a MalformedMessage saying what is wrong, before the
 * receiver reads a single field of it; the receiver logs that one line and drops the message.
 *
 * The field tables are typed from the protocol's unions, so adding a message type or a field to
 * src/protocol.ts without a check here fails the type check. Pure (no vscode, no I/O): the
 * process, the host and unit tests all use it.
 */
import type { ExportFormatName, FromTrainer, LayerWeights, ResponseMessage, ToTrainer, TrainingUpdate, TrainOverrides } from '../protocol';

/** How the training process starts its own log lines on stderr (the host copies them to its output channel). */
export const TRAINER_LOG_PREFIX = 'neural-canvas training process: ';

/** A message that was not acceptable: its type ('' when it had none), why, and its requestId when it had a readable one. */
export class MalformedMessage {
  constructor(readonly type: string, readonly reason: string, readonly requestId?: number) {}

  /** One line for a log: the message type and what is wrong with it (no raw control characters). */
  get line(): string {
    return `ignored a malformed ${this.type ? `${show(this.type)} ` : ''}message: ${this.reason}`;
  }
}

/** Returns what is wrong with a value (`at` names it), or undefined when it is fine. */
type Check = (v: unknown, at: string) => string | undefined;
interface Field { check: Check; optional?: boolean }

/** Every field of message `M` except its tag, each with its check. */
type Fields<M, Tag extends string = 'type'> = { [K in Exclude<keyof M, Tag>]-?: Field };

/** Limits: far above anything real, low enough that a hostile value cannot exhaust memory or loops. */
const MAX_TEXT = 256 * 1024 * 1024;
const MAX_PATH = 4096;
const MAX_LIST = 1_000_000;
const MAX_NAMES = 10_000;
const MAX_DEPTH = 8;

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'a list';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return `a ${typeof v}`;
}

/** A field name as a log may show it: at most 64 characters, control characters escaped. */
function keyName(k: string): string {
  return JSON.stringify(k.slice(0, 64)).slice(1, -1);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

const req = (check: Check): Field => ({ check });
const opt = (check: Check): Field => ({ check, optional: true });

/** A whole number in [min, max]. */
const int = (min: number, max: number): Check => (v, at) =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max ? undefined : `"${at}" must be a whole number from ${min} to ${max}, got ${show(v)}`;

/** Any number (NaN and ±Infinity included: a diverging run reports them). */
const anyNumber: Check = (v, at) => (typeof v === 'number' ? undefined : `"${at}" must be a number, got ${show(v)}`);

/** A finite number in (min, max] when `exclusiveMin`, else [min, max]. */
const finite = (min: number, max: number, exclusiveMin = false): Check => (v, at) =>
  typeof v === 'number' && Number.isFinite(v) && (exclusiveMin ? v > min : v >= min) && v <= max
    ? undefined : `"${at}" must be a number ${exclusiveMin ? 'above' : 'from'} ${min} ${exclusiveMin ? 'up ' : ''}to ${max}, got ${show(v)}`;

const text = (max: number): Check => (v, at) =>
  typeof v === 'string' && v.length <= max ? undefined : `"${at}" must be text${typeof v === 'string' ? ` of at most ${max} characters` : `, got ${show(v)}`}`;

const path = (v: unknown, at: string): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_PATH && !v.includes('\0') ? undefined : `"${at}" must be a file path, got ${show(v)}`;

const bool: Check = (v, at) => (typeof v === 'boolean' ? undefined : `"${at}" must be true or false, got ${show(v)}`);

function oneOf<T extends string>(values: Record<T, true>): Check {
  return (v, at) => (typeof v === 'string' && Object.hasOwn(values, v) ? undefined : `"${at}" must be one of ${Object.keys(values).join(', ')}, got ${show(v)}`);
}

function list(item: Check, max = MAX_LIST, min = 0): Check {
  return (v, at) => {
    if (!Array.isArray(v) || v.length < min || v.length > max) return `"${at}" must be a list of ${min > 0 ? `${min} to ` : 'at most '}${max} items, got ${show(v)}`;
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

function typedArray(kind: typeof Float32Array | typeof Uint8Array): Check {
  return (v, at) => (v instanceof kind && v.length <= 64 * MAX_LIST ? undefined : `"${at}" must be a ${kind.name}, got ${show(v)}`);
}

/** An object with exactly these fields (optional ones may be absent or undefined). */
function record(fields: Readonly<Record<string, Field>>): Check {
  return (v, at) => {
    if (!isObject(v)) return `"${at}" must be an object, got ${show(v)}`;
    return fieldsProblem(v, fields, at ? `${at}.` : '');
  };
}

/** An object mapping names to values that pass `value`. */
function mapOf(value: Check): Check {
  return (v, at) => {
    if (!isObject(v)) return `"${at}" must be an object, got ${show(v)}`;
    const keys = Object.keys(v);
    if (keys.length > MAX_NAMES) return `"${at}" has more than ${MAX_NAMES} entries`;
    for (const k of keys) {
      const problem = value(v[k], `${at}.${keyName(k)}`);
      if (problem) return problem;
    }
    return undefined;
  };
}

function fieldsProblem(m: Record<string, unknown>, fields: Readonly<Record<string, Field>>, prefix: string, skip?: string): string | undefined {
  for (const key of Object.keys(m)) {
    if (key !== skip && !Object.hasOwn(fields, key)) return `unexpected field "${prefix}${keyName(key)}"`;
  }
  for (const [key, field] of Object.entries(fields)) {
    const v = m[key];
    if (v === undefined) {
      if (field.optional) continue;
      return `"${prefix}${key}" is missing`;
    }
    const problem = field.check(v, `${prefix}${key}`);
    if (problem) return problem;
  }
  return undefined;
}

/** A value a request may answer with: plain data (numbers of any value, typed arrays) of bounded depth. */
function plainValue(v: unknown, at: string, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return `"${at}" is nested too deeply`;
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return undefined;
  if (v instanceof Float32Array || v instanceof Float64Array || v instanceof Uint8Array || v instanceof Int32Array) return undefined;
  if (Array.isArray(v)) {
    if (v.length > MAX_LIST) return `"${at}" is too long`;
    for (let i = 0; i < v.length; i++) {
      const p = plainValue(v[i], at, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  if (isObject(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const keys = Object.keys(v);
    if (keys.length > MAX_NAMES) return `"${at}" has too many fields`;
    for (const k of keys) {
      const p = plainValue(v[k], at, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  return `"${at}" must be plain data, got ${show(v)}`;
}

// ───────────────────────────── host → training process ─────────────────────────────

const runId = req(int(0, Number.MAX_SAFE_INTEGER));
const requestId = req(int(0, Number.MAX_SAFE_INTEGER));
const EXPORT_FORMATS: Record<ExportFormatName, true> = { pytorch: true, keras: true, onnx: true };
const exportFormat: Check = (v) => (typeof v === 'string' && Object.hasOwn(EXPORT_FORMATS, v) ? undefined : `cannot export to ${typeof v === 'string' ? `'${keyName(v)}'` : show(v)}: choose one of ${Object.keys(EXPORT_FORMATS).join(', ')}`);
const BACKENDS: Record<NonNullable<TrainOverrides['backend']>, true> = { auto: true, cpu: true, webgpu: true };

const overrides: Fields<TrainOverrides, never> = {
  // The same ranges as the file's training settings (src/model/parse.ts).
  epochs: opt(int(1, 1_000_000)),
  learningRate: opt(finite(0, 10, true)),
  backend: opt(oneOf(BACKENDS)),
};

const job = {
  text: req(text(MAX_TEXT)),
  file: req(path),
  allowedRoots: req(list(path, 1000)),
};

type ToTrainerFields = { [T in ToTrainer['type']]: Fields<Extract<ToTrainer, { type: T }>> };
const TO_TRAINER: ToTrainerFields = {
  train: { ...job, runId, overrides: req(record(overrides)), boundarySize: opt(int(2, 1024)), eventEveryMs: opt(finite(0, 3_600_000)), replaceWeights: opt(bool) },
  stop: { runId },
  step: { ...job, requestId, runId, replaceWeights: opt(bool) },
  savedWeights: { ...job, requestId },
  resetStep: {},
  predict: { ...job, requestId, inputs: req(list(finite(-Number.MAX_VALUE, Number.MAX_VALUE), 1_000_000)) },
  checkGradients: { ...job, requestId },
  export: { ...job, requestId, format: req(exportFormat), out: opt(path), noData: opt(bool), force: opt(bool) },
};

// ───────────────────────────── training process → host ─────────────────────────────

const count = int(0, Number.MAX_SAFE_INTEGER);
/** Run ids of updates; -1 marks a failure of the whole process (main.ts). */
const updateRunId = req(int(-1, Number.MAX_SAFE_INTEGER));
const message = text(100_000);
const name = text(1000);
const tensorSummary = record({
  l2: req(anyNumber), mean: req(anyNumber), std: req(anyNumber),
  histogram: req(record({ min: req(anyNumber), max: req(anyNumber), counts: req(list(anyNumber, 10_000)) })),
});
const metrics = record({
  accuracy: opt(anyNumber), confusion: opt(list(list(anyNumber, 10_000), 10_000)), mae: opt(anyNumber), r2: opt(anyNumber),
});
const layerWeights: Fields<LayerWeights, never> = { shape: req(list(count, 8)), data: req(typedArray(Float32Array)) };

type UpdateFields = { [K in TrainingUpdate['kind']]: Fields<Extract<TrainingUpdate, { kind: K }>, 'kind'> };
const UPDATES: UpdateFields = {
  start: {
    runId: updateRunId, file: req(name), backend: req(name), reason: req(message), mode: req(oneOf({ train: true, step: true })),
    paramCounts: req(list(record({ id: req(name), count: req(count) }), MAX_NAMES)), totalParams: req(count),
    trainCount: req(count), validationCount: req(count), epochs: req(count), stepsPerEpoch: req(count), batchSize: req(count),
    notices: req(list(message, 100)),
    points: opt(record({ x: req(typedArray(Float32Array)), label: req(typedArray(Float32Array)), validation: req(typedArray(Uint8Array)) })),
    classes: opt(count),
  },
  progress: { runId: updateRunId, epoch: req(count), step: req(count), totalSteps: req(count), globalStep: req(count), loss: req(anyNumber), samplesPerSec: req(anyNumber) },
  epoch: { runId: updateRunId, epoch: req(count), epochs: req(count), loss: req(anyNumber), valLoss: opt(anyNumber), metrics: req(metrics), samplesPerSec: req(anyNumber) },
  layers: {
    runId: updateRunId, globalStep: req(count),
    layers: req(list(record({ id: req(name), weight: req(tensorSummary), grad: opt(tensorSummary), deadFraction: opt(anyNumber) }), MAX_NAMES)),
  },
  boundary: { runId: updateRunId, size: req(int(1, 4096)), extent: req(list(anyNumber, 4, 4)), width: req(count), values: req(typedArray(Float32Array)) },
  weights: { runId: updateRunId, layers: req(mapOf(record(layerWeights))) },
  done: {
    runId: updateRunId, epochs: req(count), loss: req(anyNumber), valLoss: opt(anyNumber), metrics: req(metrics),
    stopped: req(oneOf({ completed: true, 'early-stopping': true, aborted: true })), reason: req(message),
    elapsedMs: req(anyNumber), samplesPerSec: req(anyNumber), weightsFile: opt(path),
  },
  error: { runId: updateRunId, message: req(message), layer: opt(name) },
  exited: { runId: updateRunId, message: req(message) },
  reset: { runId: updateRunId, message: req(message) },
  saved: { runId: updateRunId, weightsFile: req(path) },
};

const update: Check = (v, at) => {
  if (!isObject(v) || typeof v.kind !== 'string') return `"${at}" must be an object with a string "kind"`;
  if (!Object.hasOwn(UPDATES, v.kind)) return `unknown update kind ${show(v.kind)}`;
  return fieldsProblem(v, UPDATES[v.kind as TrainingUpdate['kind']], `${at}.`, 'kind');
};

type FromTrainerFields = { [T in FromTrainer['type'] | 'response']: Fields<Extract<FromTrainer | ResponseMessage, { type: T }>> };
const FROM_TRAINER: FromTrainerFields = {
  ready: { pid: req(count) },
  update: { update: req(update) },
  response: { requestId, ok: req(bool), value: opt(plainValue), error: opt(message) },
};

// ───────────────────────────── entry points ─────────────────────────────

function validate<M>(raw: unknown, table: Readonly<Record<string, Readonly<Record<string, Field>>>>): M | MalformedMessage {
  if (!isObject(raw) || typeof raw.type !== 'string') return new MalformedMessage('', 'a message must be an object with a string "type"');
  const type = raw.type;
  if (!Object.hasOwn(table, type)) return new MalformedMessage(type, `unknown message type ${show(type)}`);
  const problem = fieldsProblem(raw, table[type], '', 'type');
  if (!problem) return raw as M;
  const id = raw.requestId;
  return new MalformedMessage(type, problem, typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined);
}

/** The training process's check of a message from the host. Never throws. */
export function validateToTrainer(raw: unknown): ToTrainer | MalformedMessage {
  return validate<ToTrainer>(raw, TO_TRAINER);
}

/** The host's check of a message from the training process. Never throws. */
export function validateFromTrainer(raw: unknown): FromTrainer | ResponseMessage | MalformedMessage {
  return validate<FromTrainer | ResponseMessage>(raw, FROM_TRAINER);
}
