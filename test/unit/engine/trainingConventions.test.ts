/**
 * The training conventions docs/format.md states ("Training, exactly"), checked end to end
 * through the engine's train(): a linear layer trained with MSE on five rows in batches of two
 * (so the last batch of each epoch holds one row), two epochs, no shuffling, against the same
 * run written out by hand in float64. Each optimizer's update, L1/L2 on the weights only, the
 * penalty left out of the reported loss, and the epoch loss as the row-weighted mean of the
 * batch losses are all in the hand-written version; a disagreement in any of them fails.
 */
import * as assert from 'node:assert/strict';
import type { Dataset } from '../../../src/engine/data';
import { compileNetwork, train, type OptimizerSettings, type TrainSettings } from '../../../src/engine';
import { checkNetwork, type NetworkDoc } from '../../../src/model';

const X = [[1, 2], [-1, 0.5], [0.3, -2], [2, 1], [-0.5, -1]];
const Y = [1, -1, 0.5, 2, 0];
const W0 = [0.4, -0.3];
const B0 = 0.1;

function dataset(): Dataset {
  return {
    x: Float32Array.from(X.flat()), y: Float32Array.from(Y), count: X.length, inputSize: 2, outputSize: 1,
    featureNames: ['a', 'b'], labelNames: ['t'], task: 'regression',
  };
}

function network() {
  const doc = {
    format: 'nn/1',
    nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'y', type: 'dense', units: 1, activation: 'linear', weights: [W0], bias: [B0] }],
    edges: [{ from: 'x', to: 'y' }],
  };
  const r = checkNetwork(JSON.stringify(doc));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { seed: 1 });
}

const optimizer = (o: Partial<OptimizerSettings> & Pick<OptimizerSettings, 'type' | 'learningRate'>): OptimizerSettings =>
  ({ momentum: 0, nesterov: false, beta1: 0.9, beta2: 0.999, rho: 0.9, epsilon: 1e-7, ...o });

function settings(opt: OptimizerSettings, l1: number, l2: number): TrainSettings {
  return { loss: 'mse', optimizer: opt, batchSize: 2, epochs: 2, validationSplit: 0, shuffle: false, seed: 1, l1, l2 };
}

/** The run by hand, float64: parameter p = [w1, w2, b]; regularised only where isWeight. */
function byHand(opt: OptimizerSettings, l1: number, l2: number, epochs: number, batch: number): { p: number[]; epochLoss: number[] } {
  const p = [...W0, B0];
  const isWeight = [true, true, false];
  const s1 = [0, 0, 0], s2 = [0, 0, 0];
  let t = 0;
  const epochLoss: number[] = [];
  for (let e = 0; e < epochs; e++) {
    let weighted = 0;
    for (let start = 0; start < X.length; start += batch) {
      const rows = [...Array(Math.min(batch, X.length - start)).keys()].map((i) => start + i);
      const n = rows.length;
      const g = [0, 0, 0];
      let loss = 0;
      for (const r of rows) {
        const err = p[0] * X[r][0] + p[1] * X[r][1] + p[2] - Y[r];
        loss += (err * err) / n;
        const d = (2 * err) / n;
        g[0] += d * X[r][0]; g[1] += d * X[r][1]; g[2] += d;
      }
      weighted += loss * n; // the batch's mean loss, before its update, without the penalty
      t++;
      for (let i = 0; i < 3; i++) {
        const gi = g[i] + (isWeight[i] ? 2 * l2 * p[i] + l1 * Math.sign(p[i]) : 0);
        if (opt.type === 'sgd') {
          if (opt.momentum === 0) { p[i] -= opt.learningRate * gi; continue; }
          s1[i] = opt.momentum * s1[i] - opt.learningRate * gi;
          p[i] += opt.nesterov ? opt.momentum * s1[i] - opt.learningRate * gi : s1[i];
        } else if (opt.type === 'adam') {
          s1[i] = opt.beta1 * s1[i] + (1 - opt.beta1) * gi;
          s2[i] = opt.beta2 * s2[i] + (1 - opt.beta2) * gi * gi;
          const mHat = s1[i] / (1 - opt.beta1 ** t), vHat = s2[i] / (1 - opt.beta2 ** t);
          p[i] -= (opt.learningRate * mHat) / (Math.sqrt(vHat) + opt.epsilon);
        } else {
          s1[i] = opt.rho * s1[i] + (1 - opt.rho) * gi * gi;
          p[i] -= (opt.learningRate * gi) / (Math.sqrt(s1[i]) + opt.epsilon);
        }
      }
    }
    epochLoss.push(weighted / X.length);
  }
  return { p, epochLoss };
}

