/** The host's per-file training history (replayed to views that open late) and panel message validation. */
import * as assert from 'node:assert/strict';
import { RunHistory, MAX_FILTER_SNAPSHOTS, MAX_SERIES } from '../../../src/extension/training/runHistory';
import type { TrainingUpdate } from '../../../src/protocol';

const start = (runId: number, mode: 'train' | 'step' = 'train'): TrainingUpdate => ({
  kind: 'start', runId, file: 'a.nn', backend: 'cpu', reason: '', mode, paramCounts: [], totalParams: 9, trainCount: 10, validationCount: 0, epochs: 5, stepsPerEpoch: 2, batchSize: 5, notices: [],
});
const progress = (runId: number, globalStep: number, loss = 1 / globalStep): TrainingUpdate => ({ kind: 'progress', runId, epoch: 1, step: globalStep, totalSteps: 2, globalStep, loss, samplesPerSec: 1 });

describe('RunHistory', () => {
  it('replays start, every series point, then only the latest boundary and outcome', () => {
    const h = new RunHistory();
    h.add(start(1));
    h.add(progress(1, 1));
    h.add({ kind: 'boundary', runId: 1, size: 1, width: 1, extent: [0, 1, 0, 1], values: new Float32Array([0.1]) });
    h.add(progress(1, 2));
    h.add({ kind: 'boundary', runId: 1, size: 1, width: 1, extent: [0, 1, 0, 1], values: new Float32Array([0.9]) });
    h.add({ kind: 'done', runId: 1, epochs: 1, loss: 0.5, metrics: {}, stopped: 'aborted', reason: 'stopped', elapsedMs: 1, samplesPerSec: 1 });
    const kinds = h.replay().map((u) => u.kind);
    assert.deepEqual(kinds, ['start', 'progress', 'progress', 'boundary', 'done']);
    const b = h.replay().find((u) => u.kind === 'boundary');
    assert.ok(b?.kind === 'boundary' && b.values[0] === Math.fround(0.9), 'the latest boundary wins');
  });

  it('a new train run starts over; steps keep adding to a stepping picture', () => {
    const h = new RunHistory();
    h.add(start(1));
    h.add(progress(1, 1));
    h.add(start(2));
    assert.deepEqual(h.replay().map((u) => u.runId), [2]);
    h.add(start(3, 'step'));
    h.add(progress(3, 1));
    h.add(start(4, 'step'));
    h.add(progress(4, 2));
    assert.deepEqual(h.replay().filter((u) => u.kind === 'progress').map((u) => u.kind === 'progress' && u.globalStep), [1, 2]);
  });

  it('thins long series instead of growing without bound, keeping the latest points', () => {
    const h = new RunHistory();
    h.add(start(1));
    for (let s = 1; s <= MAX_SERIES * 3; s++) h.add(progress(1, s));
    const steps = h.replay().filter((u) => u.kind === 'progress').map((u) => (u.kind === 'progress' ? u.globalStep : 0));
    assert.ok(steps.length <= MAX_SERIES + 1, `kept ${steps.length}`);
    assert.equal(steps[0], 1, 'the start of the curve survives');
    assert.equal(steps[steps.length - 1], MAX_SERIES * 3, 'the latest point is kept');
    assert.deepEqual([...steps].sort((a, b) => a - b), steps, 'still in order');
  });

  it('replays an image network\'s filters over time (bounded) and its latest image grid, so a reopened panel has the slider and the picker', () => {
    const h = new RunHistory();
    h.add(start(1));
    for (let e = 1; e <= 200; e++) h.add({ kind: 'filters', runId: 1, epoch: e, globalStep: e, node: 'c', shape: [1, 1, 1, 1], of: 1, data: new Float32Array(1) });
    for (const row of [4, 5]) {
      h.add({ kind: 'images', runId: 1, epoch: 1, set: 'validation', shape: [1, 1, 1], pixels: new Uint8Array(1), rows: [row], actual: [0], predicted: [0], confidence: [1], classNames: [], total: 9, wrong: 0 });
    }
    const replay = h.replay();
    const epochs = replay.flatMap((u) => (u.kind === 'filters' ? [u.epoch] : []));
    assert.ok(epochs.length <= MAX_FILTER_SNAPSHOTS + 1 && epochs[0] === 1 && epochs[epochs.length - 1] === 200, `kept ${epochs.length}: ${epochs[0]}…${epochs[epochs.length - 1]}`);
    assert.deepEqual(replay.flatMap((u) => (u.kind === 'images' ? u.rows : [])), [5], 'the latest grid only');
  });

  it('Reset Weights clears it', () => {
    const h = new RunHistory();
    h.add(start(1));
    h.add({ kind: 'reset', runId: 0, message: 'reset' });
    assert.equal(h.hasRun, false);
    assert.deepEqual(h.replay(), []);
  });
});
