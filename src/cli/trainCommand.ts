/** `nn train FILE`: trains on the file's data, streams progress, saves the weights beside it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadData, splitData, STANDARDIZER_METADATA_KEY } from '../engine/data';
import { compileNetwork, train, trainSettingsFrom, type BackendChoice, type Metrics, type TrainEvent } from '../engine';
import { readWeightsFile, weightsPathFor, weightsProblems, WeightsMismatchError, writeWeightsFile } from '../engine/weights';
import { expectedWeightShapes } from '../engine/compile';
import { formatNumber } from '../model';
import type { CliCommand, CliIo } from './cliIo';
import { CliFailure, guarded, loadDesign, parseArgs } from './predict';

function intOption(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new CliFailure(`nn: ${name} must be an integer ≥ ${min}, got '${v}'.`, 2);
  return n;
}

/** One line summarising metrics: "accuracy 97.5%" or "MAE 0.12, R² 0.95". */
export function describeMetrics(m: Metrics): string {
  const parts: string[] = [];
  if (m.accuracy !== undefined) parts.push(`accuracy ${(m.accuracy * 100).toFixed(1)}%`);
  if (m.mae !== undefined) parts.push(`MAE ${formatNumber(m.mae)}`);
  if (m.r2 !== undefined) parts.push(`R² ${formatNumber(m.r2)}`);
  return parts.join(', ');
}

/** A text progress bar; lines on a terminal end in ESC[K so a shorter line erases a longer one. */
function bar(fraction: number, width = 24): string {
  const n = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}

/** Renders events for people: a bar on a terminal, a line per epoch (about one a second) otherwise. */
function humanPrinter(io: CliIo): (e: TrainEvent) => void {
  let lastLine = 0;
  let epochs = 0;
  return (e) => {
    switch (e.type) {
      case 'start':
        epochs = e.epochs;
        io.stdout(`training on ${e.backend} (${e.reason}); ${e.totalParams} parameters; ${e.trainCount} training rows, ${e.validationCount} validation; batch ${e.batchSize}, ${e.epochs} epochs; loss ${e.lossKind}\n`);
        for (const n of e.notices) io.stdout(`note: ${n}\n`);
        break;
      case 'progress':
        if (io.isTTY) io.stdout(`\repoch ${e.epoch}/${epochs} ${bar((e.epoch - 1 + e.step / e.totalSteps) / epochs)} loss ${formatNumber(e.loss)}  ${Math.round(e.samplesPerSec)} samples/s\x1b[K`);
        break;
      case 'epoch': {
        const line = `epoch ${e.epoch}/${e.epochs}  loss ${formatNumber(e.loss)}${e.valLoss !== undefined ? `  val_loss ${formatNumber(e.valLoss)}` : ''}  ${describeMetrics(e.metrics)}`;
        if (io.isTTY) io.stdout(`\r${line} ${bar(e.epoch / e.epochs)}\x1b[K`);
        else if (Date.now() - lastLine > 1000 || e.epoch === e.epochs || e.epoch === 1) { lastLine = Date.now(); io.stdout(`${line}\n`); }
        break;
      }
      case 'done':
        if (io.isTTY) io.stdout('\n');
        io.stdout(`done: ${e.reason}; loss ${formatNumber(e.loss)}${e.valLoss !== undefined ? `, val_loss ${formatNumber(e.valLoss)}` : ''}; ${describeMetrics(e.metrics)} (${e.valLoss !== undefined ? 'validation' : 'training'} data); ${Math.round(e.samplesPerSec)} samples/s\n`);
        break;
      case 'error':
        if (io.isTTY) io.stdout('\n');
        break;
      case 'layers':
        break;
    }
  };
}

/**
 * Refuses (before any training) to replace a weights file that does not fit the design or cannot
 * be read: those weights belong to another version of the design and may be the only copy.
 */
