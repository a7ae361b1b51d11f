/**
 * Training data: the Dataset contract, loaders (generators, CSV files, shipped data sets),
 * splitting and standardisation. Imports nothing of the model but its types.
 */
import type { DataSpec } from '../../model/types';
import { DataError, type Dataset } from './dataset';
import { generateData } from './generators';

export { DataError, assertDatasetShape, type Dataset, type DataTask } from './dataset';
export { Random } from './random';
export { generateData, DEFAULT_SAMPLES } from './generators';
export { splitData, type DataSplit } from './split';
export { Standardizer, STANDARDIZER_METADATA_KEY, type StandardizerJson } from './standardizer';

/** Loads the data a `training.data` spec names; CSV paths are relative to `baseDir` (the .nn file's folder). */
export async function loadData(spec: DataSpec, opts: { baseDir: string; seed: number }): Promise<Dataset> {
  if ('generator' in spec) return generateData(spec, opts.seed);
  throw new DataError('CSV files and shipped data sets are not supported yet.');
}
