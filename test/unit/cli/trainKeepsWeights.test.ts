/** `nn train` never replaces a weights file that belongs to another version of the design without --force. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/runCli';

const examples = path.resolve(__dirname, '../../../examples');

async function nn(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runCli(argv, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false, cwd });
  return { code, out, err };
}

/** A temp folder with a copy of xor-relu.nn, trained once (2 epochs, CPU). */
async function trainedSandbox(): Promise<{ dir: string; weights: string; before: Buffer }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-train-keep-'));
  fs.copyFileSync(path.join(examples, 'xor-relu.nn'), path.join(dir, 'xor-relu.nn'));
  const r = await nn(dir, 'train', 'xor-relu.nn', '--epochs', '2', '--backend', 'cpu');
  assert.equal(r.code, 0, r.err);
  const weights = path.join(dir, 'xor-relu.weights.safetensors');
  return { dir, weights, before: fs.readFileSync(weights) };
}

function widenHidden(dir: string): void {
  const file = path.join(dir, 'xor-relu.nn');
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  doc.nodes[1].units = 4;
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
}

describe('nn train and the weights beside the design', function () {
  this.timeout(60000);

  it('refuses to replace weights that do not fit the changed design, names the file and --force, and changes nothing', async () => {
    const { dir, weights, before } = await trainedSandbox();
    widenHidden(dir);
    const r = await nn(dir, 'train', 'xor-relu.nn', '--epochs', '2', '--backend', 'cpu');
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, /xor-relu\.weights\.safetensors would be replaced/);
    assert.match(r.err, /tensor 'hidden\.weight' has the wrong shape \(the design expects \[4, 2\], the file has \[8, 2\]\)/);
    assert.match(r.err, /--force/);
    assert.doesNotMatch(r.out, /training on/, 'nothing may be trained before the refusal');
    assert.deepEqual(fs.readFileSync(weights), before);
  });

  it('refuses to replace a weights file it cannot read, and keeps its bytes', async () => {
    const { dir, weights } = await trainedSandbox();
    fs.writeFileSync(weights, 'not a safetensors file');
    const r = await nn(dir, 'train', 'xor-relu.nn', '--epochs', '2', '--backend', 'cpu');
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, /cannot be read/);
    assert.equal(fs.readFileSync(weights, 'utf8'), 'not a safetensors file');
  });

  it('replaces them with --force, and the new weights fit the design', async () => {
    const { dir, weights, before } = await trainedSandbox();
    widenHidden(dir);
    const r = await nn(dir, 'train', 'xor-relu.nn', '--epochs', '2', '--backend', 'cpu', '--force');
    assert.equal(r.code, 0, r.err);
    assert.notDeepEqual(fs.readFileSync(weights), before);
    const p = await nn(dir, 'predict', 'xor-relu.nn', '--input', '1,1');
    assert.equal(p.code, 0, p.err);
  });

  it('trains again over weights that fit the design without asking (they are this design\'s own)', async () => {
    const { dir } = await trainedSandbox();
    const r = await nn(dir, 'train', 'xor-relu.nn', '--epochs', '2', '--backend', 'cpu');
    assert.equal(r.code, 0, r.err);
  });
});
