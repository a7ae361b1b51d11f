/**
 * The loss chart's lines: honest per-epoch values against epochs. The old chart kept every
 * throttled running mean against the global step, so each epoch's line restarted high (the mean of
 * a few batches) and fell: a saw-tooth at every epoch boundary that the loss never had.
 */
import * as assert from 'node:assert/strict';
import { alignLines, LossCurves, MAX_DRAWN } from '../../../webview/editor/training/lossCurves';
import type { LoggedRun } from '../../../src/model';
import type { TrainingUpdate } from '../../../src/protocol';

const start = { kind: 'start', runId: 1, file: 'a.nn', backend: 'cpu', reason: '', mode: 'train', paramCounts: [], totalParams: 9, trainCount: 80, validationCount: 20, epochs: 3, stepsPerEpoch: 10, batchSize: 8, notices: [] } as TrainingUpdate;
const progress = (epoch: number, step: number, loss: number): TrainingUpdate => ({ kind: 'progress', runId: 1, epoch, step, totalSteps: 10, globalStep: (epoch - 1) * 10 + step, loss, samplesPerSec: 1 });
const epochEnd = (epoch: number, loss: number, valLoss: number): TrainingUpdate => ({ kind: 'epoch', runId: 1, epoch, epochs: 3, loss, valLoss, metrics: {}, samplesPerSec: 1 });

describe('webview/lossCurves (the loss chart: honest per-epoch values, past runs overlaid)', () => {
  it('a finished epoch is one point at x = epoch; the epoch in progress one provisional point, replaced when it ends', () => {
    const c = new LossCurves();
    c.apply(start);
    c.apply(progress(1, 2, 0.9));
    c.apply(progress(1, 5, 0.8));
    let [loss] = c.lines();
    assert.deepEqual([loss.x, loss.y], [[0.5], [0.8]], 'one provisional point: the mean so far, at its fraction of the epoch');
    c.apply(epochEnd(1, 0.7, 0.75));
    c.apply(progress(2, 1, 0.6));
    c.apply(progress(2, 4, 0.55));
    [loss] = c.lines();
    assert.deepEqual([loss.x, loss.y], [[1, 1.4], [0.7, 0.55]], 'the old running means are gone; no saw-tooth');
    const val = c.lines()[1];
    assert.deepEqual([val.label, val.y], ['validation', [0.75, null]]);
    c.apply(epochEnd(2, 0.5, 0.55));
    [loss] = c.lines();
    assert.deepEqual([loss.x, loss.y], [[1, 2], [0.7, 0.5]]);
  });

  it('an evaluation during an epoch moves the provisional point, not the finished epochs', () => {
    const c = new LossCurves();
    c.apply(start);
    c.apply(epochEnd(1, 0.7, 0.75));
    c.apply({ ...epochEnd(2, 0.6, 0.65), step: 5 } as TrainingUpdate);
    const [loss, val] = c.lines();
    assert.deepEqual([loss.x, loss.y, val.y], [[1, 1.5], [0.7, 0.6], [0.75, 0.65]]);
  });

  it('the run\'s end brings every epoch (the stream carried only some)', () => {
    const c = new LossCurves();
    c.apply(start);
    c.apply(epochEnd(2, 0.5, 0.55));
    c.apply({ kind: 'done', runId: 1, epochs: 3, loss: 0.4, metrics: {}, stopped: 'completed', reason: 'completed 3 epoch(s)', elapsedMs: 1, samplesPerSec: 1, history: { loss: [0.7, 0.5, 0.4], valLoss: [0.75, 0.55, NaN] } });
    const [loss, val] = c.lines();
    assert.deepEqual([loss.x, loss.y, val.y], [[1, 2, 3], [0.7, 0.5, 0.4], [0.75, 0.55, null]]);
    c.apply({ kind: 'reset', runId: 0, message: 'reset' });
    assert.deepEqual(c.lines(), []);
  });

  it('past runs are drawn when chosen, in their own colour, on the same epochs', () => {
    const run = (started: string, loss: number[]): LoggedRun => ({
      line: 1, format: 'nn-run/1', design: 'a.nn', started, source: 'editor', training: {}, backend: 'cpu', seed: 42, ended: 'finished', reason: '',
      curves: { epoch: loss.map((_, i) => i + 1), loss }, final: { epochs: loss.length },
    });
    const c = new LossCurves();
    c.setRuns([run('t1', [0.9, 0.8]), run('t2', [0.7, 0.6, 0.5])]);
    assert.equal(c.hasCurves, false, 'nothing chosen, nothing drawn');
    c.choose('t1', true);
    c.choose('t2', true);
    const lines = c.lines();
    assert.deepEqual(lines.map((l) => l.label), ['#1 loss', '#2 loss']);
    assert.notEqual(lines[0].color, lines[1].color);
    const { x, ys } = alignLines(lines);
    assert.deepEqual(x, [1, 2, 3]);
    assert.deepEqual(ys, [[0.9, 0.8, null], [0.7, 0.6, 0.5]]);
    c.setRuns([run('t2', [0.7, 0.6, 0.5])]);
    assert.deepEqual([...c.selected], ['t2'], 'a run no longer in the file is no longer chosen');
  });

  it('aligns lines on the union of their epochs, a hand-edited line out of order included', () => {
    const { x, ys } = alignLines([
      { label: 'a', color: '#000', x: [1, 2, 3, 3.5], y: [0.9, 0.8, 0.7, 0.65] },
      { label: 'b', color: '#111', x: [3, 1, 5], y: [0.3, 0.1, 0.5] },
    ]);
    assert.deepEqual(x, [1, 2, 3, 3.5, 5]);
    assert.deepEqual(ys, [[0.9, 0.8, 0.7, 0.65, null], [0.1, null, 0.3, null, 0.5]]);
  });

  it('a very long run is drawn thinned, ending on its last epoch', () => {
    const c = new LossCurves();
    c.apply(start);
    const n = MAX_DRAWN * 3 + 1;
    c.apply({ kind: 'done', runId: 1, epochs: n, loss: 0, metrics: {}, stopped: 'completed', reason: '', elapsedMs: 1, samplesPerSec: 1, history: { loss: Array.from({ length: n }, (_, i) => 1 / (i + 1)) } });
    const [loss] = c.lines();
    assert.ok(loss.x.length <= MAX_DRAWN + 1, `${loss.x.length} points drawn`);
    assert.equal(loss.x[loss.x.length - 1], n);
  });
});
