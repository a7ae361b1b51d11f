/**
 * examples/regularization.nn shows the lecture's picture of L2 regularisation with the product's
 * own L2 and default optimizer: trained at λ = 0.001, 0.01 and 0.1 (CPU, the file's seed), the
 * boundary gets smoother step by step (fewer class changes on a 41×41 grid), 0.001 fits the
 * training rows closely, and 0.1 underfits without dying.
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

interface Measured { l2: number; changes: number; train: number; majority: number; maxWeight: Record<string, number> }

describe('examples/regularization.nn: λ = 0.001, 0.01, 0.1', function () {
  this.timeout(120_000);
  let dir: string;
  const runs: Measured[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-regularization-'));
    fs.mkdirSync(path.join(dir, 'data'));
    fs.copyFileSync(path.join(examples, 'data/regularization.csv'), path.join(dir, 'data/regularization.csv'));
    const doc = JSON.parse(fs.readFileSync(path.join(examples, 'regularization.nn'), 'utf8'));
    for (const l2 of [0.001, 0.01, 0.1]) {
      const name = `reg-${l2}.nn`;
      fs.writeFileSync(path.join(dir, name), JSON.stringify({ ...doc, training: { ...doc.training, l2 } }, null, 2));
      const t = await nn(dir, 'train', name, '--backend', 'cpu', '--json');
      assert.equal(t.code, 0, t.err);
      const b = await nn(dir, 'boundary', name, '--json');
      assert.equal(b.code, 0, b.err);
      const j = JSON.parse(b.out);
      assert.equal(j.grid, 41);
      const weights = decodeSafetensors(fs.readFileSync(path.join(dir, `reg-${l2}.weights.safetensors`))).tensors;
      const maxWeight: Record<string, number> = {};
      for (const [key, w] of weights) if (key.endsWith('.weight')) maxWeight[key] = Math.max(...Array.from(w.data, Math.abs));
      runs.push({ l2, changes: j.changes, train: j.accuracy.training, majority: j.majority.training, maxWeight });
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the file trains at λ = 0.001 as shipped and tells the user to try 0.01 and 0.1', () => {
    const doc = JSON.parse(fs.readFileSync(path.join(examples, 'regularization.nn'), 'utf8'));
    assert.equal(doc.training.l2, 0.001);
    assert.equal(doc.training.optimizer, undefined, 'the default optimizer');
    assert.match(doc.description, /training\.l2 through 0\.001, 0\.01 and 0\.1/);
  });

  it('λ = 0.001 fits the training rows closely (≥ 90%)', () => {
    assert.ok(runs[0].train >= 0.9, JSON.stringify(runs));
  });

  it('the boundary\'s class changes fall strictly from 0.001 to 0.01 to 0.1', () => {
    const [a, b, c] = runs.map((r) => r.changes);
    assert.ok(a > b && b > c, `class changes ${a}, ${b}, ${c}`);
  });

  it('λ = 0.1 underfits (below 0.001) but is not dead: above the commonest class, weights not ~0, a boundary', () => {
    const [fit, , strong] = runs;
    assert.ok(strong.train < fit.train, JSON.stringify(runs));
    assert.ok(strong.train > strong.majority, `0.1: ${strong.train} vs always guessing ${strong.majority}`);
    assert.ok(strong.changes > 0, 'the boundary crosses the grid');
    for (const [key, max] of Object.entries(strong.maxWeight)) assert.ok(max > 0.1, `${key}: largest |w| ${max}`);
  });
});
