/** Reset Weights clears the editor's training view: chart, metrics, counters and the "continuing from" note. */
import * as assert from 'node:assert/strict';
import { TrainingState } from '../../../webview/editor/training/trainingState';

describe('training view after Reset Weights', () => {
  it('forgets everything of the old weights', () => {
    const s = new TrainingState();
    s.apply({
      kind: 'start', runId: 3, file: 'net.nn', backend: 'cpu', reason: 'Step', mode: 'step', paramCounts: [], totalParams: 9,
      trainCount: 10, validationCount: 0, epochs: 5, stepsPerEpoch: 2, batchSize: 5, notices: ['continuing from net.weights.safetensors (Reset Weights starts over)'],
    });
    s.apply({ kind: 'progress', runId: 3, epoch: 1, step: 2, totalSteps: 2, globalStep: 2, loss: 0.5, samplesPerSec: 0 });
    s.apply({ kind: 'epoch', runId: 3, epoch: 1, epochs: 5, loss: 0.5, metrics: { accuracy: 0.75 }, samplesPerSec: 0 });
    s.apply({ kind: 'saved', runId: 0, weightsFile: 'net.weights.safetensors' });
    s.apply({ kind: 'images', runId: 3, epoch: 1, set: 'validation', shape: [1, 1, 1], pixels: new Uint8Array(1), rows: [0], actual: [0], predicted: [1], confidence: [0.6], classNames: [], total: 1, wrong: 1 });
    assert.equal(s.images?.wrong, 1, 'an image network keeps its latest grid');
    s.apply({ kind: 'reset', runId: 0, message: 'Weights reset: net.weights.safetensors was deleted; the next run starts from fresh weights.' });
    assert.deepEqual(s.notices, [], 'no "continuing from" note');
    assert.deepEqual([s.steps, s.loss, s.metrics], [[], [], {}]);
    assert.deepEqual([s.epoch, s.step, s.globalStep, s.running, s.savedWeights], [0, 0, 0, false, undefined]);
    assert.match(s.outcome?.text ?? '', /Weights reset/);
    assert.equal(s.images, undefined, 'no images of the old weights');
  });
});