async function refuseForeignWeights(wfile: string, expected: ReadonlyMap<string, readonly number[]>, cwd: string): Promise<void> {
  if (!fs.existsSync(wfile)) return;
  const shown = path.relative(cwd, wfile) || wfile;
  let problem: string | undefined;
  try {
    const problems = weightsProblems(expected, (await readWeightsFile(wfile)).tensors);
    if (problems.length) problem = new WeightsMismatchError(problems).message.replace(/ Train again to write weights that fit, or undo the change to the design\.$/, '');
  } catch (e) {
    problem = `it cannot be read (${(e as Error).message})`;
  }
  if (problem === undefined) return;
  throw new CliFailure(`nn: not trained: ${shown} would be replaced, and ${problem}.\nnn: nothing was changed. To keep those weights, copy or move the file first; to replace them, run nn train again with --force.`);
}

/** `nn train`. */
export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'train a design on its data and save the weights beside it',
  usage: `Usage: nn train FILE [--epochs N] [--backend auto|cpu|webgpu] [--seed N] [--lr X] [--json] [--force]

Trains FILE on its training.data and saves the weights to NAME.weights.safetensors beside it.
Options override the file's training section:
  --epochs N        number of passes over the data
  --backend B       auto (default: WebGPU when it pays, else the CPU), cpu or webgpu
  --seed N          seed for initialisation, shuffling, dropout and generated data
  --lr X            learning rate
  --json            one JSON event per line instead of the progress display
  --force           replace a weights file that does not fit the design or cannot be read
                    (without it nn train refuses and changes nothing; copy the file first to keep it)
Defaults when the file is silent: Adam (lr 0.01), batch 32, 100 epochs, 20% validation, seed 42.
A step activation trains with a straight-through gradient (reported when used).
`,
  run: (args, io) => guarded(io, async () => {
    const a = parseArgs(args, ['--epochs', '--backend', '--seed', '--lr']);
    const d = loadDesign(a.file, io);
    const settings = trainSettingsFrom(d.doc.training);
    const epochs = intOption(a.options.get('--epochs'), '--epochs', 1);
    const seed = intOption(a.options.get('--seed'), '--seed', 0);
    if (epochs !== undefined) settings.epochs = epochs;
    if (seed !== undefined) settings.seed = seed;
    const lr = a.options.get('--lr');
    if (lr !== undefined) {
      const v = Number(lr);
      if (!(v > 0) || !Number.isFinite(v)) throw new CliFailure(`nn: --lr must be a positive number, got '${lr}'.`, 2);
      settings.optimizer.learningRate = v;
    }
    const backend = (a.options.get('--backend') ?? 'auto') as BackendChoice;
    if (!['auto', 'cpu', 'webgpu'].includes(backend)) throw new CliFailure(`nn: --backend must be auto, cpu or webgpu, got '${backend}'.`, 2);
    const spec = d.doc.training?.data;
    if (!spec) throw new CliFailure(`nn: ${d.shown} has no training.data; add e.g. "training": { "data": { "generator": "xor" } }.`);
    const ds = await loadData(spec, { baseDir: path.dirname(d.file), seed: settings.seed });
    const split = splitData(ds, settings.validationSplit, { seed: settings.seed, shuffle: settings.shuffle });
    const wfile = weightsPathFor(d.file);
    if (!a.flags.has('--force')) await refuseForeignWeights(wfile, expectedWeightShapes(d.doc, d.analysis), io.cwd);
    const net = compileNetwork(d.doc, d.analysis, { seed: settings.seed });
    const json = a.flags.has('--json');
    const print = json ? (e: TrainEvent) => io.stdout(`${JSON.stringify(e)}\n`) : humanPrinter(io);
    const ac = new AbortController();
    const onSigint = (): void => ac.abort();
    process.once('SIGINT', onSigint);
    let result;
    try {
      result = await train(net, split, settings, { backend, onEvent: print, signal: ac.signal });
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    const metadata: Record<string, string> = { 'neural-canvas.trained': JSON.stringify({ epochs: result.epochs, loss: result.loss, valLoss: result.valLoss, backend: result.backend, seed: settings.seed }) };
    if (split.standardizer) metadata[STANDARDIZER_METADATA_KEY] = split.standardizer.toJSON();
    await writeWeightsFile(wfile, result.weights, metadata);
    const shown = path.relative(io.cwd, wfile) || wfile;
    if (json) io.stdout(`${JSON.stringify({ type: 'saved', weights: shown })}\n`);
    else io.stdout(`weights saved to ${shown}\n`);
    return 0;
  }),
};
