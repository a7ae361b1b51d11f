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
import { makeWorkloadData, timeBoxSync, WORKLOADS, type BenchOptions, type BenchResult, type Workload } from './workloads';

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

/** A row of the table: a figure, or why there is none. */
type Row = { workload: string; impl: string; samplesPerSec?: number; note?: string };

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

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3);
}

/** Our best figure on a workload (over our backends), with its impl name. */
function bestOurs(rows: Row[], workload: string): Row | undefined {
  return rows.filter((r) => r.workload === workload && r.impl.startsWith('ours') && r.samplesPerSec !== undefined)
    .sort((a, b) => b.samplesPerSec! - a.samplesPerSec!)[0];
}

function printTable(rows: Row[], workloads: readonly Workload[]): void {
  const lines: string[][] = [['workload', 'impl', 'samples/s', 'ours/theirs']];
  for (const w of workloads) {
    const ours = bestOurs(rows, w.name);
    for (const r of rows.filter((x) => x.workload === w.name)) {
      const isOurs = r.impl.startsWith('ours');
      const ratio = !isOurs && ours && r.samplesPerSec ? `${(ours.samplesPerSec! / r.samplesPerSec).toFixed(2)}× (${ours.impl})` : '';
      lines.push([w.name, r.impl, r.samplesPerSec !== undefined ? fmt(r.samplesPerSec) : (r.note ?? '—'), ratio]);
    }
  }
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  const out = lines.map((l) => l.map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
  out.splice(1, 0, widths.map((n) => '─'.repeat(n)).join('  '));
  console.log(out.join('\n'));
}

/** The issue's speed targets, each judged on this run's figures (or "no figure"). */
function printTargets(rows: Row[], workloads: readonly Workload[]): void {
  const get = (w: string, impl: string) => rows.find((r) => r.workload === w && r.impl === impl)?.samplesPerSec;
  const targets: [string, string, string, number][] = [
    ['tiny', 'pytorch-cpu', '≥ 10× PyTorch', 10],
    ['tiny', 'hand-js', 'within 30% of the hand-written loop', 0.7],
    ['playground', 'pytorch-cpu', '≥ 5× PyTorch', 5],
    ['mnist-like', 'tfjs-wasm', '≥ 2× TF.js-wasm', 2],
    ['wide', 'tfjs-wasm', '≥ 2× TF.js-wasm', 2],
  ];
  console.log('\nTargets (issue 4):');
  for (const [w, peer, text, factor] of targets.filter((t) => workloads.some((x) => x.name === t[0]))) {
    const ours = bestOurs(rows, w);
    const theirs = get(w, peer);
    const verdict = !ours ? 'no figure of ours' : !theirs ? `no ${peer} figure` : ours.samplesPerSec! / theirs >= factor ? 'MET' : 'NOT MET';
    const ratio = ours && theirs ? ` (${(ours.samplesPerSec! / theirs).toFixed(2)}×)` : '';
    console.log(`  ${w.padEnd(11)} ${text.padEnd(36)} ${verdict}${ratio}`);
  }
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
  printTable(rows, args.workloads);
  printTargets(rows, args.workloads);
  console.log(`\npeak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (all benches and TF.js together); total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(rows, null, 2));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
