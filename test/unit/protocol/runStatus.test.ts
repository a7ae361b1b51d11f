/**
 * One training state for every surface (src/protocol/runStatus.ts): the sequences a user goes
 * through — Train to the end, Train then Stop, Step, Step again, Reset after a run, a failure —
 * and the words the training view, status bar, notification and gradients panel all show.
 */
import * as assert from 'node:assert/strict';
import { NO_RUN, isRunning, nextRunStatus, runHeadline, runPosition, type RunStatus, type TrainingUpdate } from '../../../src/protocol';

const start = (runId: number, mode: 'train' | 'step' = 'train', epochs = 10): TrainingUpdate => ({
  kind: 'start', runId, file: 'spiral.nn', backend: 'cpu', reason: 'CPU', mode, paramCounts: [], totalParams: 337,
  trainCount: 450, validationCount: 50, epochs, stepsPerEpoch: 45, batchSize: 10, notices: [],
});
const progress = (runId: number, epoch: number, step: number, samplesPerSec = 900): TrainingUpdate => ({
  kind: 'progress', runId, epoch, step, totalSteps: 45, globalStep: (epoch - 1) * 45 + step, loss: 0.5, samplesPerSec,
});
const epochEnd = (runId: number, epoch: number, extra: { step?: number } = {}): TrainingUpdate => ({
  kind: 'epoch', runId, epoch, epochs: 10, loss: 0.4, metrics: { accuracy: 0.8 }, samplesPerSec: 950, ...extra,
});
const done = (runId: number, epochs: number, stopped: 'completed' | 'early-stopping' | 'aborted', reason: string): TrainingUpdate => ({
  kind: 'done', runId, epochs, loss: 0.3, metrics: {}, stopped, reason, elapsedMs: 2000, samplesPerSec: 1000,
});

function fold(updates: TrainingUpdate[], from: RunStatus = NO_RUN): RunStatus {
  return updates.reduce(nextRunStatus, from);
}

