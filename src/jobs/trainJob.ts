/**
 * A training job, the same for both front doors (`nn train` and the editor's training process):
 * decide where the run starts (the saved weights when they fit the design, else fresh), run it,
 * and save the weights with what the run was. Same design, weights and settings → same file.
 *
 * Continuing: a run that starts from saved weights is a new run of the optimizer. Its epochs
 * count from 1, the optimizer's state (momentum, Adam's moments and step count) starts from zero,
 * and shuffling and dropout follow the seed as in a first run. So for plain SGD (no momentum)
 * without shuffling or dropout, N epochs and then M more equal N + M epochs from scratch.
 */
import * as path from 'node:path';
import { compileNetwork, train, type CompiledNetwork, type TrainOptions, type TrainResult, type TrainSettings, type WeightMap } from '../engine';
import { STANDARDIZER_METADATA_KEY, type DataSplit } from '../engine/data';
import { weightsPathFor, writeWeightsFile } from '../engine/weights';
import type { SavedWeightsState } from '../protocol';
import { JobError, type CheckedDesign } from './prepareJob';
import { savedWeightsState } from './savedWeights';

/** The metadata key of what a weights file's training was (epochs, loss, valLoss, backend, seed). */
export const TRAINED_METADATA_KEY = 'neural-canvas.trained';

/** Where a run starts. */
export interface StartingPoint {
  net: CompiledNetwork;
  /** 'saved': the weights file beside the design (it fits); 'fresh': seeded initial weights. */
  from: 'saved' | 'fresh';
  /** How the weights file stood before the run (a fresh start over a file that did not fit replaces it). */
  state: SavedWeightsState;
}

/** A weights file that does not fit the design, or cannot be read, is in the way: the run would replace it. */
export class WeightsInTheWay extends JobError {
  constructor(readonly state: Extract<SavedWeightsState, { status: 'mismatch' | 'damaged' }>) {
    super(`${state.problem} ${path.basename(state.file)} was left as it is: training replaces it only when you agree to.`);
    this.name = 'WeightsInTheWay';
  }
}

/**
 * The network a run starts from: the saved weights when they fit the design exactly (unless
 * `fresh`), else seeded initial weights. A weights file that does not fit or is damaged would be
 * replaced at the end of the run, so that happens only with `replace` (the user said so);
 * otherwise WeightsInTheWay is thrown and nothing changes.
 */
export async function startingPoint(design: CheckedDesign, seed: number, opts: { fresh?: boolean; replace?: boolean } = {}): Promise<StartingPoint> {
  const { state, saved } = await savedWeightsState(design);
  if (state.status === 'mismatch' || state.status === 'damaged') {
    if (!opts.replace) throw new WeightsInTheWay(state);
  } else if (state.status === 'fits' && saved && !opts.fresh) {
    return { net: compileNetwork(design.doc, design.analysis, { seed, weights: saved.weights }), from: 'saved', state };
  }
  return { net: compileNetwork(design.doc, design.analysis, { seed }), from: 'fresh', state };
}

/** What a weights file records of the training that wrote it. */
export interface TrainedRecord {
  epochs: number;
  loss: number;
  valLoss?: number;
  backend: string;
  seed: number;
}

/** Writes the weights beside the design with what the run was and the standardiser its data used; returns the file. */
export async function saveTrainedWeights(designFile: string, weights: WeightMap, split: DataSplit, trained: TrainedRecord): Promise<string> {
  const wfile = weightsPathFor(designFile);
  const record: TrainedRecord = { epochs: trained.epochs, loss: trained.loss, valLoss: trained.valLoss, backend: trained.backend, seed: trained.seed };
  const metadata: Record<string, string> = { [TRAINED_METADATA_KEY]: JSON.stringify(record) };
  if (split.standardizer) metadata[STANDARDIZER_METADATA_KEY] = split.standardizer.toJSON();
  await writeWeightsFile(wfile, weights, metadata);
  return wfile;
}

/** Trains the starting network on the split and saves the weights beside the design. */
export async function runTrainingJob(design: CheckedDesign, start: StartingPoint, split: DataSplit, settings: TrainSettings, opts: TrainOptions): Promise<{ result: TrainResult; weightsFile: string }> {
  const result = await train(start.net, split, settings, opts);
  const weightsFile = await saveTrainedWeights(design.file, result.weights, split, { epochs: result.epochs, loss: result.loss, valLoss: result.valLoss, backend: result.backend, seed: settings.seed });
  return { result, weightsFile };
}
