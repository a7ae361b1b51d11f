import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exportNetwork } from '../../../src/export/index';
import type { NetworkDoc } from '../../../src/model/types';
import { everyNodeDoc, fixtureAnalysis, interviewDoc, randomWeights } from './exportFixtures';
import { PYTHON, runPython } from './pythonEnv';

interface RecordedLayer { class: string; name: string; args?: unknown[]; config: Record<string, unknown>; inputs: string[] }

/** Imports the generated script under the fake Keras package and returns the graph build_model() made. */
function recordGraph(dir: string, script: string): { layers: RecordedLayer[]; inputs: string[]; outputs: string[] } {
  const driver = [
    'import importlib.util, json, sys',
    `sys.path.insert(0, ${JSON.stringify(path.join(__dirname, 'fakeKeras'))})`,
    `spec = importlib.util.spec_from_file_location("exported", ${JSON.stringify(path.join(dir, script))})`,
    'mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)',
    'model = mod.build_model()',
    'print(json.dumps({"layers": model.layers, "inputs": model.inputs, "outputs": model.outputs}))',
  ].join('\n');
  return JSON.parse(runPython(['-c', driver], { cwd: dir }));
}

const NAMED = new Set(['linear', 'sigmoid', 'tanh', 'relu', 'softmax']);

/** Checks every node of `doc` against the recorded Keras layers: class, settings and wiring. */
function checkAgainstModel(doc: NetworkDoc, g: { layers: RecordedLayer[]; inputs: string[]; outputs: string[] }): void {
  const byName = new Map(g.layers.map((l) => [l.name, l]));
  assert.equal(byName.size, g.layers.length, 'layer names are unique');
  // A helper activation layer stands for the dense node it follows.
  const nodeOf = (layerName: string): string => {
    if (doc.nodes.some((n) => n.id === layerName)) return layerName;
    const helper = byName.get(layerName);
    assert.ok(helper && helper.inputs.length === 1, `unexpected layer ${layerName}`);
    return helper.inputs[0];
  };
  let helpers = 0;
  for (const n of doc.nodes) {
    const l = byName.get(n.id);
    assert.ok(l, `no Keras layer named '${n.id}'`);
    assert.deepEqual(l.inputs.map(nodeOf), doc.edges.filter((e) => e.to === n.id).map((e) => e.from), `inputs of ${n.id}`);
    switch (n.type) {
      case 'input': assert.equal(l.class, 'Input'); assert.deepEqual(l.config.shape, [n.units]); break;
      case 'dense': {
        assert.equal(l.class, 'Dense');
        assert.deepEqual(l.args, [n.units]);
        assert.equal(l.config.use_bias, n.useBias !== false);
        const act = n.activation ?? 'linear';
        if (NAMED.has(act)) assert.equal(l.config.activation, act);
        else {
          helpers++;
          assert.equal(l.config.activation, 'linear');
          const h = g.layers.find((x) => x.inputs.length === 1 && x.inputs[0] === n.id && x.name !== n.id && !doc.nodes.some((m) => m.id === x.name));
          assert.ok(h, `no activation layer after ${n.id}`);
          checkActivation(h, act, n.alpha);
        }
        break;
      }
      case 'activation': checkActivation(l, n.activation, n.alpha); break;
      case 'dropout': assert.equal(l.class, 'Dropout'); assert.deepEqual(l.args, [n.rate]); break;
      case 'add': assert.equal(l.class, 'Add'); break;
      case 'multiply': assert.equal(l.class, 'Multiply'); break;
      case 'concat': assert.equal(l.class, 'Concatenate'); assert.equal(l.config.axis, -1); break;
    }
  }
  assert.equal(g.layers.length, doc.nodes.length + helpers, 'one layer per node plus one per non-Keras dense activation');
  const fed = new Set(doc.edges.map((e) => e.from));
  assert.deepEqual(g.inputs, doc.nodes.filter((n) => n.type === 'input').map((n) => n.id));
  assert.deepEqual(g.outputs.map(nodeOf), doc.nodes.filter((n) => !fed.has(n.id)).map((n) => n.id));
}

