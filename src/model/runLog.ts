/**
 * The run log beside a design: `name.runs.jsonl` (for `spiral.nn`: `spiral.runs.jsonl`), one JSON
 * object a line, one line a training run — its settings, curves, final metrics and how it ended
 * (docs/runHistory.md). Lines are only ever appended; a line that cannot be read is
 * skipped with a warning naming the file and line, and nothing is ever rewritten, capped or
 * compacted. Pure: the callers read and append the file.
 */

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `format` every line carries. */
export const RUN_LOG_FORMAT = 'nn-run/1';

/** How a run ended: all its epochs or early stopping (finished), Stop (stopped), an error or a crash (failed). */
export type RunEnd = 'finished' | 'stopped' | 'failed';
const RUN_ENDS: readonly RunEnd[] = ['finished', 'stopped', 'failed'];

/** The per-epoch metrics a run can have besides the training loss. */
export const CURVE_METRICS = ['valLoss', 'accuracy', 'mae', 'r2'] as const;
export type CurveMetric = (typeof CURVE_METRICS)[number];

/** Per-epoch curves as columns (index i is epoch `epoch[i]`); null where a value was not a finite number. */
export interface RunCurves {
  epoch: number[];
  loss: (number | null)[];
  valLoss?: (number | null)[];
  accuracy?: (number | null)[];
  mae?: (number | null)[];
  r2?: (number | null)[];
}

/** Where the run ended. */
export interface RunFinal {
  epochs: number;
  loss?: number | null;
  valLoss?: number | null;
  accuracy?: number | null;
  mae?: number | null;
  r2?: number | null;
}

/** One line of the run log. */
export interface RunRecord {
  format: typeof RUN_LOG_FORMAT;
  /** The design's file name (without folder). */
  design: string;
  /** When the run started, ISO 8601 in UTC. */
  started: string;
  /** Which front door ran it. */
  source: 'editor' | 'cli';
  /** 'step': consecutive Steps on the same weights (one batch each); absent: a Train run. */
  mode?: 'step';
  /** How many Steps the entry holds (mode 'step'). */
  steps?: number;
  /** The `training` section as the run used it: as written in the file, with this run's overrides applied (comments dropped). */
  training: Record<string, unknown>;
  /** What "Train with Options…" (or the CLI's flags) changed for this run only. */
  overrides?: { epochs?: number; learningRate?: number; backend?: string; seed?: number };
  /** The backend that ran it (cpu, webgpu). */
  backend: string;
  /** The seed the run used (the file's, else the default 42). */
  seed: number;
  ended: RunEnd;
  /** Why it ended, in words ("completed 200 epoch(s)", the error). */
  reason: string;
  elapsedMs?: number;
  curves: RunCurves;
  final: RunFinal;
}

/** A record read back from the log, with the line it is on (1-based). */
export type LoggedRun = RunRecord & { line: number };

/** The training section with a run's overrides written in (epochs, learning rate, seed); the given section is not changed. */
export function trainingAsUsed(training: Record<string, unknown>, overrides: { epochs?: number; learningRate?: number; seed?: number }): Record<string, unknown> {
  const out: Record<string, unknown> = JSON.parse(JSON.stringify(training)) as Record<string, unknown>;
  if (overrides.epochs !== undefined) out.epochs = overrides.epochs;
  if (overrides.seed !== undefined) out.seed = overrides.seed;
  if (overrides.learningRate !== undefined) {
    const opt = out.optimizer;
    out.optimizer = { ...(isObj(opt) ? opt : { type: 'adam' }), learningRate: overrides.learningRate };
  }
  return out;
}

/** The run log of a design: `spiral.nn` → `spiral.runs.jsonl`, in the same folder (either slash). */
export function runLogPathFor(designPath: string): string {
  const slash = Math.max(designPath.lastIndexOf('/'), designPath.lastIndexOf('\\'));
  const dot = designPath.lastIndexOf('.');
  const stem = dot > slash + 1 ? designPath.slice(0, dot) : designPath;
  return `${stem}.runs.jsonl`;
}

/**
 * The log's bytes with `line` written: in place of `replacing` (the line last written for an entry
 * that goes on: a Step sequence) when the file still ends with exactly those bytes, else appended
 * after whatever the file holds (a last line cut short keeps its bytes; the new line starts on a
 * line of its own). Nothing before the replaced line changes.
 */
