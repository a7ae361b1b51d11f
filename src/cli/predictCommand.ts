/**
 * `nn predict FILE --input …`: a forward pass with the trained (or inline) weights. Also home of
 * the helpers `nn train` and `nn grad` share: loading a design and parsing `--input`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Standardizer, STANDARDIZER_METADATA_KEY } from '../engine/data';
import { compileNetwork, hasInlineWeights, predict, type CompiledNetwork } from '../engine';
import { readWeightsFile, weightsPathFor } from '../engine/weights';
import { checkNetwork, formatDiagnostic, formatNumber, setOwn, type NetworkAnalysis, type NetworkDoc } from '../model';
import type { CliCommand, CliIo } from './cliIo';
import { isInternalError } from './internalError';
import { predictCsv } from './predictCsv';
import { readDesignText } from './readDesignText';

/** A design read from disk and checked. */
export interface LoadedDesign {
  file: string;
  /** The path as the user wrote it (for messages). */
  shown: string;
  doc: NetworkDoc;
  analysis: NetworkAnalysis;
}

/** A CLI failure already explained to the user; the command returns `code`. */
export class CliFailure extends Error {
  constructor(message: string, readonly code = 1) {
    super(message);
  }
}

/** Reads and checks a .nn file; errors are printed as file:line:col diagnostics. */
export function loadDesign(arg: string | undefined, io: CliIo): LoadedDesign {
  if (!arg) throw new CliFailure('nn: missing FILE (a .nn design). See nn help.', 2);
  const read = readDesignText(arg, io.cwd);
  if (!read.ok) throw new CliFailure(`nn: ${read.message}`);
  const { file, text } = read;
  const { parsed, diagnostics, analysis } = checkNetwork(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !parsed.doc || !analysis) {
    throw new CliFailure(`${errors.map((d) => formatDiagnostic(arg, d)).join('\n')}\nnn: ${arg} has ${errors.length} error(s); fix them first (nn check ${arg}).`);
  }
  return { file, shown: arg, doc: parsed.doc, analysis };
}

/** The network with its weights: from the weights file beside it, else inline, else an error. */
export async function loadTrained(d: LoadedDesign): Promise<{ net: CompiledNetwork; source: string; standardizer?: Standardizer }> {
  const wfile = weightsPathFor(d.file);
  if (fs.existsSync(wfile)) {
    const contents = await readWeightsFile(wfile);
    const meta = contents.metadata[STANDARDIZER_METADATA_KEY];
    let net: CompiledNetwork;
    try {
      net = compileNetwork(d.doc, d.analysis, { weights: contents.tensors });
    } catch (e) {
      throw new CliFailure(`nn: ${path.relative(process.cwd(), wfile) || wfile}: ${(e as Error).message}`);
    }
    return {
      net,
      source: path.relative(process.cwd(), wfile) || wfile,
      standardizer: meta ? Standardizer.fromJSON(meta) : undefined,
    };
  }
  if (hasInlineWeights(d.doc)) return { net: compileNetwork(d.doc, d.analysis), source: 'inline weights' };
  throw new CliFailure(`nn: no weights: train first with nn train ${d.shown} (or give every dense layer inline "weights").`);
}

/**
 * Parses `--input 2.3,10.2` (every feature, in input-node order) or repeated
 * `--input x=-2 --input y=5` (per input node) into one row.
 */
export function parseInputRow(values: string[], net: CompiledNetwork): Float32Array {
  const width = net.inputSizes.reduce((a, b) => a + b, 0);
  if (values.length === 0) throw new CliFailure(`nn: give the input with --input, e.g. --input ${Array.from({ length: width }, (_, i) => i + 1).join(',')}`, 2);
  const nums = (s: string, what: string): number[] => s.split(',').map((t) => {
    const v = Number(t.trim());
    if (t.trim() === '' || !Number.isFinite(v)) throw new CliFailure(`nn: ${what}: '${t}' is not a number.`, 2);
    return v;
  });
  if (values.every((v) => !v.includes('='))) {
    const all = values.flatMap((v) => nums(v, '--input'));
    if (all.length !== width) throw new CliFailure(`nn: --input has ${all.length} value(s); the network takes ${width} (${describeInputs(net)}).`, 2);
    return Float32Array.from(all);
  }
  const row = new Float32Array(width);
  const seen = new Set<string>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) throw new CliFailure(`nn: mix of plain and named --input values; name every one (id=value).`, 2);
    const id = v.slice(0, eq).trim();
    const idx = net.inputIds.indexOf(id);
    if (idx < 0) throw new CliFailure(`nn: --input ${v}: no input node '${id}'; the inputs are ${describeInputs(net)}.`, 2);
    const vals = nums(v.slice(eq + 1), `--input ${id}`);
    if (vals.length !== net.inputSizes[idx]) throw new CliFailure(`nn: --input ${id} has ${vals.length} value(s); '${id}' takes ${net.inputSizes[idx]}.`, 2);
    const off = net.inputSizes.slice(0, idx).reduce((a, b) => a + b, 0);
    row.set(vals, off);
    seen.add(id);
  }
  const missing = net.inputIds.filter((id) => !seen.has(id));
  if (missing.length > 0) throw new CliFailure(`nn: no --input for ${missing.join(', ')}.`, 2);
  return row;
}

function describeInputs(net: CompiledNetwork): string {
  return net.inputIds.map((id, i) => `${id}: ${net.inputSizes[i]}`).join(', ');
}

/** Splits argv into the FILE, repeated `--input` values, flags and options. */
export function parseArgs(args: string[], valued: string[]): { file?: string; inputs: string[]; flags: Set<string>; options: Map<string, string> } {
  const out = { file: undefined as string | undefined, inputs: [] as string[], flags: new Set<string>(), options: new Map<string, string>() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [name, inline] = a.startsWith('--') && a.includes('=') && !a.startsWith('--input=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (name === '--input' || name.startsWith('--input=')) {
      const v = name.startsWith('--input=') ? name.slice(8) : args[++i];
      if (v === undefined) throw new CliFailure('nn: --input needs a value.', 2);
      out.inputs.push(v);
    } else if (valued.includes(name)) {
      const v = inline ?? args[++i];
      if (v === undefined) throw new CliFailure(`nn: ${name} needs a value.`, 2);
      out.options.set(name, v);
    } else if (name.startsWith('--')) {
      out.flags.add(name);
    } else if (!out.file) {
      out.file = a;
    } else {
      throw new CliFailure(`nn: unexpected argument '${a}'.`, 2);
    }
  }
  return out;
}

/** Runs a command body, turning CliFailure into its message and exit code. */
export async function guarded(io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof CliFailure) {
      io.stderr(`${e.message}\n`);
      return e.code;
    }
    // A bug, not a failure with a message for the user: runCli reports it as an internal error.
    if (isInternalError(e)) throw e;
    io.stderr(`nn: ${(e as Error).message}\n`);
    return 1;
  }
}

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
