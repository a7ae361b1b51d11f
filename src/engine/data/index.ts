/**
 * Training data: the Dataset contract, loaders (generators, CSV files, shipped data sets),
 * splitting and standardisation. Imports nothing of the model but its types.
 */
import type { DataSpec, NetworkDoc } from '../../model/types';
import { DataError, type Dataset } from './dataset';
import { loadCsvFile } from './csv';
import { generateData } from './generators';
import { loadIdxFiles } from './idx';
import { loadImageFolder } from './imageFolder';
import { fitToImageInput, type ImageInput } from './imageInput';
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
export { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, loadIdxFiles, parseIdx } from './idx';
export { decodeImage, IMAGE_EXTENSIONS, imageSize, listImageFolder, loadImageFolder, type ImageClass } from './imageFolder';
export { fitToImageInput, pixelNames, type ImageInput } from './imageInput';
export { DATA_FILE_MAX_BYTES, readDataFile } from './dataFile';

/**
 * Loads the data a `training.data` spec names; file paths are relative to `baseDir` (the .nn
 * file's folder). With `input` (the network's one input, when it has an image shape) the rows
 * are checked to fold into that shape and the data set carries it.
 */
export async function loadData(spec: DataSpec, opts: { baseDir: string; seed: number; input?: ImageInput }): Promise<Dataset> {
  const ds = await loadSource(spec, opts);
  return opts.input ? fitToImageInput(ds, opts.input, dataSourceName(spec)) : ds;
}

async function loadSource(spec: DataSpec, opts: { baseDir: string; seed: number; input?: ImageInput }): Promise<Dataset> {
  if ('generator' in spec) return generateData(spec, opts.seed);
  if ('csv' in spec) return loadCsvFile(spec, opts.baseDir);
  if ('dataset' in spec) return loadShippedDataset(spec.dataset);
  if ('idx' in spec) return loadIdxFiles(spec, opts.baseDir);
  if ('imageFolder' in spec) return loadImageFolder(spec, opts.baseDir, opts.input);
  throw new DataError('training.data needs one of "generator", "csv", "dataset", "idx" or "imageFolder".');
}

/** How errors name a data source: its file or folder as written in the design, or the built-in's name. */
export function dataSourceName(spec: DataSpec): string {
  if ('generator' in spec) return `generator '${spec.generator}'`;
  if ('csv' in spec) return spec.csv;
  if ('dataset' in spec) return `data set '${spec.dataset}'`;
  if ('idx' in spec) return spec.idx.images;
  return spec.imageFolder;
}

/** The input data feeds as images: the network's only input, when it has a shape [H, W, C]; else undefined. */
export function imageInputOf(doc: NetworkDoc): ImageInput | undefined {
  const inputs = doc.nodes.filter((n) => n.type === 'input');
  const only = inputs.length === 1 && inputs[0].type === 'input' ? inputs[0] : undefined;
  return only?.shape && only.shape.length === 3 ? { id: only.id, shape: only.shape.slice() } : undefined;
}
