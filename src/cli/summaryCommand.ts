/** `nn summary FILE [--json]`: a Keras-style table of layers, output shapes and parameter counts. */
import { checkNetwork, formatDiagnostic, summaryRows as rowsOf, type NetworkAnalysis, type NetworkDoc } from '../model';
import type { CliCommand, CliIo } from './cliIo';
import { parseFileArgs } from './parseFileArgs';
import { readDesignFile } from './readDesignFile';

/** Thousands separators, as Keras prints them. */
function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

/** Renders the Keras-style table; the last three lines are the totals, as Keras prints them. */
export function renderSummary(doc: NetworkDoc, a: NetworkAnalysis, file: string): string {
  const rows = rowsOf(doc, a);
  const head = ['Layer', 'Type', 'Output shape', 'Params', 'Connected to'];
  const cells = rows.map((r) => [
    r.layer, r.type, r.outputShape ? `(None, ${r.outputShape.join(', ')})` : '?',
    r.formula ? `${grouped(r.params)} = ${r.formula}` : grouped(r.params), r.inputs.join(', '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i])).join('   ').trimEnd();
  const total = widths.reduce((s, w) => s + w, 0) + 3 * (widths.length - 1);
  const out = [
    `Model: "${doc.name ?? file}"`,
    '─'.repeat(total),
    line(head),
    '═'.repeat(total),
    ...cells.map(line),
    '═'.repeat(total),
    `FLOPs per sample (forward): ${grouped(a.flops)}`,
    `Total params: ${grouped(a.totalParams)}`,
    `Trainable params: ${grouped(a.trainableParams)}`,
    `Non-trainable params: ${grouped(a.nonTrainableParams)}`,
  ];
  return `${out.join('\n')}\n`;
}

const USAGE = `Usage: nn summary FILE [--json]

Prints a Keras-style table of the design: each layer in order with its type, output shape
(None is the batch; an image is (None, height, width, channels)), parameter count with its
formula (dense 2→3: 2×3 + 3; conv2d 3×3 on 1 channel, 32 filters: 3×3×1×32 + 32), and inputs.
It ends with 'Total params: N', 'Trainable params: N' and 'Non-trainable params: N' (batch
norm's moving mean and variance), as Keras prints them.
  --json   print { "name", "layers": [ … ], "totalParams", "trainableParams", "nonTrainableParams", "flops" } instead
Exit status: 1 when the file cannot be read or has errors (they are printed as nn check does).
`;

/** The `nn summary` command. */
export const summaryCommand: CliCommand = {
  name: 'summary',
  summary: 'print a Keras-style table of layers, output shapes and parameter counts',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const { files, json, bad } = parseFileArgs(args);
    if (bad || files.length !== 1) {
      io.stderr(bad ? `nn summary: unknown option '${bad}'. Run 'nn help summary'.\n` : 'nn summary: give exactly one .nn file, e.g. nn summary examples/interview.nn\n');
      return 2;
    }
    const file = files[0];
    const read = readDesignFile(file, io);
    if (!read.ok) {
      io.stderr(`nn summary: ${read.message}\n`);
      return 1;
    }
    const { parsed, diagnostics, analysis } = checkNetwork(read.text);
    if (!parsed.doc || !analysis) {
      const errors = diagnostics.filter((d) => d.severity === 'error');
      for (const d of errors) io.stderr(`${formatDiagnostic(file, d)}\n`);
      io.stderr(`nn summary: ${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix them first (nn check ${file}).\n`);
      return 1;
    }
    if (json) {
      io.stdout(`${JSON.stringify({
        file, name: parsed.doc.name ?? null, layers: rowsOf(parsed.doc, analysis),
        totalParams: analysis.totalParams, trainableParams: analysis.trainableParams, nonTrainableParams: analysis.nonTrainableParams, flops: analysis.flops,
      }, null, 2)}\n`);
    } else {
      io.stdout(renderSummary(parsed.doc, analysis, file));
    }
    return 0;
  },
};
