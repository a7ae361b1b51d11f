/**
 * The trainer's evaluations during a run (a few times a second) give the chart the same kind of
 * figure as the run's epoch events: without a validation split, the training steps' own metrics
 * over the epoch so far, not the live weights' on the training rows.
 */
import * as assert from 'node:assert/strict';
import { compileNetwork, CpuBackend, TrainingSession, trainSettingsFrom } from '../../../src/engine';
import { generateData, splitData } from '../../../src/engine/data';
import { checkNetwork } from '../../../src/model';
import { evaluation } from '../../../src/trainer/liveView';

function session(validationSplit: number): TrainingSession {
  const doc = {
    format: 'nn/1',
    nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'h', type: 'dense', units: 8, activation: 'tanh' }, { id: 'y', type: 'dense', units: 3, activation: 'softmax' }],
    edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }],
    training: { data: { generator: 'spiral', classes: 3, samples: 240, noise: 0.1 }, optimizer: { type: 'adam', learningRate: 0.05 }, batchSize: 16, validationSplit, seed: 2 },
  };
  const { parsed, analysis } = checkNetwork(JSON.stringify(doc));
  assert.ok(parsed.doc && analysis);
  const settings = trainSettingsFrom(parsed.doc.training);
  const split = splitData(generateData(parsed.doc.training!.data as never, settings.seed), settings.validationSplit, { seed: settings.seed, shuffle: true });
  const s = new TrainingSession(new CpuBackend(), compileNetwork(parsed.doc, analysis, { seed: settings.seed }), split, settings);
  // As train() does.
  if (s.validationCount === 0) s.collectTrainingMetrics();
  return s;
}

const last = { epoch: 1, step: 5, loss: 1, samplesPerSec: 0 };

describe('the trainer\'s evaluations during a run', () => {
  it('without a validation split: the epoch\'s training metrics so far, as its epoch event will give them', async () => {
    const s = session(0);
    try {
      for (let i = 0; i < 5; i++) await s.step();
      const running = await s.epochMetrics();
      const onLiveWeights = (await s.evaluate()).metrics;
      assert.notDeepEqual(running, onLiveWeights, 'the two kinds of figure differ here (the test would not tell them apart otherwise)');
      const { update, outputs } = await evaluation(1, s, last, 3);
      assert.ok(update.kind === 'epoch');
      assert.deepEqual(update.metrics, running);
      assert.equal(update.metrics.confusion!.flat().reduce((a, b) => a + b, 0), 5 * 16, 'the rows of the epoch\'s five steps');
      assert.equal(outputs?.length, 240 * 3, 'the image grid still gets the live weights\' outputs on the training rows');
    } finally {
      s.dispose();
    }
  });

  it('with a validation split: the validation loss and metrics of the live weights', async () => {
    const s = session(0.25);
    try {
      for (let i = 0; i < 5; i++) await s.step();
      const { update } = await evaluation(1, s, last, 3);
      const want = await s.evaluate();
      assert.ok(update.kind === 'epoch');
      assert.equal(update.valLoss, want.valLoss);
      assert.deepEqual(update.metrics, want.metrics);
    } finally {
      s.dispose();
    }
  });
});
