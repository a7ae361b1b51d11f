/**
 * What the views must keep up with during a long run, as the palette's Train with Options starts
 * it (epochs 100000, the file's learning rate, backend cpu), then Stop: progress and epoch
 * updates share one event budget (each redraws the editor's chart and the gradients panel, so
 * two streams at the budget's rate each left a busy window seconds behind, with Stop and the
 * final 'done' waiting in the backlog), every message passes the host's checks, and 'done' comes
 * promptly after stop.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FromTrainerMessage, MalformedMessage, type FromTrainer, type ResponseMessage, type ToTrainer, type TrainingUpdate } from '../../../src/protocol';
import { TrainerCore } from '../../../src/trainer/trainerCore';

const fixture = path.join(__dirname, 'fixtures', 'spiral.nn');

describe('view update budget of a long run (Train with Options, then Stop)', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-budget-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('an epoch update goes out only when the event budget has room after the last progress or epoch update; stop ends with a valid done', async () => {
    const file = path.join(dir, 'spiral.nn');
    fs.copyFileSync(fixture, file);
    const text = fs.readFileSync(file, 'utf8');
    const everyMs = 50;
    const updates: Array<{ at: number; u: TrainingUpdate }> = [];
    const malformed: string[] = [];
    let resolveDone!: (u: TrainingUpdate) => void;
    const done = new Promise<TrainingUpdate>((r) => { resolveDone = r; });
    const core = new TrainerCore((m: FromTrainer | ResponseMessage) => {
      // The host's check of every message from the process (a failing one would be dropped).
      const checked = FromTrainerMessage.validate(m);
      if (checked instanceof MalformedMessage) malformed.push(checked.line);
      if (m.type !== 'update') return;
      updates.push({ at: performance.now(), u: m.update });
      if (m.update.kind === 'done' || m.update.kind === 'error') resolveDone(m.update);
    });
    // What trainOptions.ts and the controller send for epochs 100000, learning rate kept, cpu.
    const train: ToTrainer = { type: 'train', runId: 1, text, file, allowedRoots: [dir], overrides: { epochs: 100000, learningRate: 0.05, backend: 'cpu' }, eventEveryMs: everyMs, boundarySize: 64 };
    core.receive(train);
    const runMs = 3000;
    await new Promise((r) => setTimeout(r, runMs));
    const stoppedAt = performance.now();
    core.receive({ type: 'stop', runId: 1 });
    const end = await done;
    await core.idle();

    assert.deepEqual(malformed, [], 'every message passes the host\'s checks');
    assert.equal(end.kind, 'done', end.kind === 'error' ? end.message : '');
    assert.equal(end.kind === 'done' && end.stopped, 'aborted');
    const doneAt = updates[updates.length - 1].at;
    assert.ok(doneAt - stoppedAt < 1500, `done ${Math.round(doneAt - stoppedAt)} ms after stop`);

    const start = updates.find((x) => x.u.kind === 'start');
    assert.ok(start);
    const during = updates.filter((x) => x.at > start.at && x.at <= stoppedAt);
    const epochs = Math.max(...during.map((x) => (x.u.kind === 'progress' ? x.u.epoch : 0)));
    assert.ok(epochs > 20, `the run got going (${epochs} epochs)`);
    // An epoch update goes out only when the budget has room since the last progress or epoch
    // update (the first epoch excepted, and the evaluation that follows each boundary).
    let lastChart = -Infinity;
    const early: string[] = [];
    for (let i = 0; i < during.length; i++) {
      const { at, u } = during[i];
      if (u.kind !== 'progress' && u.kind !== 'epoch') continue;
      // (Two-input networks' inspections end with the neuron heatmaps, just before that evaluation.)
      const evaluation = u.kind === 'epoch' && i > 0 && ['boundary', 'neurons', 'weights'].includes(during[i - 1].u.kind);
      if (u.kind === 'epoch' && !evaluation && u.epoch > 1 && at - lastChart < everyMs - 2) early.push(`epoch ${u.epoch} ${(at - lastChart).toFixed(1)} ms after the last chart update`);
      lastChart = at;
    }
    const chart = during.filter((x) => x.u.kind === 'progress' || x.u.kind === 'epoch').length;
    assert.deepEqual(early.slice(0, 5), [], `${early.length} of ${chart} progress/epoch updates came within the budget of the one before: the views would fall behind`);
  });
});
