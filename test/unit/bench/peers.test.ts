import * as assert from 'node:assert/strict';
import { createHandLoop } from '../../../bench/peers/handLoop';
import { createTfjsTrainer, useTfjsBackend } from '../../../bench/peers/tfjs';
import { flattenParams, unflattenParams, weightMapOf } from '../../../bench/sharedInputs';
import { initialParams, makeWorkloadData, paramLayers, WORKLOADS, workloadDoc, type Workload } from '../../../bench/workloads';
import { analyzeNetwork } from '../../../src/model';
import { SMALL_IMAGE } from './smallImage';
import { compileNetwork, trainSettingsFrom } from '../../../src/engine/compile';
import { train } from '../../../src/engine/train';

/** A small softmax workload, so the categorical path is checked without mnist-sized work. */
const SOFTMAX: Workload = { name: 'mnist-like', inputs: 6, layers: [{ units: 5, activation: 'relu' }, { units: 3, activation: 'softmax' }], samples: 40, batch: 8, learningRate: 0.1, loss: 'categorical_crossentropy', data: 'teacher' };

/** Largest absolute difference between two parameter lists. */
function maxDiff(a: { weight: Float32Array; bias: Float32Array }[], b: { weight: Float32Array; bias: Float32Array }[]): number {
  let m = 0;
  a.forEach((p, l) => {
    p.weight.forEach((v, i) => (m = Math.max(m, Math.abs(v - b[l].weight[i]))));
    p.bias.forEach((v, i) => (m = Math.max(m, Math.abs(v - b[l].bias[i]))));
  });
  return m;
}

