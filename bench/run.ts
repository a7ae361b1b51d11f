/**
 * `npm run bench`: runs every bench/*.bench.ts (default export `run(opts)`, returning nothing or
 * BenchResult[]), then the interleaved rounds on the workloads — ours through `train()` (the
 * headline) against PyTorch pinned to the same thread count (1 and 2) and the hand-written loop,
 * from the same initial weights (bench/rounds.ts) — then TF.js once, and prints one table of
 * samples/s (median and spread over the rounds) with the ratio ours/theirs, every target of
 * issues 15 and 12 judged, the loss agreement and the load during the run.
 *
 *   npm run bench -- [--workload tiny,wide] [--budget 2000] [--rounds 3] [--threads 1,2]
 *                    [--no-peers] [--no-ours] [--json FILE]
 *   NN_BENCH_ROUNDS=5 (rounds), NN_BENCH_QUICK=1 (a quick look at training speed: 2 rounds,
 *   800 ms per figure, and of the bench files only engine.bench.ts)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeCeiling, twoCoreCeiling } from './coreCeiling';
import { gpuRowUnavailable } from './gpuRow';
import { benchTfjs } from './peers/tfjs';
import { fmt, formatTable, formatVerdict, judgeTargets, loadLine, type Row } from './report';
import { runRounds } from './rounds';
import { quickMode, roundsFrom } from './stats';
import { makeWorkloadData, WORKLOADS, type BenchOptions, type BenchResult } from './workloads';
import { describeThreads } from '../src/engine/cpu/simdPool';

interface Args extends BenchOptions {
  peers: boolean;
  ours: boolean;
  rounds: number;
  threads: number[];
  json?: string;
}

function parseArgs(argv: string[]): Args {
  const quick = quickMode(process.env);
  const args: Args = { workloads: WORKLOADS, budgetMs: quick ? 800 : 2000, peers: true, ours: true, rounds: roundsFrom(process.env), threads: [1, 2] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--workload') {
      const names = (argv[++i] ?? '').split(',');
      const unknown = names.filter((n) => !WORKLOADS.some((w) => w.name === n));
      if (unknown.length) throw new Error(`unknown workload ${unknown.join(', ')}; the workloads are ${WORKLOADS.map((w) => w.name).join(', ')}`);
      args.workloads = WORKLOADS.filter((w) => names.includes(w.name));
    } else if (a === '--budget') args.budgetMs = Number(argv[++i]);
    else if (a === '--rounds') args.rounds = roundsFrom({ NN_BENCH_ROUNDS: argv[++i] ?? '' });
    else if (a === '--threads') {
      args.threads = (argv[++i] ?? '').split(',').map(Number);
      if (!args.threads.length || args.threads.some((t) => t !== 1 && t !== 2)) throw new Error('--threads takes 1, 2 or 1,2 (the engine runs on one thread or with one helper thread)');
    } else if (a === '--no-peers') args.peers = false;
    else if (a === '--no-ours') args.ours = false;
    else if (a === '--json') args.json = argv[++i];
    else throw new Error(`unknown option ${a}; use --workload NAMES, --budget MS, --rounds N, --threads 1,2, --no-peers, --no-ours, --json FILE`);
  }
  if (!(args.budgetMs > 0)) throw new Error('--budget needs a number of milliseconds > 0');
  return args;
}

function isResult(r: unknown): r is BenchResult {
  const o = r as BenchResult;
  return typeof o === 'object' && o !== null && typeof o.workload === 'string' && typeof o.impl === 'string' && typeof o.samplesPerSec === 'number';
}

/** Runs every bench/*.bench.ts in name order (in quick mode only the engine's); their BenchResults join the table. */
async function runBenchFiles(opts: BenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const quick = quickMode(process.env);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts') && (!quick || f === 'engine.bench.ts')).sort();
  for (const f of files) {
    console.log(`\n── ${f} ──`);
    const t0 = performance.now();
    try {
      const mod = (await import(pathToFileURL(path.join(__dirname, f)).href)) as { default?: unknown };
      const run = (mod.default as { default?: unknown } | undefined)?.default ?? mod.default; // CJS interop
      if (typeof run !== 'function') {
        console.log(`  skipped: ${f} has no default export run()`);
        continue;
      }
      const out: unknown = await run(opts);
      if (Array.isArray(out)) {
        for (const r of out) if (isResult(r)) rows.push(r);
        else console.log(`  ignored a result that is not { workload, impl, samplesPerSec }: ${JSON.stringify(r)}`);
      }
    } catch (e) {
      console.log(`  failed: ${(e as Error).stack ?? e}`);
    }
    console.log(`  (${f}: ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  return rows;
}

/** TF.js (cpu, wasm) on each workload, once each: a figure for comparison (and on cnn, issue 12's target: ours ≥ 2× TF.js-wasm). */
async function runTfjs(opts: BenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const w of opts.workloads) {
    const data = makeWorkloadData(w);
    for (const backend of ['cpu', 'wasm'] as const) {
      if (backend === 'cpu' && w.image) {
        // Measured once: 0.49 samples/s on cnn (a 64-image step takes minutes on a loaded machine).
        rows.push({ workload: w.name, impl: 'tfjs-cpu', note: 'not measured on image workloads: its convolution kernels are plain JavaScript, under 1 sample/s, minutes a figure (the target is against wasm)' });
        continue;
      }
      const r = await benchTfjs(backend, w, data, opts.budgetMs);
      const row: Row = typeof r === 'number' ? { workload: w.name, impl: `tfjs-${backend}`, samplesPerSec: r } : { workload: w.name, impl: `tfjs-${backend}`, note: r };
      rows.push(row);
      console.log(`  ${w.name.padEnd(11)} ${row.impl.padEnd(12)} ${row.samplesPerSec !== undefined ? fmt(row.samplesPerSec) : row.note}`);
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const cpu = os.cpus();
  console.log(`Neural Canvas bench — ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, Node ${process.version}, ${args.budgetMs} ms per figure, ${args.rounds} interleaved round(s), threads ${args.threads.join(' and ')}${quickMode(process.env) ? ' (quick mode)' : ''}`);
  console.log(`CPU threads by default here: ${describeThreads({})} (the 1t and 2t rows pin NN_THREADS)`);
  console.log(`load average at the start: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} (1, 5, 15 min) on ${cpu.length} cores`);
  // What two threads can get here at all (our 2t / 1t target is read against it).
  if (args.threads.includes(2)) console.log(`${describeCeiling(await twoCoreCeiling())} (bench/coreCeiling.ts)`);
  const rows: Row[] = [];
  let agreement: string[] = [];
  const load: number[] = [];
  if (args.ours) rows.push(...(await runBenchFiles(args)));
  if (args.ours || args.peers) {
    const noGpu = await gpuRowUnavailable();
    console.log(`\n── rounds: ours through train() and the peers, interleaved ──`);
    console.log(noGpu ? `  GPU row (WebGPU vs PyTorch CUDA): not measured: ${noGpu}` : '  GPU row: ours through train() on WebGPU against PyTorch on CUDA, on wide and mnist-like');
    const r = await runRounds({ workloads: args.workloads, budgetMs: args.budgetMs, rounds: args.rounds, threads: args.threads, peers: args.peers, ours: args.ours, gpu: !noGpu });
    rows.push(...r.rows);
    agreement = r.agreement;
    load.push(...r.load);
  }
  if (args.peers) {
    console.log('\n── TF.js (once per workload, not interleaved) ──');
    load.push(os.loadavg()[0]);
    rows.push(...(await runTfjs(args)));
  }
  const order = (impl: string) => ['ours-train-1t', 'ours-train-2t', 'ours-replay', 'ours-webgpu', 'ours-webgpu-train', 'hand-js', 'pytorch-1t', 'pytorch-2t', 'pytorch', 'pytorch-cuda'].indexOf(impl) >>> 0;
  rows.sort((a, b) => order(a.impl) - order(b.impl));
  console.log('');
  console.log(formatTable(rows, args.workloads));
  console.log('\nTargets (issues 15 and 12; ours through train(), at the peer\'s thread count; ratio = median of the rounds; TF.js measured once):');
  for (const t of judgeTargets(rows, args.workloads)) console.log(`  ${formatVerdict(t)}`);
  console.log('\nLoss agreement (same initial weights, same batches in order, no shuffling):');
  for (const line of agreement) console.log(`  ${line}`);
  console.log(`\n${loadLine(load, cpu.length)}`);
  if (args.threads.includes(2)) console.log(`${describeCeiling(await twoCoreCeiling())} at the end (the 2-thread rows cannot beat it)`);
  console.log(`peak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (all benches and TF.js together); total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(rows, null, 2));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
