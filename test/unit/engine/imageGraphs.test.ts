/**
 * Image graphs beyond a chain, checked by Check Gradients (autograd on the engine against central
 * differences of the independent float64 forward pass): a vector reshaped into an image, two
 * conv branches joined by add and by concat on the channel axis, global average pooling, batch
 * norm on a vector, and a dense layer reading the same image as a flatten does. And they train.
 */
import { strict as assert } from 'node:assert';
import { compileNetwork, hasInlineWeights, predict, train, type TrainSettings } from '../../../src/engine';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { EngineSession } from '../../../src/engine/session';
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

  it('training-mode batch norm in a residual block: each parameter\'s gradient is the loss\'s finite difference', async () => {
    // bn0 normalises the input itself (no gradient flows there); conv 'a' feeds both bn1 and the
    // add, so its gradient sums two paths through the batch statistics.
    const r = checkNetwork(JSON.stringify({
      format: 'nn/1',
      nodes: [
        { id: 'x', type: 'input', shape: [4, 4, 2] }, { id: 'bn0', type: 'batchnorm' },
        { id: 'a', type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same' }, { id: 'bn1', type: 'batchnorm' },
        { id: 'r', type: 'activation', activation: 'tanh' }, { id: 'res', type: 'add' },
        { id: 'gap', type: 'globalavgpool2d' }, { id: 'y', type: 'dense', units: 3, activation: 'softmax' },
      ],
      edges: [
        { from: 'x', to: 'bn0' }, { from: 'bn0', to: 'a' }, { from: 'a', to: 'bn1' }, { from: 'bn1', to: 'r' },
        { from: 'a', to: 'res' }, { from: 'r', to: 'res' }, { from: 'res', to: 'gap' }, { from: 'gap', to: 'y' },
      ],
    }));
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    const net = compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { seed: 8 });
    const batch = 5;
    const backend = new CpuBackend();
    const engine = new EngineSession(backend, net);
    const tp = engine.buildTrain(batch, 'categorical_crossentropy', { ...CONV_SETTINGS.optimizer, learningRate: 0, momentum: 0 }, { l1: 0, l2: 0 });
    backend.write(tp.inputs[0].buf, new Float32Array(batch * 32).map((_, i) => Math.sin(i * 0.61) + 0.3 * Math.cos(i * 2.3)));
    backend.write(tp.target.buf, new Float32Array(batch * 3).map((_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)));
    // The loss of one run of the step program (its loss buffer sums runs; the learning rate is 0).
    const loss = async (): Promise<number> => {
      const before = (await backend.read(tp.lossSum.buf))[0];
      tp.program.run();
      return (await backend.read(tp.lossSum.buf))[0] - before;
    };
    await loss();
    for (const key of ['bn1.gamma', 'bn1.beta', 'a.weight', 'a.bias', 'bn0.gamma', 'bn0.beta', 'y.weight']) {
      const p = engine.params.get(key)!;
      const analytic = await backend.read(tp.grads.get(key)!.buf);
      const w = await backend.read(p.buf);
      for (const i of [0, Math.floor(w.length / 2), w.length - 1]) {
        const h = 1e-2, keep = w[i];
        w[i] = keep + h; backend.write(p.buf, w); const up = await loss();
        w[i] = keep - h; backend.write(p.buf, w); const down = await loss();
        w[i] = keep; backend.write(p.buf, w);
        const numeric = (up - down) / (2 * h);
        assert.ok(Math.abs(analytic[i] - numeric) <= 2e-2 * Math.abs(numeric) + 2e-4, `${key}[${i}]: autograd ${analytic[i]} vs finite difference ${numeric}`);
      }
    }
  });

  it('reads inline conv weights as [filters][kernelH][kernelW][inputChannels] and predicts with them untrained', async () => {
    const r = checkNetwork(JSON.stringify({
      format: 'nn/1',
      nodes: [
        { id: 'x', type: 'input', shape: [2, 2, 2] },
        // Two filters: the first weights the input cell (ky, kx, c) by 1…8 in that order, the second by −1.
        { id: 'c', type: 'conv2d', filters: 2, kernelSize: 2, weights: [[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[[-1, -1], [-1, -1]], [[-1, -1], [-1, -1]]]], bias: [0.5, 0] },
        { id: 'f', type: 'flatten' },
      ],
      edges: [{ from: 'x', to: 'c' }, { from: 'c', to: 'f' }],
    }));
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    const doc = r.parsed.doc as NetworkDoc;
    assert.ok(hasInlineWeights(doc));
    const net = compileNetwork(doc, r.analysis!);
    assert.deepEqual(net.weights.get('c.weight')!.shape, [2, 2, 2, 2]);
    // The input (y, x, c) row-major, channels last: 1…8, so filter 0 gives Σ i² = 204 (+ 0.5).
    const out = await predict(net, Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 1);
    assert.deepEqual(Array.from(out), [204.5, -36]);
  });
});
