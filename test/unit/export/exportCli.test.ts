import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { runCli } from '../../../src/cli/runCli';
import { compileNetwork, getWeights, predict } from '../../../src/engine/index';
import { exportNetwork } from '../../../src/export/index';
import { checkNetwork } from '../../../src/model/index';
import { seededRandom } from './exportFixtures';
import { requireTorch, runPython } from './pythonEnv';
import { onnxType } from '../../../src/export/onnx/onnxSchema';

const EXAMPLES = path.resolve(__dirname, '../../../examples');

/** Runs `nn args…` in-process in `cwd`; returns the exit code and what it printed. */
async function nn(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runCli(args, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false, cwd });
  return { code, out, err };
}

/** Runs the ONNX model on `rows` (each the concatenated features of every input) and returns the outputs concatenated per row. */
async function onnxRows(file: string, rows: number[][], inputSizes: number[]): Promise<number[][]> {
  const session = await ort.InferenceSession.create(readFileSync(file));
  const feeds: Record<string, ort.Tensor> = {};
  let off = 0;
  session.inputNames.forEach((name, i) => {
    const w = inputSizes[i];
    feeds[name] = new ort.Tensor('float32', Float32Array.from(rows.flatMap((r) => r.slice(off, off + w))), [rows.length, w]);
    off += w;
  });
  const res = await session.run(feeds);
  return rows.map((_, r) => session.outputNames.flatMap((name) => {
    const t = res[name];
    const w = t.dims[1] as number;
    return Array.from((t.data as Float32Array).subarray(r * w, (r + 1) * w));
  }));
}

