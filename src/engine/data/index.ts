/**
 * Training data: the Dataset contract, loaders (generators, CSV files, shipped data sets),
 * splitting and standardisation. Imports nothing of the model but its types.
 */
import type { DataSpec } from '../../model/types';
import { DataError, type Dataset } from './dataset';
import { loadCsvFile } from './csv';
import { generateData } from './generators';
import { loadShippedDataset } from './shipped';

export { DataError, assertDatasetShape, type Dataset, type DataTask } from './dataset';
export { Random } from '../random';
export { generateData, DEFAULT_SAMPLES } from './generators';
export { splitData, type DataSplit } from './split';
export { CSV_MAX_BYTES, csvByteLimit, loadCsvFile, parseCsvData, type CsvOptions } from './csv';
export { cellNumber } from './csvTable';
export { csvLineCounter } from './csvLineCounter';
export { loadShippedDataset, shippedDataFolder } from './shipped';
export { Standardizer, STANDARDIZER_METADATA_KEY, type StandardizerJson } from './standardizer';

/** Loads the data a `training.data` spec names; CSV paths are relative to `baseDir` (the .nn file's folder). */
export async function loadData(spec: DataSpec, opts: { baseDir: string; seed: number }): Promise<Dataset> {
  if ('generator' in spec) return generateData(spec, opts.seed);
  if ('csv' in spec) return loadCsvFile(spec, opts.baseDir);
  if ('dataset' in spec) return loadShippedDataset(spec.dataset);
  throw new DataError('training.data needs one of "generator", "csv" or "dataset".');
}
