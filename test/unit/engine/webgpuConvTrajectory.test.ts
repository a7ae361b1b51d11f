/**
 * WebGPU trains an image network exactly like the CPU, step for step: convolutions (a strided
 * `same` one with an odd padding total, a valid one), batch norm with its moving statistics,
 * max, average and global average pooling, on 21 images of 7×6×2 in batches of 8 (every epoch
 * ends with a 5-image batch), shuffled, 15 steps with Adam. Every step's loss and every weight
 * after every step (the moving statistics too) agree within 1e-4 relative.
 */
import * as assert from 'node:assert/strict';
import type { Backend } from '../../../src/engine/backend';
import type { Dataset } from '../../../src/engine/data';
import { compileNetwork, type TrainSettings } from '../../../src/engine';
import { checkNetwork, type NetworkDoc } from '../../../src/model';
import { backendsUnderTest } from './backends';
import { sessionTrajectory, type Trajectory } from './trajectory';

const [ROWS, BATCH, STEPS, REL] = [21, 8, 15, 1e-4];
const [H, W, C, CLASSES] = [7, 6, 2, 3];

const DESIGN = {
  format: 'nn/1',
  nodes: [
    { id: 'x', type: 'input', shape: [H, W, C] },
    // 7×6 at stride 2, same: 4×3 out; padding 1 + 2 rows (an odd total), 0 + 1 columns.
    { id: 'c1', type: 'conv2d', filters: 6, kernelSize: [4, 3], strides: 2, padding: 'same', activation: 'relu' },
    { id: 'bn', type: 'batchnorm' },
    { id: 'mp', type: 'maxpool2d', poolSize: 2, strides: 1, padding: 'same' },
    { id: 'c2', type: 'conv2d', filters: 5, kernelSize: 2, activation: 'tanh' },
    { id: 'ap', type: 'avgpool2d', poolSize: [2, 1], strides: 1 },
    { id: 'gap', type: 'globalavgpool2d' },
    { id: 'y', type: 'dense', units: CLASSES, activation: 'softmax' },
  ],
  edges: [
    { from: 'x', to: 'c1' }, { from: 'c1', to: 'bn' }, { from: 'bn', to: 'mp' }, { from: 'mp', to: 'c2' },
    { from: 'c2', to: 'ap' }, { from: 'ap', to: 'gap' }, { from: 'gap', to: 'y' },
  ],
};

/** Smooth fixed patterns, one class per family. */
function images(): Dataset {
  const x = new Float32Array(ROWS * H * W * C);
  const y = new Float32Array(ROWS * CLASSES);
  for (let r = 0; r < ROWS; r++) {
    const k = r % CLASSES;
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        for (let c = 0; c < C; c++) x[((r * H + i) * W + j) * C + c] = Math.sin(0.7 * i * (k + 1) + 0.5 * j - c + 0.2 * r) + (k === c ? 0.4 : 0) + 1.5;
      }
    }
    y[r * CLASSES + k] = 1;
  }
  return { x, y, count: ROWS, inputSize: H * W * C, outputSize: CLASSES, featureNames: [], labelNames: ['a', 'b', 'c'], task: 'multiclass' };
}

function network() {
  const r = checkNetwork(JSON.stringify(DESIGN));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { seed: 11 });
}

const SETTINGS: TrainSettings = {
  loss: 'categorical_crossentropy',
  optimizer: { type: 'adam', learningRate: 0.01, momentum: 0, nesterov: false, beta1: 0.9, beta2: 0.999, rho: 0.9, epsilon: 1e-7 },
  batchSize: BATCH, epochs: 100, validationSplit: 0, shuffle: true, seed: 4, l1: 0, l2: 0,
};

function trajectory(backend: Backend): Promise<Trajectory> {
  return sessionTrajectory(backend, network(), images(), SETTINGS, STEPS);
}

describe('webgpu trains an image network like the cpu: conv, batch norm, pooling', function () {
  this.timeout(120000);

  it(`${STEPS} steps of Adam agree within ${REL} relative, moving statistics included`, async function () {
    const gpu = await backendsUnderTest.find((b) => b.name === 'webgpu')!.create();
    if (!gpu) this.skip(); // only with NN_SKIP_WEBGPU=1, announced loudly by backends.ts
    const cpu = (await backendsUnderTest.find((b) => b.name === 'cpu')!.create())!;
    const [want, got] = [await trajectory(cpu), await trajectory(gpu!)];
    assert.ok(want.weights[0].has('bn.moving_mean') && want.weights[0].has('c2.weight'), 'the weights include the convolutions and the moving statistics');
    for (let s = 0; s < STEPS; s++) {
      const lossRel = Math.abs(got.losses[s] - want.losses[s]) / Math.abs(want.losses[s]);
      assert.ok(lossRel <= REL, `step ${s + 1}: loss ${got.losses[s]} on webgpu vs ${want.losses[s]} on cpu (relative ${lossRel.toExponential(2)})`);
      for (const [key, w] of want.weights[s]) {
        // Relative to the tensor's scale: a weight passing through zero has no relative error of its own.
        const scale = Math.sqrt(w.reduce((t, v) => t + v * v, 0) / w.length);
        const g = got.weights[s].get(key)!;
        for (let i = 0; i < w.length; i++) {
          const rel = Math.abs(g[i] - w[i]) / (Math.abs(w[i]) + scale);
          assert.ok(rel <= REL, `step ${s + 1}: ${key}[${i}] = ${g[i]} on webgpu vs ${w[i]} on cpu (relative ${rel.toExponential(2)})`);
        }
      }
    }
    // The run learned something (the comparison is not between two stuck runs).
    assert.notDeepEqual(Array.from(want.weights[STEPS - 1].get('c1.weight')!), Array.from(want.weights[0].get('c1.weight')!));
  });
});
