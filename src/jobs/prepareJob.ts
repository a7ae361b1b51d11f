/**
 * Turns a TrainerJob (document text + file path) into what the engine needs: a checked design,
 * its data (paths kept inside the workspace), settings with the run's overrides, and the saved
 * weights when there are any. Every failure is a JobError written for the user.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadData, splitData, Standardizer, STANDARDIZER_METADATA_KEY, type DataSplit } from '../engine/data';
import { compileNetwork, hasInlineWeights, trainSettingsFrom, type CompiledNetwork, type TrainSettings, type WeightMap } from '../engine';
import { expectedWeightShapes } from '../engine/compile';
import { readWeightsFile, weightsPathFor, weightsProblems, WeightsMismatchError } from '../engine/weights';
import { checkNetwork, formatDiagnostic, type NetworkAnalysis, type NetworkDoc } from '../model';
import type { SavedWeightsState, TrainerJob, TrainOverrides } from '../protocol';
import { dataOutsideWorkspace } from './dataConfinement';

/** A problem with a job, with a message for the user (what, where, what to do). */
export class JobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobError';
  }
}

/** A design that parsed and validated. */
export interface CheckedDesign {
  file: string;
  doc: NetworkDoc;
  analysis: NetworkAnalysis;
}

/** Parses and checks the job's text; errors become one JobError listing file:line:col diagnostics. */
export function checkDesign(job: TrainerJob): CheckedDesign {
  const { parsed, diagnostics, analysis } = checkNetwork(job.text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !parsed.doc || !analysis) {
    const shown = path.basename(job.file);
    const list = errors.slice(0, 5).map((d) => formatDiagnostic(job.file, d)).join('\n');
    throw new JobError(`${shown} has ${errors.length || 1} error(s); fix them before training:\n${list || 'the text is not an nn/1 network.'}`);
  }
  return { file: job.file, doc: parsed.doc, analysis };
}

/** Whether `target` lies inside `root` (after resolving `..`). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(target));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The settings of a run: the file's training section, then the quick pick's overrides. */
export function settingsFor(doc: NetworkDoc, overrides: TrainOverrides = {}): TrainSettings {
  const s = trainSettingsFrom(doc.training);
  if (overrides.epochs !== undefined) s.epochs = overrides.epochs;
  if (overrides.learningRate !== undefined) s.optimizer.learningRate = overrides.learningRate;
  return s;
}

/** Loads and splits the design's data; CSV files must lie inside one of `allowedRoots`. */
export async function loadJobData(design: CheckedDesign, settings: TrainSettings, allowedRoots: string[]): Promise<DataSplit> {
  const spec = design.doc.training?.data;
  const shown = path.basename(design.file);
  if (!spec) throw new JobError(`${shown} has no training.data; add e.g. "training": { "data": { "generator": "spiral" } } to train it.`);
  if ('csv' in spec) {
    const outside = dataOutsideWorkspace(shown, spec.csv, path.dirname(design.file), allowedRoots);
    if (outside) throw new JobError(outside);
  }
  try {
    const ds = await loadData(spec, { baseDir: path.dirname(design.file), seed: settings.seed });
    return splitData(ds, settings.validationSplit, { seed: settings.seed, shuffle: settings.shuffle });
  } catch (e) {
    throw new JobError(`${shown}: cannot load the training data: ${(e as Error).message}`);
  }
}

/** The saved weights beside the file, if any, with the standardiser they were trained with. */
export async function savedWeights(file: string): Promise<{ weights: WeightMap; standardizer?: Standardizer; path: string } | undefined> {
  const wfile = weightsPathFor(file);
  if (!fs.existsSync(wfile)) return undefined;
  const contents = await readWeightsFile(wfile);
  const meta = contents.metadata[STANDARDIZER_METADATA_KEY];
  return { weights: contents.tensors, standardizer: meta ? Standardizer.fromJSON(meta) : undefined, path: wfile };
}

/** Saved weights beside a design, read. */
export type SavedWeights = NonNullable<Awaited<ReturnType<typeof savedWeights>>>;

/**
 * How the weights file beside the design stands: absent, fitting exactly, not fitting (named
 * tensors and shapes) or damaged (unreadable, NaN/Inf); with the weights when they fit.
 */
export async function savedWeightsState(design: CheckedDesign): Promise<{ state: SavedWeightsState; saved?: SavedWeights }> {
  const file = weightsPathFor(design.file);
  let saved: SavedWeights | undefined;
  try {
    saved = await savedWeights(design.file);
  } catch (e) {
    return { state: { status: 'damaged', file, problem: (e as Error).message.replace(/ Delete it and train again to rewrite it\.$/, '') } };
  }
  if (!saved) return { state: { status: 'none', file } };
  const problems = weightsProblems(expectedWeightShapes(design.doc, design.analysis), saved.weights);
  if (problems.length === 0) return { state: { status: 'fits', file }, saved };
  const problem = `${path.basename(file)}: ${new WeightsMismatchError(problems).message}`;
  return { state: problems.every((p) => p.kind === 'nonFinite') ? { status: 'damaged', file, problem } : { status: 'mismatch', file, problem } };
}

/** The network with its best-known weights: saved file, else inline, else (when allowed) seeded init. */
export async function trainedNetwork(design: CheckedDesign, opts: { allowInit: boolean }): Promise<{ net: CompiledNetwork; source: string; standardizer?: Standardizer }> {
  const saved = await savedWeights(design.file);
  const shown = path.basename(design.file);
  if (saved) {
    try {
      return { net: compileNetwork(design.doc, design.analysis, { weights: saved.weights }), source: path.basename(saved.path), standardizer: saved.standardizer };
    } catch (e) {
      throw new JobError(`${path.basename(saved.path)}: ${(e as Error).message}`);
    }
  }
  try {
    if (hasInlineWeights(design.doc)) return { net: compileNetwork(design.doc, design.analysis), source: 'inline weights' };
    if (opts.allowInit) return { net: compileNetwork(design.doc, design.analysis), source: 'initial (untrained) weights' };
  } catch (e) {
    throw new JobError(`${shown}: ${(e as Error).message}`);
  }
  throw new JobError(`${shown} has no trained weights yet: run Neural Canvas: Train first (or give every dense layer inline "weights").`);
}
