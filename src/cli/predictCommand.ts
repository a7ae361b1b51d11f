/** `nn predict FILE --input …`: a forward pass with the trained (or inline) weights. */
import { predict } from '../engine';
import { formatNumber, setOwn } from '../model';
import { CliFailure } from './cliFailure';
import type { CliCommand } from './cliIo';
import { guarded } from './guarded';
import { loadDesign } from './loadDesign';
import { loadTrained } from './loadTrained';
import { parseArgs } from './parseArgs';
import { parseInputRow } from './parseInputRow';
import { predictCsv } from './predictCsv';

/** `nn predict`. */
export const predictCommand: CliCommand = {
  name: 'predict',
  summary: 'run a forward pass with the trained or inline weights',
  usage: `Usage: nn predict FILE --input V1,V2,… [--json]
       nn predict FILE --input x=-2 --input y=5 [--json]
       nn predict FILE --csv ROWS.csv [--json]

Runs the network on one input row, or with --csv on every row of ROWS.csv in one batched pass.
Weights come from FILE's .weights.safetensors (written by nn train) when present, else from the
weights written inline in FILE. A model trained on standardised CSV data standardises the input
the same way.
  --csv ROWS    a CSV whose columns are the input features in input-node order; a first row
                with no number in it is a header and is skipped. Prints one line per row, in
                order (with --json: {"line": N, "outputs": {…}} per row, N the file's line).
                Every row is checked first: if any has the wrong number of values or a cell
                that is not a number, each such row is reported as ROWS.csv:LINE on stderr and
                nothing is predicted (exit 1).
  --json        JSON instead of text
`,
  run: (args, io) => guarded(io, async () => {
    const a = parseArgs(args, ['--csv']);
    const csv = a.options.get('--csv');
    if (csv !== undefined && a.inputs.length > 0) throw new CliFailure('nn: give either --input (one row) or --csv (a file of rows), not both.', 2);
    const d = loadDesign(a.file, io);
    const { net, source, standardizer } = await loadTrained(d);
    if (csv !== undefined) return predictCsv(csv, net, source, standardizer, a.flags.has('--json'), io);
    let row = parseInputRow(a.inputs, net);
    if (standardizer) row = standardizer.transform(row);
    const out = await predict(net, row, 1);
    const outputs: Record<string, number[]> = {};
    let off = 0;
    net.outputIds.forEach((id, i) => { setOwn(outputs, id, Array.from(out.subarray(off, off + net.outputSizes[i]))); off += net.outputSizes[i]; });
    if (a.flags.has('--json')) {
      io.stdout(`${JSON.stringify({ outputs, weights: source })}\n`);
    } else {
      for (const [id, vals] of Object.entries(outputs)) io.stdout(`${id}: ${vals.length === 1 ? formatNumber(vals[0]) : `[${vals.map(formatNumber).join(', ')}]`}\n`);
      io.stderr(`(weights: ${source})\n`);
    }
    return 0;
  }),
};
