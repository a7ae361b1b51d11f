/**
 * What the consumer fuzzer shares: the case and failure types, run counters, and the guards that
 * turn a consumer's exception or a broken invariant into a Failure.
 */
import type { RawIntent } from './intents';

/** One case: the text, how it was made, the intents to try on it, the seed of its export options. */
export interface FuzzCase {
  text: string;
  origin: string;
  intents: RawIntent[];
  exportSeed: number;
}

/** A consumer that threw, or an invariant that broke. */
export interface Failure {
  /** Which consumer: `model`, `snapshot`, `viewModel`, `quickLayout`, `export-pytorch`, `intent-rename`, … */
  consumer: string;
  /** The error's class (TypeError, RangeError, …) or `invariant`. */
  kind: string;
  message: string;
  stack?: string;
}

/** Counters over a run, to see that every consumer was really reached. */
export interface FuzzStats {
  cases: number;
  parsed: number;
  valid: number;
  views: number;
  layouts: number;
  exports: number;
  exportRefusals: number;
  pythonScripts: number;
  intentsApplied: number;
  intentsRefused: number;
  intentsRejectedByHost: number;
  quickFixes: number;
}

export function emptyStats(): FuzzStats {
  return { cases: 0, parsed: 0, valid: 0, views: 0, layouts: 0, exports: 0, exportRefusals: 0, pythonScripts: 0, intentsApplied: 0, intentsRefused: 0, intentsRejectedByHost: 0, quickFixes: 0 };
}

/** Receives each generated Python script and ONNX model (the slower tests run a sample through Python's ast and onnxruntime). */
export type FileSink = (name: string, content: string | Uint8Array) => void;

/** A broken invariant (not a crash). */
export class Invariant extends Error {}

export function check(ok: unknown, message: () => string): asserts ok {
  if (!ok) throw new Invariant(message());
}

/** Text a user must never see: a JavaScript error leaking into a message. */
const JS_ERROR_TEXT = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not defined|\[object Object\]|Maximum call stack|\(reading '/;

export function checkUserMessage(where: string, message: string): void {
  check(message.trim().length > 0, () => `${where}: empty message`);
  check(!JS_ERROR_TEXT.test(message), () => `${where}: a JavaScript error text in a user message: ${message}`);
}

/** Runs `fn` as consumer `name`; returns the failure it caused, if any. */
export function guard(name: string, fn: () => void): Failure | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { consumer: name, kind: e instanceof Invariant ? 'invariant' : err.name, message: err.message, stack: err.stack };
  }
}
