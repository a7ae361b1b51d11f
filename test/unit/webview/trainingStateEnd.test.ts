/** The training view's header after a run: where the run ended, not the last throttled progress. */
import * as assert from 'node:assert/strict';
import { TrainingState } from '../../../webview/editor/training/trainingState';

function started(): TrainingState {
  const s = new TrainingState();
  s.apply({
    kind: 'start', runId: 1, file: 'net.nn', backend: 'cpu', reason: 'Train', mode: 'train', paramCounts: [], totalParams: 9,
    trainCount: 450, validationCount: 50, epochs: 4, stepsPerEpoch: 45, batchSize: 10, notices: [],
  });
  // The last progress event the throttle let through: epoch 4, step 40 of 45.
  s.apply({ kind: 'progress', runId: 1, epoch: 4, step: 40, totalSteps: 45, globalStep: 175, loss: 0.3, samplesPerSec: 900 });
  return s;
}

describe('training view when a run ends', () => {
  it('a completed run shows its last epoch whole and the run\'s own speed', () => {
    const s = started();
    s.apply({ kind: 'epoch', runId: 1, epoch: 4, epochs: 4, loss: 0.3, metrics: { accuracy: 0.9 }, samplesPerSec: 950 });
    assert.deepEqual([s.epoch, s.step, s.totalSteps, s.samplesPerSec], [4, 45, 45, 950]);
    s.apply({ kind: 'done', runId: 1, epochs: 4, loss: 0.3, metrics: { accuracy: 0.9 }, stopped: 'completed', reason: 'completed 4 epoch(s)', elapsedMs: 2000, samplesPerSec: 1000 });
    assert.deepEqual([s.running, s.epoch, s.step, s.samplesPerSec], [false, 4, 45, 1000]);
  });

  it('early stopping shows the epoch it stopped at; a stop mid-epoch keeps the step it reached', () => {
    const early = started();
    early.apply({ kind: 'done', runId: 1, epochs: 3, loss: 0.3, metrics: {}, stopped: 'early-stopping', reason: 'stopped early', elapsedMs: 2000, samplesPerSec: 1000 });
    assert.deepEqual([early.epoch, early.step], [3, 45]);
    const aborted = started();
    aborted.apply({ kind: 'done', runId: 1, epochs: 4, loss: 0.3, metrics: {}, stopped: 'aborted', reason: 'stopped', elapsedMs: 2000, samplesPerSec: 1000 });
    assert.deepEqual([aborted.epoch, aborted.step], [4, 40]);
  });
});
