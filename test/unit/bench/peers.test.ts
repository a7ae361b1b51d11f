import * as assert from 'node:assert/strict';
import { createHandLoop } from '../../../bench/peers/handLoop';
import { createTfjsTrainer, useTfjsBackend } from '../../../bench/peers/tfjs';
import { makeWorkloadData, WORKLOADS, workloadDoc, type Workload } from '../../../bench/workloads';

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