describe('one training state for every surface', () => {
  it('Train → finish: starting, then the epoch it is in, then where it ended (not the last throttled progress)', () => {
    let s = fold([start(1)]);
    assert.equal(s.phase, 'starting');
    assert.equal(runHeadline(s), 'starting on cpu');
    assert.ok(isRunning(s));
    s = fold([progress(1, 3, 4)], s);
    assert.equal(runHeadline(s), 'epoch 3/10 · step 4/45 · 900 samples/s');
    // An evaluation made during epoch 3 does not make it whole…
    assert.equal(fold([epochEnd(1, 3, { step: 4 })], s), s);
    // …the epoch's end does.
    s = fold([progress(1, 10, 40), epochEnd(1, 10)], s);
    assert.equal(runPosition(s), 'epoch 10/10 · step 45/45');
    s = fold([done(1, 10, 'completed', 'completed 10 epoch(s)')], s);
    assert.deepEqual([s.phase, s.epoch, s.step, s.globalStep, s.message], ['completed', 10, 45, 450, 'completed 10 epoch(s)']);
    assert.equal(runHeadline(s), 'completed · epoch 10/10 · step 45/45 · 1,000 samples/s');
    assert.equal(runHeadline(s, { speed: false }), 'completed · epoch 10/10 · step 45/45');
    assert.ok(!isRunning(s));
  });

  it('early stopping ends at the epoch it stopped after, whole', () => {
    const s = fold([start(1), progress(1, 6, 12), done(1, 6, 'early-stopping', 'early stopping after epoch 6')]);
    assert.equal(runHeadline(s, { speed: false }), 'completed · epoch 6/10 · step 45/45');
  });

  it('Train → Stop: stopped at the step it reached; a late progress of the run changes nothing', () => {
    let s = fold([start(2), progress(2, 4, 40), done(2, 4, 'aborted', 'stopped on request during epoch 4')]);
    assert.deepEqual([s.phase, s.epoch, s.step, s.globalStep], ['stopped', 4, 40, 175]);
    assert.equal(runHeadline(s, { speed: false }), 'stopped · epoch 4/10 · step 40/45');
    assert.equal(fold([progress(2, 4, 41)], s), s);
    // Stopped as epoch 5 began (its progress never came): step 0 of epoch 5, not epoch 4's step.
    s = fold([start(3), progress(3, 4, 40), done(3, 5, 'aborted', 'stopped on request during epoch 5')]);
    assert.equal(runPosition(s), 'epoch 5/10 · step 0/45');
  });

  it('Step: "stepped" where the batch left it, no speed, never "starting"', () => {
    const s = fold([start(4, 'step'), progress(4, 1, 1, 0)]);
    assert.equal(s.phase, 'stepped');
    assert.equal(s.samplesPerSec, undefined);
    assert.equal(runHeadline(s), 'stepped · epoch 1/10 · step 1/45');
    assert.doesNotMatch(runHeadline(s), /starting|samples\/s/);
    assert.ok(!isRunning(s));
  });

  it('Step → Step: each Step has its own run id; the second continues the count', () => {
    // The trainer keeps its session: only the first Step sends 'start'.
    const s = fold([start(5, 'step'), progress(5, 1, 1, 0), progress(6, 1, 2, 0)]);
    assert.deepEqual([s.runId, s.phase, s.globalStep], [6, 'stepped', 2]);
    assert.equal(runHeadline(s), 'stepped · epoch 1/10 · step 2/45');
    // Past the epoch's last batch the count goes on in the next epoch.
    assert.equal(runPosition(fold([progress(7, 2, 1, 0)], s)), 'epoch 2/10 · step 1/45');
  });

  it('Train after Steps starts over; its updates win over the Steps', () => {
    const s = fold([start(5, 'step'), progress(5, 1, 3, 0), start(8), progress(8, 1, 2)]);
    assert.deepEqual([s.mode, s.phase, s.runId], ['train', 'training', 8]);
    assert.equal(runPosition(s), 'epoch 1/10 · step 2/45');
  });

  it('Reset after a run: nothing of the run is left, on every surface', () => {
    const s = fold([start(1), progress(1, 10, 45), done(1, 10, 'completed', 'completed 10 epoch(s)'),
      { kind: 'reset', runId: 0, message: 'Weights reset: spiral.weights.safetensors was deleted.' }]);
    assert.deepEqual({ ...s, message: undefined }, { ...NO_RUN, phase: 'reset', message: undefined });
    assert.equal(s.message, 'Weights reset: spiral.weights.safetensors was deleted.');
    assert.equal(runHeadline(s), 'weights reset');
    assert.equal(runPosition(s), '');
    // The next Step starts from the beginning.
    assert.equal(runHeadline(fold([start(9, 'step'), progress(9, 1, 1, 0)], s)), 'stepped · epoch 1/10 · step 1/45');
  });

  it('failure: the run says failed where it was; a dead process (run -1) fails the current run', () => {
    const base = fold([start(1), progress(1, 2, 7)]);
    const failed = fold([{ kind: 'error', runId: 1, message: 'the loss became NaN at step 52 (layer h1)' }], base);
    assert.deepEqual([failed.phase, failed.message, failed.runId], ['failed', 'the loss became NaN at step 52 (layer h1)', 1]);
    assert.equal(runHeadline(failed), 'failed · epoch 2/10 · step 7/45');
    const died = fold([{ kind: 'exited', runId: -1, message: 'The training process was killed (SIGKILL).' }], base);
    assert.deepEqual([died.phase, died.runId], ['failed', 1]);
    assert.ok(!isRunning(died));
    // Failed before its first step: no position, only the word.
    assert.equal(runHeadline(fold([start(2), { kind: 'error', runId: 2, message: 'no data' }])), 'failed');
  });

  it('a late update of an older run never lands in a newer one', () => {
    const s = fold([start(1), progress(1, 3, 3), start(2), progress(2, 1, 1)]);
    assert.equal(fold([progress(1, 3, 9), done(1, 3, 'aborted', 'stopped'), { kind: 'error', runId: 1, message: 'x' }], s), s);
  });

  it('no run: nothing to say', () => {
    assert.equal(runHeadline(NO_RUN), '');
    assert.equal(runPosition(NO_RUN), '');
    assert.equal(fold([{ kind: 'saved', runId: 0, weightsFile: 'a.safetensors' }]), NO_RUN);
  });
});
