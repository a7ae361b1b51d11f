/**
 * The fuzz run shared by the unit test and `npm run fuzz`: case `i` of seed `s` is always the same
 * case, every failure is shrunk to a small text that still fails the same way, and failures are
 * grouped by consumer and kind so one bug is reported once.
 */
import { driveCase, emptyStats, type Failure, type FuzzCase, type FuzzStats, type FileSink } from './fuzzConsumers';
import { randomIntent } from './intents';
import { makeInput } from './fuzzInputs';
import { caseSeed, Rng } from './random';

/** The seed CI runs with. */
export const CI_SEED = 20261130;

/** Case `index` of the run seeded `seed`. */
export function makeCase(seed: number, index: number): FuzzCase {
  const rng = new Rng(caseSeed(seed, index));
  const { text, origin } = makeInput(rng);
  // The ids written in the file (a quick look: enough to aim intents at real nodes).
  const ids = [...text.matchAll(/"id"\s*:\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => {
    try {
      return JSON.parse(`"${m[1]}"`) as string;
    } catch {
      return m[1];
    }
  });
  const intents = Array.from({ length: rng.between(0, 3) }, (_, i) => randomIntent(rng, ids, i + 1));
  return { text, origin, intents, exportSeed: rng.int(2 ** 31) };
}

/** One distinct failure of a run: the first case that showed it, shrunk, and how often it showed. */
export interface FailureReport {
  seed: number;
  index: number;
  origin: string;
  failure: Failure;
  /** The smallest text found that fails the same way (same signature). */
  minimal: FuzzCase;
  occurrences: number;
}

/** What makes two failures the same bug: consumer, kind, and the message without its particulars (names, numbers). */
export function signature(f: Failure): string {
  const gist = f.message.split('\n')[0].replace(/'[^']*'|"[^"]*"|`[^`]*`/g, '…').replace(/\d+(\.\d+)?(e[+-]?\d+)?/gi, '#').slice(0, 100);
  return `${f.consumer}/${f.kind}/${gist}`;
}

/**
 * Shrinks the case's text while it fails with the same signature: removes chunks, halving the
 * chunk size down to single characters (a small delta debugging), within `budget` attempts.
 */
export function minimize(c: FuzzCase, failure: Failure, budget = 3000): FuzzCase {
  const sig = signature(failure);
  const fails = (text: string): boolean => {
    const f = driveCase({ ...c, text });
    return !!f && signature(f) === sig;
  };
  let text = c.text;
  let tries = 0;
  for (let chunk = Math.max(1, Math.floor(text.length / 2)); chunk >= 1 && tries < budget; chunk = Math.floor(chunk / 2)) {
    for (let at = 0; at < text.length && tries < budget;) {
      const candidate = text.slice(0, at) + text.slice(at + chunk);
      tries++;
      if (candidate !== text && fails(candidate)) text = candidate;
      else at += chunk;
    }
  }
  return { ...c, text };
}

export interface FuzzRun {
  seed: number;
  count: number;
  failures: FailureReport[];
  stats: FuzzStats;
  ms: number;
}

export interface FuzzOptions {
  seed: number;
  count: number;
  /** First case index (default 0): a long run can be split or resumed. */
  start?: number;
  /** Shrink failures (default true). */
  minimize?: boolean;
  /** Called every `progressEvery` cases. */
  onProgress?: (done: number, run: FuzzRun) => void;
  progressEvery?: number;
  /** Called once per new distinct failure, after shrinking. */
  onFailure?: (report: FailureReport) => void;
  /** Receives every generated Python script and ONNX model (for the ast and onnxruntime tests). */
  onFile?: FileSink;
}

/** Runs `count` cases. */
export function runFuzz(opts: FuzzOptions): FuzzRun {
  const started = Date.now();
  const run: FuzzRun = { seed: opts.seed, count: 0, failures: [], stats: emptyStats(), ms: 0 };
  const bySig = new Map<string, FailureReport>();
  const start = opts.start ?? 0;
  for (let i = start; i < start + opts.count; i++) {
    const c = makeCase(opts.seed, i);
    const failure = driveCase(c, run.stats, opts.onFile);
    run.count++;
    if (failure) {
      const sig = signature(failure);
      const known = bySig.get(sig);
      if (known) known.occurrences++;
      else {
        const report: FailureReport = { seed: opts.seed, index: i, origin: c.origin, failure, minimal: opts.minimize === false ? c : minimize(c, failure), occurrences: 1 };
        bySig.set(sig, report);
        run.failures.push(report);
        opts.onFailure?.(report);
      }
    }
    if (opts.onProgress && (i - start + 1) % (opts.progressEvery ?? 10_000) === 0) {
      run.ms = Date.now() - started;
      opts.onProgress(i - start + 1, run);
    }
  }
  run.ms = Date.now() - started;
  return run;
}

/** A failure as text for a person: where, what, and the reproducer. */
export function describeFailure(r: FailureReport): string {
  return [
    `${r.failure.consumer}: ${r.failure.kind}: ${r.failure.message.split('\n')[0]} (${r.occurrences}×; first at case ${r.index} of seed ${r.seed}, ${r.origin})`,
    `  replay: npm run fuzz -- --seed ${r.seed} --start ${r.index} --count 1`,
    `  minimal text (JSON-quoted): ${JSON.stringify(r.minimal.text)}`,
    ...(r.minimal.intents.length ? [`  intents: ${JSON.stringify(r.minimal.intents)}`] : []),
    ...(r.failure.stack && r.failure.kind !== 'invariant' ? [`  ${r.failure.stack.split('\n').slice(1, 4).map((s) => s.trim()).join('\n  ')}`] : []),
  ].join('\n');
}
