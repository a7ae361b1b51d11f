/**
 * The small conv net with batch norm that the PyTorch and WebGPU trajectory tests and the batch
 * norm tests train: input [6, 6, 2] → conv 4 3×3 same → batch norm → relu → max pool 2 → flatten
 * → dense 3 softmax, on 20 fixed images, SGD with momentum in batches of 8 (each epoch ends with
 * a 4-image batch).
 */
import { strict as assert } from 'node:assert';
import { compileNetwork, type TrainSettings } from '../../../src/engine';
import type { Dataset } from '../../../src/engine/data';
import { checkNetwork, type NetworkDoc } from '../../../src/model';

const ROWS = 20;
const BATCH = 8;
const [H, W, C, CLASSES] = [6, 6, 2, 3];

/** Rows, batch size and image size of the fixture. */
export const SMALL_CONVNET_SIZES = { rows: ROWS, batch: BATCH, h: H, w: W, c: C };

/** The design. */
export const SMALL_CONVNET = {
  format: 'nn/1',
  nodes: [
    { id: 'x', type: 'input', shape: [H, W, C] },
    { id: 'conv', type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
    { id: 'bn', type: 'batchnorm' },
    { id: 'act', type: 'activation', activation: 'relu' },
    { id: 'pool', type: 'maxpool2d', poolSize: 2 },
    { id: 'flat', type: 'flatten' },
    { id: 'y', type: 'dense', units: CLASSES, activation: 'softmax' },
  ],
  edges: [
    { from: 'x', to: 'conv' }, { from: 'conv', to: 'bn' }, { from: 'bn', to: 'act' },
    { from: 'act', to: 'pool' }, { from: 'pool', to: 'flat' }, { from: 'flat', to: 'y' },
  ],
};

/** 20 images of 6×6×2 (smooth patterns, fixed) with 3 classes. */
export function smallImages(): Dataset {
  const x = new Float32Array(ROWS * H * W * C);
  const y = new Float32Array(ROWS * CLASSES);
  for (let r = 0; r < ROWS; r++) {
    const k = r % CLASSES;
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        for (let c = 0; c < C; c++) {
          const v = Math.sin(0.9 * i * (k + 1) + 0.4 * j + c + 0.3 * r) + 0.5 * Math.cos(1.3 * j * (c + 1) - 0.2 * r) + (k === c ? 0.3 : 0);
          x[((r * H + i) * W + j) * C + c] = v;
        }
      }
    }
    y[r * CLASSES + k] = 1;
  }
  return { x, y, count: ROWS, inputSize: H * W * C, outputSize: CLASSES, featureNames: [], labelNames: ['a', 'b', 'c'], task: 'multiclass' };
}

/** The design compiled with seeded initial weights. */
export function smallConvnet() {
  const r = checkNetwork(JSON.stringify(SMALL_CONVNET));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { seed: 5 });
}

/** SGD with momentum 0.9, batches of 8, no shuffling. */
export const CONV_SETTINGS: TrainSettings = {
  loss: 'categorical_crossentropy',
  optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: false, beta1: 0.9, beta2: 0.999, rho: 0.9, epsilon: 1e-7 },
  batchSize: BATCH, epochs: 100, validationSplit: 0, shuffle: false, seed: 3, l1: 0, l2: 0,
};
