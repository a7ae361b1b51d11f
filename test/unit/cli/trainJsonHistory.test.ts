/**
 * `nn train` shows and keeps the learning curve: --json prints every epoch's event, --history
 * writes one record per epoch (JSON lines or CSV) and never replaces a file without --force; and
 * a run continues from the weights it saved (5 + 5 epochs = 10 for plain SGD without shuffling).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/runCli';
import { decodeSafetensors } from '../../../src/engine/weights';

const examples = path.resolve(__dirname, '../../../examples');

async function nn(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runCli(argv, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false, cwd });
  return { code, out, err };
}

/** A temp folder with a copy of xor-relu.nn, its training section changed by `edit`. */
function sandbox(edit: (training: Record<string, unknown>) => void = () => undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-train-curve-'));
  const doc = JSON.parse(fs.readFileSync(path.join(examples, 'xor-relu.nn'), 'utf8'));
  edit(doc.training);
  fs.writeFileSync(path.join(dir, 'xor-relu.nn'), JSON.stringify(doc, null, 2));
  return dir;
}

function tensors(dir: string): Map<string, Float32Array> {
  const c = decodeSafetensors(fs.readFileSync(path.join(dir, 'xor-relu.weights.safetensors')));
  return new Map([...c.tensors].map(([k, t]) => [k, t.data]));
}

describe('nn train: the learning curve and continuing', function () {
  this.timeout(60000);

  it('--json prints one epoch event for each of 30 epochs', async () => {
    const dir = sandbox();
    const r = await nn(dir, 'train', 'xor-relu.nn', '--epochs', '30', '--backend', 'cpu', '--json');
    assert.equal(r.code, 0, r.err);
    const epochs = r.out.trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'epoch');
    assert.deepEqual(epochs.map((e) => e.epoch), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.ok(epochs.every((e) => Number.isFinite(e.loss) && Number.isFinite(e.valLoss) && e.metrics.accuracy !== undefined));
  });

  it('--history writes one JSON line per epoch, matching the epoch events', async () => {
    const dir = sandbox();
    const r = await nn(dir, 'train', 'xor-relu.nn', '--epochs', '12', '--backend', 'cpu', '--json', '--history', 'curve.jsonl');
    assert.equal(r.code, 0, r.err);
    const events = r.out.trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'epoch');
    const lines = fs.readFileSync(path.join(dir, 'curve.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 12);
    assert.deepEqual(lines, events.map((e) => ({ epoch: e.epoch, loss: e.loss, valLoss: e.valLoss, accuracy: e.metrics.accuracy })));
  });

  it('--history FILE.csv writes CSV with a header, and an existing file is replaced only with --force', async () => {
    const dir = sandbox();
    const csv = path.join(dir, 'curve.csv');
    assert.equal((await nn(dir, 'train', 'xor-relu.nn', '--epochs', '4', '--backend', 'cpu', '--history', 'curve.csv')).code, 0);
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'epoch,loss,val_loss,accuracy,mae,r2');
    assert.equal(rows.length, 5);
    assert.match(rows[4], /^4,[0-9.e-]+,[0-9.e-]+,[0-9.]+,,$/);
    const before = fs.readFileSync(csv);
    const weightsBefore = fs.readFileSync(path.join(dir, 'xor-relu.weights.safetensors'));
    const refused = await nn(dir, 'train', 'xor-relu.nn', '--epochs', '4', '--backend', 'cpu', '--history', 'curve.csv');
    assert.equal(refused.code, 1);
    assert.match(refused.err, /--history curve\.csv exists; nothing was changed.*--force/);
    assert.ok(fs.readFileSync(csv).equals(before), 'the history file was kept');
    assert.ok(fs.readFileSync(path.join(dir, 'xor-relu.weights.safetensors')).equals(weightsBefore), 'nothing was trained');
    assert.equal((await nn(dir, 'train', 'xor-relu.nn', '--epochs', '2', '--backend', 'cpu', '--history', 'curve.csv', '--force')).code, 0);
    assert.equal(fs.readFileSync(csv, 'utf8').trim().split('\n').length, 3);
  });

  it('5 + 5 epochs of nn train equal 10 epochs of nn train --fresh (plain SGD, no shuffling)', async () => {
    const plain = (t: Record<string, unknown>): void => { t.optimizer = { type: 'sgd', learningRate: 0.1 }; t.shuffle = false; };
    const twice = sandbox(plain);
    assert.equal((await nn(twice, 'train', 'xor-relu.nn', '--epochs', '5', '--backend', 'cpu')).code, 0);
    const second = await nn(twice, 'train', 'xor-relu.nn', '--epochs', '5', '--backend', 'cpu');
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /note: continuing from xor-relu\.weights\.safetensors \(nn train --fresh starts over\)/);
    const once = sandbox(plain);
    // A weights file that fits is there, so --fresh is what makes this run start over.
    assert.equal((await nn(once, 'train', 'xor-relu.nn', '--epochs', '1', '--backend', 'cpu')).code, 0);
    assert.equal((await nn(once, 'train', 'xor-relu.nn', '--epochs', '10', '--backend', 'cpu', '--fresh')).code, 0);
    const a = tensors(twice), b = tensors(once);
    assert.deepEqual([...a.keys()], [...b.keys()]);
    for (const [key, data] of a) assert.deepEqual(Array.from(data), Array.from(b.get(key) as Float32Array), key);
  });
});
