/**
 * The run history in the editor's training view: the host sends the runs of the design's
 * `name.runs.jsonl` (read with the model's parser, src/model/runLog.ts) and the lines it had to
 * skip; the view may ask to restore a run's training section as the current settings (an intent:
 * one minimal, undoable text edit; the model refuses settings the design would not accept).
 */
import { runRecordProblem, type LoggedRun } from '../model/runLog';
import { count, custom, isObject, type JsonValue, jsonValue, list, show, text } from './schema';

/** Runs sent at most (the newest); the file keeps them all. */
export const MAX_RUNS_SHOWN = 1000;

/** A run as the model reads it from the log, with its line number. */
export const LoggedRunSchema = custom<LoggedRun>((v, at) => {
  if (!isObject(v)) return `"${at}" must be a run, got ${show(v)}`;
  if (count.check(v.line, `${at}.line`) !== undefined) return `"${at}.line" must be a line number, got ${show(v.line)}`;
  const problem = runRecordProblem(v);
  return problem && `"${at}": ${problem}`;
});

/** Host → view: the design's past runs, oldest first, and one warning per line of the log that was skipped. */
export const RUNS_FIELDS = {
  runs: list(LoggedRunSchema, { max: MAX_RUNS_SHOWN }),
  warnings: list(text(10_000), { max: 1000 }),
  /** The log's file name (for the view's words). */
  file: text(4096),
};

/** View → host: a training section to write as the current one (a past run's). */
export const trainingSection = custom<Record<string, JsonValue>>((v, at) => {
  if (!isObject(v)) return `"${at}" must be a training section { … }, got ${show(v)}`;
  return jsonValue.check(v, at);
});
