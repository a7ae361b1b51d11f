/**
 * `nn` reads only regular design files within a size limit, and says so before reading: a named
 * pipe, /dev/zero and a folder are refused at once, and so is a file above the limit
 * (NN_MAX_FILE_MB raises it). Spawns the built CLI (dist/cli.js; `npm run build` first) with a
 * timeout, so a hang fails the test instead of hanging the suite.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist/cli.js');

/** Runs `node dist/cli.js …`; kills it after `timeoutMs` and reports that as a hang. */
function nn(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ code: number | null; out: string; err: string; ms: number; hung: boolean }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [cli, ...args], { cwd: options.cwd ?? root, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let hung = false;
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const timer = setTimeout(() => { hung = true; child.kill('SIGKILL'); }, options.timeoutMs ?? 8000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out, err, ms: Date.now() - t0, hung }); });
  });
}

describe('nn: what it refuses to read', function () {
  this.timeout(30000);
  let dir: string;
  const interview = fs.readFileSync(path.join(root, 'examples/interview.nn'), 'utf8');

  before(function () {
    if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-limits-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a named pipe (FIFO) at once, naming it, for check and for train', async function () {
    if (process.platform === 'win32') this.skip();
    const fifo = path.join(dir, 'pipe.nn');
    execFileSync('mkfifo', [fifo]);
    const check = await nn(['check', fifo]);
    assert.ok(!check.hung, `nn check of a FIFO hung (${check.ms} ms)`);
    assert.equal(check.code, 1);
    assert.match(check.out, /pipe\.nn: error: cannot read .*pipe\.nn: it is a named pipe \(FIFO\), not a regular file; give a \.nn file \[unreadable\]/);
    const train = await nn(['train', fifo]);
    assert.ok(!train.hung, 'nn train of a FIFO hung');
    assert.equal(train.code, 1);
    assert.match(train.err, /nn: cannot read .*pipe\.nn: it is a named pipe \(FIFO\)/);
  });

  it('refuses /dev/zero without reading it', async function () {
    if (!fs.existsSync('/dev/zero')) this.skip();
    const r = await nn(['check', '/dev/zero']);
    assert.ok(!r.hung, `nn check /dev/zero did not return (${r.ms} ms)`);
    assert.equal(r.code, 1);
    assert.match(r.out, /\/dev\/zero: error: cannot read \/dev\/zero: it is a character device, not a regular file/);
    const s = await nn(['summary', '/dev/zero']);
    assert.ok(!s.hung && s.code === 1, 'nn summary /dev/zero returns with an error');
    const p = await nn(['predict', '/dev/zero', '--input', '1,2']);
    assert.ok(!p.hung && p.code === 1, 'nn predict /dev/zero returns with an error');
    assert.match(p.err, /character device/);
  });

  it('refuses a folder with a clear message', async () => {
    const r = await nn(['check', dir]);
    assert.ok(!r.hung);
    assert.equal(r.code, 1);
    assert.match(r.out, /is a folder; give a \.nn file \[unreadable\]/);
    const t = await nn(['export', dir, '--format', 'onnx']);
    assert.ok(!t.hung && t.code === 1);
    assert.match(t.err, /is a folder; give a \.nn file/);
  });

  it('refuses a file above the size limit before reading it; NN_MAX_FILE_MB raises the limit', async () => {
    const big = path.join(dir, 'big.nn');
    // A valid design padded with whitespace to just over 2 MB.
    fs.writeFileSync(big, interview + ' '.repeat(2 * 1024 * 1024));
    const refused = await nn(['check', 'big.nn'], { cwd: dir, env: { NN_MAX_FILE_MB: '1' } });
    assert.equal(refused.code, 1);
    assert.match(refused.out, /big\.nn: error: big\.nn is 2\.0 MB, above the 1\.0 MB limit for a design; set NN_MAX_FILE_MB to a larger number of megabytes/);
    const raised = await nn(['check', 'big.nn'], { cwd: dir, env: { NN_MAX_FILE_MB: '3' } });
    assert.equal(raised.code, 0, raised.out + raised.err);
    const bad = await nn(['check', 'big.nn'], { cwd: dir, env: { NN_MAX_FILE_MB: 'lots' } });
    assert.equal(bad.code, 0, 'an unreadable NN_MAX_FILE_MB falls back to the default (10 MB)');
  });

  it('documents the limit in nn --help and nn help check', async () => {
    const help = await nn(['--help']);
    assert.match(help.out, /regular files of at most 10 MB; set NN_MAX_FILE_MB=<megabytes> to raise the limit/);
    const check = await nn(['help', 'check']);
    assert.match(check.out, /NN_MAX_FILE_MB/);
  });
});
