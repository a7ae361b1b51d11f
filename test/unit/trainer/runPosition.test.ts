/**
 * The training process's stream, folded as every surface folds it (nextRunStatus): the position
 * never runs backwards during a run — an evaluation made during an epoch (a few a second) does
 * not pass for the epoch's end — and a run ends exactly where it says; a fresh Step's start
 * carries the design's parameter count (the header said "0 params").
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NO_RUN, nextRunStatus, type FromTrainer, type ResponseMessage, type RunStatus, type TrainingUpdate } from '../../../src/protocol';
import { TrainerCore } from '../../../src/trainer/trainerCore';

const fixture = path.join(__dirname, 'fixtures', 'spiral.nn');

describe('the run position the views fold from the training process', function () {
  this.timeout(60000);
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-position-'));
    file = path.join(dir, 'spiral.nn');
    fs.copyFileSync(fixture, file);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('only moves forward during a run with many evaluations, and ends where the run ended', async () => {
    const updates: TrainingUpdate[] = [];
    const core = new TrainerCore((m: FromTrainer | ResponseMessage) => { if (m.type === 'update') updates.push(m.update); });
    // 1 ms between view events: evaluations fall in the middle of (20-step) epochs.
    core.receive({ type: 'train', runId: 1, overrides: { backend: 'cpu', epochs: 40 }, eventEveryMs: 1, text: fs.readFileSync(file, 'utf8'), file, allowedRoots: [dir] });
    await new Promise((r) => setTimeout(r, 50));
    await core.idle();
    // An 'epoch' update followed by more progress of the same epoch was made during it.
    const midEpoch = updates.filter((u, i) => u.kind === 'epoch' && updates.slice(i + 1).find((v) => v.kind === 'progress')?.epoch === u.epoch);
    assert.ok(midEpoch.length > 0, 'some evaluations were made mid-epoch');
    let s: RunStatus = NO_RUN;
    let last = 0;
    for (const u of updates) {
      s = nextRunStatus(s, u);
      const at = Math.max(0, s.epoch - 1) * 20 + s.step;
      assert.ok(at >= last, `the position went back from step ${last} to ${at} (epoch ${s.epoch}, step ${s.step}) after a '${u.kind}' update`);
      last = at;
    }
    assert.deepEqual([s.phase, s.epoch, s.step, s.epochs, s.stepsPerEpoch], ['completed', 40, 20, 40, 20]);
  });

  it("a fresh Step's start counts the design's parameters", async () => {
    const updates: TrainingUpdate[] = [];
    let answered!: () => void;
    const reply = new Promise<void>((r) => { answered = r; });
    const core = new TrainerCore((m: FromTrainer | ResponseMessage) => {
      if (m.type === 'update') updates.push(m.update);
      else if (m.type === 'response') answered();
    });
    core.receive({ type: 'step', requestId: 1, runId: 2, text: fs.readFileSync(file, 'utf8'), file, allowedRoots: [dir] });
    await reply;
    const start = updates.find((u) => u.kind === 'start');
    assert.equal(start?.kind === 'start' && start.totalParams, 337);
  });
});
