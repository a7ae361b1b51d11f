/**
 * The weights file beside a design: reading it, how it stands against the design (fits, does not
 * fit, damaged), and the trained network it gives — written once for the CLI and the editor.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileNetwork, expectedWeightShapes, hasInlineWeights, type CompiledNetwork, type WeightMap } from '../engine';
import { Standardizer, STANDARDIZER_METADATA_KEY } from '../engine/data';
import { readWeightsFile, weightsPathFor, weightsProblems, WeightsMismatchError } from '../engine/weights';
import type { SavedWeightsState } from '../protocol';
import { JobError, type CheckedDesign } from './prepareJob';


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

/** How a front door names things in messages. */
export interface TrainedNetworkWording {
  /** The weights file as the user should read it (the CLI: relative to its folder; the editor: the base name). */
  shownWeights: (file: string) => string;
  /** The design as the user named it. */
  shownDesign: string;
  /** What to say when the design has no weights at all (names the front door's way to train). */
  untrained: string;
}

/**
 * The network with its best-known weights: the saved file, else inline weights, else (when
 * allowed) seeded initial weights. `source` says which, in words.
 */
export async function trainedNetwork(design: CheckedDesign, opts: { allowInit: boolean; wording?: Partial<TrainedNetworkWording> }): Promise<{ net: CompiledNetwork; source: string; standardizer?: Standardizer }> {
  const shownDesign = opts.wording?.shownDesign ?? path.basename(design.file);
  const shownWeights = opts.wording?.shownWeights ?? ((f: string) => path.basename(f));
  const saved = await savedWeights(design.file);
  if (saved) {
    try {
      return { net: compileNetwork(design.doc, design.analysis, { weights: saved.weights }), source: shownWeights(saved.path), standardizer: saved.standardizer };
    } catch (e) {
      throw new JobError(`${shownWeights(saved.path)}: ${(e as Error).message}`);
    }
  }
  try {
    if (hasInlineWeights(design.doc)) return { net: compileNetwork(design.doc, design.analysis), source: 'inline weights' };
    if (opts.allowInit) return { net: compileNetwork(design.doc, design.analysis), source: 'initial (untrained) weights' };
  } catch (e) {
    throw new JobError(`${shownDesign}: ${(e as Error).message}`);
  }
  throw new JobError(opts.wording?.untrained ?? `${shownDesign} has no trained weights yet: run Neural Canvas: Train first (or give every dense layer inline "weights").`);
}
