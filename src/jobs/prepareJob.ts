/**
 * Turns a job (document text + file path) into what the engine needs: a checked design, its data
 * (CSV paths kept inside the workspace when the caller names its roots), and settings with the
 * run's overrides. Every failure is a JobError written for the user.
 */
import * as path from 'node:path';
import { trainSettingsFrom, type TrainSettings } from '../engine';
import { imageInputOf, loadData, splitData, type DataSplit } from '../engine/data';
import { checkNetwork, dataSuggestion, formatDiagnostic, type NetworkAnalysis, type NetworkDoc } from '../model';
import { dataSpecOutsideWorkspace } from './dataConfinement';

/** A design's text and where it lives (the training process gets both from the editor). */
export interface DesignText {
  text: string;
  file: string;
  /** The editor's workspace folders: the data a design names must lie inside them (see loadJobData). */
  allowedRoots?: string[];
}

/** What a run may change of the file's training section (the editor's quick pick, the CLI's options). */
export interface SettingsOverrides {
  epochs?: number;
  learningRate?: number;
  seed?: number;
}

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
export function checkDesign(job: DesignText): CheckedDesign {
  const { parsed, diagnostics, analysis } = checkNetwork(job.text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !parsed.doc || !analysis) {
    const shown = path.basename(job.file);
    const list = errors.slice(0, 5).map((d) => formatDiagnostic(job.file, d)).join('\n');
    throw new JobError(`${shown} has ${errors.length || 1} error(s); fix them before training:\n${list || 'the text is not an nn/1 network.'}`);
  }
  return { file: job.file, doc: parsed.doc, analysis };
}

/** The error of a design without training data: what to add, fitted to its inputs (no spiral for 3 inputs). */
export function noTrainingDataMessage(shown: string, doc: NetworkDoc, inEditor = true): string {
  const inputs = doc.nodes.filter((n) => n.type === 'input');
  const width = inputs.reduce((a, n) => a + (n.type === 'input' ? n.units : 0), 0);
  const image = inputs.some((n) => n.type === 'input' && n.shape !== undefined && n.shape.length > 1);
  const add = inEditor ? 'Add training data (the inspector\'s "Add training data…" with no node selected), or write' : 'Add';
  return `${shown} has no training.data to train on. ${add} e.g. ${dataSuggestion(width, image)}.`;
}

/** Whether `target` lies inside `root` (after resolving `..`). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(target));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The settings of a run: the file's training section, then the quick pick's overrides. */
export function settingsFor(doc: NetworkDoc, overrides: SettingsOverrides = {}): TrainSettings {
  const s = trainSettingsFrom(doc.training);
  if (overrides.epochs !== undefined) s.epochs = overrides.epochs;
  if (overrides.learningRate !== undefined) s.optimizer.learningRate = overrides.learningRate;
  if (overrides.seed !== undefined) s.seed = overrides.seed;
  return s;
}

/**
 * Loads and splits the design's data; with `allowedRoots` (the editor's workspace folders) every
 * data file (CSV, IDX, each image of an image folder) must lie inside one of them. The CLI names
 * none: its user names the file. Data for an image input must fold into its [H, W, C].
 */
export async function loadJobData(design: CheckedDesign, settings: TrainSettings, allowedRoots?: string[]): Promise<DataSplit> {
  const spec = design.doc.training?.data;
  const shown = path.basename(design.file);
  if (!spec) throw new JobError(noTrainingDataMessage(shown, design.doc));
  const outside = dataSpecOutsideWorkspace(shown, spec, path.dirname(design.file), allowedRoots);
  if (outside) throw new JobError(outside);
  try {
    const ds = await loadData(spec, { baseDir: path.dirname(design.file), seed: settings.seed, input: imageInputOf(design.doc) });
    return splitData(ds, settings.validationSplit, { seed: settings.seed, shuffle: settings.shuffle });
  } catch (e) {
    throw new JobError(`${shown}: cannot load the training data: ${(e as Error).message}`);
  }
}
