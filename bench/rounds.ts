/**
 * The interleaved rounds of `npm run bench`: on each workload, ours through `train()` and each
 * peer, at each thread count, take turns (A/B/A/B…) for several rounds, each in its own
 * long-lived process started once; the rows carry every round's figure, their median, and the
 * losses each reported for the agreement line.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { Contender, type RoundAnswer } from './contender';
import { pytorchUnavailable, startPytorch } from './peers/pytorch';
import { fmt, lossAgreement, type Row } from './report';
import { writeSharedInputs } from './sharedInputs';
import { interleave, median } from './stats';
import type { Workload } from './workloads';

/** What the rounds need to know. */
export interface RoundsOptions {
  workloads: readonly Workload[];
  budgetMs: number;
  rounds: number;
  /** Thread counts ours and the peers run at (1 and 2 by default). */
  threads: number[];
  peers: boolean;
  /** Whether to measure ours (false: the peers only, for a look at them). */
  ours: boolean;
  /** Where each figure is reported as it comes (console.log by default). */
  log?: (line: string) => void;
  /**
   * The GPU row (bench/gpuRow.ts): on wide and mnist-like, ours through train() on WebGPU against
   * PyTorch on CUDA, interleaved like the rest. Undefined: not measured.
   */
  gpu?: boolean;
  /** The workloads the GPU row runs on (GPU_WORKLOADS by default). */
  gpuWorkloads?: readonly string[];
}

/** The workloads the GPU row runs on (large enough for a GPU to matter). */
export const GPU_WORKLOADS: readonly string[] = ['wide', 'mnist-like'];

/** What the rounds measured. */
export interface RoundsResult {
  rows: Row[];
  /** One loss agreement line per workload (ours vs PyTorch at 1 thread). */
  agreement: string[];
  /** The 1-minute load average before each figure. */
  load: number[];
}

/** A contender of a workload's schedule: which process, asked for which impl, under which row name. */
interface Entry {
  impl: string;
  process: Contender;
  request: string;
}

/**
 * Our train() worker bundled into one file by esbuild, as `nn train` (dist/cli.js) and the VS Code
 * trainer (dist/trainer.js) are: what users run. Under tsx every module is compiled on its own
 * and each call across modules goes through an export getter, which slowed a tiny network's
 * step by ~15% (the hand-written loop, one function, barely changes).
 */
function bundledWorker(): string {
  const out = path.join(__dirname, '..', 'dist', 'bench', 'trainWorker.js');
  esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'trainWorker.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    // As scripts/build.mjs: native packages stay outside; jsonc-parser's ESM build bundles cleanly.
    external: ['vscode', 'webgpu'], mainFields: ['module', 'main'], logLevel: 'warning',
  });
  return out;
}

/** Starts our train() worker with NN_THREADS pinned. */
function startOurs(threads: number, worker: string): Contender {
  return Contender.start(`ours-train-${threads}t`, process.execPath, [worker], { NN_THREADS: String(threads) });
}

/** Runs the rounds on every selected workload. */
export async function runRounds(opts: RoundsOptions): Promise<RoundsResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-bench-'));
  const noTorch = opts.peers ? pytorchUnavailable() : 'not asked for (--no-peers)';
  const worker = bundledWorker();
  const ours = new Map(opts.threads.map((t) => [t, startOurs(t, worker)]));
  const torch = new Map(noTorch ? [] : opts.threads.map((t) => [t, startPytorch(t)]));
  const cuda = opts.gpu && opts.peers ? startPytorch(1, 'cuda') : undefined;
  const rows: Row[] = [];
  const agreement: string[] = [];
  const load: number[] = [];
  try {
    for (const w of opts.workloads) {
      const { files } = writeSharedInputs(w, dir);
      const entries: Entry[] = [];
      for (const t of opts.threads) {
        if (opts.ours) entries.push({ impl: `ours-train-${t}t`, process: ours.get(t)!, request: 'train' });
        if (t === 1 && opts.peers && (w.name === 'tiny' || w.name === 'playground')) entries.push({ impl: 'hand-js', process: ours.get(t)!, request: 'hand' });
        const peer = torch.get(t);
        if (peer) entries.push({ impl: `pytorch-${t}t`, process: peer, request: 'torch' });
      }
      if (opts.gpu && (opts.gpuWorkloads ?? GPU_WORKLOADS).includes(w.name)) {
        if (opts.ours) entries.push({ impl: 'ours-webgpu-train', process: ours.get(opts.threads[0])!, request: 'train-webgpu' });
        if (cuda) entries.push({ impl: 'pytorch-cuda', process: cuda, request: 'torch' });
      }
      const answers = new Map<string, RoundAnswer[]>(entries.map((e) => [e.impl, []]));
      for (const { round, contender: e } of interleave(entries, opts.rounds)) {
        load.push(os.loadavg()[0]);
        const a = await e.process.ask({ impl: e.request, workload: w, ...files, budgetMs: opts.budgetMs });
        answers.get(e.impl)![round] = a;
        const threadNote = a.threads !== undefined ? `, ${a.threads} thread(s)` : '';
        (opts.log ?? console.log)(`  ${w.name.padEnd(11)} round ${round + 1}/${opts.rounds}  ${e.impl.padEnd(14)} ${a.error ? `no figure: ${a.error}` : `${fmt(a.samplesPerSec)} samples/s${threadNote}`}`);
      }
      for (const e of entries) {
        const list = answers.get(e.impl)!;
        const figs = list.map((a) => (a && !a.error && Number.isFinite(a.samplesPerSec) ? a.samplesPerSec : undefined));
        const good = figs.filter((v): v is number => v !== undefined);
        rows.push(good.length ? { workload: w.name, impl: e.impl, samplesPerSec: median(good), rounds: figs } : { workload: w.name, impl: e.impl, note: list.find((a) => a?.error)?.error ?? 'no figure' });
      }
      if (noTorch) {
        rows.push({ workload: w.name, impl: 'pytorch', note: `PyTorch: ${noTorch}` });
        agreement.push(lossAgreement(w, answers.get('ours-train-1t')?.[0]?.losses, undefined));
      } else {
        agreement.push(lossAgreement(w, answers.get('ours-train-1t')?.[0]?.losses, answers.get('pytorch-1t')?.[0]?.losses));
      }
      if (answers.has('ours-webgpu-train')) {
        agreement.push(`${lossAgreement(w, answers.get('ours-webgpu-train')?.[0]?.losses, answers.get('pytorch-cuda')?.[0]?.losses, 'PyTorch CUDA')} (WebGPU)`);
      }
    }
  } finally {
    for (const c of [...ours.values(), ...torch.values(), ...(cuda ? [cuda] : [])]) c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { rows, agreement, load };
}