function checkActivation(l: RecordedLayer, act: string, alpha: number | undefined): void {
  if (NAMED.has(act)) { assert.equal(l.class, 'Activation'); assert.deepEqual(l.args, [act]); return; }
  if (act === 'leaky_relu') { assert.equal(l.class, 'LeakyReLU'); assert.equal(l.config.negative_slope, alpha ?? 0.1); return; }
  if (act === 'elu') { assert.equal(l.class, 'ELU'); assert.equal(l.config.alpha, alpha ?? 1); return; }
  assert.equal(act, 'step');
  assert.equal(l.class, 'Lambda');
  assert.deepEqual(l.args, ['binary_step']);
}

describe('Keras export', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'nn-keras-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const doc of [interviewDoc, everyNodeDoc]) {
    it(`builds the same layer graph as '${doc.name}' and parses as Python`, () => {
      const { files } = exportNetwork(doc, fixtureAnalysis(doc), undefined, 'keras', { baseName: doc.name });
      const script = files.find((f) => f.name.endsWith('_keras.py'));
      assert.ok(script);
      writeFileSync(path.join(dir, script.name), script.content);
      runPython(['-m', 'py_compile', script.name], { cwd: dir });
      checkAgainstModel(doc, recordGraph(dir, script.name));
    });
  }

  it('sets trained weights as Keras kernels ([inputs, units], transposed from ours) and biases', () => {
    const analysis = fixtureAnalysis(everyNodeDoc);
    const weights = randomWeights(everyNodeDoc, analysis, 13);
    const { files } = exportNetwork(everyNodeDoc, analysis, weights, 'keras', { baseName: 'kw' });
    for (const f of files) writeFileSync(path.join(dir, f.name), f.content);
    const driver = [
      'import importlib.util, json, sys',
      `sys.path.insert(0, ${JSON.stringify(path.join(__dirname, 'fakeKeras'))})`,
      'import keras',
      'spec = importlib.util.spec_from_file_location("kw", "kw_keras.py"); mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)',
      'model = mod.build_model()',
      'mod.set_weights(model, mod.read_safetensors(mod.WEIGHTS_FILE), mod.WEIGHTS_FILE)',
      'print(json.dumps(keras.WEIGHTS))',
    ].join('\n');
    const set: Record<string, { shape: number[]; values: number[] }[]> = JSON.parse(runPython(['-c', driver], { cwd: dir }));
    for (const n of everyNodeDoc.nodes) {
      if (n.type !== 'dense') continue;
      const w = weights.get(`${n.id}.weight`)!;
      const [units, fanIn] = w.shape;
      const [kernel, bias] = set[n.id];
      assert.deepEqual(kernel.shape, [fanIn, units], `${n.id} kernel shape`);
      kernel.values.forEach((v, k) => assert.equal(v, w.data[(k % units) * fanIn + Math.floor(k / units)], `${n.id} kernel[${k}]`));
      if (n.useBias === false) assert.equal(bias, undefined);
      else assert.deepEqual(bias.values, Array.from(weights.get(`${n.id}.bias`)!.data));
    }
  });

  it('spells out the optimizer and loss from the file', () => {
    const doc: NetworkDoc = { ...interviewDoc, training: { loss: 'binary_crossentropy', optimizer: { type: 'rmsprop', learningRate: 0.003, rho: 0.8 }, batchSize: 4, epochs: 7, l2: 0.01 } };
    const text = exportNetwork(doc, fixtureAnalysis(doc), undefined, 'keras').files[0].content as string;
    assert.match(text, /keras\.optimizers\.RMSprop\(learning_rate=0\.003, rho=0\.8, epsilon=1e-7/);
    assert.match(text, /loss="binary_crossentropy"/);
    assert.match(text, /batch_size=4, epochs=args\.epochs/);
    assert.match(text, /default=7\)/);
    assert.match(text, /kernel_regularizer=keras\.regularizers\.L1L2\(l1=0\.0, l2=0\.01\)/);
    assert.ok(PYTHON);
  });
});
