/**
 * Trained weights are never replaced without the user's say: the trainer reports how the saved
 * weights stand (fits / mismatch / damaged), refuses to train or step over weights that do not
 * fit or are damaged unless the request says the user agreed, and the host's decision (pure)
 * maps the answer of the modal to what happens.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSafetensors } from '../../../src/engine/weights';
import { copyNameFor, keepCopyAnswer, REPLACE_ANSWER, weightsDecision, weightsQuestion } from '../../../src/extension/training/weightsQuestion';
import type { FromTrainer, ResponseMessage, SavedWeightsState, ToTrainer } from '../../../src/protocol';
import { TrainerCore } from '../../../src/trainer/trainerCore';

const design = (units: number): string => JSON.stringify({
  format: 'nn/1',
  nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'hidden', type: 'dense', units, activation: 'relu' }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' }],
  edges: [{ from: 'x', to: 'hidden' }, { from: 'hidden', to: 'y' }],
  training: { data: { generator: 'xor', samples: 200 }, loss: 'binary_crossentropy', batchSize: 16, epochs: 2, seed: 1 },
}, null, 2);

/** A trainer in this process: requests resolve with their response; `out` collects every message it sent. */
function trainer(): { core: TrainerCore; request: (m: Record<string, unknown>) => Promise<ResponseMessage>; out: Array<FromTrainer | ResponseMessage> } {
  const out: Array<FromTrainer | ResponseMessage> = [];
  const waiting = new Map<number, (r: ResponseMessage) => void>();
  const core = new TrainerCore((m) => {
    out.push(m);
    if (m.type === 'response') waiting.get(m.requestId)?.(m);
  });
  let next = 1;
  const request = (m: Record<string, unknown>): Promise<ResponseMessage> => {
    const requestId = next++;
    return new Promise((resolve) => {
      waiting.set(requestId, resolve);
      core.receive({ ...m, requestId } as unknown as ToTrainer);
    });
  };
  return { core, request, out };
}

describe('saved weights are replaced only when the user agreed', function () {
  this.timeout(60000);
  let dir: string;
  let file: string;
  let wfile: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-weights-'));
    file = path.join(dir, 'net.nn');
    wfile = path.join(dir, 'net.weights.safetensors');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const job = (units: number): Record<string, unknown> => ({ text: design(units), file, allowedRoots: [dir] });

  it('change 16 → 17 units, Step, undo: the trained weights are still there (Step refuses without consent)', async () => {
    const t = trainer();
    const first = await t.request({ type: 'step', runId: 1, ...job(16) });
    assert.equal(first.ok, true, first.error);
    const trained = fs.readFileSync(wfile);

    const state = (await t.request({ type: 'savedWeights', ...job(17) })).value as unknown as SavedWeightsState;
    assert.equal(state.status, 'mismatch');
    assert.match((state as { problem: string }).problem, /^net\.weights\.safetensors: .*tensor 'hidden\.weight' has the wrong shape \(the design expects \[17, 2\], the file has \[16, 2\]\)/);

    const refused = await t.request({ type: 'step', runId: 2, ...job(17) });
    assert.equal(refused.ok, false);
    assert.match(refused.error ?? '', /hidden\.weight.*\[17, 2\].*\[16, 2\].*net\.weights\.safetensors was left as it is/);
    assert.ok(fs.readFileSync(wfile).equals(trained), 'the weights file is untouched');

    // Undo: the design fits its weights again and Step continues from them.
    const again = await t.request({ type: 'step', runId: 3, ...job(16) });
    assert.equal(again.ok, true, again.error);
    assert.equal(((await t.request({ type: 'savedWeights', ...job(16) })).value as unknown as SavedWeightsState).status, 'fits');
  });

  it('Train refuses weights that do not fit without consent, and replaces them with it', async () => {
    const t = trainer();
    assert.equal((await t.request({ type: 'step', runId: 1, ...job(16) })).ok, true);
    const trained = fs.readFileSync(wfile);
    t.core.receive({ type: 'train', runId: 5, overrides: { epochs: 1 }, ...job(17) } as unknown as ToTrainer);
    await new Promise((r) => setTimeout(r, 50));
    await t.core.idle();
    const updates = t.out.filter((m): m is Extract<FromTrainer, { type: 'update' }> => m.type === 'update').map((m) => m.update);
    const error = updates.find((u) => u.kind === 'error' && u.runId === 5);
    assert.ok(error && error.kind === 'error', 'an error update');
    assert.match(error.message, /hidden\.weight.*was left as it is/);
    assert.ok(!updates.some((u) => u.kind === 'done' && u.runId === 5));
    assert.ok(fs.readFileSync(wfile).equals(trained), 'the weights file is untouched');

    t.core.receive({ type: 'train', runId: 6, overrides: { epochs: 1 }, replaceWeights: true, ...job(17) } as unknown as ToTrainer);
    await new Promise((r) => setTimeout(r, 50));
    await t.core.idle();
    const done = t.out.some((m) => m.type === 'update' && m.update.kind === 'done' && m.update.runId === 6);
    assert.ok(done, 'the agreed run finished');
    assert.deepEqual(decodeSafetensors(fs.readFileSync(wfile)).tensors.get('hidden.weight')?.shape, [17, 2]);
  });

  it('a run that diverges is stopped at its step and saves nothing over the good weights', async () => {
    const t = trainer();
    assert.equal((await t.request({ type: 'step', runId: 1, ...job(16) })).ok, true);
    const good = fs.readFileSync(wfile);
    // Far above what the quick pick allows: the engine must still stop it (here, Adam at lr 1000).
    t.core.receive({ type: 'train', runId: 7, overrides: { epochs: 50, learningRate: 1000, backend: 'cpu' }, ...job(16) } as unknown as ToTrainer);
    await new Promise((r) => setTimeout(r, 50));
    await t.core.idle();
    const updates = t.out.flatMap((m) => (m.type === 'update' && m.update.runId === 7 ? [m.update] : []));
    const error = updates.find((u) => u.kind === 'error');
    assert.ok(error?.kind === 'error', 'an error update');
    assert.match(error.message, /^training diverged at epoch 1, step \d+ .*Try a lower learning rate/);
    assert.ok(!updates.some((u) => u.kind === 'done'), 'no done: nothing saved');
    assert.ok(fs.readFileSync(wfile).equals(good), 'the good weights are untouched');
  });

  it('a damaged weights file is reported, naming the file, and never overwritten without consent', async () => {
    const t = trainer();
    fs.writeFileSync(wfile, 'not safetensors at all');
    const state = (await t.request({ type: 'savedWeights', ...job(16) })).value as unknown as SavedWeightsState;
    assert.equal(state.status, 'damaged');
    assert.match((state as { problem: string }).problem, /net\.weights\.safetensors: the header claims \d+ bytes/);
    const refused = await t.request({ type: 'step', runId: 1, ...job(16) });
    assert.equal(refused.ok, false);
    assert.match(refused.error ?? '', /net\.weights\.safetensors.*was left as it is/);
    assert.equal(fs.readFileSync(wfile, 'utf8'), 'not safetensors at all');
    const agreed = await t.request({ type: 'step', runId: 2, replaceWeights: true, ...job(16) });
    assert.equal(agreed.ok, true, agreed.error);
    assert.equal(decodeSafetensors(fs.readFileSync(wfile)).tensors.size, 4);
  });
});

