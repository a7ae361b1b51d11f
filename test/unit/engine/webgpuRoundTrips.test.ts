/**
 * A training step on WebGPU costs at most one CPU↔GPU round trip (a mapAsync of a staging
 * buffer): the step's loss, the NaN/Inf weights flag and the predictions for the running metrics
 * come back together. The running loss a progress event shows and the layer statistics cost one
 * more each, not one per tensor. On a real GPU each round trip is a stall of the pipeline, so
 * these counts are what the GPU row of the bench pays per step.
 */
import * as assert from 'node:assert/strict';
import type { Dataset } from '../../../src/engine/data';
import { compileNetwork, TrainingSession, type TrainSettings } from '../../../src/engine';
import type { WebGpuBackend } from '../../../src/engine/webgpu/webgpuBackend';
import { checkNetwork, type NetworkDoc } from '../../../src/model';
import { backendsUnderTest } from './backends';

const ROWS = 45;
const BATCH = 10;

function data(): Dataset {
  const x = new Float32Array(ROWS * 3), y = new Float32Array(ROWS * 3);
  for (let r = 0; r < ROWS; r++) {
    const a = Math.sin(r * 1.7), b = Math.cos(r * 0.9), c = ((r * 37) % 11) / 5 - 1;
    x.set([a, b, c], r * 3);
    const v = a * 0.8 - b * 0.5 + c * c * 0.7 - 0.2;
    y[r * 3 + (v < -0.3 ? 0 : v < 0.3 ? 1 : 2)] = 1;
  }
  return { x, y, count: ROWS, inputSize: 3, outputSize: 3, featureNames: ['a', 'b', 'c'], labelNames: ['p', 'q', 'r'], task: 'multiclass' };
}

function network() {
  const doc = {
    format: 'nn/1',
    nodes: [
      { id: 'x', type: 'input', units: 3 },
      { id: 'h1', type: 'dense', units: 16, activation: 'relu' },
      { id: 'h2', type: 'dense', units: 8, activation: 'relu' },
      { id: 'y', type: 'dense', units: 3, activation: 'softmax' },
    ],
    edges: [{ from: 'x', to: 'h1' }, { from: 'h1', to: 'h2' }, { from: 'h2', to: 'y' }],
  };
  const r = checkNetwork(JSON.stringify(doc));
  return compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { seed: 7 });
}

const settings: TrainSettings = {
  optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0, nesterov: false, beta1: 0.9, beta2: 0.999, rho: 0.9, epsilon: 1e-7 },
  batchSize: BATCH, epochs: 100, validationSplit: 0, shuffle: true, seed: 3, l1: 0, l2: 0,
};

describe('webgpu: CPU↔GPU round trips per training step', function () {
  this.timeout(120000);
  const gpuEntry = backendsUnderTest.find((b) => b.name === 'webgpu')!;

  it('a step maps one staging buffer (loss, weights flag and predictions together); a progress read and the layer statistics one each', async function () {
    const gpu = (await gpuEntry.create()) as WebGpuBackend | undefined;
    if (!gpu) this.skip(); // only with NN_SKIP_WEBGPU=1, announced loudly by backends.ts
    const rt = gpu!.runtime;
    const session = new TrainingSession(gpu!, network(), { train: data() }, settings);
    try {
      // Running metrics (no validation split, as train() then does) read the predictions every step too.
      session.collectTrainingMetrics();
      // Epoch 1 (4 full batches and a 5-row one) compiles both programs and makes their bind groups.
      for (let s = 0; s < 5; s++) await session.step();
      const steps = 10; // epochs 2 and 3
      const maps0 = rt.mapCount, reads0 = rt.readCount, bindGroups0 = rt.bindGroupCreateCount;
      for (let s = 0; s < steps; s++) await session.step();
      assert.ok(rt.readCount - reads0 >= 3 * steps, 'each step reads its loss, the weights flag and its predictions');
      // One per step, and one when each epoch began (its first step waits for the last of the one before).
      assert.ok(rt.mapCount - maps0 <= steps + 2, `${rt.mapCount - maps0} staging buffers mapped for ${steps} steps`);
      assert.equal(rt.bindGroupCreateCount, bindGroups0, 'replayed steps create no bind groups');

      const maps1 = rt.mapCount;
      const loss = await session.runningLoss();
      assert.ok(Number.isFinite(loss) && loss > 0, `running loss ${loss}`);
      assert.ok(rt.mapCount - maps1 <= 1, `the running loss took ${rt.mapCount - maps1} round trips`);

      const maps2 = rt.mapCount;
      const stats = await session.layerStats();
      assert.deepEqual(stats.map((s) => s.id), ['h1', 'h2', 'y']);
      assert.ok(stats.every((s) => s.grad && Number.isFinite(s.weight.mean)), 'weights and gradients summarised');
      assert.ok(rt.mapCount - maps2 <= 1, `the layer statistics took ${rt.mapCount - maps2} round trips`);
    } finally {
      session.dispose();
    }
  });
});
