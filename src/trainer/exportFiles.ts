/**
 * Writes a design's export to disk: the pure src/export/ output plus the Node I/O around it
 * (trained weights and feature scaling from the weights file, the training rows for scripts).
 * Shared by `nn export` (the CLI may import the trainer: docs/architecture.md) and the training process,
 * which runs the editor's Export… command; so it lives here and never imports src/cli/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectedWeightShapes, trainSettingsFrom } from '../engine';
import { DataError, imageInputOf, loadData, splitData, Standardizer, STANDARDIZER_METADATA_KEY } from '../engine/data';
import { assertWeightsFit, readWeightsFile, weightsPathFor, WeightsMismatchError } from '../engine/weights';
import { ExportError, exportNetwork, type ExportFile, type ExportFormat, type ExportOptions, type ExportResult, type ExportWeights } from '../export';
import { parseNetwork, type NetworkAnalysis, type NetworkDoc } from '../model';
import { dataSpecOutsideWorkspace, realPath } from '../jobs';
import { EXPORT_MANIFEST, isExportOwned, readManifest, sha256, writeManifest } from './exportOwnership';

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
  /**
   * Replace existing files the export did not write (or that changed since). Never a file the
   * design reads: its data CSV, its weights, the .nn itself.
   */
  force?: boolean;
}

/** An export the user must fix; the message says what, where (file:line:col) and what to do. */
export class ExportFailure extends Error {
  /**
   * `data`: the training rows could not be read; `format`: the format cannot express the network;
   * `target`: a file cannot be written (the design reads it, or it is a folder); `exists`: files
   * that are not the export's own are in the way (`files`, absolute): nothing was written, the
   * caller asks the user and may export again with `force`.
   */
  constructor(message: string, readonly kind: 'data' | 'format' | 'target' | 'exists', readonly files: string[] = []) {
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
  const outside = dataSpecOutsideWorkspace(d.shown, spec, path.dirname(d.file), opts.allowedRoots);
  if (outside) throw new ExportFailure(`${outside}${hint}`, 'data');
  const settings = trainSettingsFrom(d.doc.training);
  try {
    const ds = await loadData(spec, { baseDir: path.dirname(d.file), seed: settings.seed, input: imageInputOf(d.doc) });
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
 *
 * The user's files are safe: nothing is ever written onto a file the design reads (compared as
 * real paths; the rows go to NAME_export_data.csv when NAME_data.csv is the training CSV), and an
 * existing file is replaced only when the folder's manifest shows export wrote it unchanged, or
 * with `force`. Otherwise nothing is written and ExportFailure `exists` lists the files.
 */
export async function exportDesign(d: ExportableDesign, format: ExportFormat, opts: ExportFilesOptions): Promise<{ written: string[]; notes: string[] }> {
  const dest = destination(d, format, opts.out, opts.cwd);
  const trained = await trainedWeights(d);
  const data = format === 'onnx' || opts.noData ? undefined : await trainingRows(d, opts);
  const reads = designReads(d);
  const build = (dataFile?: string): ExportResult => {
    try {
      return exportNetwork(d.doc, d.analysis, trained.weights, format, {
        baseName: dest.base, data, standardizer: trained.standardizer, weightsFile: `${dest.base}.weights.safetensors`, dataFile,
      });
    } catch (e) {
      if (e instanceof ExportError) {
        const where = e.nodeId ? nodeLocation(d, e.nodeId) : d.shown;
        throw new ExportFailure(`${where}: error: ${e.message.replace(/nn train FILE/g, opts.trainHint ?? `nn train ${d.shown}`)} [export-${format}]`, 'format');
      }
      throw e;
    }
  };
  const targetOf = (f: ExportFile): string => path.resolve(dest.dir, f.role === 'main' && dest.mainName ? dest.mainName : f.name);
  let result = build();
  // The exported rows never go onto the CSV the design trains on (pass.nn reading pass_data.csv): another name.
  const dataOut = result.files.find((f) => f.role === 'data');
  if (dataOut && reads.has(realPath(targetOf(dataOut)))) {
    const other = dataOut.name.replace(/(_data)?\.csv$/, '_export_data.csv');
    result = build(other);
    result.notes.push(`${dataOut.name} is the data ${d.shown} trains on, so the exported rows went to ${other}.`);
  }
  if (fs.statSync(dest.dir, { throwIfNoEntry: false })?.isDirectory() === false) {
    throw new ExportFailure(`${dest.dir} is a file, not a folder: give a folder, or the main file's path ending ${EXPORT_EXTENSION[format]}.`, 'target', [dest.dir]);
  }
  const plan: { file: ExportFile; target: string }[] = [];
  const conflicts: string[] = [];
  const manifest = readManifest(dest.dir);
  for (const f of result.files) {
    const target = targetOf(f);
    if (reads.has(realPath(target))) {
      // The design's own weights file already holds these weights (with its training metadata): keep it.
      if (f.role === 'weights' && trained.file && realPath(target) === realPath(trained.file)) continue;
      throw new ExportFailure(`${target}: ${d.shown} reads this file, so export never writes onto it; export somewhere else (another folder or file name).`, 'target', [target]);
    }
    const st = fs.lstatSync(target, { throwIfNoEntry: false });
    if (st?.isDirectory()) throw new ExportFailure(`${target} is a folder; export somewhere else (another folder or file name).`, 'target', [target]);
    if (st && !(path.dirname(target) === dest.dir && isExportOwned(dest.dir, path.basename(target), manifest))) conflicts.push(target);
    plan.push({ file: f, target });
  }
  if (manifest.foreign) conflicts.push(path.join(dest.dir, EXPORT_MANIFEST));
  if (conflicts.length > 0 && !opts.force) {
    throw new ExportFailure(`not exported: ${conflicts.length === 1 ? 'this file exists and was' : 'these files exist and were'} not written by an export (or changed since): ${conflicts.join(', ')}`, 'exists', conflicts);
  }
  fs.mkdirSync(dest.dir, { recursive: true });
  const written: string[] = [];
  for (const { file, target } of plan) {
    // Replace a link itself, never the file it points to.
    if (fs.lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(target);
    fs.writeFileSync(target, file.content);
    if (path.dirname(target) === dest.dir) manifest.files.set(path.basename(target), { sha256: sha256(file.content), from: path.basename(d.file) });
    written.push(target);
  }
  writeManifest(dest.dir, manifest);
  return { written, notes: result.notes };
}

/** Real paths of every file the design reads: the .nn itself, its weights file, its data CSV. */
function designReads(d: ExportableDesign): Set<string> {
  const reads = new Set([realPath(d.file), realPath(weightsPathFor(d.file))]);
  const spec = d.doc.training?.data;
  if (spec && 'csv' in spec) reads.add(realPath(path.resolve(path.dirname(d.file), spec.csv)));
  if (spec && 'idx' in spec) for (const f of [spec.idx.images, spec.idx.labels]) reads.add(realPath(path.resolve(path.dirname(d.file), f)));
  return reads;
}

/** `file:line:col` of a node in the design (the model core's node ranges), for errors about that node. */
function nodeLocation(d: ExportableDesign, nodeId: string): string {
  const range = parseNetwork(d.text ?? fs.readFileSync(d.file, 'utf8')).nodeRanges.get(nodeId);
  return range ? `${d.shown}:${range.start.line + 1}:${range.start.character + 1}` : d.shown;
}
