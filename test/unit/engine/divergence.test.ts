/**
 * A diverging run stops at the step where its loss turns NaN/Inf or explodes, on every backend
 * (the WebGPU backend used to notice only at the end of an epoch, and never an exploding loss).
 */
import * as assert from 'node:assert/strict';
import { generateData, splitData } from '../../../src/engine/data';
import { compileNetwork, train, trainSettingsFrom, TrainError, type TrainEvent } from '../../../src/engine';
import { SIMD_SGD_FROM } from '../../../src/engine/cpu/cpuFused';
import { DivergenceWatch, LOSS_EXPLOSION_FACTOR, LOSS_EXPLOSION_FLOOR } from '../../../src/engine/divergence';
import { checkNetwork, type NetworkDoc } from '../../../src/model';
import { backendsUnderTest } from './backends';

/** Trains a generated-data design; resolves with the TrainError it fails with, or fails the test. */
async function diverge(docObj: object, backend: 'cpu' | 'webgpu'): Promise<{ error: TrainError; events: TrainEvent[]; stepsPerEpoch: number }> {
  const r = checkNetwork(JSON.stringify(docObj));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const doc = r.parsed.doc as NetworkDoc;
  const settings = trainSettingsFrom(doc.training);
  // Rates far beyond what the file format accepts: set here, as `nn train --lr` does.
  settings.optimizer.learningRate = (docObj as { lr: number }).lr;
  const split = splitData(generateData(doc.training!.data as never, settings.seed), settings.validationSplit, { seed: settings.seed, shuffle: true });
  const net = compileNetwork(doc, r.analysis!, { seed: settings.seed });
  const events: TrainEvent[] = [];
  try {
    await train(net, split, settings, { backend, eventEveryMs: 1e9, onEvent: (e) => events.push(e) });
  } catch (e) {
    if (!(e instanceof TrainError)) throw e;
    const start = events.find((x) => x.type === 'start');
    return { error: e, events, stepsPerEpoch: start?.type === 'start' ? start.stepsPerEpoch : 0 };
  }
  const done = events.find((x) => x.type === 'done');
  assert.fail(`the run was not stopped: ${done?.type === 'done' ? `it ended with loss ${done.loss}` : 'no error'}`);
}

const spiral3 = {
  format: 'nn/1', lr: 1000,
  nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'h', type: 'dense', units: 16, activation: 'relu' }, { id: 'y', type: 'dense', units: 3, activation: 'softmax' }],
  edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }],
  training: { data: { generator: 'spiral', classes: 3, samples: 1200, noise: 0 }, loss: 'categorical_crossentropy', optimizer: { type: 'adam' }, batchSize: 16, epochs: 5, seed: 3 },
};
const xorNaN = {
  format: 'nn/1', lr: 1e30,
  nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'h', type: 'dense', units: 8, activation: 'relu' }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' }],
  edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }],
  training: { data: { generator: 'xor', samples: 1600 }, loss: 'binary_crossentropy', optimizer: { type: 'adam' }, batchSize: 16, epochs: 5, seed: 7 },
};

/** Huge hidden weights: step 1's loss is finite (~4e29) but its SGD update sends y.weight to Inf. */
const infWeights = {
  format: 'nn/1', lr: 1e10,
  nodes: [
    { id: 'x', type: 'input', units: 2 },
    { id: 'h', type: 'dense', units: 2, activation: 'linear', weights: [[1e30, 1e30], [1e30, -1e30]], bias: [0, 0] },
    { id: 'y', type: 'dense', units: 1, activation: 'sigmoid', weights: [[1, 1]], bias: [0] },
  ],
  edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }],
  training: { data: { generator: 'xor', samples: 640 }, loss: 'binary_crossentropy', optimizer: { type: 'sgd' }, batchSize: 32, epochs: 2, seed: 1, validationSplit: 0 },
};
/**
 * infWeights with 256 hidden units: y.weight's 256 weights (plain SGD's SIMD kernel on the CPU,
 * whose own pass is the step's weight check there) go to Inf at step 1.
 */
