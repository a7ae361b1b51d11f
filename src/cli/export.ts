/**
 * `nn export FILE --format pytorch|keras|onnx [-o OUT]`: the design (and its trained weights,
 * from FILE's .weights.safetensors) as a PyTorch script, a Keras script or an ONNX model.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { trainSettingsFrom } from '../engine';
import { DataError, loadData, splitData, Standardizer, STANDARDIZER_METADATA_KEY } from '../engine/data';
import { readWeightsFile, weightsPathFor } from '../engine/weights';
import { EXPORT_FORMATS, ExportError, exportNetwork, type ExportFormat, type ExportOptions, type ExportWeights } from '../export';
import { parseNetwork } from '../model';
import type { CliCommand } from './cliIo';
import { CliFailure, guarded, loadDesign, parseArgs, type LoadedDesign } from './predict';

const EXTENSION: Record<ExportFormat, string> = { pytorch: '.py', keras: '.py', onnx: '.onnx' };

/** Where the files go: a folder and a base name. `-o x.onnx`/`-o x.py` names the main file; any other `-o` is a folder. */
function destination(d: LoadedDesign, format: ExportFormat, out: string | undefined, cwd: string): { dir: string; base: string; mainName?: string } {
  const base = path.basename(d.file).replace(/\.nn$/i, '');
  if (!out) return { dir: path.dirname(d.file), base };
  const target = path.resolve(cwd, out);
  if (target.toLowerCase().endsWith(EXTENSION[format])) {
    const name = path.basename(target);
    const stem = name.slice(0, -EXTENSION[format].length).replace(/_keras$/, '');
    return { dir: path.dirname(target), base: stem, mainName: name };
  }
  return { dir: target, base };
}

/** The trained weights beside the design (and the feature scaling saved with them), when there are any. */
async function trainedWeights(d: LoadedDesign): Promise<{ weights?: ExportWeights; standardizer?: Standardizer; file?: string }> {
  const file = weightsPathFor(d.file);
  if (!fs.existsSync(file)) return {};
  const contents = await readWeightsFile(file);
  const meta = contents.metadata[STANDARDIZER_METADATA_KEY];
  return { weights: contents.tensors, standardizer: meta ? Standardizer.fromJSON(meta) : undefined, file };
}

/** The rows our engine trains on (split and standardised exactly as `nn train` does). */
async function trainingRows(d: LoadedDesign): Promise<ExportOptions['data']> {
  const spec = d.doc.training?.data;
  if (!spec) return undefined;
  const settings = trainSettingsFrom(d.doc.training);
  try {
    const ds = await loadData(spec, { baseDir: path.dirname(d.file), seed: settings.seed });
    const split = splitData(ds, settings.validationSplit, { seed: settings.seed, shuffle: settings.shuffle });
    return { train: split.train, validation: split.validation };
  } catch (e) {
    if (e instanceof DataError) throw new CliFailure(`nn: ${d.shown}: cannot load training.data: ${e.message}\nnn: fix the data, or export without it: nn export ${d.shown} --format … --no-data`);
    throw e;
  }
}

/** `nn export`. */
export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write the network as a PyTorch or Keras script or an ONNX model',
  usage: `Usage: nn export FILE --format pytorch|keras|onnx [-o OUT] [--no-data]

Writes FILE's network for another framework, with its trained weights (FILE's .weights.safetensors,
written by nn train) or its inline weights:
  pytorch  NAME.py: an nn.Module and a training loop with the file's loss, optimizer, batch size,
           epochs and seed; runs with python3, or with torchrun --nproc_per_node=N for
           DistributedDataParallel. Beside it: NAME_data.csv (the exact rows nn train uses) and
           NAME.weights.safetensors (loaded when present).
  keras    NAME_keras.py: the same network with the Keras functional API, weights set when trained.
  onnx     NAME.onnx: the inference graph (opset 13), inputs and outputs named after the nodes.
           Needs weights: train first.
-o OUT     a folder, or the main file's path (ending .py or .onnx). Default: beside FILE.
--no-data  do not write the data CSV (the script then needs --data).
`,
  run: (args, io) => guarded(io, async () => {
    const a = parseArgs(args, ['--format', '-o', '--out']);
    const format = a.options.get('--format') as ExportFormat | undefined;
    if (!format) throw new CliFailure(`nn: give --format ${EXPORT_FORMATS.join('|')}. See nn help export.`, 2);
    if (!EXPORT_FORMATS.includes(format)) throw new CliFailure(`nn: --format must be one of ${EXPORT_FORMATS.join(', ')}, got '${format}'.`, 2);
    const unknown = [...a.flags].filter((f) => f !== '--no-data');
    if (unknown.length) throw new CliFailure(`nn: unknown option ${unknown[0]}. See nn help export.`, 2);
    const d = loadDesign(a.file, io);
    const result = await exportDesign(d, format, { out: a.options.get('-o') ?? a.options.get('--out'), noData: a.flags.has('--no-data'), cwd: io.cwd });
    io.stdout(`${result.written.map((w) => `wrote ${path.relative(io.cwd, w) || w}`).join('\n')}\n`);
    for (const n of result.notes) io.stderr(`note: ${n}\n`);
    return 0;
  }),
};

/**
 * Exports a loaded design to disk as `nn export` does (also for the editor's Export… command):
 * trained weights and feature scaling from its weights file, the training rows for scripts.
 * Returns the absolute paths written and notes for the user; throws CliFailure with a
 * file:line:col message when the format cannot express the network.
 */
export async function exportDesign(d: LoadedDesign, format: ExportFormat, opts: { out?: string; noData?: boolean; cwd: string }): Promise<{ written: string[]; notes: string[] }> {
  const dest = destination(d, format, opts.out, opts.cwd);
  const trained = await trainedWeights(d);
  const data = format === 'onnx' || opts.noData ? undefined : await trainingRows(d);
  let result;
  try {
    result = exportNetwork(d.doc, d.analysis, trained.weights, format, {
      baseName: dest.base, data, standardizer: trained.standardizer, weightsFile: `${dest.base}.weights.safetensors`,
    });
  } catch (e) {
    if (e instanceof ExportError) {
      const where = e.nodeId ? nodeLocation(d, e.nodeId) : d.shown;
      throw new CliFailure(`${where}: error: ${e.message.replace(/nn train FILE/g, `nn train ${d.shown}`)} [export-${format}]`);
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
function nodeLocation(d: LoadedDesign, nodeId: string): string {
  const range = parseNetwork(fs.readFileSync(d.file, 'utf8')).nodeRanges.get(nodeId);
  return range ? `${d.shown}:${range.start.line + 1}:${range.start.character + 1}` : d.shown;
}