export function withRunLine(old: Uint8Array, line: Uint8Array, replacing?: Uint8Array): { bytes: Uint8Array; replaced: boolean } {
  const tail = replacing && replacing.length > 0 && replacing.length <= old.length ? old.length - replacing.length : -1;
  const replaced = tail >= 0 && (tail === 0 || old[tail - 1] === 0x0a) && replacing !== undefined && replacing.every((b, i) => old[tail + i] === b);
  const keep = replaced ? tail : old.length;
  const sep = !replaced && old.length > 0 && old[old.length - 1] !== 0x0a ? 1 : 0;
  const bytes = new Uint8Array(keep + sep + line.length);
  bytes.set(old.subarray(0, keep), 0);
  if (sep) bytes[keep] = 0x0a;
  bytes.set(line, keep + sep);
  return { bytes, replaced };
}

/** One record as its line (ending in a newline); NaN and infinities become null. */
export function formatRunLine(record: RunRecord): string {
  return `${JSON.stringify(record, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`;
}

/** What a log holds: the runs that could be read, and a warning per line that could not. */
export interface ParsedRunLog {
  runs: LoggedRun[];
  warnings: string[];
}

/** Reads a run log; `fileName` names it in the warnings ("spiral.runs.jsonl:3: …"). Blank lines are not runs and not warned about. */
export function parseRunLog(text: string, fileName: string): ParsedRunLog {
  const runs: LoggedRun[] = [];
  const warnings: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      warnings.push(`${fileName}:${i + 1}: skipped: the line is not valid JSON (was it cut short or edited by hand?).`);
      continue;
    }
    const problem = runRecordProblem(value);
    if (problem) {
      warnings.push(`${fileName}:${i + 1}: skipped: ${problem}.`);
      continue;
    }
    runs.push({ ...(value as RunRecord), line: i + 1 });
  }
  return { runs, warnings };
}

const isNumOrNull = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));

/** Why a parsed line is not a run record this version can show, or undefined (the host and the views ask the same). */
export function runRecordProblem(v: unknown): string | undefined {
  if (!isObj(v)) return 'the line is not a JSON object';
  if (v.format !== RUN_LOG_FORMAT) return `"format" is ${JSON.stringify(v.format) ?? 'missing'}, not "${RUN_LOG_FORMAT}" (written by another version?)`;
  if (typeof v.started !== 'string' || Number.isNaN(Date.parse(v.started))) return '"started" must be a date and time (ISO 8601)';
  if (!isObj(v.training)) return '"training" must be an object (the training section the run used)';
  if (typeof v.backend !== 'string') return '"backend" must be a text';
  if (typeof v.seed !== 'number') return '"seed" must be a number';
  if (typeof v.ended !== 'string' || !(RUN_ENDS as readonly string[]).includes(v.ended)) return `"ended" must be one of ${RUN_ENDS.join(', ')}`;
  if (!isObj(v.final) || typeof v.final.epochs !== 'number') return '"final" must be an object with "epochs"';
  if (v.mode !== undefined && v.mode !== 'step') return '"mode" must be "step" or absent (a Train run)';
  if (v.steps !== undefined && (typeof v.steps !== 'number' || !Number.isInteger(v.steps) || v.steps < 0)) return '"steps" must be a whole number';
  const c = v.curves;
  if (!isObj(c) || !Array.isArray(c.epoch) || !c.epoch.every((e) => typeof e === 'number' && Number.isFinite(e))) return '"curves.epoch" must be a list of numbers';
  for (const key of ['loss', ...CURVE_METRICS]) {
    const col = c[key];
    if (col === undefined && key !== 'loss') continue;
    if (!Array.isArray(col) || col.length !== c.epoch.length || !col.every(isNumOrNull)) return `"curves.${key}" must be a list of ${c.epoch.length} numbers (null for none)`;
  }
  return undefined;
}

/** A short label for a run in a list: "#3 · 17:20 · adam lr 0.01 · 200 ep · loss 0.0412" (Steps: "· 12 steps"). */
export function runLabel(run: LoggedRun, index: number): string {
  const t = new Date(run.started);
  const time = Number.isNaN(t.getTime()) ? run.started : `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
  const opt = isObj(run.training.optimizer) ? run.training.optimizer : {};
  const type = typeof opt.type === 'string' ? opt.type : 'adam';
  const lr = typeof opt.learningRate === 'number' ? ` lr ${opt.learningRate}` : '';
  const loss = typeof run.final.loss === 'number' ? ` · loss ${shortNumber(run.final.loss)}` : '';
  const length = run.mode === 'step' ? `${run.steps ?? run.curves.epoch.length} step${(run.steps ?? run.curves.epoch.length) === 1 ? '' : 's'}` : `${run.final.epochs} ep`;
  return `#${index + 1} · ${time} · ${type}${lr} · ${length}${loss}${run.ended === 'finished' ? '' : ` · ${run.ended}`}`;
}

function shortNumber(v: number): string {
  return Math.abs(v) >= 0.001 || v === 0 ? String(Number(v.toPrecision(3))) : v.toExponential(2);
}
