/**
 * Small trainable networks for checking the PyTorch export against our engine: each picks a
 * different loss, optimizer and set of node types; one shuffles and drops out, which the script
 * reproduces with ports of the engine's random streams.
 */
import type { NetworkDoc } from '../../../src/model/types';

/** XOR, sigmoid + binary cross-entropy (folded into logits), Adam, full batch (one step per epoch), early stopping. */
export const xorTrainDoc: NetworkDoc = {
  format: 'nn/1',
  name: 'xor_train',
  nodes: [
    { id: 'x', type: 'input', units: 2 },
    { id: 'hidden', type: 'dense', units: 6, activation: 'tanh' },
    { id: 'out', type: 'dense', units: 1, activation: 'sigmoid' },
  ],
  edges: [{ from: 'x', to: 'hidden' }, { from: 'hidden', to: 'out' }],
  training: {
    data: { generator: 'xor', samples: 64, noise: 0.1, seed: 5 },
    loss: 'binary_crossentropy', optimizer: { type: 'adam', learningRate: 0.05 },
    batchSize: 64, epochs: 12, shuffle: false, validationSplit: 0, seed: 3,
    // Stops before epoch 12 and restores the best epoch's weights, on both sides.
    earlyStopping: { monitor: 'loss', patience: 2, minDelta: 0.03, restoreBestWeights: true },
  },
};

/** Three-class spiral, softmax + categorical cross-entropy, SGD with Nesterov momentum, L1 and L2, dropout, shuffled batches with a partial last one. */
export const spiralTrainDoc: NetworkDoc = {
  format: 'nn/1',
  name: 'spiral_train',
  nodes: [
    { id: 'point', type: 'input', units: 2 },
    { id: 'h1', type: 'dense', units: 8, activation: 'relu' },
    { id: 'drop', type: 'dropout', rate: 0.25 },
    { id: 'h2', type: 'dense', units: 8, activation: 'leaky_relu', alpha: 0.2 },
    { id: 'class', type: 'dense', units: 3, activation: 'softmax' },
  ],
  edges: [{ from: 'point', to: 'h1' }, { from: 'h1', to: 'drop' }, { from: 'drop', to: 'h2' }, { from: 'h2', to: 'class' }],
  training: {
    data: { generator: 'spiral', samples: 47, classes: 3, noise: 0.05, seed: 9 },
    loss: 'categorical_crossentropy', optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true },
    batchSize: 10, epochs: 4, shuffle: true, validationSplit: 0, seed: 4, l1: 0.001, l2: 0.01,
  },
};

/** Sine regression through add, multiply, concat and a standalone activation; MSE and RMSprop. */
export const sineTrainDoc: NetworkDoc = {
  format: 'nn/1',
  name: 'sine_train',
  nodes: [
    { id: 'x', type: 'input', units: 1 },
    { id: 'a', type: 'dense', units: 6, activation: 'elu' },
    { id: 'b', type: 'dense', units: 6, activation: 'tanh' },
    { id: 'sum', type: 'add' },
    { id: 'gate', type: 'activation', activation: 'sigmoid' },
    { id: 'prod', type: 'multiply' },
    { id: 'both', type: 'concat' },
    { id: 'y', type: 'dense', units: 1 },
  ],
  edges: [
    { from: 'x', to: 'a' }, { from: 'x', to: 'b' }, { from: 'a', to: 'sum' }, { from: 'b', to: 'sum' },
    { from: 'sum', to: 'gate' }, { from: 'gate', to: 'prod' }, { from: 'a', to: 'prod' },
    { from: 'prod', to: 'both' }, { from: 'b', to: 'both' }, { from: 'both', to: 'y' },
  ],
  training: {
    data: { generator: 'sine', samples: 40, noise: 0.05, seed: 2 },
    loss: 'mse', optimizer: { type: 'rmsprop', learningRate: 0.01 },
    batchSize: 16, epochs: 3, shuffle: false, validationSplit: 0, seed: 8,
  },
};
