/**
 * `nn train` records its run in the design's run history, as the editor's Train does: one line
 * appended to `name.runs.jsonl` beside the design (docs/runHistory.md). Existing lines are never
 * touched; `--no-runs` skips it. A failure to write is reported as a warning: the weights are saved.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EpochRecord, TrainResult } from '../engine';
import { formatRunLine, RUN_LOG_FORMAT, runLogPathFor, trainingAsUsed, trainingSectionOf, type RunCurves, type RunRecord } from '../model';

/** What the CLI knows of a run when it ends. */
export interface CliRun {
  designFile: string;
  started: string;
  overrides: { epochs?: number; learningRate?: number; backend?: string; seed?: number };
  seed: number;
  backend: string;
  /** Every epoch's event (a failed run has no result). */
  epochs: EpochRecord[];
  result?: TrainResult;
  elapsedMs: number;
  error?: string;
}

const num = (v: number | undefined): number | null | undefined => (v === undefined ? undefined : Number.isFinite(v) ? v : null);

function curvesOf(rows: EpochRecord[]): RunCurves {
  const col = (f: (r: EpochRecord) => number | undefined) => rows.map((r) => num(f(r)) ?? null);
  const out: RunCurves = { epoch: rows.map((r) => r.epoch), loss: col((r) => r.loss) };
  if (rows.some((r) => r.valLoss !== undefined)) out.valLoss = col((r) => r.valLoss);
  if (rows.some((r) => r.metrics.accuracy !== undefined)) out.accuracy = col((r) => r.metrics.accuracy);
  if (rows.some((r) => r.metrics.mae !== undefined)) out.mae = col((r) => r.metrics.mae);
  if (rows.some((r) => r.metrics.r2 !== undefined)) out.r2 = col((r) => r.metrics.r2);
  return out;
}

/** The run's line. */
export function cliRunRecord(run: CliRun, text: string): RunRecord {
  const r = run.result;
  const rows = r?.history ?? run.epochs;
  const curves = curvesOf(rows);
  const last = rows[rows.length - 1];
  const overrides = Object.fromEntries(Object.entries(run.overrides).filter(([, v]) => v !== undefined));
  return {
    format: RUN_LOG_FORMAT, design: path.basename(run.designFile), started: run.started, source: 'cli',
    training: trainingAsUsed(trainingSectionOf(text) ?? {}, run.overrides),
    ...(Object.keys(overrides).length ? { overrides } : {}),
    backend: r?.backend ?? run.backend, seed: run.seed,
    ended: r ? (r.stopped === 'aborted' ? 'stopped' : 'finished') : 'failed',
    reason: r ? r.reason : run.error ?? 'failed',
    elapsedMs: Math.round(run.elapsedMs),
    curves,
    final: r
      ? { epochs: r.epochs, loss: num(r.loss), valLoss: num(r.valLoss), accuracy: num(r.metrics.accuracy), mae: num(r.metrics.mae), r2: num(r.metrics.r2) }
      : { epochs: rows.length, loss: num(last?.loss), valLoss: num(last?.valLoss) },
  };
}

/** Appends the run's line; returns the log's path, or a warning when it could not be written. */
export function appendCliRun(run: CliRun): { file: string; warning?: string } {
  const file = runLogPathFor(run.designFile);
  try {
    const text = fs.readFileSync(run.designFile, 'utf8');
    let sep = '';
    try {
      const fd = fs.openSync(file, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        const last = Buffer.alloc(1);
        if (size > 0 && fs.readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) sep = '\n';
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      // No log yet: the first line starts it.
    }
    fs.appendFileSync(file, sep + formatRunLine(cliRunRecord(run, text)));
    return { file };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { file, warning: `nn: warning: the run was not recorded in ${path.basename(file)} (${code === 'EACCES' || code === 'EPERM' ? 'no permission to write there' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}); the weights were saved.` };
  }
}