describe('the host\'s weights question (pure)', () => {
  const file = '/ws/net.weights.safetensors';
  const mismatch: SavedWeightsState = { status: 'mismatch', file, problem: "net.weights.safetensors: tensor 'h.weight' has the wrong shape" };

  it('asks nothing when there is no file or it fits', () => {
    for (const status of ['none', 'fits'] as const) {
      assert.equal(weightsQuestion({ status, file }, 'Step', '/ws/net.weights.1.safetensors'), undefined);
      assert.deepEqual(weightsDecision({ status, file }, undefined, 'x'), { proceed: true, replaceWeights: false });
    }
  });

  it('asks Replace / Keep a Copy / Cancel for a file that does not fit or is damaged, naming the problem', () => {
    const q = weightsQuestion(mismatch, 'Step', '/ws/net.weights.2.safetensors');
    assert.ok(q);
    assert.match(q.message, /net\.weights\.safetensors does not fit the design\. Step starts from fresh weights and replaces it/);
    assert.match(q.detail, /tensor 'h\.weight' has the wrong shape/);
    assert.match(q.detail, /net\.weights\.2\.safetensors/);
    assert.deepEqual(q.buttons, ['Replace', 'Keep a Copy as net.weights.2.safetensors']);
    assert.match(weightsQuestion({ status: 'damaged', file, problem: 'bad' }, 'Training', 'c')!.message, /is damaged/);
  });

  it('maps the answer: Replace, Keep a Copy (with the copy\'s name), Cancel or dismissed', () => {
    assert.deepEqual(weightsDecision(mismatch, REPLACE_ANSWER, 'c'), { proceed: true, replaceWeights: true });
    const copy = '/ws/net.weights.1.safetensors';
    assert.deepEqual(weightsDecision(mismatch, keepCopyAnswer(copy), copy), { proceed: true, replaceWeights: true, copyTo: copy });
    assert.deepEqual(weightsDecision(mismatch, 'Cancel', 'c'), { proceed: false });
    assert.deepEqual(weightsDecision(mismatch, undefined, 'c'), { proceed: false });
  });

  it('names the copy with the first free integer', () => {
    const taken = new Set(['/ws/net.weights.1.safetensors', '/ws/net.weights.2.safetensors', '/ws/net.weights.4.safetensors']);
    assert.equal(copyNameFor(file, (f) => taken.has(f)), '/ws/net.weights.3.safetensors');
    assert.equal(copyNameFor(file, () => false), '/ws/net.weights.1.safetensors');
  });
});
