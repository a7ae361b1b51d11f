/**
 * A network whose output is an image ([H, W, C], e.g. a class per pixel) is scored per pixel,
 * as Keras does and as its training loss is: the validation loss of the same rows with the same
 * weights equals the training loss (not H·W times it), and class metrics count pixels.
 */
import { strict as assert } from 'node:assert';
import { compileNetwork, type TrainSettings } from '../../../src/engine';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import type { Dataset } from '../../../src/engine/data';
import { TrainingSession } from '../../../src/engine/trainingSession';
import { checkNetwork, type NetworkDoc } from '../../../src/model';
import { CONV_SETTINGS } from './smallConvnet';

describe('an image output is scored per pixel', () => {
  it('validation loss on the training rows equals the training loss; accuracy counts pixels', async () => {
    const r = checkNetwork(JSON.stringify({
      format: 'nn/1',
      nodes: [{ id: 'x', type: 'input', shape: [3, 3, 2] }, { id: 'seg', type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same', activation: 'softmax' }],
      edges: [{ from: 'x', to: 'seg' }],
    }));
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    const net = compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { seed: 4 });
    const rows = 6, pixels = 9;
    const x = new Float32Array(rows * pixels * 2).map((_, i) => Math.sin(i * 0.77));
    const y = new Float32Array(rows * pixels * 3);
    for (let p = 0; p < rows * pixels; p++) y[p * 3 + (x[p * 2] > 0.3 ? 0 : x[p * 2 + 1] > 0 ? 1 : 2)] = 1;
    const data: Dataset = { x, y, count: rows, inputSize: pixels * 2, outputSize: pixels * 3, featureNames: [], labelNames: ['a', 'b', 'c'], task: 'multiclass', shape: [3, 3, 2] };
    // Learning rate 0: the weights the step is scored with are the weights evaluate() uses.
    const settings: TrainSettings = { ...CONV_SETTINGS, batchSize: rows, optimizer: { ...CONV_SETTINGS.optimizer, learningRate: 0, momentum: 0 } };
    const session = new TrainingSession(new CpuBackend(), net, { train: data, validation: data }, settings);
    try {
      await session.step();
      const trainLoss = await session.epochLoss();
      const { valLoss, metrics } = await session.evaluate();
      assert.ok(Math.abs(valLoss! - trainLoss) <= 1e-5 * trainLoss, `validation loss ${valLoss} vs training loss ${trainLoss}`);
      const cells = metrics.confusion!.flat().reduce((a, b) => a + b, 0);
      assert.equal(cells, rows * pixels, 'the confusion matrix counts every pixel once');
    } finally {
      session.dispose();
    }
  });
});
