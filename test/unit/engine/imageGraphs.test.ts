/**
 * Image graphs beyond a chain, checked by Check Gradients (autograd on the engine against central
 * differences of the independent float64 forward pass): a vector reshaped into an image, two
 * conv branches joined by add and by concat on the channel axis, global average pooling, batch
 * norm on a vector, and a dense layer reading the same image as a flatten does. And they train.
 */
import { strict as assert } from 'node:assert';
import { compileNetwork, train, type TrainSettings } from '../../../src/engine';
import type { Dataset } from '../../../src/engine/data';
import { checkNetwork, type NetworkDoc } from '../../../src/model';
import { checkGradients } from '../../../src/trainer/gradientCheck';
import { CONV_SETTINGS } from './smallConvnet';

const DESIGN = {
  format: 'nn/1',
  nodes: [
    { id: 'v', type: 'input', units: 24 },
    { id: 'img', type: 'reshape', shape: [4, 3, 2] },
    { id: 'a', type: 'conv2d', filters: 3, kernelSize: 2, padding: 'same', activation: 'relu' },
    { id: 'b', type: 'conv2d', filters: 3, kernelSize: [3, 1], padding: 'same', activation: 'tanh' },
    { id: 'sum', type: 'add' },
    { id: 'cat', type: 'concat' },
    { id: 'mp', type: 'maxpool2d', poolSize: 2, padding: 'same' },
    { id: 'gap', type: 'globalavgpool2d' },
    { id: 'bn', type: 'batchnorm', momentum: 0.8 },
    { id: 'drop', type: 'dropout', rate: 0.2 },
    { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' },
  ],
  edges: [
    { from: 'v', to: 'img' }, { from: 'img', to: 'a' }, { from: 'img', to: 'b' },
    { from: 'a', to: 'sum' }, { from: 'b', to: 'sum' }, { from: 'sum', to: 'cat' }, { from: 'a', to: 'cat' },
    { from: 'cat', to: 'mp' }, { from: 'mp', to: 'gap' }, { from: 'gap', to: 'bn' }, { from: 'bn', to: 'drop' }, { from: 'drop', to: 'y' },
  ],
};

function network() {
  const r = checkNetwork(JSON.stringify(DESIGN));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  assert.deepEqual(r.analysis!.shapes.get('cat'), [4, 3, 6]);
  assert.deepEqual(r.analysis!.shapes.get('gap'), [6]);
  return compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { seed: 21 });
}

describe('image graphs: reshape, add and concat of conv branches, global pooling, batch norm on a vector', function () {
  this.timeout(60_000);

  it('Check Gradients agrees with autograd for every trained tensor', async () => {
    const net = network();
    net.weights.get('bn.moving_mean')!.data.set([0.1, -0.2, 0.3, 0, 0.05, -0.1]);
    net.weights.get('bn.moving_variance')!.data.set([0.6, 1.4, 0.9, 1.1, 0.7, 2]);
    const rows = new Float32Array(2 * 24).map((_, i) => Math.sin(i * 1.1) + 0.2);
    const result = await checkGradients(net, rows, 2, 'net.nn');
    assert.deepEqual(result.rows.map((r) => r.tensor), ['a.weight', 'a.bias', 'b.weight', 'b.bias', 'bn.gamma', 'bn.beta', 'y.weight', 'y.bias']);
    for (const row of result.rows) {
      assert.ok(row.analyticNorm > 0, `${row.tensor}: a gradient flows`);
      assert.ok(row.relativeError < 1e-3, `${row.tensor}: relative error ${row.relativeError}`);
    }
  });

  it('trains (the loss falls) with dropout and a short last batch', async () => {
    const count = 30;
    const x = new Float32Array(count * 24).map((_, i) => Math.sin(i * 0.37) + Math.cos(i * 0.11));
    const y = new Float32Array(count).map((_, r) => (x[r * 24] + x[r * 24 + 5] > 0 ? 1 : 0));
    const data: Dataset = { x, y, count, inputSize: 24, outputSize: 1, featureNames: [], labelNames: ['t'], task: 'binary' };
    const settings: TrainSettings = { ...CONV_SETTINGS, loss: 'binary_crossentropy', batchSize: 8, epochs: 15, shuffle: true, optimizer: { ...CONV_SETTINGS.optimizer, type: 'adam', learningRate: 0.02 } };
    const result = await train(network(), { train: data }, settings, { backend: 'cpu', onEvent: () => undefined });
    assert.ok(result.history[result.history.length - 1].loss < 0.8 * result.history[0].loss, `loss ${result.history[0].loss} → ${result.loss}`);
  });
});
