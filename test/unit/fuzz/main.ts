/**
 * `npm run fuzz -- --count N [--seed S] [--start I] [--out DIR]`: the unit suite's fuzz run, as
 * long as you like. Prints progress, each distinct failure with its replay command, and writes
 * every reproducer (minimal text, intents, stack) to DIR (default test-results/fuzz/).
 * Exits 1 when anything failed.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { CI_SEED, describeFailure, runFuzz } from './runFuzz';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

function wholeNumber(args: string[], name: string, fallback: number): number {
  const v = option(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got '${v}'`);
  return n;
}

function main(args: string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('Usage: npm run fuzz -- [--count N] [--seed S] [--start I] [--no-minimize] [--out DIR]\n');
    return 0;
  }
  const count = wholeNumber(args, '--count', 10_000);
  const seed = wholeNumber(args, '--seed', CI_SEED);
  const start = wholeNumber(args, '--start', 0);
  const out = resolve(option(args, '--out') ?? join('test-results', 'fuzz'));
  process.stdout.write(`fuzz: seed ${seed}, cases ${start}…${start + count - 1}\n`);
  const run = runFuzz({
    seed, count, start, minimize: !args.includes('--no-minimize'),
    progressEvery: Math.max(1000, Math.min(50_000, Math.round(count / 20))),
    onProgress: (done, r) => {
      const s = r.stats;
      process.stdout.write(`  ${done}/${count} cases, ${(r.ms / 1000).toFixed(1)} s: ${s.valid} valid designs, ${s.exports} exports, ${s.intentsApplied} intents applied, ${r.failures.length} distinct failure(s)\n`);
    },
    onFailure: (r) => {
      process.stdout.write(`FAIL ${describeFailure(r)}\n`);
      mkdirSync(out, { recursive: true });
      const base = join(out, `seed${r.seed}-case${r.index}-${r.failure.consumer}`);
      writeFileSync(`${base}.nn`, r.minimal.text);
      writeFileSync(`${base}.json`, `${JSON.stringify({ ...r, failure: { ...r.failure } }, null, 2)}\n`);
      process.stdout.write(`  saved ${base}.nn and .json\n`);
    },
  });
  const s = run.stats;
  const cpu = process.cpuUsage();
  process.stdout.write(`fuzz: ${run.count} cases in ${(run.ms / 1000).toFixed(1)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s); ${s.parsed} parsed, ${s.valid} valid, ${s.views} views, ${s.layouts} layouts, ` +
    `${s.exports} exports (${s.exportRefusals} refused with an ExportError), ${s.pythonScripts} Python scripts, ` +
    `intents: ${s.intentsApplied} applied, ${s.intentsRefused} refused by the model, ${s.intentsRejectedByHost} rejected by the host; ${s.quickFixes} quick fixes; ` +
    `${run.failures.length} distinct failure(s)${run.failures.length ? `, reproducers in ${out}` : ''}\n`);
  return run.failures.length ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`fuzz: ${(e as Error).message}\n`);
  process.exitCode = 2;
}
