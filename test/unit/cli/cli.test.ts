/** `nn train`, `nn predict` and `nn grad` run in-process on copies of the shipped examples. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/runCli';
import { decodeSafetensors, encodeSafetensors } from '../../../src/engine/weights';

const examples = path.resolve(__dirname, '../../../examples');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON of examples and events, probed field by field
type Json = Record<string, any>;

/** Runs `nn …` in `cwd` and captures its output. */
async function nn(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runCli(argv, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false, cwd });
  return { code, out, err };
}

/** A temp folder holding copies of the named examples (never trains beside the real files). */
function sandbox(...names: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-engine-'));
  for (const n of names) fs.copyFileSync(path.join(examples, n), path.join(dir, n));
  return dir;
}

/** Edits a copied example's JSON (tests vary training settings without touching examples/). */
function edit(dir: string, name: string, change: (doc: Json) => void): void {
  const file = path.join(dir, name);
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  change(doc);
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
}

function doneEvent(out: string): Json {
  const done = out.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'done');
  assert.ok(done, `no done event in:\n${out}`);
  return done;
}

describe('nn predict', () => {
  it('gives 0.2257 for the interview network at (2.3, 10.2) from its inline weights', async () => {
    const dir = sandbox('interview.nn');
    const r = await nn(dir, 'predict', 'interview.nn', '--input', '2.3,10.2');
    assert.equal(r.code, 0, r.err);
    const v = Number(/y: ([\d.e-]+)/.exec(r.out)?.[1]);
    assert.ok(Math.abs(v - 0.2257) < 1e-3, r.out);
    const j = await nn(dir, 'predict', 'interview.nn', '--input', '2.3,10.2', '--json');
    assert.ok(Math.abs(JSON.parse(j.out).outputs.y[0] - 0.22574) < 1e-3);
  });

  it('gives 0.00247 for the perceptron at (−1, 2)', async () => {
    const dir = sandbox('perceptron.nn');
    const r = await nn(dir, 'predict', 'perceptron.nn', '--input', '-1,2', '--json');
    assert.equal(r.code, 0, r.err);
    const out = Object.values(JSON.parse(r.out).outputs)[0] as number[];
    assert.ok(Math.abs(out[0] - 0.00247) < 2e-5, r.out);
  });

  it('says to train first when there are no weights, and checks the input count', async () => {
    const dir = sandbox('xor-relu.nn');
    const r = await nn(dir, 'predict', 'xor-relu.nn', '--input', '1,1');
    assert.equal(r.code, 1);
    assert.match(r.err, /no weights: train first with nn train xor-relu\.nn/);
    const dir2 = sandbox('interview.nn');
    const bad = await nn(dir2, 'predict', 'interview.nn', '--input', '2.3');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /1 value\(s\); the network takes 2/);
  });
});

describe('nn grad', () => {
  it('prints −4, −4, 3 for f = (x + y)·z at (−2, 5, −4)', async () => {
    const dir = sandbox('gates.nn');
    const r = await nn(dir, 'grad', 'gates.nn', '--input', 'x=-2', '--input', 'y=5', '--input', 'z=-4', '--json');
    assert.equal(r.code, 0, r.err);
    const g = JSON.parse(r.out);
    assert.equal(g.output.value, -12);
    assert.deepEqual(g.inputs, { x: [-4], y: [-4], z: [3] });
    const text = await nn(dir, 'grad', 'gates.nn', '--input', 'x=-2', '--input', 'y=5', '--input', 'z=-4');
    assert.match(text.out, /∂f\/∂x = -4\n∂f\/∂y = -4\n∂f\/∂z = 3/);
  });

  it('gives the interview network\'s output-bias gradient σ′(z) = ŷ(1 − ŷ)', async () => {
    const dir = sandbox('interview.nn');
    const r = await nn(dir, 'grad', 'interview.nn', '--input', '2.3,10.2', '--json');
    const g = JSON.parse(r.out);
    const y = g.output.value;
    assert.ok(Math.abs(g.params['y.bias'].grad[0] - y * (1 - y)) < 1e-6);
    // a3 = 0 (ReLU off): no gradient reaches its weights.
    assert.deepEqual(g.params['hidden.weight'].grad.slice(4), [0, 0]);
  });
});