const infWideWeights = {
  ...infWeights,
  nodes: [
    infWeights.nodes[0],
    { id: 'h', type: 'dense', units: 256, activation: 'linear', weights: Array.from({ length: 256 }, (_, i) => [1e30, i % 2 ? -1e30 : 1e30]), bias: new Array(256).fill(0) },
    { id: 'y', type: 'dense', units: 1, activation: 'sigmoid', weights: [new Array(256).fill(1)], bias: [0] },
  ],
};

describe('divergence watch', () => {
  it('flags NaN/Inf, and a loss above both 1e4 × the first step loss and the floor', () => {
    const w = new DivergenceWatch();
    assert.equal(w.check(0.7), undefined);
    assert.equal(w.check(0.7 * LOSS_EXPLOSION_FACTOR * 0.99), undefined);
    assert.equal(w.check(0.7 * LOSS_EXPLOSION_FACTOR * 1.01), 'exploded');
    assert.equal(w.check(NaN), 'nonFinite');
    assert.equal(w.check(-Infinity), 'nonFinite');
  });

  it('does not flag ordinary noise after a tiny first loss (the floor)', () => {
    const w = new DivergenceWatch();
    assert.equal(w.check(1e-6), undefined);
    assert.equal(w.check(LOSS_EXPLOSION_FLOOR * 0.9), undefined, 'below the floor, though 1e7 × the first loss');
    assert.equal(w.check(LOSS_EXPLOSION_FLOOR * 1.1), 'exploded');
  });
});

for (const entry of backendsUnderTest) {
  describe(`divergence on the ${entry.name} backend`, function () {
    this.timeout(180000);
    const backend = entry.name as 'cpu' | 'webgpu';
    before(async function () {
      const b = await entry.create();
      if (!b) this.skip(); // only with NN_SKIP_WEBGPU=1, which prints a loud notice (backends.ts)
      b!.dispose();
    });

    it('stops Adam + cross-entropy at lr 1000 at the step its loss explodes, with the message users act on', async () => {
      const { error, events, stepsPerEpoch } = await diverge(spiral3, backend);
      assert.match(error.message, /^training diverged at epoch 1, step (\d+) \(step \1 of the run\): loss [\d.e+]+ is more than 1e4 times the first step's loss \([\d.]+\)\. Try a lower learning rate/);
      assert.ok(error.step !== undefined && error.step <= 3, `stopped at step ${error.step}`);
      assert.ok(error.step < stepsPerEpoch, 'not at the end of the epoch');
      const reported = events.find((e) => e.type === 'error');
      assert.ok(reported?.type === 'error' && reported.step === error.step && reported.message === error.message);
      assert.ok(!events.some((e) => e.type === 'epoch' || e.type === 'done'), 'no epoch finished, nothing done');
    });

    it('stops at the step the weights turn NaN/Inf, though that step\'s loss was finite', async () => {
      const { error } = await diverge(infWeights, backend);
      assert.match(error.message, /^training diverged at epoch 1, step 1 \(step 1 of the run\): loss [\d.e+]+; the weights of layer y \(weight, index \d\) became NaN\/Inf/);
      assert.equal(error.step, 1);
      assert.equal(error.layer, 'y');
    });

    it('stops at the step a wide layer\'s plain SGD update sends its weights to Inf', async () => {
      assert.ok(infWideWeights.nodes[2].weights![0].length >= SIMD_SGD_FROM, 'y.weight takes the SIMD update');
      const { error } = await diverge(infWideWeights, backend);
      assert.match(error.message, /^training diverged at epoch 1, step 1 \(step 1 of the run\): loss [\d.e+]+; the weights of layer y \(weight, index \d+\) became NaN\/Inf/);
      assert.equal(error.step, 1);
      assert.equal(error.layer, 'y');
    });

    it('stops at the step the loss turns NaN, not at the end of the epoch', async () => {
      const { error, stepsPerEpoch } = await diverge(xorNaN, backend);
      assert.match(error.message, /^training diverged at epoch 1, step 2 \(step 2 of the run\): loss (NaN|-?Infinity); /);
      assert.equal(error.step, 2);
      assert.ok(stepsPerEpoch > 50);
    });
  });
}