describe('bench peers', () => {
  before(async () => assert.equal(await useTfjsBackend('cpu'), true));

  it('workload data is seeded, labelled, and the nn/1 doc matches the layers', () => {
    const w = WORKLOADS[0];
    const a = makeWorkloadData(w), b = makeWorkloadData(w);
    assert.deepEqual(a.x, b.x);
    assert.equal(a.x.length, w.samples * w.inputs);
    const ones = a.y.reduce((s, v) => s + v, 0);
    assert.ok(ones > 0.2 * w.samples && ones < 0.8 * w.samples, `${ones} positives`);
    const doc = workloadDoc(WORKLOADS[2]);
    assert.deepEqual(doc.nodes.map((n) => n.id), ['x', 'd1', 'd2', 'd3']);
    assert.deepEqual(doc.edges, [{ from: 'x', to: 'd1' }, { from: 'd1', to: 'd2' }, { from: 'd2', to: 'd3' }]);
    assert.equal(doc.training?.optimizer?.learningRate, 0.1);
  });

  for (const w of [WORKLOADS[0], WORKLOADS[1], SOFTMAX]) {
    it(`${w.name} (${w.loss}): the hand-written loop and TF.js take the same SGD steps`, () => {
      const data = makeWorkloadData(w);
      const hand = createHandLoop(w, data);
      const tfjs = createTfjsTrainer(w, data);
      try {
        assert.ok(maxDiff(hand.params, tfjs.params()) === 0, 'both start from the same weights');
        const before = tfjs.loss(0);
        const handLoss = hand.step(0);
        assert.ok(Math.abs(handLoss - before) < 1e-4 * Math.max(1, before), `loss ${handLoss} vs ${before}`);
        tfjs.step(0);
        for (let b = 1; b < 4; b++) {
          hand.step(b);
          tfjs.step(b);
        }
        const d = maxDiff(hand.params, tfjs.params());
        assert.ok(d < 1e-5, `parameters differ by ${d}`);
        assert.ok(maxDiff(hand.params, createHandLoop(w, data).params) > 1e-3, 'the steps changed the weights');
      } finally {
        tfjs.dispose();
      }
    });
  }

  it('the cnn workload is issue 12\'s network, drawn as an nn/1 image network ours compiles from the shared weights', () => {
    const w = WORKLOADS.find((x) => x.name === 'cnn')!;
    assert.deepEqual([w.image, w.batch, w.loss], [[28, 28, 1], 64, 'categorical_crossentropy']);
    const doc = workloadDoc(w);
    assert.deepEqual(doc.nodes.map((n) => `${n.id}:${n.type}`), ['x:input', 'c1:conv2d', 'p1:maxpool2d', 'c2:conv2d', 'p2:maxpool2d', 'flat:flatten', 'd1:dense', 'd2:dense']);
    const analysis = analyzeNetwork(doc);
    // Keras' shapes and count: 320 + 18,496 + (5·5·64·128 + 128) + 1,290.
    assert.deepEqual([analysis.shapes.get('p2'), analysis.shapes.get('flat'), analysis.totalParams], [[5, 5, 64], [1600], 225_034]);
    assert.deepEqual(paramLayers(w).map((p) => p.weightShape), [[32, 3, 3, 1], [64, 3, 3, 32], [128, 1600], [10, 128]]);
    const params = initialParams(w);
    assert.equal(flattenParams(params).length, 225_034);
    assert.deepEqual(unflattenParams(w, flattenParams(params)), params);
    const net = compileNetwork(doc, analysis, { weights: weightMapOf(w, params) });
    assert.deepEqual(net.weights.get('c2.weight')?.shape, [64, 3, 3, 32]);
    assert.deepEqual(net.weights.get('c2.weight')?.data, params[1].weight);
    // The dense workloads keep their ids and their initial weights (the same seeded draws as before).
    assert.deepEqual(paramLayers(WORKLOADS[2]).map((p) => p.id), ['d1', 'd2', 'd3']);
  });

  it('TF.js on wasm (no Conv2DBackpropFilter kernel: the gradient given by hand) takes the same SGD steps as on cpu (its own gradients)', async () => {
    const data = makeWorkloadData(SMALL_IMAGE);
    const run = () => {
      const t = createTfjsTrainer(SMALL_IMAGE, data);
      try {
        const first = t.loss(0);
        for (let b = 0; b < t.batches; b++) t.step(b);
        return { first, params: t.params() };
      } finally {
        t.dispose();
      }
    };
    const cpu = run();
    try {
      assert.equal(await useTfjsBackend('wasm'), true);
      const wasm = run();
      assert.ok(Math.abs(cpu.first - wasm.first) < 1e-5, `loss ${cpu.first} vs ${wasm.first}`);
      const d = maxDiff(cpu.params, wasm.params);
      assert.ok(d < 1e-5, `parameters differ by ${d}`);
      assert.ok(maxDiff(cpu.params, initialParams(SMALL_IMAGE)) > 1e-3, 'the steps changed the weights');
    } finally {
      assert.equal(await useTfjsBackend('cpu'), true);
    }
  });

  it('ours through train() and TF.js take the same SGD steps on an image workload (same layouts, same flatten order)', async () => {
    const w = SMALL_IMAGE;
    const data = makeWorkloadData(w);
    const tfjs = createTfjsTrainer(w, data);
    let theirs: { weight: Float32Array; bias: Float32Array }[];
    try {
      for (let b = 0; b < tfjs.batches; b++) tfjs.step(b);
      theirs = tfjs.params();
    } finally {
      tfjs.dispose();
    }
    const doc = workloadDoc(w);
    const net = compileNetwork(doc, analyzeNetwork(doc), { weights: weightMapOf(w, initialParams(w)) });
    const ds = { x: data.x, y: data.y, count: w.samples, inputSize: w.inputs, outputSize: 3, featureNames: [], labelNames: ['a', 'b', 'c'], task: 'multiclass' as const, shape: [...w.image!] };
    await train(net, { train: ds }, { ...trainSettingsFrom(doc.training), epochs: 1, validationSplit: 0, shuffle: false }, { backend: 'cpu', onEvent: () => undefined });
    const ours = paramLayers(w).map((p) => ({ weight: net.weights.get(`${p.id}.weight`)!.data, bias: net.weights.get(`${p.id}.bias`)!.data }));
    const d = maxDiff(ours, theirs);
    assert.ok(d < 1e-5, `parameters differ by ${d}`);
    assert.ok(maxDiff(ours, initialParams(w)) > 1e-3, 'the steps changed the weights');
  });

  it('the hand-written loop learns the tiny workload (its loss halves in 30 epochs)', () => {
    const w = WORKLOADS[0];
    const hand = createHandLoop(w, makeWorkloadData(w));
    const epoch = () => Array.from({ length: hand.batches }, (_, b) => hand.step(b)).reduce((a, b) => a + b) / hand.batches;
    const first = epoch();
    let last = first;
    for (let e = 0; e < 30; e++) last = epoch();
    assert.ok(last < first * 0.5, `loss ${first} → ${last}`);
  });
});