describe('nn train', function () {
  this.timeout(120000);

  it('trains XOR with ReLU to 100% on clean data; a linear hidden layer stays ≤ 75%', async () => {
    const dir = sandbox('xor-relu.nn', 'xor-linear.nn');
    // Noise-free data: with the example's noise a few points cross an axis and no network can be 100% right.
    for (const f of ['xor-relu.nn', 'xor-linear.nn']) edit(dir, f, (d) => { d.training.data.noise = 0; });
    const relu = doneEvent((await nn(dir, 'train', 'xor-relu.nn', '--backend', 'cpu', '--json')).out);
    assert.equal(relu.metrics.accuracy, 1);
    const linear = doneEvent((await nn(dir, 'train', 'xor-linear.nn', '--backend', 'cpu', '--json')).out);
    assert.ok(linear.metrics.accuracy <= 0.75, `linear reached ${linear.metrics.accuracy}`);
  });

  it('saves the weights beside the file, and nn predict then uses them', async () => {
    const dir = sandbox('xor-relu.nn');
    const r = await nn(dir, 'train', 'xor-relu.nn', '--epochs', '20', '--backend', 'cpu');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /training on cpu/);
    assert.match(r.out, /weights saved to xor-relu\.weights\.safetensors/);
    assert.ok(fs.existsSync(path.join(dir, 'xor-relu.weights.safetensors')));
    const p = await nn(dir, 'predict', 'xor-relu.nn', '--input', '0.8,0.8', '--json');
    assert.equal(p.code, 0, p.err);
    assert.equal(JSON.parse(p.out).weights.endsWith('xor-relu.weights.safetensors'), true);
    assert.ok(JSON.parse(p.out).outputs.y[0] > 0.5, p.out);
  });

  it('refuses stale weights after the design changed, saying to train again', async () => {
    const dir = sandbox('xor-relu.nn');
    assert.equal((await nn(dir, 'train', 'xor-relu.nn', '--epochs', '2', '--backend', 'cpu')).code, 0);
    edit(dir, 'xor-relu.nn', (d) => { d.nodes[1].units = 4; });
    const r = await nn(dir, 'predict', 'xor-relu.nn', '--input', '1,1');
    assert.equal(r.code, 1);
    assert.match(r.err, /tensor 'hidden\.weight' has the wrong shape \(the design expects \[4, 2\], the file has \[8, 2\]\).*Train again/);
  });

  it('refuses weights of a renamed layer in predict, grad and export, naming the tensor and both shapes', async () => {
    const dir = sandbox('xor-relu.nn');
    assert.equal((await nn(dir, 'train', 'xor-relu.nn', '--epochs', '2', '--backend', 'cpu')).code, 0);
    edit(dir, 'xor-relu.nn', (d) => {
      d.nodes[1].id = 'h';
      d.edges = [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }];
    });
    const missing = /tensor 'h\.weight' is missing \(the design expects shape \[8, 2\], the file has no such tensor\)/;
    const extra = /tensor 'hidden\.weight' \[8, 2\] in the file belongs to no layer/;
    for (const argv of [['predict', 'xor-relu.nn', '--input', '1,1'], ['grad', 'xor-relu.nn', '--input', '1,1'], ['export', 'xor-relu.nn', '--format', 'onnx']]) {
      const r = await nn(dir, ...argv);
      assert.equal(r.code, 1, `nn ${argv[0]} accepted weights of a renamed layer:\n${r.out}`);
      assert.match(r.err, missing, `nn ${argv[0]}`);
      assert.match(r.err, extra, `nn ${argv[0]}`);
      assert.match(r.err, /xor-relu\.weights\.safetensors/, `nn ${argv[0]} names the weights file`);
    }
    assert.ok(!fs.existsSync(path.join(dir, 'xor-relu.onnx')), 'nothing exported');
  });

  it('compares full shapes, not element counts: a transposed matrix is refused', async () => {
    const dir = sandbox('xor-relu.nn');
    const rnd = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const tensors = new Map([
      ['hidden.weight', { shape: [2, 8], data: rnd(16) }], ['hidden.bias', { shape: [8], data: rnd(8) }],
      ['y.weight', { shape: [1, 8], data: rnd(8) }], ['y.bias', { shape: [1], data: rnd(1) }],
    ]);
    fs.writeFileSync(path.join(dir, 'xor-relu.weights.safetensors'), encodeSafetensors(tensors));
    const r = await nn(dir, 'predict', 'xor-relu.nn', '--input', '1,1');
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, /tensor 'hidden\.weight' has the wrong shape \(the design expects \[8, 2\], the file has \[2, 8\]\)/);
  });

  it('refuses non-finite weights, naming the tensor and the index, instead of printing NaN', async () => {
    const dir = sandbox('xor-relu.nn');
    assert.equal((await nn(dir, 'train', 'xor-relu.nn', '--epochs', '2', '--backend', 'cpu')).code, 0);
    const wfile = path.join(dir, 'xor-relu.weights.safetensors');
    const contents = decodeSafetensors(fs.readFileSync(wfile));
    contents.tensors.get('y.weight')!.data[5] = NaN;
    fs.writeFileSync(wfile, encodeSafetensors(contents.tensors, contents.metadata));
    for (const cmd of ['predict', 'grad']) {
      const r = await nn(dir, cmd, 'xor-relu.nn', '--input', '1,1');
      assert.equal(r.code, 1, `nn ${cmd} printed:\n${r.out}`);
      assert.match(r.err, /tensor 'y\.weight' holds NaN at index 5/);
      assert.doesNotMatch(r.out, /NaN/);
    }
  });

  it('streams JSON events: start (backend and reason), progress/epoch, done; is deterministic per seed', async () => {
    const dir = sandbox('xor-relu.nn');
    const a = await nn(dir, 'train', 'xor-relu.nn', '--epochs', '5', '--seed', '3', '--backend', 'cpu', '--json');
    const events = a.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(events[0].type, 'start');
    assert.equal(events[0].backend, 'cpu');
    assert.equal(events[0].lossKind, 'sigmoidBceLogits');
    assert.deepEqual(events[0].paramCounts, [{ id: 'hidden', count: 24 }, { id: 'y', count: 9 }]);
    assert.ok(events.some((e) => e.type === 'epoch' && e.epoch === 5));
    // The weights a saved now fit the design, so a second run would continue from them: --fresh starts over.
    const b = await nn(dir, 'train', 'xor-relu.nn', '--epochs', '5', '--seed', '3', '--backend', 'cpu', '--json', '--fresh');
    assert.equal(doneEvent(b.out).loss, doneEvent(a.out).loss);
  });

  it('standardises inputs at predict time the way training did (iris, shipped data)', async () => {
    const dir = sandbox('iris.nn');
    assert.equal((await nn(dir, 'train', 'iris.nn', '--epochs', '40', '--backend', 'cpu')).code, 0);
    // A textbook setosa in raw centimetres: only right if predict applies the saved standardiser.
    const p = await nn(dir, 'predict', 'iris.nn', '--input', '5.1,3.5,1.4,0.2', '--json');
    const probs = Object.values(JSON.parse(p.out).outputs)[0] as number[];
    assert.equal(probs.indexOf(Math.max(...probs)), 0, p.out);
    const named = await nn(dir, 'predict', 'iris.nn', '--input', 'measurements=5.1,3.5,1.4,0.2', '--json');
    assert.deepEqual(JSON.parse(named.out).outputs, JSON.parse(p.out).outputs);
  });

  it('reports a diverging run with the step and the layer', async () => {
    const dir = sandbox('xor-relu.nn');
    // --lr overrides the file (whose validator would refuse such a rate) to force divergence.
    const r = await nn(dir, 'train', 'xor-relu.nn', '--backend', 'cpu', '--lr', '1e30');
    assert.equal(r.code, 1);
    assert.match(r.err, /training diverged at epoch \d+, step \d+ \(step \d+ of the run\): loss (NaN|-?Infinity); .*(first non-finite values in layer (hidden|y)|outputs of layer y are too large)/);
  });

  it('stops a run whose loss explodes at that step, and leaves the saved weights as they were', async () => {
    const dir = sandbox('xor-relu.nn');
    assert.equal((await nn(dir, 'train', 'xor-relu.nn', '--epochs', '2', '--backend', 'cpu')).code, 0);
    const wfile = path.join(dir, 'xor-relu.weights.safetensors');
    const good = fs.readFileSync(wfile);
    // Adam at lr 1000 sends the loss to ~1e5 within a step or two; it stays finite for a while.
    const r = await nn(dir, 'train', 'xor-relu.nn', '--backend', 'cpu', '--lr', '1000', '--epochs', '50');
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, /training diverged at epoch 1, step \d+ \(step \d+ of the run\): loss [\d.e+]+ is more than 1e4 times the first step's loss \([\d.]+\)\. Try a lower learning rate/);
    assert.doesNotMatch(r.out, /weights saved/);
    assert.ok(fs.readFileSync(wfile).equals(good), 'the good weights file is untouched');
  });

  it('rejects bad options with a usage error', async () => {
    const dir = sandbox('xor-relu.nn');
    assert.equal((await nn(dir, 'train', 'xor-relu.nn', '--backend', 'tpu')).code, 2);
    assert.equal((await nn(dir, 'train', 'xor-relu.nn', '--epochs', '0')).code, 2);
  });
});

describe('nn train examples/spiral.nn (default settings)', function () {
  this.timeout(180000);
  it('reaches ≥ 95% validation accuracy on the CPU', async () => {
    const dir = sandbox('spiral.nn');
    const r = await nn(dir, 'train', 'spiral.nn', '--backend', 'cpu', '--json');
    assert.equal(r.code, 0, r.err);
    const done = doneEvent(r.out);
    assert.ok(done.valLoss !== undefined);
    assert.ok(done.metrics.accuracy >= 0.95, `validation accuracy ${done.metrics.accuracy}`);
  });
});
