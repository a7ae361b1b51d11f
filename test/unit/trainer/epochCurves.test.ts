/**
 * The run history needs every epoch of a run, but the views get epochs throttled to the event
 * budget: the trainer sends the whole curve with 'done' (and 'error'), one value per epoch.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FromTrainerMessage, MalformedMessage, type FromTrainer, type ResponseMessage, type TrainingUpdate } from '../../../src/protocol';
import { TrainerCore } from '../../../src/trainer/trainerCore';

const fixture = path.join(__dirname, 'fixtures', 'spiral.nn');

describe('trainer: every epoch of a run goes with its done (run history)', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-curves-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('done carries one loss, validation loss and accuracy per epoch, though the views got only some epochs', async () => {
    const file = path.join(dir, 'spiral.nn');
    fs.copyFileSync(fixture, file);
    const updates: TrainingUpdate[] = [];
    const malformed: string[] = [];
    const core = new TrainerCore((m: FromTrainer | ResponseMessage) => {
      const checked = FromTrainerMessage.validate(m);
      if (checked instanceof MalformedMessage) malformed.push(checked.line);
      if (m.type === 'update') updates.push(m.update);
    });
    core.receive({ type: 'train', runId: 7, text: fs.readFileSync(file, 'utf8'), file, allowedRoots: [dir], overrides: { epochs: 40, backend: 'cpu' }, eventEveryMs: 100000 });
    await new Promise((r) => setTimeout(r, 50));
    await core.idle();
    assert.deepEqual(malformed, []);
    const done = updates.find((u) => u.kind === 'done');
    assert.ok(done && done.kind === 'done', JSON.stringify(updates.find((u) => u.kind === 'error')));
    const h = done.history;
    assert.ok(h, 'done has the curves');
    assert.equal(h.loss.length, 40);
    assert.equal(h.valLoss?.length, 40);
    assert.equal(h.accuracy?.length, 40);
    assert.equal(h.mae, undefined, 'a classifier has no MAE column');
    assert.ok(h.loss.every(Number.isFinite));
    assert.equal(h.loss[39], done.loss, 'the last epoch is the run\'s final loss');
    const seen = updates.filter((u): u is Extract<TrainingUpdate, { kind: 'epoch' }> => u.kind === 'epoch' && (u as { step?: number }).step === undefined);
    assert.ok(seen.length < 40, `the views got ${seen.length} of 40 epochs (throttled)`);
    for (const e of seen) assert.equal(h.loss[e.epoch - 1], e.loss, `epoch ${e.epoch} as the views saw it`);
  });
});
