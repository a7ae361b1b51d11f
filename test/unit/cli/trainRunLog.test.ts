/**
 * `nn train` adds its run to the design's run history (name.runs.jsonl beside it), as the editor
 * does: each run one more line, earlier lines byte for byte, the CLI's overrides written into the
 * settings as used; --no-runs leaves the file alone.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/runCli';
import { parseRunLog } from '../../../src/model';

const examples = path.resolve(__dirname, '../../../examples');

async function nn(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runCli(argv, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false, cwd });
  return { code, out, err };
}

describe('nn train: the run history (name.runs.jsonl)', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-train-runs-'));
    fs.copyFileSync(path.join(examples, 'xor-relu.nn'), path.join(dir, 'xor-relu.nn'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('appends one line per run, keeping a hand-written line cut short as it is', async () => {
    const log = path.join(dir, 'xor-relu.runs.jsonl');
    assert.equal((await nn(dir, 'train', 'xor-relu.nn', '--epochs', '6', '--backend', 'cpu')).code, 0);
    const one = fs.readFileSync(log, 'utf8');
    fs.appendFileSync(log, '{"format":"nn-run/1","sta');
    const r = await nn(dir, 'train', 'xor-relu.nn', '--epochs', '4', '--lr', '0.02', '--seed', '7', '--backend', 'cpu');
    assert.equal(r.code, 0, r.err);
    const text = fs.readFileSync(log, 'utf8');
    assert.ok(text.startsWith(`${one}{"format":"nn-run/1","sta\n`), 'earlier bytes kept; the new run on a line of its own');
    const parsed = parseRunLog(text, 'xor-relu.runs.jsonl');
    assert.deepEqual(parsed.warnings.map((w) => w.slice(0, 40)), ['xor-relu.runs.jsonl:2: skipped: the line']);
    const [first, second] = parsed.runs;
    assert.equal(first.source, 'cli');
    assert.equal(first.ended, 'finished');
    assert.equal(first.backend, 'cpu');
    assert.deepEqual(first.curves.epoch, [1, 2, 3, 4, 5, 6]);
    assert.equal(first.training.epochs, 6);
    assert.equal(second.line, 3);
    assert.equal(second.training.epochs, 4);
    assert.equal(second.training.seed, 7);
    assert.equal(second.seed, 7);
    assert.equal((second.training.optimizer as Record<string, unknown>).learningRate, 0.02);
    assert.deepEqual(second.overrides, { epochs: 4, learningRate: 0.02, seed: 7, backend: 'cpu' });
  });

  it('--no-runs writes no run history', async () => {
    assert.equal((await nn(dir, 'train', 'xor-relu.nn', '--epochs', '2', '--backend', 'cpu', '--no-runs')).code, 0);
    assert.equal(fs.existsSync(path.join(dir, 'xor-relu.runs.jsonl')), false);
  });
});
