/**
 * Neuron heatmaps off (the user's setting neuralCanvas.training.neuronHeatmaps, told to the
 * training process with each run and Step, and mid-run by the 'neuronHeatmaps' message): the
 * process computes no tiles, while the boundary still streams; turned on again, they resume.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FromTrainer, ResponseMessage, ToTrainer, TrainingUpdate } from '../../../src/protocol';
import { TrainerCore } from '../../../src/trainer/trainerCore';

const fixture = path.join(__dirname, 'fixtures', 'spiral.nn');

/** A trainer whose updates are recorded; `next(kind)` waits for the next update of a kind. */
function recordingCore(): { core: TrainerCore; updates: TrainingUpdate[]; next(kind: TrainingUpdate['kind']): Promise<number>; replies: Promise<void>[] } {
  const updates: TrainingUpdate[] = [];
  const waiting: Array<{ kind: string; resolve: (i: number) => void }> = [];
  const answers: Array<() => void> = [];
  const replies: Promise<void>[] = [];
  const core = new TrainerCore((m: FromTrainer | ResponseMessage) => {
    if (m.type === 'response') { answers.shift()?.(); return; }
    if (m.type !== 'update') return;
    updates.push(m.update);
    for (const w of waiting.filter((x) => x.kind === m.update.kind)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(updates.length - 1);
    }
  });
  const receive = core.receive.bind(core);
  core.receive = (m) => {
    if (m.type === 'step') replies.push(new Promise<void>((r) => answers.push(r)));
    receive(m);
  };
  return { core, updates, replies, next: (kind) => new Promise<number>((resolve) => waiting.push({ kind, resolve })) };
}

const kinds = (us: TrainingUpdate[]): Set<string> => new Set(us.map((u) => u.kind));

describe('neuron heatmaps off (trainer)', function () {
  this.timeout(60000);
  let dir: string;
  let file: string;
  let text: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-heatmaps-off-'));
    file = path.join(dir, 'spiral.nn');
    fs.copyFileSync(fixture, file);
    text = fs.readFileSync(file, 'utf8');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const train = (runId: number, epochs: number, neuronHeatmaps?: boolean): ToTrainer => ({
    type: 'train', runId, text, file, allowedRoots: [dir], overrides: { epochs, backend: 'cpu' }, eventEveryMs: 20, boundarySize: 32, ...(neuronHeatmaps === undefined ? {} : { neuronHeatmaps }),
  });

  it('a run told neuronHeatmaps: false computes no tiles, but streams its boundary; by default it computes them', async () => {
    const off = recordingCore();
    off.core.receive(train(1, 3, false));
    await off.next('done');
    assert.ok(kinds(off.updates).has('boundary'), 'the boundary streams');
    assert.equal(off.updates.filter((u) => u.kind === 'neurons').length, 0, 'no neuron heatmaps');

    const on = recordingCore();
    on.core.receive(train(2, 3));
    await on.next('done');
    assert.ok(on.updates.filter((u) => u.kind === 'neurons').length >= 1, 'heatmaps by default (the final picture at least)');
  });

  it('turned off mid-run, the run stops computing tiles at once; turned on, they come back', async () => {
    const r = recordingCore();
    r.core.receive(train(3, 100000, true));
    await r.next('neurons');
    r.core.receive({ type: 'neuronHeatmaps', on: false });
    // An inspection already past its heatmap step may still end with one: count from the next boundary on.
    const from = await r.next('boundary');
    await r.next('boundary');
    await r.next('boundary');
    assert.deepEqual(r.updates.slice(from).filter((u) => u.kind === 'neurons').length, 0, 'no tiles once off');
    r.core.receive({ type: 'neuronHeatmaps', on: true });
    await r.next('neurons');
    r.core.receive({ type: 'stop', runId: 3 });
    await r.next('done');
    await r.core.idle();
  });

  it('a Step told neuronHeatmaps: false draws its boundary without tiles', async () => {
    const r = recordingCore();
    r.core.receive({ type: 'step', requestId: 1, runId: 4, text, file, allowedRoots: [dir], neuronHeatmaps: false });
    await r.replies[0];
    assert.ok(kinds(r.updates).has('boundary'));
    assert.equal(r.updates.filter((u) => u.kind === 'neurons').length, 0);
    r.core.receive({ type: 'step', requestId: 2, runId: 5, text, file, allowedRoots: [dir] });
    await r.replies[1];
    assert.equal(r.updates.filter((u) => u.kind === 'neurons').length, 1, 'the default Step draws them');
  });
});