const cases: { name: string; opt: OptimizerSettings; l1: number; l2: number }[] = [
  { name: 'SGD with momentum and L2', opt: optimizer({ type: 'sgd', learningRate: 0.05, momentum: 0.9 }), l1: 0, l2: 0.1 },
  { name: 'SGD with Nesterov momentum, L1 and L2', opt: optimizer({ type: 'sgd', learningRate: 0.05, momentum: 0.8, nesterov: true }), l1: 0.05, l2: 0.02 },
  { name: 'plain SGD, no regularisation', opt: optimizer({ type: 'sgd', learningRate: 0.05 }), l1: 0, l2: 0 },
  // A large ε tells "√v̂ + ε" apart from other placements (ε inside the root, or added to √v before bias correction).
  { name: 'Adam with ε = 0.5 and L2', opt: optimizer({ type: 'adam', learningRate: 0.05, beta1: 0.8, beta2: 0.9, epsilon: 0.5 }), l1: 0, l2: 0.1 },
  { name: 'RMSprop with ε = 0.5 and L1', opt: optimizer({ type: 'rmsprop', learningRate: 0.05, rho: 0.7, epsilon: 0.5 }), l1: 0.1, l2: 0 },
];

describe('training conventions (docs/format.md), end to end on the CPU', () => {
  for (const c of cases) {
    it(`${c.name}: weights, bias and the epoch losses match the run by hand`, async () => {
      const result = await train(network(), { train: dataset() }, settings(c.opt, c.l1, c.l2), { backend: 'cpu', eventEveryMs: 0, onEvent: () => {} });
      const expected = byHand(c.opt, c.l1, c.l2, 2, 2);
      const w = Array.from(result.weights.get('y.weight')!.data);
      const b = result.weights.get('y.bias')!.data[0];
      const close = (a: number, e: number, what: string) => assert.ok(Math.abs(a - e) <= 1e-5 * Math.max(1, Math.abs(e)), `${what}: engine ${a}, by hand ${e}`);
      close(w[0], expected.p[0], 'w1');
      close(w[1], expected.p[1], 'w2');
      close(b, expected.p[2], 'bias');
      assert.equal(result.history.length, 2);
      result.history.forEach((h, i) => close(h.loss, expected.epochLoss[i], `epoch ${i + 1} loss`));
      close(result.loss, expected.epochLoss[1], 'reported loss');
    });
  }

  it('the bias is not regularised: with L2 alone its path is the same as without L2 only through the weights', async () => {
    // With one step of plain SGD from the same start, L2 changes the weights' update by lr·2λw and leaves the bias's update alone.
    const one = (l2: number) => train(network(), { train: dataset() }, { ...settings(optimizer({ type: 'sgd', learningRate: 0.1 }), 0, l2), batchSize: 5, epochs: 1 }, { backend: 'cpu', eventEveryMs: 0, onEvent: () => {} });
    const [plain, reg] = [await one(0), await one(0.5)];
    assert.ok(Math.abs(plain.weights.get('y.bias')!.data[0] - reg.weights.get('y.bias')!.data[0]) < 1e-7);
    const dw = Array.from(plain.weights.get('y.weight')!.data).map((v, i) => v - reg.weights.get('y.weight')!.data[i]);
    dw.forEach((d, i) => assert.ok(Math.abs(d - 0.1 * 2 * 0.5 * W0[i]) < 1e-6, `w${i + 1}: ${d}`));
    assert.ok(Math.abs(plain.loss - reg.loss) < 1e-7, 'the reported loss leaves the penalty out');
  });
});
