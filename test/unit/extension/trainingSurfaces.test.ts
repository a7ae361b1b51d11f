/**
 * The four places that say how training stands — the training view's header, the status bar item,
 * the progress notification and the gradients panel — fed the same updates as the host forwards
 * them, say the same epoch and step in the same words, during and after Train, Step, Stop and Reset.
 */
import * as assert from 'node:assert/strict';
import { NO_RUN, nextRunStatus, type RunStatus, type TrainingUpdate } from '../../../src/protocol';
import { progressMessage, trainingStatusText } from '../../../src/extension/training/trainingStatusText';
import { TrainingState } from '../../../webview/editor/training/trainingState';
import { trainingHeader } from '../../../webview/editor/training/trainingHeader';
import { PanelState } from '../../../webview/panel/panelState';

const start = (runId: number, mode: 'train' | 'step', notices: string[] = []): TrainingUpdate => ({
  kind: 'start', runId, file: 'spiral.nn', backend: 'cpu', reason: 'CPU', mode, paramCounts: [], totalParams: 337,
  trainCount: 450, validationCount: 50, epochs: 500, stepsPerEpoch: 45, batchSize: 10, notices,
});
const progress = (runId: number, epoch: number, step: number, samplesPerSec: number): TrainingUpdate => ({
  kind: 'progress', runId, epoch, step, totalSteps: 45, globalStep: (epoch - 1) * 45 + step, loss: 0.41, samplesPerSec,
});
const epochEnd = (runId: number, epoch: number): TrainingUpdate => ({ kind: 'epoch', runId, epoch, epochs: 500, loss: 0.4, metrics: { accuracy: 0.8 }, samplesPerSec: 950 });
const evaluation = (runId: number, epoch: number, step: number): TrainingUpdate => ({ ...epochEnd(runId, epoch), step } as TrainingUpdate);
const reset: TrainingUpdate = { kind: 'reset', runId: 0, message: 'Weights reset: spiral.weights.safetensors was deleted; the next run starts from fresh weights.' };

/** Every surface, fed as the host feeds it (the panel gets no evaluations, only epoch ends). */
class Surfaces {
  host: RunStatus = NO_RUN;
  readonly view = new TrainingState();
  readonly panel = new PanelState();
  apply(...updates: TrainingUpdate[]): this {
    for (const u of updates) {
      this.host = nextRunStatus(this.host, u);
      this.view.apply(u);
      if (u.kind !== 'epoch' || u.step === undefined) this.panel.apply(u);
    }
    return this;
  }
  get said(): { header: string; statusBar: string; notification: string; panel: string } {
    return { header: trainingHeader(this.view), statusBar: trainingStatusText('spiral.nn', this.host)?.text ?? '', notification: progressMessage(this.host), panel: this.panel.status };
  }
}

/** Asserts that each surface says `words` (the notification only the counter). */
function agree(s: Surfaces, words: string, position: string): void {
  const said = s.said;
  for (const [where, text] of Object.entries(said)) {
    if (where === 'notification') assert.ok(text.startsWith(position), `${where}: ${text}`);
    else assert.ok(text.includes(words), `${where} says "${text}", not "${words}"`);
  }
}

describe('one epoch counter on every surface', () => {
  it('during Train, after an evaluation mid-epoch and at an epoch\'s end', () => {
    const s = new Surfaces().apply(start(1, 'train'), progress(1, 3, 4, 900), evaluation(1, 3, 4));
    agree(s, 'epoch 3/500 · step 4/45', 'epoch 3/500 · step 4/45');
    assert.match(s.said.header, /^● epoch 3\/500 · step 4\/45 · 900 samples\/s · cpu · 337 params$/);
    s.apply(progress(1, 3, 40, 900), epochEnd(1, 3));
    agree(s, 'epoch 3/500 · step 45/45', 'epoch 3/500 · step 45/45');
  });

  it('after the run: where it ended, not the last throttled progress, and nothing says it still runs', () => {
    const s = new Surfaces().apply(start(1, 'train'), progress(1, 498, 40, 900),
      { kind: 'done', runId: 1, epochs: 500, loss: 0.2, metrics: {}, stopped: 'completed', reason: 'completed 500 epoch(s)', elapsedMs: 9000, samplesPerSec: 1000 });
    agree(s, 'completed · epoch 500/500 · step 45/45', 'epoch 500/500 · step 45/45');
    assert.doesNotMatch(s.said.header, /●|498/);
    assert.doesNotMatch(s.said.statusBar, /sync~spin/);
  });

  it('after Stop: stopped at the step it reached', () => {
    const s = new Surfaces().apply(start(2, 'train'), progress(2, 7, 12, 900),
      { kind: 'done', runId: 2, epochs: 7, loss: 0.3, metrics: {}, stopped: 'aborted', reason: 'stopped on request during epoch 7', elapsedMs: 900, samplesPerSec: 1000 });
    agree(s, 'stopped · epoch 7/500 · step 12/45', 'epoch 7/500 · step 12/45');
  });

  it('after Step and Step again: "stepped", never "starting on cpu" nor "0 samples/s"', () => {
    const s = new Surfaces().apply(start(3, 'step'), progress(3, 1, 1, 0));
    agree(s, 'stepped · epoch 1/500 · step 1/45', 'epoch 1/500 · step 1/45');
    s.apply(progress(4, 1, 2, 0));
    agree(s, 'stepped · epoch 1/500 · step 2/45', 'epoch 1/500 · step 2/45');
    for (const text of Object.values(s.said)) assert.doesNotMatch(text, /starting|samples\/s|0 params/);
  });

  it('after Reset Weights: nothing of the run is left anywhere', () => {
    const s = new Surfaces().apply(start(5, 'train', ['continuing from spiral.weights.safetensors (Reset Weights starts over)']), progress(5, 2, 3, 900),
      { kind: 'done', runId: 5, epochs: 2, loss: 0.3, metrics: {}, stopped: 'aborted', reason: 'stopped', elapsedMs: 900, samplesPerSec: 1000 }, reset);
    assert.equal(s.said.header, 'weights reset');
    assert.equal(s.said.statusBar, '$(discard) spiral.nn: weights reset');
    assert.match(s.said.panel, /^Weights reset/);
    assert.equal(s.said.notification, '');
    assert.deepEqual([s.view.notices, s.view.steps, s.view.boundary, s.view.running], [[], [], undefined, false]);
  });

  it('after a failure: failed where it was', () => {
    const s = new Surfaces().apply(start(6, 'train'), progress(6, 2, 9, 900), { kind: 'exited', runId: -1, message: 'The training process was killed (SIGKILL).' });
    agree(s, 'failed · epoch 2/500 · step 9/45', 'epoch 2/500 · step 9/45');
    assert.equal(s.view.outcome?.level, 'error');
  });
});
