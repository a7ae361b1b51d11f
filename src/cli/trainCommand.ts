/** `nn train FILE`: trains on the file's data (continuing from weights that fit), streams progress, saves the weights beside it. */
import * as path from 'node:path';
import type { BackendChoice, EpochRecord, TrainEvent, TrainResult } from '../engine';
import { loadJobData, noTrainingDataMessage, runTrainingJob, settingsFor, startingPoint, WeightsInTheWay, type StartingPoint } from '../jobs';
import { CliFailure } from './cliFailure';
import type { CliCommand } from './cliIo';
import { guarded } from './guarded';
import { loadDesign, type LoadedDesign } from './loadDesign';
import { parseArgs } from './parseArgs';
import { appendCliRun, type CliRun } from './runLogAppend';
import { HistoryWriter } from './trainHistory';
import { humanPrinter } from './trainPrinter';

export { describeMetrics } from './trainPrinter';

function intOption(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new CliFailure(`nn: ${name} must be an integer ≥ ${min}, got '${v}'.`, 2);
  return n;
}

/**
 * Where the run starts: the weights beside the design when they fit (unless --fresh). A weights
 * file that does not fit the design or cannot be read is refused (before any training) unless
 * --force: those weights belong to another version of the design and may be the only copy.
 */
async function start(d: LoadedDesign, seed: number, fresh: boolean, force: boolean, cwd: string): Promise<StartingPoint> {
  try {
    return await startingPoint(d, seed, { fresh, replace: force });
  } catch (e) {
    if (!(e instanceof WeightsInTheWay)) throw e;
    const shown = path.relative(cwd, e.state.file) || e.state.file;
    const problem = e.state.problem.replace(/^[^:]*\.safetensors: /, '').replace(/ Train again to write weights that fit, or undo the change to the design\.$/, '').replace(/\.$/, '');
    const why = e.state.status === 'mismatch' ? problem : `it cannot be read or used (${problem})`;
    throw new CliFailure(`nn: not trained: ${shown} would be replaced, and ${why}.\nnn: nothing was changed. To keep those weights, copy or move the file first; to replace them, run nn train again with --force.`);
  }
}

