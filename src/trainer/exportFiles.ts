/**
 * Writes a design's export to disk: the pure src/export/ output plus the Node I/O around it
 * (trained weights and feature scaling from the weights file, the training rows for scripts).
 * Shared by `nn export` (the CLI may import the trainer, DESIGN.md) and the training process,
 * which runs the editor's Export… command; so it lives here and never imports src/cli/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { trainSettingsFrom } from '../engine';
import { DataError, loadData, splitData, Standardizer, STANDARDIZER_METADATA_KEY } from '../engine/data';
import { expectedWeightShapes } from '../engine/compile';
import { assertWeightsFit, readWeightsFile, weightsPathFor, WeightsMismatchError } from '../engine/weights';
import { ExportError, exportNetwork, type ExportFormat, type ExportOptions, type ExportWeights } from '../export';
import { parseNetwork, type NetworkAnalysis, type NetworkDoc } from '../model';
import { dataOutsideWorkspace } from './dataConfinement';

/** The main file's extension per format. */
export const EXPORT_EXTENSION: Record<ExportFormat, string> = { pytorch: '.py', keras: '.py', onnx: '.onnx' };

/** A checked design to export. */
export interface ExportableDesign {
  /** Absolute path of the .nn file. */
  file: string;
  /** The path as shown to the user (messages). */
  shown: string;
  doc: NetworkDoc;
  analysis: NetworkAnalysis;
  /** The document text (for node positions); read from `file` when absent. */
  text?: string;
}

/** How an export runs and how its errors talk to the user. */
export interface ExportFilesOptions {
  /** A folder, or the main file's path (ending .py/.onnx); default beside the design. */
  out?: string;
  /** Do not write the data CSV. */
  noData?: boolean;
  /** Resolves a relative `out`. */
  cwd: string;
  /** When given, CSV data files must lie inside one of these folders. */
  allowedRoots?: string[];
  /** What the user runs to train the file (replaces "nn train FILE" in messages). */
  trainHint?: string;
  /** What the user does to export without the data (appended when the data cannot load). */
  noDataHint?: string;
}

/** An export the user must fix; the message says what, where (file:line:col) and what to do. */
export class ExportFailure extends Error {
  /** `data`: the training rows could not be read; `format`: the format cannot express the network. */
  constructor(message: string, readonly kind: 'data' | 'format') {
    super(message);
    this.name = 'ExportFailure';
  }
}

/** Where the files go: a folder and a base name. An `out` ending .onnx/.py names the main file; any other `out` is a folder. */
function destination(d: ExportableDesign, format: ExportFormat, out: string | undefined, cwd: string): { dir: string; base: string; mainName?: string } {
  const base = path.basename(d.file).replace(/\.nn$/i, '');
  if (!out) return { dir: path.dirname(d.file), base };
  const target = path.resolve(cwd, out);
  if (target.toLowerCase().endsWith(EXPORT_EXTENSION[format])) {
    const name = path.basename(target);
    const stem = name.slice(0, -EXPORT_EXTENSION[format].length).replace(/_keras$/, '');
    return { dir: path.dirname(target), base: stem, mainName: name };
  }
  return { dir: target, base };
}

/** The trained weights beside the design (and the feature scaling saved with them), when there are any. */
async function trainedWeights(d: ExportableDesign): Promise<{ weights?: ExportWeights; standardizer?: Standardizer; file?: string }> {
  const file = weightsPathFor(d.file);
  if (!fs.existsSync(file)) return {};
  const contents = await readWeightsFile(file);
  // Weights that do not fit exactly (a renamed layer, a changed shape, NaN) are refused, never
  // half-used with the rest left untrained.
  try {
    assertWeightsFit(expectedWeightShapes(d.doc, d.analysis), contents.tensors);
  } catch (e) {
    if (e instanceof WeightsMismatchError) throw new ExportFailure(`${file}: ${e.message}`, 'data');
    throw e;
  }
  const meta = contents.metadata[STANDARDIZER_METADATA_KEY];
  return { weights: contents.tensors, standardizer: meta ? Standardizer.fromJSON(meta) : undefined, file };
}

/** The rows our engine trains on (split and standardised exactly as training does). */
async function trainingRows(d: ExportableDesign, opts: ExportFilesOptions): Promise<ExportOptions['data']> {
  const spec = d.doc.training?.data;
  if (!spec) return undefined;
  const hint = opts.noDataHint ? `\n${opts.noDataHint}` : '';
  if ('csv' in spec) {
    const outside = dataOutsideWorkspace(d.shown, spec.csv, path.dirname(d.file), opts.allowedRoots);
    if (outside) throw new ExportFailure(`${outside}${hint}`, 'data');
  }
  const settings = trainSettingsFrom(d.doc.training);
  try {
    const ds = await loadData(spec, { baseDir: path.dirname(d.file), seed: settings.seed });
    const split = splitData(ds, settings.validationSplit, { seed: settings.seed, shuffle: settings.shuffle });
    return { train: split.train, validation: split.validation };
  } catch (e) {
    if (e instanceof DataError) throw new ExportFailure(`${d.shown}: cannot load training.data: ${e.message}${hint}`, 'data');
    throw e;
  }
}

/**
 * Exports a design to disk: trained weights and feature scaling from its weights file, the
 * training rows for scripts. Returns the absolute paths written (main file first) and notes for
 * the user; throws ExportFailure with a file:line:col message when the format cannot express the
 * network or the data cannot load.
 */
export async function exportDesign(d: ExportableDesign, format: ExportFormat, opts: ExportFilesOptions): Promise<{ written: string[]; notes: string[] }> {
  const dest = destination(d, format, opts.out, opts.cwd);
  const trained = await trainedWeights(d);
  const data = format === 'onnx' || opts.noData ? undefined : await trainingRows(d, opts);
  let result;
  try {
    result = exportNetwork(d.doc, d.analysis, trained.weights, format, {
      baseName: dest.base, data, standardizer: trained.standardizer, weightsFile: `${dest.base}.weights.safetensors`,
    });
  } catch (e) {
    if (e instanceof ExportError) {
      const where = e.nodeId ? nodeLocation(d, e.nodeId) : d.shown;
      throw new ExportFailure(`${where}: error: ${e.message.replace(/nn train FILE/g, opts.trainHint ?? `nn train ${d.shown}`)} [export-${format}]`, 'format');
    }
    throw e;
  }
  fs.mkdirSync(dest.dir, { recursive: true });
  const written: string[] = [];
  for (const [i, f] of result.files.entries()) {
    const target = path.resolve(dest.dir, i === 0 && dest.mainName ? dest.mainName : f.name);
    // The design's own weights file already holds these weights (with its training metadata): keep it.
    if (trained.file && target === path.resolve(trained.file)) continue;
    fs.writeFileSync(target, f.content);
    written.push(target);
  }
  return { written, notes: result.notes };
}

/** `file:line:col` of a node in the design (the model core's node ranges), for errors about that node. */
function nodeLocation(d: ExportableDesign, nodeId: string): string {
  const range = parseNetwork(d.text ?? fs.readFileSync(d.file, 'utf8')).nodeRanges.get(nodeId);
  return range ? `${d.shown}:${range.start.line + 1}:${range.start.character + 1}` : d.shown;
}
