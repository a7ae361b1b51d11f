/**
 * Image networks through every exporter: the ONNX model in onnxruntime and the PyTorch script in
 * Debian's torch give the float64 reference forward's outputs (within 1e-4) on a small convnet with
 * both paddings (even and uneven splits), strides, max and average pooling, batch norm with
 * non-trivial moving statistics, flatten, reshape, concat/add/dropout on images and an image
 * output; the Keras script builds the same layers and sets the kernels in Keras' layout.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildExportPlan } from '../../../src/export/exportPlan';
import { exportNetwork } from '../../../src/export/index';
import { readdirSync, readFileSync } from 'node:fs';
import { checkNetwork } from '../../../src/model/index';
import type { NetworkDoc } from '../../../src/model/types';
import { compileNetwork, getWeights, predict, train, trainSettingsFrom } from '../../../src/engine/index';
import { decodeSafetensors } from '../../../src/engine/weights/safetensors';
import { convAnalysis, convDoc, convWeights, parsedDesign, trainConvDoc, trainImages } from './convFixtures';
import { seededRandom } from './exportFixtures';
import { requireTorch, runPython } from './pythonEnv';
import { referenceForward } from './referenceForward';

const analysis = convAnalysis(convDoc);
const weights = convWeights(convDoc, analysis, 1234);
const plan = buildExportPlan(convDoc, analysis, weights);
const BATCH = 5;
const rnd = seededRandom(99);
const x = Float32Array.from({ length: BATCH * 144 }, () => rnd() * 2);
const rows = Array.from({ length: BATCH }, (_, b) => Array.from(x.subarray(b * 144, (b + 1) * 144)));
const want = referenceForward(plan, { x: rows }, BATCH);

function assertClose(got: ArrayLike<number>, wantRows: number[][], what: string): void {
  const flat = wantRows.flat();
  assert.equal(got.length, flat.length, `${what}: number of values`);
  flat.forEach((v, i) => assert.ok(Math.abs(got[i] - v) <= 1e-4, `${what}[${i}]: ${got[i]} vs reference ${v}`));
}

describe('export of image networks', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'nn-conv-export-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the fixture\'s shapes are the model core\'s (nn check), and the engine\'s predict (nn predict) matches the reference within 1e-4', async () => {
    const core = parsedDesign(convDoc);
    assert.deepEqual(new Map([...core.analysis.shapes].sort()), new Map([...analysis.shapes].sort()));
    assert.deepEqual([...core.analysis.outputs], analysis.outputs);
    const ours = await predict(compileNetwork(core.doc, core.analysis, { weights }), x, BATCH);
    // The engine returns the outputs in the analysis' order, each row-major, concatenated per row.
    const widths = core.analysis.outputs.map((id) => (want[id][0]).length);
    const perRow = widths.reduce((a, b) => a + b, 0);
    core.analysis.outputs.forEach((id, k) => {
      const off = widths.slice(0, k).reduce((a, b) => a + b, 0);
      const got = Array.from({ length: BATCH }, (_, b) => Array.from(ours.subarray(b * perRow + off, b * perRow + off + widths[k]))).flat();
      assertClose(got, want[id], `engine ${id}`);
    });
  });

  it('the reference itself is not degenerate (outputs vary across samples, batch norm moves values)', () => {
    assert.deepEqual(Object.keys(want).sort(), ['out', 'smx']);
    assert.notDeepEqual(want.out[0], want.out[1]);
    assert.ok(want.smx[0].some((v) => Math.abs(v - 0.5) > 0.01));
  });

  it('ONNX: onnxruntime matches the reference within 1e-4 on rows of H·W·C values, as nn predict takes them', async () => {
    const { files, notes } = exportNetwork(convDoc, analysis, weights, 'onnx');
    const session = await ort.InferenceSession.create(files[0].content as Uint8Array);
    assert.deepEqual(session.inputNames, ['x']);
    const got = await session.run({ x: new ort.Tensor('float32', x, [BATCH, 144]) });
    assert.deepEqual(got.out.dims, [BATCH, 3]);
    assert.deepEqual(got.smx.dims, [BATCH, 8]);
    assertClose(got.out.data as Float32Array, want.out, 'onnx out');
    assertClose(got.smx.data as Float32Array, want.smx, 'onnx smx');
    assert.ok(notes.some((n) => /H, W, C order/.test(n)), notes.join('\n'));
  });

  it('Keras: one layer per node with Keras\' own settings, wired as the file, kernels set as [kh, kw, C, filters]', () => {
    const { files } = exportNetwork(convDoc, analysis, weights, 'keras', { baseName: 'convk' });
    for (const f of files) writeFileSync(path.join(dir, f.name), f.content);
    const driver = [
      'import importlib.util, json, sys',
      `sys.path.insert(0, ${JSON.stringify(path.join(__dirname, 'fakeKeras'))})`,
      'import keras',
      'spec = importlib.util.spec_from_file_location("convk", "convk_keras.py"); mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)',
      'model = mod.build_model()',
      'mod.set_weights(model, mod.read_safetensors(mod.WEIGHTS_FILE), mod.WEIGHTS_FILE)',
      'import numpy as np',
      'split = mod.split_inputs(np.zeros((2, 144), dtype=np.float32))',
      'print(json.dumps({"layers": model.layers, "outputs": model.outputs, "weights": keras.WEIGHTS, "split": [list(a.shape) for a in split]}))',
    ].join('\n');
    const g = JSON.parse(runPython(['-c', driver], { cwd: dir })) as {
      layers: { class: string; name: string; args: unknown[]; config: Record<string, unknown>; inputs: string[] }[];
      outputs: string[]; weights: Record<string, { shape: number[]; values: number[] }[]>; split: number[][];
    };
    const layer = (name: string) => { const l = g.layers.find((x) => x.name === name); assert.ok(l, `no layer ${name}`); return l; };
    // The activation layer after a conv with a non-Keras activation stands for that conv.
    const nodeOf = (name: string): string => (name === 'c2_elu' ? 'c2' : name);
    for (const n of convDoc.nodes) assert.deepEqual(layer(n.id).inputs.map(nodeOf), convDoc.edges.filter((e) => e.to === n.id).map((e) => e.from), `inputs of ${n.id}`);
    assert.deepEqual(layer('x').config.shape, [9, 8, 2]);
    assert.deepEqual(g.split, [[2, 9, 8, 2]], 'data rows are reshaped to the image input');
    assert.deepEqual([layer('c1').class, layer('c1').args, layer('c1').config.strides, layer('c1').config.padding, layer('c1').config.activation], ['Conv2D', [4, [3, 3]], [2, 2], 'same', 'relu']);
    // ELU is not a Keras activation name: a linear Conv2D and an ELU layer after it.
    assert.deepEqual([layer('c2').args, layer('c2').config.padding, layer('c2').config.activation, layer('c2').config.use_bias], [[3, [2, 3]], 'valid', 'linear', false]);
    const elu = g.layers.find((l) => l.class === 'ELU');
    assert.ok(elu && elu.inputs[0] === 'c2' && elu.config.alpha === 0.5);
    assert.deepEqual([layer('mp').class, layer('mp').config], ['MaxPooling2D', { pool_size: [2, 2], strides: [1, 1], padding: 'same' }]);
    assert.deepEqual([layer('ap').class, layer('ap').config], ['AveragePooling2D', { pool_size: [3, 2], strides: [2, 1], padding: 'same' }]);
    assert.deepEqual([layer('bn1').class, layer('bn1').config], ['BatchNormalization', { axis: -1, momentum: 0.9, epsilon: 0.01 }]);
    assert.deepEqual(layer('bn2').config, { axis: -1, momentum: 0.99, epsilon: 0.001 });
    assert.equal(layer('gap').class, 'GlobalAveragePooling2D');
    assert.equal(layer('fl').class, 'Flatten');
    assert.deepEqual([layer('rs').class, layer('rs').args], ['Reshape', [[2, 2, 2]]]);
    assert.deepEqual([layer('catimg').class, layer('catimg').config.axis], ['Concatenate', -1]);
    assert.deepEqual([layer('dimg').class, layer('sum').class], ['Dropout', 'Add']);
    assert.deepEqual(g.outputs, ['out', 'smx']);
    // Kernels: Keras' kernel[ky][kx][c][f] is our weight[f][ky][kx][c].
    for (const id of ['c1', 'c2']) {
      const w = weights.get(`${id}.weight`)!;
      const [f, kh, kw, c] = w.shape;
      const [kernel, bias] = g.weights[id];
      assert.deepEqual(kernel.shape, [kh, kw, c, f]);
      kernel.values.forEach((v, k) => {
        const o = k % f; const i = Math.floor(k / f) % c; const x2 = Math.floor(k / (f * c)) % kw; const y = Math.floor(k / (f * c * kw));
        assert.equal(v, w.data[((o * kh + y) * kw + x2) * c + i], `${id} kernel[${k}]`);
      });
      if (id === 'c1') assert.deepEqual(bias.values, Array.from(weights.get('c1.bias')!.data));
      else assert.equal(bias, undefined);
    }
    for (const id of ['bn1', 'bn2', 'bnv']) {
      assert.deepEqual(g.weights[id].map((t) => t.values), ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((k) => Array.from(weights.get(`${id}.${k}`)!.data)), `${id}: gamma, beta, moving mean, moving variance`);
    }
  });

  it('Keras: every image example builds, one layer named after each node, and takes its seeded weights', () => {
    const examples = path.join(__dirname, '../../../examples');
    let count = 0;
    for (const f of readdirSync(examples).filter((n) => n.endsWith('.nn'))) {
      const { parsed, analysis: a } = checkNetwork(readFileSync(path.join(examples, f), 'utf8'));
      if (!parsed.doc || !a || !parsed.doc.nodes.some((n) => n.type === 'input' && n.shape)) continue;
      count++;
      const base = `ex_${f.replace(/\.nn$/, '').replace(/[^A-Za-z0-9_]/g, '_')}`;
      const { files } = exportNetwork(parsed.doc, a, getWeights(compileNetwork(parsed.doc, a, { seed: 3 })), 'keras', { baseName: base });
      for (const file of files) writeFileSync(path.join(dir, file.name), file.content);
      const driver = [
        'import importlib.util, json, sys',
        `sys.path.insert(0, ${JSON.stringify(path.join(__dirname, 'fakeKeras'))})`,
        'import keras',
        `spec = importlib.util.spec_from_file_location("ex", ${JSON.stringify(`${base}_keras.py`)}); mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)`,
        'model = mod.build_model()',
        'mod.set_weights(model, mod.read_safetensors(mod.WEIGHTS_FILE), mod.WEIGHTS_FILE)',
        'print(json.dumps({"layers": [l["name"] for l in model.layers], "weights": sorted(keras.WEIGHTS)}))',
      ].join('\n');
      const g = JSON.parse(runPython(['-c', driver], { cwd: dir })) as { layers: string[]; weights: string[] };
      for (const n of parsed.doc.nodes) assert.ok(g.layers.includes(n.id), `${f}: no Keras layer '${n.id}'`);
      assert.deepEqual(g.weights, parsed.doc.nodes.filter((n) => n.type === 'dense' || n.type === 'conv2d' || n.type === 'batchnorm').map((n) => n.id).sort(), `${f}: weights set on every weighted layer`);
    }
    assert.ok(count >= 3, 'the image examples are there');
  });

  it('hand-set conv weights ([filters][kh][kw][C] in the file) export to ONNX and PyTorch with the reference\'s outputs; untrained batch norm starts at gamma 1, beta 0, mean 0, variance 1', async function () {
    const r = seededRandom(5);
    const kernel = Array.from({ length: 2 }, () => Array.from({ length: 2 }, () => Array.from({ length: 3 }, () => [r(), r()])));
    const doc: NetworkDoc = {
      format: 'nn/1', name: 'inline-conv',
      nodes: [
        { id: 'im', type: 'input', units: 32, shape: [4, 4, 2] },
        { id: 'k', type: 'conv2d', filters: 2, kernelSize: [2, 3], strides: [1, 2], padding: 'same', weights: kernel, bias: [0.25, -0.5] },
        { id: 'n', type: 'batchnorm' },
        { id: 'f', type: 'flatten' },
        { id: 'o', type: 'dense', units: 2, weights: Array.from({ length: 2 }, () => Array.from({ length: 16 }, () => r())), bias: [0.1, 0.2] },
      ],
      edges: [{ from: 'im', to: 'k' }, { from: 'k', to: 'n' }, { from: 'n', to: 'f' }, { from: 'f', to: 'o' }],
    };
    const core = parsedDesign(doc);
    const p = buildExportPlan(core.doc, core.analysis);
    assert.equal(p.byId.get('k')!.weightSource, 'inline');
    const input = Float32Array.from({ length: 2 * 32 }, () => r() * 2);
    const expected = referenceForward(p, { im: [Array.from(input.subarray(0, 32)), Array.from(input.subarray(32))] }, 2);
    assertClose(await predict(compileNetwork(core.doc, core.analysis, {}), input, 2), expected.o, 'engine');
    const session = await ort.InferenceSession.create(exportNetwork(core.doc, core.analysis, undefined, 'onnx').files[0].content as Uint8Array);
    assertClose((await session.run({ im: new ort.Tensor('float32', input, [2, 32]) })).o.data as Float32Array, expected.o, 'onnx');
    requireTorch(this);
    const { files } = exportNetwork(core.doc, core.analysis, undefined, 'pytorch', { baseName: 'inline_conv' });
    for (const f of files) writeFileSync(path.join(dir, f.name), f.content);
    const got = JSON.parse(runPython(['-c', `
import importlib.util, json, torch
spec = importlib.util.spec_from_file_location("m", "inline_conv.py"); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
net = m.Network(); m.load_weights(net, m.INLINE_WEIGHTS, "inline"); net.eval()
with torch.no_grad():
    print(json.dumps(net(torch.tensor(${JSON.stringify(Array.from(input))}).reshape(2, 4, 4, 2)).reshape(-1).tolist()))
`], { cwd: dir })) as number[];
    assertClose(got, expected.o, 'pytorch');
  });

  it('a reshape to another rank ([2, 16]) stays row-major: batch norm and softmax over its last axis, an image back from it, in the engine, ONNX and PyTorch', async function () {
    const doc: NetworkDoc = {
      format: 'nn/1', name: 'ranks',
      nodes: [
        { id: 'im', type: 'input', units: 32, shape: [4, 4, 2] },
        { id: 'k', type: 'conv2d', filters: 2, kernelSize: 3, padding: 'same' },
        { id: 'r2', type: 'reshape', shape: [2, 16] },
        { id: 'n2', type: 'batchnorm' },
        { id: 's2', type: 'activation', activation: 'softmax' },
        { id: 'r3', type: 'reshape', shape: [4, 2, 4] },
        { id: 'm3', type: 'maxpool2d', poolSize: [2, 1] },
        { id: 'f', type: 'flatten' },
        { id: 'o', type: 'dense', units: 2, activation: 'sigmoid' },
      ],
      edges: [{ from: 'im', to: 'k' }, { from: 'k', to: 'r2' }, { from: 'r2', to: 'n2' }, { from: 'n2', to: 's2' }, { from: 's2', to: 'r3' }, { from: 'r3', to: 'm3' }, { from: 'm3', to: 'f' }, { from: 'f', to: 'o' }],
    };
    const core = parsedDesign(doc);
    const w = convWeights(core.doc, core.analysis, 77);
    const p = buildExportPlan(core.doc, core.analysis, w);
    const r = seededRandom(8);
    const input = Float32Array.from({ length: 3 * 32 }, () => r() * 2);
    const expected = referenceForward(p, { im: [0, 1, 2].map((b) => Array.from(input.subarray(b * 32, (b + 1) * 32))) }, 3);
    assertClose(await predict(compileNetwork(core.doc, core.analysis, { weights: w }), input, 3), expected.o, 'engine');
    const session = await ort.InferenceSession.create(exportNetwork(core.doc, core.analysis, w, 'onnx').files[0].content as Uint8Array);
    assertClose((await session.run({ im: new ort.Tensor('float32', input, [3, 32]) })).o.data as Float32Array, expected.o, 'onnx');
    requireTorch(this);
    const { files } = exportNetwork(core.doc, core.analysis, w, 'pytorch', { baseName: 'ranks' });
    for (const f of files) writeFileSync(path.join(dir, f.name), f.content);
    const got = JSON.parse(runPython(['-c', `
import importlib.util, json, torch
spec = importlib.util.spec_from_file_location("m", "ranks.py"); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
net = m.Network(); m.load_weights(net, m.read_safetensors(m.WEIGHTS_FILE), m.WEIGHTS_FILE); net.eval()
with torch.no_grad():
    print(json.dumps(net(torch.tensor(${JSON.stringify(Array.from(input))}).reshape(3, 32)).reshape(-1).tolist()))
`], { cwd: dir })) as number[];
    assertClose(got, expected.o, 'pytorch');
  });

  it('a batch norm of more channels than memory holds exports without making its initial statistics (scripts: an expression; ONNX: the 2 GB limit, by name)', () => {
    const huge = 2 ** 32 + 1;
    const doc: NetworkDoc = {
      format: 'nn/1', name: 'huge',
      nodes: [
        { id: 'a', type: 'input', units: 2 },
        { id: 'd', type: 'dense', units: 1, weights: [[0.5, -0.5]], bias: [0] },
        { id: 'b', type: 'input', units: huge },
        { id: 'bn', type: 'batchnorm' },
      ],
      edges: [{ from: 'a', to: 'd' }, { from: 'b', to: 'bn' }],
    };
    const core = parsedDesign(doc);
    const script = exportNetwork(core.doc, core.analysis, undefined, 'pytorch').files[0].content as string;
    assert.match(script, new RegExp(`"bn\\.moving_variance": \\(\\[${huge}\\], \\[1\\.0\\] \\* ${huge}\\)`));
    assert.ok(script.length < 100_000);
    assert.match(exportNetwork(core.doc, core.analysis, undefined, 'keras').files[0].content as string, /layers\.BatchNormalization\(axis=-1/);
    assert.throws(() => exportNetwork(core.doc, core.analysis, undefined, 'onnx'), (e: Error & { nodeId?: string }) => e.nodeId === 'bn' && /2 GB/.test(e.message));
  });

  it('refuses a conv layer with no weights for ONNX, naming the node and what to do', () => {
    assert.throws(() => exportNetwork(convDoc, analysis, undefined, 'onnx'), (e: Error & { nodeId?: string }) => e.nodeId === 'c1' && /train the network first/.test(e.message));
  });

  describe('PyTorch', () => {
    before(function () { requireTorch(this); });

    it('matches the reference within 1e-4, fed NHWC images or flat rows; its weights save back unchanged', () => {
      const { files } = exportNetwork(convDoc, analysis, weights, 'pytorch', { baseName: 'convnet' });
      for (const f of files) writeFileSync(path.join(dir, f.name), f.content);
      writeFileSync(path.join(dir, 'x.json'), JSON.stringify(Array.from(x)));
      const driver = `
import importlib.util, json, torch
spec = importlib.util.spec_from_file_location("m", "convnet.py"); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
net = m.Network(); m.load_weights(net, m.read_safetensors(m.WEIGHTS_FILE), m.WEIGHTS_FILE); net.eval()
x = torch.tensor(json.load(open("x.json")), dtype=torch.float32)
with torch.no_grad():
    out, smx = net(x.reshape(${BATCH}, 9, 8, 2))
    out_flat, smx_flat = net(x.reshape(${BATCH}, 144))
m.save_weights(net, "resaved.safetensors")
print(json.dumps({"out": out.reshape(-1).tolist(), "smx": smx.reshape(-1).tolist(), "smx_shape": list(smx.shape),
                  "flat_same": bool(torch.equal(out, out_flat) and torch.equal(smx, smx_flat))}))
`;
      const got = JSON.parse(runPython(['-c', driver], { cwd: dir })) as { out: number[]; smx: number[]; smx_shape: number[]; flat_same: boolean };
      assertClose(got.out, want.out, 'pytorch out');
      assertClose(got.smx, want.smx, 'pytorch smx');
      assert.deepEqual(got.smx_shape, [BATCH, 2, 2, 2], 'an image output comes back channels last');
      assert.ok(got.flat_same, 'flat rows and NHWC images give the same outputs');
      const resaved = JSON.parse(runPython(['-c', `
import importlib.util, json
spec = importlib.util.spec_from_file_location("m", "convnet.py"); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
print(json.dumps(m.read_safetensors("resaved.safetensors")))
`], { cwd: dir })) as Record<string, [number[], number[]]>;
      assert.deepEqual(Object.keys(resaved).sort(), [...weights.keys()].sort());
      for (const [name, t] of weights) {
        assert.deepEqual(resaved[name][0], t.shape, `${name} shape`);
        assert.deepEqual(resaved[name][1], Array.from(t.data), `${name} values`);
      }
    });

    it('every image example (seeded weights) gives the engine\'s predictions within 1e-4', async () => {
      const examples = path.join(__dirname, '../../../examples');
      const jobs: { file: string; script: string; rows: number; expected: number[] }[] = [];
      for (const f of readdirSync(examples).filter((n) => n.endsWith('.nn'))) {
        const { parsed, analysis: a } = checkNetwork(readFileSync(path.join(examples, f), 'utf8'));
        if (!parsed.doc || !a || !parsed.doc.nodes.some((n) => n.type === 'input' && n.shape)) continue;
        const net = compileNetwork(parsed.doc, a, { seed: 11 });
        const base = f.replace(/\.nn$/, '').replace(/[^A-Za-z0-9_]/g, '_');
        const { files } = exportNetwork(parsed.doc, a, getWeights(net), 'pytorch', { baseName: base });
        for (const file of files) writeFileSync(path.join(dir, file.name), file.content);
        const r = seededRandom(f.length);
        const width = net.inputSizes.reduce((s2, w) => s2 + w, 0);
        const input = Float32Array.from({ length: 3 * width }, () => r());
        writeFileSync(path.join(dir, `${base}.x.json`), JSON.stringify(Array.from(input)));
        jobs.push({ file: f, script: `${base}.py`, rows: 3, expected: Array.from(await predict(net, input, 3)) });
      }
      assert.ok(jobs.length >= 3, `image examples found: ${jobs.map((j) => j.file).join(', ')}`);
      const driver = `
import importlib.util, json, sys, torch
torch.set_num_threads(1)
result = {}
for script in json.loads(sys.argv[1]):
    spec = importlib.util.spec_from_file_location(script[:-3], script); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
    net = m.Network(); m.load_weights(net, m.read_safetensors(m.WEIGHTS_FILE), m.WEIGHTS_FILE); net.eval()
    x = torch.tensor(json.load(open(script[:-3] + ".x.json")), dtype=torch.float32).reshape(3, -1)
    with torch.no_grad():
        outs = net(*m.split_inputs(x))
    outs = outs if isinstance(outs, tuple) else (outs,)
    result[script] = torch.cat([o.reshape(3, -1) for o in outs], dim=1).reshape(-1).tolist()
print(json.dumps(result))
`;
      const got = JSON.parse(runPython(['-c', driver, JSON.stringify(jobs.map((j) => j.script))], { cwd: dir, timeoutMs: 300_000 })) as Record<string, number[]>;
      for (const j of jobs) {
        assert.equal(got[j.script].length, j.expected.length, `${j.file}: number of outputs`);
        j.expected.forEach((v, i) => assert.ok(Math.abs(got[j.script][i] - v) <= 1e-4, `${j.file}[${i}]: pytorch ${got[j.script][i]} vs engine ${v}`));
      }
    });

    it('trains like the engine step by step: conv, batch norm (moving statistics too), dropout on an image, shuffle, L2', async () => {
      const { doc, analysis: a } = parsedDesign(trainConvDoc);
      const net = compileNetwork(doc, a, {});
      const initial = new Map([...getWeights(net)].map(([k, v]) => [k, { shape: [...v.shape], data: Float32Array.from(v.data) }]));
      const data = trainImages();
      const result = await train(net, { train: data }, trainSettingsFrom(doc.training), { backend: 'cpu', onEvent: () => undefined });
      const { files } = exportNetwork(doc, a, initial, 'pytorch', { baseName: 'trainconv', data: { train: data } });
      for (const f of files) writeFileSync(path.join(dir, f.name), f.content);
      const driver = `
import argparse, contextlib, importlib.util, io, json, torch
torch.set_num_threads(1)
spec = importlib.util.spec_from_file_location("t", "trainconv.py"); mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
out = io.StringIO()
with contextlib.redirect_stdout(out):
    mod.train(argparse.Namespace(epochs=None, data=None, weights=None, save="trainconv.trained.safetensors", json_log=True, cpu=True))
print(json.dumps([json.loads(l) for l in out.getvalue().splitlines() if l.startswith("{")]))
`;
      const steps = JSON.parse(runPython(['-c', driver], { cwd: dir })) as { epoch: number; loss: number; rows: number }[];
      assert.equal(steps.length, 3 * 3, 'three batches (8, 8, 6) a epoch, three epochs');
      assert.equal(result.history.length, 3);
      result.history.forEach((h, e) => {
        const mine = steps.filter((st) => st.epoch === e + 1);
        const mean = mine.reduce((sum, st) => sum + st.loss * st.rows, 0) / mine.reduce((sum, st) => sum + st.rows, 0);
        assert.ok(Math.abs(mean - h.loss) <= 1e-4 * Math.max(1, Math.abs(h.loss)), `epoch ${e + 1} loss: pytorch ${mean} vs engine ${h.loss}`);
      });
      const trained = decodeSafetensors(readFileSync(path.join(dir, 'trainconv.trained.safetensors'))).tensors;
      assert.deepEqual([...trained.keys()].sort(), [...result.weights.keys()].sort());
      for (const [key, w] of result.weights) {
        const theirs = trained.get(key)!;
        assert.deepEqual(theirs.shape, w.shape, `${key} shape`);
        w.data.forEach((v, i) => assert.ok(Math.abs(v - theirs.data[i]) <= 1e-4 * Math.max(1, Math.abs(v)), `${key}[${i}]: pytorch ${theirs.data[i]} vs engine ${v}`));
      }
      const moved = result.weights.get('bn.moving_mean')!.data;
      assert.ok(Array.from(moved).some((v) => Math.abs(v) > 1e-3), 'the moving mean moved during training');
    });
  });
});
