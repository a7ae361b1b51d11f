// `npm test`: runs every suite (unit, webview, integration, e2e) one after another, streams
// their output, sums mocha's counts and ends with one line `N passed, N failed`. Exits non-zero
// when any test or suite failed.
//
// A suite whose system prerequisites are missing fails with the package and the command that
// installs it. A developer may skip a suite locally with NN_SKIP_<SUITE>=1 (a loud notice is
// printed); under CI (CI set) skipping is refused.
//
//   node scripts/runSuites.mjs [unit] [webview] [integration] [e2e]   (default: all)
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const isCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const codeServerDir = join(process.env.NN_CACHE_DIR ?? join(homedir(), '.cache', 'neural-canvas'), 'code-server-4.100.3');
const chromium = process.env.NN_CHROMIUM ?? '/usr/bin/chromium';

const needChromium = () => (existsSync(chromium) ? undefined
  : `Chromium is missing (${chromium}). Install it: sudo apt-get install -y chromium`);
const needCodeServer = () => (existsSync(join(codeServerDir, '.complete')) ? undefined
  : `code-server 4.100.3 is not installed in ${codeServerDir}. Install it: bash scripts/installCodeServer.sh`);

/** Each suite: how to run it and what it needs. */
const suites = [
  { name: 'unit', cmd: ['npx', 'mocha', '--config', 'test/unit/.mocharc.json'], env: { EGL_PLATFORM: 'surfaceless' }, needs: [] },
  { name: 'webview', cmd: ['npm', 'run', '--silent', 'test:webview'], needs: [needChromium,
    () => (pkg.scripts?.['test:webview'] ? undefined : 'package.json has no "test:webview" script (the webview suite is missing)')] },
  { name: 'integration', cmd: ['node', '--import', 'tsx', 'test/integration/runCodeServer.ts'], needs: [needChromium, needCodeServer], vsix: true },
  { name: 'e2e', cmd: ['npx', 'mocha', '--config', 'test/e2e/.mocharc.json'], needs: [needChromium, needCodeServer], vsix: true },
];

const wanted = process.argv.slice(2);
for (const w of wanted) {
  if (!suites.some((s) => s.name === w)) {
    console.error(`runSuites: unknown suite '${w}'; the suites are ${suites.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
}
const selected = wanted.length ? suites.filter((s) => wanted.includes(s.name)) : suites;

/** Sums mocha's spec-reporter summary lines ("12 passing", "1 failing", "2 pending"). */
function parseMochaCounts(output) {
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const sum = (word) => [...text.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))].reduce((a, m) => a + Number(m[1]), 0);
  return { passed: sum('passing'), failed: sum('failing'), pending: sum('pending') };
}

function runSuite(suite) {
  return new Promise((res) => {
    let output = '';
    const child = spawn(suite.cmd[0], suite.cmd.slice(1), { cwd: root, env: { ...process.env, ...(suite.env ?? {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { output += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { output += d; process.stderr.write(d); });
    child.on('close', (code) => res({ code: code ?? 1, output }));
  });
}

const results = [];
let packaged = false;
for (const suite of selected) {
  const t0 = Date.now();
  console.log(`\n━━━ ${suite.name} ━━━`);
  const skipVar = `NN_SKIP_${suite.name.toUpperCase()}`;
  if (process.env[skipVar] === '1') {
    if (isCi) {
      console.error(`${skipVar}=1 is set but CI never skips a suite: unset it.`);
      results.push({ name: suite.name, passed: 0, failed: 1, pending: 0, note: `${skipVar} refused under CI` });
      continue;
    }
    console.log(`\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n` +
      `!!  SKIPPING the ${suite.name} suite because ${skipVar}=1. Its tests did NOT run.\n` +
      `!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`);
    results.push({ name: suite.name, passed: 0, failed: 0, pending: 0, note: 'SKIPPED' });
    continue;
  }
  const missing = suite.needs.map((n) => n()).filter(Boolean);
  if (missing.length) {
    for (const m of missing) console.error(`${suite.name}: cannot run: ${m}`);
    console.error(`${suite.name}: (to skip it locally, and only locally: ${skipVar}=1)`);
    results.push({ name: suite.name, passed: 0, failed: 1, pending: 0, note: 'prerequisite missing' });
    continue;
  }
  if (suite.vsix && !packaged) {
    // Integration and e2e test the packaged .vsix, built once from the current sources.
    try {
      execFileSync(process.execPath, ['scripts/package.mjs', '--out', 'out'], { cwd: root, stdio: 'inherit' });
      packaged = true;
    } catch {
      results.push({ name: suite.name, passed: 0, failed: 1, pending: 0, note: 'packaging the .vsix failed' });
      continue;
    }
  }
  const { code, output } = await runSuite(suite);
  const counts = parseMochaCounts(output);
  // A suite that crashed before mocha's summary still counts as a failure.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  results.push({ name: suite.name, ...counts, note: `exit ${code}, ${((Date.now() - t0) / 1000).toFixed(0)} s` });
}

console.log('\n━━━ summary ━━━');
for (const r of results) console.log(`${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${String(r.pending).padStart(3)} pending  (${r.note})`);
const total = results.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed }), { passed: 0, failed: 0 });
const skipped = results.filter((r) => r.note === 'SKIPPED').map((r) => r.name);
if (skipped.length) console.log(`!! skipped suites: ${skipped.join(', ')}`);
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed > 0 ? 1 : 0);
