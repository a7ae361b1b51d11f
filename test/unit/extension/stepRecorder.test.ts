/** Steps become the run history: consecutive Steps on the same weights are one entry of name.runs.jsonl. */
import * as assert from 'node:assert/strict';
import { formatRunLine, parseRunLog, runLabel, withRunLine } from '../../../src/model';
import { StepSequence } from '../../../src/extension/training/stepRecorder';
import type { TrainingUpdate } from '../../../src/protocol';

const training = { data: { generator: 'spiral' }, optimizer: { type: 'adam', learningRate: 0.05 }, batchSize: 32, epochs: 500, seed: 7 };
const begin = { design: 'spiral.nn', started: '2026-11-30T17:20:00.000Z', training };
const start = { kind: 'start', runId: 4, file: 'spiral.nn', backend: 'cpu', reason: 'Step runs one batch at a time on the CPU', mode: 'step', paramCounts: [], totalParams: 337, trainCount: 256, validationCount: 0, epochs: 500, stepsPerEpoch: 8, batchSize: 32, notices: [] } as TrainingUpdate;
const progress = (globalStep: number, loss: number): TrainingUpdate => ({ kind: 'progress', runId: 4, epoch: Math.floor((globalStep - 1) / 8) + 1, step: ((globalStep - 1) % 8) + 1, totalSteps: 8, globalStep, loss, samplesPerSec: 0 });
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('extension/stepRecorder (Steps → one entry of the run history)', () => {
  it('each Step brings the one entry up to date: a point per Step at the epochs reached, the file\'s settings, mode "step"', () => {
    const seq = new StepSequence(begin);
    assert.equal(seq.add(start), false);
    assert.equal(seq.add(progress(1, 0.7)), true);
    assert.equal(seq.record().steps, 1);
    seq.add({ kind: 'layers', runId: 4, globalStep: 1, layers: [] });
    seq.add(progress(2, 0.65));
    seq.add(progress(3, NaN));
    const rec = seq.record();
    assert.equal(rec.mode, 'step');
    assert.equal(rec.steps, 3);
    assert.equal(rec.started, begin.started, 'the first Step\'s time identifies the entry');
    assert.deepEqual(rec.training, training);
    assert.equal(rec.seed, 7);
    assert.equal(rec.backend, 'cpu');
    assert.equal(rec.ended, 'finished');
    assert.equal(rec.reason, '3 Steps of one batch each');
    assert.deepEqual(rec.curves, { epoch: [0.125, 0.25, 0.375], loss: [0.7, 0.65, null] });
    assert.deepEqual(rec.final, { epochs: 0.375, loss: null });
    const back = parseRunLog(formatRunLine(rec), 'spiral.runs.jsonl');
    assert.deepEqual(back.warnings, []);
    assert.match(runLabel(back.runs[0], 1), /^#2 · \d\d:\d\d · adam lr 0\.05 · 3 steps$/);
  });

  it('a failed Step ends its entry as "failed", with the message', () => {
    const seq = new StepSequence(begin);
    seq.add(start);
    seq.add(progress(1, 0.7));
    const rec = seq.record('Step failed: the loss became NaN at step 2.');
    assert.equal(rec.ended, 'failed');
    assert.equal(rec.reason, 'Step failed: the loss became NaN at step 2.');
    assert.equal(rec.steps, 1);
  });

  it('the entry\'s line is replaced while the file still ends with it; anything else is appended after, nothing before changes', () => {
    const seq = new StepSequence(begin);
    seq.add(start);
    const trainRun = '{"a train run":1}\n';
    seq.add(progress(1, 0.7));
    const first = bytes(formatRunLine(seq.record()));
    const a = withRunLine(bytes(trainRun), first);
    assert.equal(a.replaced, false);
    seq.add(progress(2, 0.6));
    const second = bytes(formatRunLine(seq.record()));
    const b = withRunLine(a.bytes, second, first);
    assert.equal(b.replaced, true);
    const lines = text(b.bytes).split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 2, 'two Steps: still one entry beside the Train run');
    assert.equal(lines[0], trainRun.trim(), 'the line before is kept byte for byte');
    const read = parseRunLog(text(b.bytes), 'x');
    assert.deepEqual(read.runs.map((r) => [r.line, r.steps]), [[2, 2]], 'the entry, on line 2, holds both Steps');
    // The user (or git) changed the file's end: the entry goes on in a new line, the file's bytes stay.
    const edited = bytes(`${text(b.bytes)}{"added by hand":1}`);
    const c = withRunLine(edited, first, second);
    assert.equal(c.replaced, false);
    assert.equal(text(c.bytes), `${text(edited)}\n${text(first)}`);
    // Same bytes, but not a whole line of the file (a longer line ending the same way): appended.
    const d = withRunLine(bytes(`x${text(first)}`), second, first);
    assert.equal(d.replaced, false);
  });
});
