import { strict as assert } from 'assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../../../src/cli/runCli';
import type { CliIo } from '../../../src/cli/cliIo';

const root = join(__dirname, '../../..');

/** Runs `nn …` in-process with captured output. */
async function nn(args: string[], cwd = root): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false, cwd };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('nn check / nn summary', () => {
  let dir: string;
  const interview = readFileSync(join(root, 'examples/interview.nn'), 'utf8');

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nn-check-'));
    writeFileSync(join(dir, 'cycle.nn'), interview.replace('"edges": [', '"edges": [\n    { "from": "y", "to": "hidden" },'));
    writeFileSync(join(dir, 'weights.nn'), interview.replace('[[0.5, 0.1], [-0.1, 0.3], [0.2, -0.1]]', '[[0.5, 0.1, 0.7], [-0.1, 0.3], [0.2, -0.1]]'));
    writeFileSync(join(dir, 'truncated.nn'), interview.slice(0, interview.indexOf('"edges"')));
    writeFileSync(join(dir, 'warn.nn'), interview.replace('"activation": "relu"', '"activation": "linear"'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('check passes the examples with exit 0', async () => {
    const r = await nn(['check', 'examples/interview.nn', 'examples/spiral.nn']);
    assert.equal(r.code, 0);
    assert.equal(r.out, '');
    assert.match(r.err, /2 files checked, no errors/);
  });

  it('check exits 1 on a cycle, with file:line:col naming the cycle', async () => {
    const r = await nn(['check', 'cycle.nn'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /^cycle\.nn:13:5: error: the edges form a cycle 'hidden' → 'y' → 'hidden'.* \[cycle\]$/m);
  });

  it('check exits 1 on a weight-shape mismatch, pointing at the row', async () => {
    const r = await nn(['check', 'weights.nn'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.out.trim(), "weights.nn:8:19: error: dense 'hidden' expects weights of 3 rows × 2 columns (units × inputs) but row 1 has 3 values [weight-shape]");
  });

  it('check exits 1 on a truncated file with a syntax error at line:col', async () => {
    const r = await nn(['check', 'truncated.nn'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /^truncated\.nn:\d+:\d+: error: JSON syntax: .* \[syntax\]$/m);
  });

  it('check exits 0 on warnings only, and 1 for a missing file, checking every file given', async () => {
    const w = await nn(['check', 'warn.nn'], dir);
    assert.equal(w.code, 0);
    assert.match(w.out, /warning: .* \[linear-collapse\]/);
    const m = await nn(['check', 'warn.nn', 'nope.nn'], dir);
    assert.equal(m.code, 1);
    assert.match(m.out, /^nope\.nn: error: cannot read nope\.nn: no such file \(check the path\) \[unreadable\]$/m);
    assert.match(m.out, /\[linear-collapse\]/);
    assert.match(m.err, /^nn check: 2 files checked, 1 error, 1 warning$/m);
  });

  it('check --json reports 1-based positions per file', async () => {
    const r = await nn(['check', '--json', 'weights.nn', 'warn.nn'], dir);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.out);
    assert.equal(report.length, 2);
    assert.equal(report[0].errors, 1);
    assert.deepEqual(
      { line: report[0].diagnostics[0].line, column: report[0].diagnostics[0].column, code: report[0].diagnostics[0].code, nodeId: report[0].diagnostics[0].nodeId },
      { line: 8, column: 19, code: 'weight-shape', nodeId: 'hidden' },
    );
    assert.equal(report[1].warnings, 1);
  });

  it('check without files or with an unknown option is a usage error', async () => {
    assert.equal((await nn(['check'])).code, 2);
    assert.equal((await nn(['check', '--fast', 'a.nn'])).code, 2);
  });

  it('summary of the interview network ends with Total params: 13', async () => {
    const r = await nn(['summary', 'examples/interview.nn']);
    assert.equal(r.code, 0);
    const lines = r.out.trimEnd().split('\n');
    assert.deepEqual(lines.slice(-3), ['Total params: 13', 'Trainable params: 13', 'Non-trainable params: 0']);
    assert.equal(lines[0], 'Model: "Interview classifier"');
    assert.match(r.out, /^hidden\s+dense \(relu\)\s+\(None, 3\)\s+9 = 2×3 \+ 3\s+x$/m);
    assert.match(r.out, /^y\s+dense \(sigmoid\)\s+\(None, 1\)\s+4 = 3×1 \+ 1\s+hidden$/m);
  });

  it('summary groups thousands and prints JSON on request', async () => {
    const r = await nn(['summary', 'examples/mnist-mlp.nn']);
    assert.match(r.out, /Total params: 109,386\nTrainable params: 109,386\nNon-trainable params: 0\n$/);
    const j = JSON.parse((await nn(['summary', '--json', 'examples/interview.nn'])).out);
    assert.equal(j.totalParams, 13);
    assert.deepEqual(j.layers.map((l: { layer: string; params: number }) => [l.layer, l.params]), [['x', 0], ['hidden', 9], ['y', 4]]);
    assert.deepEqual(j.layers[1].outputShape, [3]);
  });

  it('summary of the Keras MNIST convnet prints Keras\' shapes and totals', async () => {
    const r = await nn(['summary', 'examples/mnist-convnet.nn']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^image\s+input\s+\(None, 28, 28, 1\)\s+0\s*$/m);
    assert.match(r.out, /^conv1\s+conv2d \(relu\)\s+\(None, 26, 26, 32\)\s+320 = 3×3×1×32 \+ 32\s+image$/m);
    assert.match(r.out, /^conv2\s+conv2d \(relu\)\s+\(None, 24, 24, 64\)\s+18,496 = 3×3×32×64 \+ 64\s+conv1$/m);
    assert.match(r.out, /^pool\s+maxpool2d\s+\(None, 12, 12, 64\)\s+0\s+conv2$/m);
    assert.match(r.out, /^flat\s+flatten\s+\(None, 9216\)\s+0\s+drop1$/m);
    assert.match(r.out, /^dense\s+dense \(relu\)\s+\(None, 128\)\s+1,179,776 = 9216×128 \+ 128\s+flat$/m);
    assert.match(r.out, /Total params: 1,199,882\nTrainable params: 1,199,882\nNon-trainable params: 0\n$/);
    assert.match((await nn(['summary', 'examples/lenet5.nn'])).out, /Total params: 61,706\n/);
  });

  it('summary counts batch norm\'s moving statistics as non-trainable, as Keras does', async () => {
    writeFileSync(join(dir, 'bn.nn'), JSON.stringify({
      format: 'nn/1',
      nodes: [{ id: 'x', type: 'input', shape: [8, 8, 1] }, { id: 'c', type: 'conv2d', filters: 32, kernelSize: 3 }, { id: 'bn', type: 'batchnorm' }],
      edges: [{ from: 'x', to: 'c' }, { from: 'c', to: 'bn' }],
    }));
    const r = await nn(['summary', 'bn.nn'], dir);
    assert.match(r.out, /^bn\s+batchnorm\s+\(None, 6, 6, 32\)\s+128 = 4×32\s+c$/m);
    assert.match(r.out, /Total params: 448\nTrainable params: 384\nNon-trainable params: 64\n$/);
    const j = JSON.parse((await nn(['summary', '--json', 'bn.nn'], dir)).out);
    assert.deepEqual([j.totalParams, j.trainableParams, j.nonTrainableParams], [448, 384, 64]);
    assert.deepEqual(j.layers[2].outputShape, [6, 6, 32]);
    assert.equal(j.layers[2].nonTrainable, 64);
  });

  it('summary of a broken file prints its errors and exits 1', async () => {
    const r = await nn(['summary', 'cycle.nn'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /cycle\.nn:\d+:\d+: error: .*\[cycle\]/);
    assert.equal((await nn(['summary', 'missing.nn'], dir)).code, 1);
    assert.equal((await nn(['summary'], dir)).code, 2);
  });
});