describe('nn export', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'nn-export-cli-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('after nn train examples/spiral.nn, the ONNX model matches nn predict on 100 random inputs', async () => {
    copyFileSync(path.join(EXAMPLES, 'spiral.nn'), path.join(dir, 'spiral.nn'));
    const trained = await nn(dir, 'train', 'spiral.nn', '--epochs', '3', '--backend', 'cpu');
    assert.equal(trained.code, 0, trained.err);
    const exported = await nn(dir, 'export', 'spiral.nn', '--format', 'onnx');
    assert.equal(exported.code, 0, exported.err);
    assert.match(exported.out, /wrote spiral\.onnx/);
    const rnd = seededRandom(100);
    const rows = Array.from({ length: 100 }, () => [rnd() * 1.2, rnd() * 1.2]);
    const got = await onnxRows(path.join(dir, 'spiral.onnx'), rows, [2]);
    for (const [i, row] of rows.entries()) {
      const p = await nn(dir, 'predict', 'spiral.nn', '--input', row.join(','), '--json');
      assert.equal(p.code, 0, p.err);
      const want: number = JSON.parse(p.out).outputs.y[0];
      assert.ok(Math.abs(got[i][0] - want) <= 1e-5, `input ${row}: onnx ${got[i][0]} vs nn predict ${want}`);
    }
  });

  it('after nn train of the digits convnet (8×8×1 images), the ONNX model and the PyTorch script give nn predict\'s outputs', async function () {
    copyFileSync(path.join(EXAMPLES, 'digits-convnet.nn'), path.join(dir, 'digits-convnet.nn'));
    const trained = await nn(dir, 'train', 'digits-convnet.nn', '--epochs', '1', '--backend', 'cpu');
    assert.equal(trained.code, 0, trained.err);
    for (const format of ['onnx', 'pytorch', 'keras']) {
      const exported = await nn(dir, 'export', 'digits-convnet.nn', '--format', format);
      assert.equal(exported.code, 0, exported.err);
    }
    const rnd = seededRandom(64);
    const rows = Array.from({ length: 6 }, () => Array.from({ length: 64 }, () => Math.round((rnd() + 1) * 8)));
    writeFileSync(path.join(dir, 'rows.csv'), rows.map((r) => r.join(',')).join('\n'));
    const p = await nn(dir, 'predict', 'digits-convnet.nn', '--csv', 'rows.csv', '--json');
    assert.equal(p.code, 0, p.err);
    const want = p.out.trim().split('\n').map((l) => (JSON.parse(l) as { outputs: { digit: number[] } }).outputs.digit);
    assert.equal(want.length, rows.length);
    const onnxName = readdirSync(dir).find((f) => f.endsWith('.onnx'));
    assert.ok(onnxName, `an .onnx file in ${readdirSync(dir).join(', ')}`);
    const got = await onnxRows(path.join(dir, onnxName), rows, [64]);
    got.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - want[i][j]) <= 1e-5, `row ${i}[${j}]: onnx ${v} vs nn predict ${want[i][j]}`)));
    requireTorch(this);
    // The script's data rows are the engine's, standardised (digits is): feed it the scaling the ONNX
    // graph carries, which is the one nn predict applies.
    const model = onnxType('ModelProto').toObject(onnxType('ModelProto').decode(readFileSync(path.join(dir, onnxName))), { bytes: Array }) as { graph: { initializer: { name: string; rawData: number[] }[] } };
    const floats = (name: string): number[] => {
      const t = model.graph.initializer.find((i) => i.name === name);
      assert.ok(t, `the ONNX graph standardises its input (${name})`);
      const view = new DataView(Uint8Array.from(t.rawData).buffer);
      return Array.from({ length: t.rawData.length / 4 }, (_, k) => view.getFloat32(k * 4, true));
    };
    const [mean, std] = [floats('image.mean'), floats('image.std')];
    const script = readdirSync(dir).find((f) => f.endsWith('.py') && !f.endsWith('_keras.py'));
    assert.ok(script);
    writeFileSync(path.join(dir, 'rows.json'), JSON.stringify(rows.map((r) => r.map((v, k) => (v - mean[k]) / std[k]))));
    const driver = `
import importlib.util, json, torch
spec = importlib.util.spec_from_file_location("m", ${JSON.stringify(script)}); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
net = m.Network(); m.load_weights(net, m.read_safetensors(m.WEIGHTS_FILE), m.WEIGHTS_FILE); net.eval()
with torch.no_grad():
    print(json.dumps(net(torch.tensor(json.load(open("rows.json")), dtype=torch.float32).reshape(-1, 8, 8, 1)).tolist()))
`;
    const torchOut = JSON.parse(runPython(['-c', driver], { cwd: dir })) as number[][];
    torchOut.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - want[i][j]) <= 1e-4, `row ${i}[${j}]: pytorch ${v} vs nn predict ${want[i][j]}`)));
  });

  it('puts the CSV feature scaling into the ONNX graph, so raw inputs give nn predict\'s answer', async () => {
    copyFileSync(path.join(EXAMPLES, 'pass-class.nn'), path.join(dir, 'pass-class.nn'));
    mkdirSync(path.join(dir, 'data'));
    copyFileSync(path.join(EXAMPLES, 'data', 'pass-class.csv'), path.join(dir, 'data', 'pass-class.csv'));
    assert.equal((await nn(dir, 'train', 'pass-class.nn', '--epochs', '2', '--backend', 'cpu')).code, 0);
    const exported = await nn(dir, 'export', 'pass-class.nn', '--format', 'onnx', '-o', 'out/model.onnx');
    assert.equal(exported.code, 0, exported.err);
    assert.match(exported.err, /standardises its inputs/);
    const rows = [[4, 5], [10, 30], [0, 0], [12, 2.5]];
    const got = await onnxRows(path.join(dir, 'out', 'model.onnx'), rows, [2]);
    for (const [i, row] of rows.entries()) {
      const p = await nn(dir, 'predict', 'pass-class.nn', '--input', row.join(','), '--json');
      const want = Object.values(JSON.parse(p.out).outputs as Record<string, number[]>)[0][0];
      assert.ok(Math.abs(got[i][0] - want) <= 1e-5, `input ${row}: onnx ${got[i][0]} vs nn predict ${want}`);
    }
  });

  it('writes the PyTorch script with the data rows and the Keras script, beside the design or into -o', async () => {
    copyFileSync(path.join(EXAMPLES, 'xor-relu.nn'), path.join(dir, 'xor-relu.nn'));
    const py = await nn(dir, 'export', 'xor-relu.nn', '--format', 'pytorch', '-o', 'torch');
    assert.equal(py.code, 0, py.err);
    // The script, its rows, and the manifest of what export wrote (so exporting again may replace them).
    assert.deepEqual(readdirSync(path.join(dir, 'torch')).sort(), ['.nn-export.json', 'xor-relu.py', 'xor-relu_data.csv']);
    const csv = readFileSync(path.join(dir, 'torch', 'xor-relu_data.csv'), 'utf8').trim().split('\n');
    // 500 samples, 20% held out for validation as nn train does (validationSplit default).
    assert.equal(csv.length - 1, 500);
    assert.equal(csv.filter((l) => l.startsWith('validation,')).length, 100);
    const keras = await nn(dir, 'export', 'xor-relu.nn', '--format', 'keras', '--no-data');
    assert.equal(keras.code, 0, keras.err);
    assert.ok(existsSync(path.join(dir, 'xor-relu_keras.py')));
    assert.match(keras.err, /pass --data CSV/);
  });

  it('never writes onto the data CSV the design trains on: nn train, nn export pytorch, nn train again', async () => {
    const text = readFileSync(path.join(EXAMPLES, 'pass-class.nn'), 'utf8').replace('"csv": "data/pass-class.csv"', '"csv": "pass_data.csv"');
    writeFileSync(path.join(dir, 'pass.nn'), text);
    copyFileSync(path.join(EXAMPLES, 'data', 'pass-class.csv'), path.join(dir, 'pass_data.csv'));
    const rows = readFileSync(path.join(dir, 'pass_data.csv'));
    assert.equal((await nn(dir, 'train', 'pass.nn', '--epochs', '2', '--backend', 'cpu')).code, 0);
    const weights = readFileSync(path.join(dir, 'pass.weights.safetensors'));
    const exported = await nn(dir, 'export', 'pass.nn', '--format', 'pytorch');
    assert.equal(exported.code, 0, exported.err);
    assert.deepEqual(readFileSync(path.join(dir, 'pass_data.csv')), rows, 'the training CSV is untouched');
    assert.deepEqual(readFileSync(path.join(dir, 'pass.weights.safetensors')), weights, 'the trained weights are untouched');
    assert.match(exported.out, /wrote pass_export_data\.csv/);
    assert.match(exported.err, /pass_data\.csv is the data pass\.nn trains on, so the exported rows went to pass_export_data\.csv/);
    assert.match(readFileSync(path.join(dir, 'pass.py'), 'utf8'), /^DATA_FILE = "pass_export_data\.csv"$/m);
    const again = await nn(dir, 'train', 'pass.nn', '--epochs', '1', '--backend', 'cpu');
    assert.equal(again.code, 0, again.err);
    // --force replaces files, but never the training CSV either.
    const forced = await nn(dir, 'export', 'pass.nn', '--format', 'pytorch', '--force');
    assert.equal(forced.code, 0, forced.err);
    assert.deepEqual(readFileSync(path.join(dir, 'pass_data.csv')), rows);
    const ontoCsv = await nn(dir, 'export', 'pass.nn', '--format', 'pytorch', '-o', 'pass_data.csv', '--force');
    assert.equal(ontoCsv.code, 1);
    assert.match(ontoCsv.err, /pass_data\.csv is a file, not a folder/);
    // A design whose data file has the name the main file would get: refused, even with --force.
    writeFileSync(path.join(dir, 'odd.nn'), text.replace('"csv": "pass_data.csv"', '"csv": "model.py"'));
    copyFileSync(path.join(EXAMPLES, 'data', 'pass-class.csv'), path.join(dir, 'model.py'));
    const onto = await nn(dir, 'export', 'odd.nn', '--format', 'pytorch', '-o', 'model.py', '--force');
    assert.equal(onto.code, 1);
    assert.match(onto.err, /model\.py: odd\.nn reads this file, so export never writes onto it/);
    assert.deepEqual(readFileSync(path.join(dir, 'model.py')), rows);
    assert.deepEqual(readFileSync(path.join(dir, 'pass_data.csv')), rows);
  });

  it('refuses to replace a file it did not write, naming it and --force; replaces its own files; --force replaces', async () => {
    copyFileSync(path.join(EXAMPLES, 'xor-relu.nn'), path.join(dir, 'xor-relu.nn'));
    writeFileSync(path.join(dir, 'xor-relu.py'), '# my own script\n');
    const refused = await nn(dir, 'export', 'xor-relu.nn', '--format', 'pytorch');
    assert.equal(refused.code, 1);
    assert.match(refused.err, /^nn: not exported: xor-relu\.py exists and was not written by nn export .*Nothing was written\.\nnn: use --force to replace it, or -o to export elsewhere\.\n$/s);
    assert.equal(readFileSync(path.join(dir, 'xor-relu.py'), 'utf8'), '# my own script\n');
    assert.ok(!existsSync(path.join(dir, 'xor-relu_data.csv')), 'nothing was written');
    const forced = await nn(dir, 'export', 'xor-relu.nn', '--format', 'pytorch', '--force');
    assert.equal(forced.code, 0, forced.err);
    assert.match(readFileSync(path.join(dir, 'xor-relu.py'), 'utf8'), /class Network\(nn\.Module\)/);
    // Its own, unchanged files: exporting again replaces them without asking.
    const again = await nn(dir, 'export', 'xor-relu.nn', '--format', 'pytorch');
    assert.equal(again.code, 0, again.err);
    // Edited since: the user's now.
    writeFileSync(path.join(dir, 'xor-relu.py'), `${readFileSync(path.join(dir, 'xor-relu.py'), 'utf8')}\n# my change\n`);
    const edited = await nn(dir, 'export', 'xor-relu.nn', '--format', 'pytorch');
    assert.equal(edited.code, 1);
    assert.match(edited.err, /xor-relu\.py exists and was not written by nn export \(or changed since\)/);
    assert.match(readFileSync(path.join(dir, 'xor-relu.py'), 'utf8'), /# my change/);
    const help = await nn(dir, 'help', 'export');
    assert.match(help.out, /--force +replace existing files that nn export did not write/);
    assert.match(help.out, /\.nn-export\.json/);
  });

  it('explains what is wrong: no format, an unknown format, and ONNX before training (at the node\'s line)', async () => {
    copyFileSync(path.join(EXAMPLES, 'spiral.nn'), path.join(dir, 'spiral.nn'));
    const none = await nn(dir, 'export', 'spiral.nn');
    assert.equal(none.code, 2);
    assert.match(none.err, /give --format pytorch\|keras\|onnx/);
    const bad = await nn(dir, 'export', 'spiral.nn', '--format', 'tflite');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--format must be one of pytorch, keras, onnx, got 'tflite'/);
    const untrained = await nn(dir, 'export', 'spiral.nn', '--format', 'onnx');
    assert.equal(untrained.code, 1);
    assert.match(untrained.err, /^spiral\.nn:7:5: error: Dense node 'h1' has no weights to export: train the network first \(nn train spiral\.nn/);
  });

  it('exports every example as ONNX whose outputs match the engine\'s predict within 1e-5', async () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.nn'));
    assert.ok(files.length >= 5, 'the examples are there');
    for (const f of files) {
      const { parsed, analysis } = checkNetwork(readFileSync(path.join(EXAMPLES, f), 'utf8'));
      assert.ok(parsed.doc && analysis, `${f} checks`);
      // Seeded initial weights (or the inline ones) stand in for trained weights.
      const net = compileNetwork(parsed.doc, analysis, { seed: 7 });
      const { files: out } = exportNetwork(parsed.doc, analysis, getWeights(net), 'onnx');
      const rnd = seededRandom(f.length);
      const width = net.inputSizes.reduce((a, b) => a + b, 0);
      const rows = Array.from({ length: 20 }, () => Array.from({ length: width }, () => rnd() * 3));
      const session = await ort.InferenceSession.create(out[0].content as Uint8Array);
      assert.deepEqual(session.inputNames, net.inputIds, `${f}: inputs named after the nodes`);
      assert.deepEqual(session.outputNames, net.outputIds, `${f}: outputs named after the nodes`);
      const onnxPath = path.join(dir, `${f}.onnx`);
      writeFileSync(onnxPath, out[0].content);
      const got = await onnxRows(onnxPath, rows, net.inputSizes);
      const ours = await predict(net, Float32Array.from(rows.flat()), rows.length);
      const outWidth = net.outputSizes.reduce((a, b) => a + b, 0);
      got.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - ours[i * outWidth + j]) <= 1e-5 * Math.max(1, Math.abs(v)), `${f} row ${i}[${j}]: onnx ${v} vs engine ${ours[i * outWidth + j]}`)));
    }
  });
});
