/**
 * Batch norm as a user relies on it: its moving statistics follow Keras' rule while training and
 * are neither trained nor penalised; they are saved with the weights and restored; a weights file
 * without them does not fit; prediction uses them (a sample gives the same output alone or within
 * a batch); and Check Gradients (autograd against a float64 forward pass) agrees on a conv net
 * with batch norm in inference mode.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { compileNetwork, gradients, predict, type TrainSettings } from '../../../src/engine';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import type { Dataset } from '../../../src/engine/data';
import { TrainingSession } from '../../../src/engine/trainingSession';
import { readWeightsFile, writeWeightsFile, WeightsMismatchError } from '../../../src/engine/weights';
import { checkNetwork, type NetworkDoc } from '../../../src/model';
import { forward64 } from '../../../src/trainer/forward64';
import { checkGradients } from '../../../src/trainer/gradientCheck';
import { CONV_SETTINGS, SMALL_CONVNET, smallConvnet, smallImages } from './smallConvnet';

function compiled(design: object, seed = 2) {
  const r = checkNetwork(JSON.stringify({ format: 'nn/1', ...design }));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return { net: compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { seed }), doc: r.parsed.doc as NetworkDoc, analysis: r.analysis! };
}

async function trained(steps: number): Promise<{ session: TrainingSession; data: Dataset }> {
  const data = smallImages();
  const session = new TrainingSession(new CpuBackend(), smallConvnet(), { train: data }, CONV_SETTINGS);
  for (let s = 0; s < steps; s++) await session.step();
  await session.finalWeights();
  return { session, data };
}

describe('batch norm: moving statistics and inference', function () {
  this.timeout(60_000);

  it('updates the moving statistics by Keras\' rule with the biased batch variance, untouched by Adam, L1 and L2', async () => {
    const { net } = compiled({
      nodes: [{ id: 'x', type: 'input', units: 3 }, { id: 'bn', type: 'batchnorm', momentum: 0.9 }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' }],
      edges: [{ from: 'x', to: 'bn' }, { from: 'bn', to: 'y' }],
    });
    const rows = 12;
    const x = new Float32Array(rows * 3).map((_, i) => Math.sin(i * 1.3) * (1 + (i % 3)) + (i % 3));
    const y = new Float32Array(rows).map((_, i) => (i % 2));
    const settings: TrainSettings = {
      ...CONV_SETTINGS, loss: 'binary_crossentropy', batchSize: rows, shuffle: false, l1: 0.1, l2: 0.1,
      optimizer: { ...CONV_SETTINGS.optimizer, type: 'adam', learningRate: 0.1 },
    };
    const data: Dataset = { x, y, count: rows, inputSize: 3, outputSize: 1, featureNames: ['a', 'b', 'c'], labelNames: ['t'], task: 'binary' };
    const session = new TrainingSession(new CpuBackend(), net, { train: data }, settings);
    try {
      const steps = 3;
      for (let s = 0; s < steps; s++) await session.step();
      const w = await session.readWeights();
      const keep = 0.9 ** steps; // every step sees the same full batch
      for (let c = 0; c < 3; c++) {
        const col = Array.from({ length: rows }, (_, r) => x[r * 3 + c]);
        const mean = col.reduce((a, b) => a + b, 0) / rows;
        const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / rows;
        assert.ok(Math.abs(w.get('bn.moving_mean')!.data[c] - (1 - keep) * mean) < 1e-5, `moving mean of channel ${c}`);
        assert.ok(Math.abs(w.get('bn.moving_variance')!.data[c] - (keep + (1 - keep) * variance)) < 1e-5, `moving variance of channel ${c}`);
      }
      // gamma and beta are trained (they moved).
      assert.ok(w.get('bn.gamma')!.data.some((v) => Math.abs(v - 1) > 1e-3));
    } finally {
      session.dispose();
    }
  });

  it('saves the moving statistics with the weights and restores them: the reloaded design predicts exactly as the trained session', async () => {
    const { session, data } = await trained(7);
    const dir = mkdtempSync(path.join(tmpdir(), 'nn-bn-'));
    try {
      const weights = await session.readWeights();
      const mm = weights.get('bn.moving_mean')!, mv = weights.get('bn.moving_variance')!;
      assert.deepEqual(mm.shape, [4]);
      assert.ok(mm.data.some((v) => v !== 0) && mv.data.some((v) => v !== 1), 'training moved the moving statistics');
      assert.deepEqual(weights.get('conv.weight')!.shape, [4, 3, 3, 2], 'conv kernels keep their rank-4 shape [filters, kh, kw, c]');
      const file = path.join(dir, 'net.weights.safetensors');
      await writeWeightsFile(file, weights);
      const loaded = await readWeightsFile(file);
      assert.deepEqual([...loaded.tensors.keys()], [...weights.keys()]);
      const r = checkNetwork(JSON.stringify(SMALL_CONVNET));
      const restored = compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { weights: loaded.tensors });
      assert.deepEqual(Array.from(restored.weights.get('bn.moving_variance')!.data), Array.from(mv.data));
      const want = await session.predict(data.x, data.count);
      const got = await predict(restored, data.x, data.count);
      assert.deepEqual(Array.from(got), Array.from(want));
    } finally {
      session.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a weights file without the moving statistics (it does not fit the design)', async () => {
    const { session } = await trained(1);
    const weights = await session.readWeights();
    session.dispose();
    weights.delete('bn.moving_variance');
    const r = checkNetwork(JSON.stringify(SMALL_CONVNET));
    assert.throws(() => compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { weights }), (e: unknown) => e instanceof WeightsMismatchError && /bn\.moving_variance/.test(e.message));
  });

  it('predicts with the moving statistics: a sample gives the same output alone as within a batch', async () => {
    const { session, data } = await trained(10);
    try {
      const width = data.inputSize;
      const all = await session.predict(data.x, data.count);
      for (const r of [0, 7, 19]) {
        const alone = await session.predict(data.x.slice(r * width, (r + 1) * width), 1);
        for (let k = 0; k < 3; k++) assert.ok(Math.abs(alone[k] - all[r * 3 + k]) < 1e-6, `sample ${r}, class ${k}: ${alone[k]} alone vs ${all[r * 3 + k]} in the batch`);
      }
      // evaluate() predicts the same way.
      const ev = await session.evaluate();
      assert.deepEqual(Array.from(ev.predictions ?? all), Array.from(all));
    } finally {
      session.dispose();
    }
  });

  it('Check Gradients agrees with autograd on a conv net with batch norm, pooling and a strided conv; nn grad\'s input gradient too', async () => {
    const { net } = compiled({
      nodes: [
        { id: 'x', type: 'input', shape: [5, 4, 2] },
        { id: 'c1', type: 'conv2d', filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' },
        { id: 'bn', type: 'batchnorm' },
        { id: 'c2', type: 'conv2d', filters: 2, kernelSize: [2, 1], activation: 'elu' },
        { id: 'ap', type: 'avgpool2d', poolSize: 2, padding: 'same' },
        { id: 'f', type: 'flatten' },
        { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' },
      ],
      edges: [{ from: 'x', to: 'c1' }, { from: 'c1', to: 'bn' }, { from: 'bn', to: 'c2' }, { from: 'c2', to: 'ap' }, { from: 'ap', to: 'f' }, { from: 'f', to: 'y' }],
    }, 9);
    // Statistics other than the initial 0 and 1, as after training.
    net.weights.get('bn.moving_mean')!.data.set([0.2, -0.1, 0.05]);
    net.weights.get('bn.moving_variance')!.data.set([0.5, 1.7, 0.9]);
    net.weights.get('bn.gamma')!.data.set([1.2, 0.8, -0.6]);
    net.weights.get('bn.beta')!.data.set([0.1, -0.2, 0.3]);
    const rows = new Float32Array(3 * 40).map((_, i) => Math.sin(i * 0.7) + 0.3 * Math.cos(i * 1.9));
    const result = await checkGradients(net, rows, 3, 'net.nn');
    assert.deepEqual(result.rows.map((r) => r.tensor), ['c1.weight', 'c1.bias', 'bn.gamma', 'bn.beta', 'c2.weight', 'c2.bias', 'y.weight', 'y.bias']);
    for (const row of result.rows) {
      assert.ok(row.analyticNorm > 0, `${row.tensor}: a gradient flows`);
      assert.ok(row.relativeError < 1e-3, `${row.tensor}: relative error ${row.relativeError}`);
    }
    // nn grad's ∂output/∂input reaches the image input through the view it is read as.
    const x = rows.subarray(0, 40);
    const g = await gradients(net, x);
    const w64 = new Map([...net.weights].map(([k, v]) => [k, Float64Array.from(v.data)]));
    for (const i of [0, 7, 21, 39]) {
      const at = (d: number) => { const v = Float64Array.from(x); v[i] += d; return forward64(net, v, w64)[0]; };
      const numeric = (at(1e-6) - at(-1e-6)) / 2e-6;
      assert.ok(Math.abs(g.inputs[0].grad[i] - numeric) <= 1e-4 * Math.max(1e-2, Math.abs(numeric)) + 1e-6, `∂y/∂x[${i}]: ${g.inputs[0].grad[i]} vs ${numeric}`);
    }
  });
});
