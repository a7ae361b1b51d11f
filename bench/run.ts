/**
 * `npm run bench`: runs every bench/*.bench.ts (default export `run(opts)`, returning nothing or
 * BenchResult[]), then the peers on the four workloads of issue 4, and prints one table of
 * samples/s with the ratio ours/theirs and the issue's targets.
 *
 *   npm run bench -- [--workload tiny,wide] [--budget 3000] [--no-peers] [--no-ours] [--json FILE]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHandLoop } from './peers/handLoop';
import { benchPytorch, pytorchUnavailable } from './peers/pytorch';
import { benchTfjs } from './peers/tfjs';
import { fmt, formatTable, judgeTargets, type Row } from './report';
import { makeWorkloadData, timeBoxSync, WORKLOADS, type BenchOptions, type BenchResult } from './workloads';

interface Args extends BenchOptions {
  peers: boolean;
  ours: boolean;
  json?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { workloads: WORKLOADS, budgetMs: 3000, peers: true, ours: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--workload') {
      const names = (argv[++i] ?? '').split(',');
      const unknown = names.filter((n) => !WORKLOADS.some((w) => w.name === n));
      if (unknown.length) throw new Error(`unknown workload ${unknown.join(', ')}; the workloads are ${WORKLOADS.map((w) => w.name).join(', ')}`);
      args.workloads = WORKLOADS.filter((w) => names.includes(w.name));
    } else if (a === '--budget') args.budgetMs = Number(argv[++i]);
    else if (a === '--no-peers') args.peers = false;
    else if (a === '--no-ours') args.ours = false;
    else if (a === '--json') args.json = argv[++i];
    else throw new Error(`unknown option ${a}; use --workload NAMES, --budget MS, --no-peers, --no-ours, --json FILE`);
  }
  if (!(args.budgetMs > 0)) throw new Error('--budget needs a number of milliseconds > 0');
  return args;
}

function isResult(r: unknown): r is BenchResult {
  const o = r as BenchResult;
  return typeof o === 'object' && o !== null && typeof o.workload === 'string' && typeof o.impl === 'string' && typeof o.samplesPerSec === 'number';
}

/** Runs every bench/*.bench.ts in name order; their BenchResults join the table. */
async function runBenchFiles(opts: BenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).sort();
  for (const f of files) {
    console.log(`\n── ${f} ──`);
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
  }
  return rows;
}

/** Runs the peers a user would otherwise pick, on each workload. */
async function runPeers(opts: BenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const noTorch = pytorchUnavailable();
  for (const w of opts.workloads) {
    const data = makeWorkloadData(w);
    const add = (impl: string, r: number | string) => {
      const row: Row = typeof r === 'number' ? { workload: w.name, impl, samplesPerSec: r } : { workload: w.name, impl, note: r };
      rows.push(row);
      console.log(`  ${w.name.padEnd(11)} ${impl.padEnd(12)} ${row.samplesPerSec !== undefined ? fmt(row.samplesPerSec) : row.note}`);
    };
    if (w.name === 'tiny' || w.name === 'playground') {
      const h = createHandLoop(w, data);
      add('hand-js', timeBoxSync(h.batches, (b) => (h.step(b), w.batch), opts.budgetMs));
    }
    for (const backend of ['cpu', 'wasm'] as const) add(`tfjs-${backend}`, await benchTfjs(backend, w, data, opts.budgetMs));
    add('pytorch-cpu', noTorch ? `PyTorch: ${noTorch}` : benchPytorch(w, data, opts.budgetMs));
  }
  return rows;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const cpu = os.cpus();
  const load = os.loadavg()[0];
  console.log(`Neural Canvas bench — ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, Node ${process.version}, ${args.budgetMs} ms per figure`);
  if (load > cpu.length * 0.5) console.log(`note: load average ${load.toFixed(1)} on ${cpu.length} cores; other work is competing, figures will be low and noisy.`);
  const rows: Row[] = [];
  if (args.ours) rows.push(...(await runBenchFiles(args)));
  if (args.peers) {
    console.log('\n── peers ──');
    rows.push(...(await runPeers(args)));
  }
  console.log('');
  console.log(formatTable(rows, args.workloads));
  console.log('\nTargets (issue 4):');
  for (const t of judgeTargets(rows, args.workloads)) console.log(`  ${t.workload.padEnd(11)} ${t.target.padEnd(36)} ${t.verdict}${t.ratio !== undefined ? ` (${t.ratio.toFixed(2)}×)` : ''}`);
  console.log(`\npeak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (all benches and TF.js together); total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(rows, null, 2));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
