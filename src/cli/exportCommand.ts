/**
 * `nn export FILE --format pytorch|keras|onnx [-o OUT]`: the design (and its trained weights,
 * from FILE's .weights.safetensors) as a PyTorch script, a Keras script or an ONNX model.
 */
import * as path from 'node:path';
import { EXPORT_FORMATS, type ExportFormat } from '../export';
import { exportDesign, ExportFailure } from '../trainer/exportFiles';
import type { CliCommand } from './cliIo';
import { CliFailure } from './cliFailure';
import { guarded } from './guarded';
import { loadDesign } from './loadDesign';
import { parseArgs } from './parseArgs';

/** `nn export`. */
export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write the network as a PyTorch or Keras script or an ONNX model',
  usage: `Usage: nn export FILE --format pytorch|keras|onnx [-o OUT] [--no-data] [--force]

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
--force    replace existing files that nn export did not write, or that were changed since.

Your files are safe: export never writes onto a file FILE reads (its data CSV, its weights, FILE
itself; when NAME_data.csv is the CSV FILE trains on, the rows go to NAME_export_data.csv), and it
replaces an existing file only when it wrote that file itself and nobody changed it since. It
knows which ones by .nn-export.json, which it keeps in the output folder: each file it wrote
with the SHA-256 of its content. Any other file in the way stops the export, nothing is written,
and the message names the file: use --force to replace it, or -o to write elsewhere.
`,
  run: (args, io) => guarded(io, async () => {
    const a = parseArgs(args, ['--format', '-o', '--out']);
    const format = a.options.get('--format') as ExportFormat | undefined;
    if (!format) throw new CliFailure(`nn: give --format ${EXPORT_FORMATS.join('|')}. See nn help export.`, 2);
    if (!EXPORT_FORMATS.includes(format)) throw new CliFailure(`nn: --format must be one of ${EXPORT_FORMATS.join(', ')}, got '${format}'.`, 2);
    const unknown = [...a.flags].filter((f) => f !== '--no-data' && f !== '--force');
    if (unknown.length) throw new CliFailure(`nn: unknown option ${unknown[0]}. See nn help export.`, 2);
    const d = loadDesign(a.file, io);
    let result;
    try {
      result = await exportDesign(d, format, {
        out: a.options.get('-o') ?? a.options.get('--out'), noData: a.flags.has('--no-data'), cwd: io.cwd, force: a.flags.has('--force'),
        noDataHint: `nn: fix the data, or export without it: nn export ${d.shown} --format … --no-data`,
      });
    } catch (e) {
      if (e instanceof ExportFailure && e.kind === 'exists') {
        const shown = e.files.map((f) => path.relative(io.cwd, f) || f).join(', ');
        throw new CliFailure(`nn: not exported: ${shown} ${e.files.length === 1 ? 'exists and was' : 'exist and were'} not written by nn export (or changed since), and export never replaces your files without asking. Nothing was written.\nnn: use --force to replace ${e.files.length === 1 ? 'it' : 'them'}, or -o to export elsewhere.`);
      }
      if (e instanceof ExportFailure) throw new CliFailure(e.kind === 'format' ? e.message : `nn: ${e.message}`);
      throw e;
    }
    io.stdout(`${result.written.map((w) => `wrote ${path.relative(io.cwd, w) || w}`).join('\n')}\n`);
    for (const n of result.notes) io.stderr(`note: ${n}\n`);
    return 0;
  }),
};
