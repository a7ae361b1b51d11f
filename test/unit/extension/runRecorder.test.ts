/** One Train run's updates become its line of name.runs.jsonl. */
import * as assert from 'node:assert/strict';
import { parseRunLog, formatRunLine } from '../../../src/model';
import { RunRecorder, trainingAsUsed } from '../../../src/extension/training/runRecorder';
import type { TrainingUpdate } from '../../../src/protocol';

const training = { data: { generator: 'spiral' }, optimizer: { type: 'adam', learningRate: 0.05 }, epochs: 500 };
const begin = { design: 'spiral.nn', started: '2026-11-30T17:20:00.000Z', training, overrides: { epochs: 3, backend: 'cpu' as const } };
const start = { kind: 'start', runId: 1, file: 'spiral.nn', backend: 'cpu', reason: '', mode: 'train', paramCounts: [], totalParams: 337, trainCount: 320, validationCount: 80, epochs: 3, stepsPerEpoch: 20, batchSize: 16, notices: [] } as TrainingUpdate;
const epoch = (n: number, loss: number): TrainingUpdate => ({ kind: 'epoch', runId: 1, epoch: n, epochs: 3, loss, valLoss: loss + 0.1, metrics: { accuracy: 0.5 + n / 10 }, samplesPerSec: 1 });

describe('extension/runRecorder (a run → its line of the run history)', () => {
  it('records the settings as used (overrides written in), backend, seed, every epoch and how it finished', () => {
    const r = new RunRecorder(begin);
    assert.equal(r.add(start), undefined);
    assert.equal(r.add(epoch(2, 0.5)), undefined);
    const rec = r.add({ kind: 'done', runId: 1, epochs: 3, loss: 0.4, valLoss: 0.5, metrics: { accuracy: 0.8 }, stopped: 'completed', reason: 'completed 3 epoch(s)', elapsedMs: 1234.5, samplesPerSec: 9, history: { loss: [0.7, 0.5, 0.4], valLoss: [0.8, NaN, 0.5], accuracy: [0.6, 0.7, 0.8] } });
    assert.ok(rec);
    assert.deepEqual(rec.training, { ...training, epochs: 3 });
    assert.deepEqual(rec.overrides, { epochs: 3, backend: 'cpu' });
    assert.equal(rec.backend, 'cpu');
    assert.equal(rec.seed, 42, 'the default seed when the file names none');
    assert.equal(rec.ended, 'finished');
    assert.deepEqual(rec.curves, { epoch: [1, 2, 3], loss: [0.7, 0.5, 0.4], valLoss: [0.8, null, 0.5], accuracy: [0.6, 0.7, 0.8] });
    assert.deepEqual(rec.final, { epochs: 3, loss: 0.4, valLoss: 0.5, accuracy: 0.8, mae: undefined, r2: undefined });
    assert.equal(rec.elapsedMs, 1235);
    const back = parseRunLog(formatRunLine(rec), 'spiral.runs.jsonl');
    assert.deepEqual(back.warnings, []);
    assert.equal(back.runs[0].started, begin.started);
  });

  it('a stopped run is "stopped"; a crashed one is "failed" with the epochs the stream carried', () => {
    const stopped = new RunRecorder(begin);
    stopped.add(start);
    assert.equal(stopped.add({ kind: 'done', runId: 1, epochs: 2, loss: 0.5, metrics: {}, stopped: 'aborted', reason: 'stopped on request during epoch 2', elapsedMs: 1, samplesPerSec: 1, history: { loss: [0.7] } })?.ended, 'stopped');
    const crashed = new RunRecorder(begin);
    crashed.add(start);
    crashed.add(epoch(1, 0.7));
    crashed.add({ ...epoch(2, 0.9), step: 5 } as TrainingUpdate);
    crashed.add(epoch(2, 0.5));
    const rec = crashed.add({ kind: 'exited', runId: -1, message: 'The training process was killed.' });
    assert.equal(rec?.ended, 'failed');
    assert.equal(rec?.reason, 'The training process was killed.');
    assert.deepEqual(rec?.curves.epoch, [1, 2]);
    assert.deepEqual(rec?.curves.loss, [0.7, 0.5], 'an evaluation during epoch 2 is not its end');
    assert.equal(rec?.final.epochs, 2);
  });

  it('writes a learning-rate override into the optimizer, creating it when the file had none', () => {
    assert.deepEqual(trainingAsUsed({ epochs: 5 }, { learningRate: 0.1 }), { epochs: 5, optimizer: { type: 'adam', learningRate: 0.1 } });
    const t = { optimizer: { type: 'sgd', momentum: 0.9 } };
    assert.deepEqual(trainingAsUsed(t, { learningRate: 0.1 }), { optimizer: { type: 'sgd', momentum: 0.9, learningRate: 0.1 } });
    assert.deepEqual(t, { optimizer: { type: 'sgd', momentum: 0.9 } }, 'the file\'s section is not changed');
  });
});