/** `nn train`. */
export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'train a design on its data and save the weights beside it',
  usage: `Usage: nn train FILE [--epochs N] [--backend auto|cpu|webgpu] [--seed N] [--lr X] [--fresh] [--json] [--history FILE] [--force] [--no-runs]

Trains FILE on its training.data and saves the weights to NAME.weights.safetensors beside it.
When that file holds weights that fit the design, training continues from them (as the editor's
Train does); --fresh starts over from seeded initial weights.
Options override the file's training section:
  --epochs N        number of passes over the data (in this run)
  --backend B       auto (default: WebGPU when it pays, else the CPU), cpu or webgpu
  --seed N          seed for initialisation, splitting, shuffling, dropout, and generated data
                    whose training.data has no seed of its own
  --lr X            learning rate
  --fresh           start from fresh weights even when the saved ones fit
  --json            one JSON event per line instead of the progress display: every epoch's
                    event; progress events at most about 20 a second
  --history FILE    write the learning curve, one record per epoch: JSON lines
                    {"epoch","loss","valLoss","accuracy","mae","r2"}, or CSV when FILE ends
                    in .csv; an existing FILE is replaced only with --force
  --force           replace a weights file that does not fit the design or cannot be read
                    (without it nn train refuses and changes nothing; copy the file first to
                    keep it), and an existing --history FILE
  --no-runs         do not add this run to NAME.runs.jsonl
Each run adds one line to NAME.runs.jsonl beside FILE: its settings, every epoch's loss and
metrics, and how it ended (the editor's training view lists and compares them). Lines already
there are never changed.
A run that continues is a new run of the optimizer: its epochs count from 1, the optimizer's
state (momentum, Adam's moments and step count) starts from zero, and shuffling and dropout
follow the seed as in a first run. So with plain SGD (no momentum), no shuffling and no dropout,
nn train --epochs 5 twice gives the same weights as nn train --fresh --epochs 10.
Defaults when the file is silent: Adam (lr 0.01), batch 32, 100 epochs, 20% validation, seed 42.
On the CPU, a machine with two cores or more runs the big matrix products on both (NN_THREADS=auto,
the default); NN_THREADS=1 keeps to one core, NN_THREADS=2 always starts the second thread. The
results are the same either way.
A step activation trains with a straight-through gradient (reported when used).
`,
  run: (args, io) => guarded(io, async () => {
    const a = parseArgs(args, ['--epochs', '--backend', '--seed', '--lr', '--history']);
    const d = loadDesign(a.file, io);
    const epochs = intOption(a.options.get('--epochs'), '--epochs', 1);
    const seed = intOption(a.options.get('--seed'), '--seed', 0);
    const lr = a.options.get('--lr');
    let learningRate: number | undefined;
    if (lr !== undefined) {
      learningRate = Number(lr);
      if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new CliFailure(`nn: --lr must be a positive number, got '${lr}'.`, 2);
    }
    const settings = settingsFor(d.doc, { epochs, seed, learningRate });
    const backend = (a.options.get('--backend') ?? 'auto') as BackendChoice;
    if (!['auto', 'cpu', 'webgpu'].includes(backend)) throw new CliFailure(`nn: --backend must be auto, cpu or webgpu, got '${backend}'.`, 2);
    if (!d.doc.training?.data) throw new CliFailure(`nn: ${noTrainingDataMessage(d.shown, d.doc, false)}`);
    const split = await loadJobData(d, settings);
    const force = a.flags.has('--force');
    const from = await start(d, settings.seed, a.flags.has('--fresh'), force, io.cwd);
    const historyFile = a.options.get('--history');
    const history = historyFile !== undefined ? new HistoryWriter(historyFile, io.cwd, force) : undefined;
    const json = a.flags.has('--json');
    const shownWeights = path.relative(io.cwd, from.state.file) || from.state.file;
    const show = json ? (e: TrainEvent) => io.stdout(`${JSON.stringify(e)}\n`) : humanPrinter(io);
    const started = new Date().toISOString();
    const t0 = performance.now();
    const seen: EpochRecord[] = [];
    let ranOn: string = backend;
    const print = (e: TrainEvent): void => {
      if (e.type === 'start') ranOn = e.backend;
      if (e.type === 'epoch') seen.push(e);
      if (e.type === 'start' && from.from === 'saved') e.notices.push(`continuing from ${shownWeights} (nn train --fresh starts over)`);
      if (e.type === 'epoch') history?.add(e);
      show(e);
    };
    const ac = new AbortController();
    const onSigint = (): void => ac.abort();
    process.once('SIGINT', onSigint);
    let weightsFile: string;
    let result: TrainResult | undefined;
    const record = (error?: string): void => {
      if (a.flags.has('--no-runs')) return;
      const run: CliRun = { designFile: d.file, started, overrides: { epochs, learningRate, seed, ...(backend !== 'auto' ? { backend } : {}) }, seed: settings.seed, backend: ranOn, epochs: seen, result, elapsedMs: performance.now() - t0, error };
      const { warning } = appendCliRun(run);
      if (warning) io.stderr(`${warning}\n`);
    };
    try {
      ({ weightsFile, result } = await runTrainingJob(d, from, split, settings, { backend, onEvent: print, signal: ac.signal }));
    } catch (e) {
      record(e instanceof Error ? e.message : String(e));
      throw e;
    } finally {
      process.removeListener('SIGINT', onSigint);
      history?.close();
    }
    record();
    const shown = path.relative(io.cwd, weightsFile) || weightsFile;
    if (json) io.stdout(`${JSON.stringify({ type: 'saved', weights: shown, ...(historyFile !== undefined ? { history: historyFile } : {}) })}\n`);
    else io.stdout(`weights saved to ${shown}${historyFile !== undefined ? `; history in ${historyFile}` : ''}\n`);
    return 0;
  }),
};
