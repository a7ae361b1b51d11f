/**
 * `nn predict FILE --csv ROWS.csv`: one line per row in order, a header row optional, the same
 * numbers (and standardisation) as the single-row predict, bad rows named by file:line with
 * nothing predicted, and many rows in one process (the built CLI, dist/cli.js: `npm run build`).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/runCli';

const root = path.resolve(__dirname, '../../..');
const examples = path.join(root, 'examples');
const cli = path.join(root, 'dist/cli.js');

async function nn(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runCli(argv, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false, cwd });
  return { code, out, err };
}

/** Runs `node dist/cli.js …` as a user would, killed after `timeoutMs`. */
function nnProcess(cwd: string, args: string[], timeoutMs = 30_000): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out, err, ms: Date.now() - t0 }); });
  });
}

/** The single-row predict's output value for the interview network (y, one value). */
async function single(dir: string, file: string, row: string): Promise<number> {
  const r = await nn(dir, 'predict', file, '--input', row, '--json');
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out).outputs.y[0];
}

describe('nn predict --csv', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-predict-csv-'));
    fs.copyFileSync(path.join(examples, 'interview.nn'), path.join(dir, 'interview.nn'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints one line per row, in order, with or without a header, as the single-row predict does', async () => {
    fs.writeFileSync(path.join(dir, 'plain.csv'), '2.3,10.2\n3.8,1.2\n\n3.27, 1.93\n');
    fs.writeFileSync(path.join(dir, 'header.csv'), 'GPA,Experience\r\n2.3,10.2\r\n3.8,1.2\r\n3.27,1.93\r\n');
    const plain = await nn(dir, 'predict', 'interview.nn', '--csv', 'plain.csv');
    assert.equal(plain.code, 0, plain.err);
    const lines = plain.out.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[0], 'y: 0.2257', 'the lecture\'s 0.226 for (2.3, 10.2)');
    assert.match(plain.err, /3 rows of plain\.csv/);
    const header = await nn(dir, 'predict', 'interview.nn', '--csv', 'header.csv');
    assert.equal(header.code, 0, header.err);
    assert.equal(header.out, plain.out);
    assert.match(header.err, /header row skipped/);
    const expected = [await single(dir, 'interview.nn', '2.3,10.2'), await single(dir, 'interview.nn', '3.8,1.2'), await single(dir, 'interview.nn', '3.27,1.93')];
    const json = await nn(dir, 'predict', 'interview.nn', '--csv', 'header.csv', '--json');
    assert.equal(json.code, 0, json.err);
    const objs = json.out.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(objs.map((o) => o.line), [2, 3, 4], 'each object names its line of the file');
    objs.forEach((o, i) => assert.ok(Math.abs(o.outputs.y[0] - expected[i]) < 1e-6, `row ${i}: ${o.outputs.y[0]} vs ${expected[i]}`));
  });

  it('names every bad row as file:line and predicts nothing', async () => {
    fs.writeFileSync(path.join(dir, 'bad.csv'), 'GPA,Experience\n2.3,10.2\n3.8\n3.1,abc\n3.2,\n1,2,3\n3.5,2\n');
    const r = await nn(dir, 'predict', 'interview.nn', '--csv', 'bad.csv');
    assert.equal(r.code, 1);
    assert.equal(r.out, '', 'no partial output that would misalign rows');
    assert.match(r.err, /^bad\.csv:3: the row has 1 value; the network takes 2 \(x: 2\)\.$/m);
    assert.match(r.err, /^bad\.csv:4: column 2 \('Experience'\) is 'abc', not a number\.$/m);
    assert.match(r.err, /^bad\.csv:5: column 2 \('Experience'\) is empty, not a number\.$/m);
    assert.match(r.err, /^bad\.csv:6: the row has 3 values; the network takes 2/m);
    assert.match(r.err, /nn: bad\.csv: 4 bad rows; nothing was predicted\. Fix them and run again\./);
    // A first row holding a number is data, not a header, and is checked like any row.
    fs.writeFileSync(path.join(dir, 'first.csv'), '2.3,oops\n2.3,10.2\n');
    assert.match((await nn(dir, 'predict', 'interview.nn', '--csv', 'first.csv')).err, /^first\.csv:1: column 2 is 'oops', not a number\.$/m);
    fs.writeFileSync(path.join(dir, 'wide.csv'), 'a,b,c\n1,2,3\n');
    assert.match((await nn(dir, 'predict', 'interview.nn', '--csv', 'wide.csv')).err, /^wide\.csv:1: the header has 3 columns; the network takes 2 input values \(x: 2\)/m);
    fs.writeFileSync(path.join(dir, 'empty.csv'), 'GPA,Experience\n');
    assert.match((await nn(dir, 'predict', 'interview.nn', '--csv', 'empty.csv')).err, /empty\.csv has no data rows/);
    assert.match((await nn(dir, 'predict', 'interview.nn', '--csv', 'missing.csv')).err, /cannot read missing\.csv: no such file/);
    const both = await nn(dir, 'predict', 'interview.nn', '--csv', 'empty.csv', '--input', '1,2');
    assert.equal(both.code, 2);
  });

  it('standardises every row as training did, like the single-row predict', async function () {
    this.timeout(60_000);
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    fs.copyFileSync(path.join(examples, 'data/regularization.csv'), path.join(dir, 'data/regularization.csv'));
    fs.copyFileSync(path.join(examples, 'regularization.nn'), path.join(dir, 'regularization.nn'));
    const t = await nn(dir, 'train', 'regularization.nn', '--backend', 'cpu', '--epochs', '200', '--json');
    assert.equal(t.code, 0, t.err);
    const rows = ['1.053,-0.845', '-0.813,-0.079', '0,0', '1.5,2.5'];
    fs.writeFileSync(path.join(dir, 'points.csv'), `x1,x2\n${rows.join('\n')}\n`);
    const r = await nn(dir, 'predict', 'regularization.nn', '--csv', 'points.csv', '--json');
    assert.equal(r.code, 0, r.err);
    const got = r.out.trimEnd().split('\n').map((l) => JSON.parse(l).outputs.y[0]);
    for (let i = 0; i < rows.length; i++) {
      const want = await single(dir, 'regularization.nn', rows[i]);
      assert.ok(Math.abs(got[i] - want) < 1e-6, `${rows[i]}: ${got[i]} vs ${want}`);
    }
  });

  it('predicts 20,000 rows in one process, in order', async function () {
    this.timeout(60_000);
    if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build first');
    const n = 20_000;
    const lines = ['GPA,Experience'];
    for (let i = 0; i < n; i++) lines.push(`${(2 + (i % 200) / 100).toFixed(2)},${((i * 7) % 1000 / 100).toFixed(2)}`);
    fs.writeFileSync(path.join(dir, 'many.csv'), `${lines.join('\n')}\n`);
    const r = await nnProcess(dir, ['predict', 'interview.nn', '--csv', 'many.csv', '--json']);
    assert.equal(r.code, 0, r.err);
    const out = r.out.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, n);
    assert.equal(out[0].line, 2);
    assert.equal(out[n - 1].line, n + 1);
    for (const i of [0, 1234, n - 1]) {
      assert.ok(Math.abs(out[i].outputs.y[0] - await single(dir, 'interview.nn', lines[i + 1])) < 1e-6, `row ${i}`);
    }
    assert.ok(r.ms < 20_000, `${n} rows took ${r.ms} ms`);
  });
});
