/**
 * The training process end to end through the real IPC: TrainerClient forks src/trainer/main.ts
 * (through tsx, so no build is needed) and we watch what a view would see.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TrainerClient } from '../../../src/extension/training/trainerClient';
import type { GradientCheckResult, TrainingUpdate } from '../../../src/protocol';

const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(__dirname, 'fixtures');

function launch(): TrainerClient {
  return new TrainerClient({ script: path.join(root, 'src/trainer/main.ts'), execArgv: ['--import', 'tsx'] });
}

/** A fresh copy of a fixture in a temp workspace (runs write weights beside the file). */
function workspace(name: string, from = path.join(fixtures, name)): { dir: string; file: string; text: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-trainer-'));
  const file = path.join(dir, name);
  fs.copyFileSync(from, file);
  return { dir, file, text: fs.readFileSync(file, 'utf8') };
}

/** Collects updates until `until` says stop (or the timeout passes). */
function collect(client: TrainerClient, until: (u: TrainingUpdate, all: TrainingUpdate[]) => boolean, timeoutMs = 15000): Promise<TrainingUpdate[]> {
  const all: TrainingUpdate[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out; saw ${all.map((u) => u.kind).join(',')}`)); }, timeoutMs);
    const sub = client.onUpdate((u) => {
      all.push(u);
      if (until(u, all)) { clearTimeout(timer); sub.dispose(); resolve(all); }
    });
  });
}

describe('training process (IPC)', function () {
  this.timeout(30000);
  let client: TrainerClient;
  beforeEach(() => { client = launch(); });
  afterEach(() => client.dispose());

  it('streams a spiral run (typed arrays included), stops within a second and saves the weights', async () => {
    const ws = workspace('spiral.nn');
    const runId = client.newRunId();
    const firstBoundaries = collect(client, (_u, all) => all.filter((u) => u.kind === 'boundary').length >= 3);
    client.train({ runId, text: ws.text, file: ws.file, allowedRoots: [ws.dir], overrides: { backend: 'cpu' } });
    const seen = await firstBoundaries;
    const start = seen.find((u) => u.kind === 'start');
    assert.ok(start && start.kind === 'start');
    assert.equal(start.runId, runId);
    assert.deepEqual(start.paramCounts.map((p) => p.id), ['h1', 'h2', 'y']);
    assert.ok(start.points && start.points.x instanceof Float32Array && start.points.validation instanceof Uint8Array, 'points arrive as typed arrays');
    assert.equal(start.points.x.length, 2 * (start.trainCount + start.validationCount));
    const boundary = seen.find((u) => u.kind === 'boundary');
    assert.ok(boundary && boundary.kind === 'boundary' && boundary.values instanceof Float32Array);
    assert.equal(boundary.values.length, 64 * 64);
    const layers = seen.find((u) => u.kind === 'layers');
    assert.ok(layers && layers.kind === 'layers');
    assert.deepEqual(layers.layers.map((l) => l.id), ['h1', 'h2', 'y']);
    assert.ok(layers.layers.every((l) => l.grad && l.grad.l2 > 0), 'every dense layer has a gradient norm');
    const done = collect(client, (u) => u.kind === 'done' || u.kind === 'error');
    const t0 = Date.now();
    client.stop(runId);
    const after = await done;
    const elapsed = Date.now() - t0;
    const last = after[after.length - 1];
    assert.equal(last.kind, 'done', JSON.stringify(last));
    assert.ok(last.kind === 'done' && last.stopped === 'aborted');
    assert.ok(elapsed < 1000, `stopped in ${elapsed} ms`);
    assert.ok(last.kind === 'done' && last.weightsFile && fs.existsSync(last.weightsFile), 'weights saved beside the file');
    // The loss fell: compare the first progress loss with the run's final loss.
    const firstLoss = seen.find((u) => u.kind === 'progress');
    assert.ok(firstLoss?.kind === 'progress' && last.kind === 'done' && last.loss < firstLoss.loss, 'loss went down');
  });

  it('reports a killed process as an exited update, and a second run works', async () => {
    const ws = workspace('spiral.nn');
    const runId = client.newRunId();
    const started = collect(client, (u) => u.kind === 'progress');
    client.train({ runId, text: ws.text, file: ws.file, allowedRoots: [ws.dir], overrides: { backend: 'cpu' } });
    await started;
    const exited = collect(client, (u) => u.kind === 'exited');
    process.kill(client.pid as number, 'SIGKILL');
    const [u] = (await exited).slice(-1);
    assert.ok(u.kind === 'exited' && u.runId === runId);
    assert.match(u.message, /killed \(SIGKILL\).*press Train/);
    assert.equal(client.runningRun, undefined);
    const second = client.newRunId();
    const again = collect(client, (x) => x.kind === 'progress' && x.runId === second);
    client.train({ runId: second, text: ws.text, file: ws.file, allowedRoots: [ws.dir], overrides: { backend: 'cpu', epochs: 100000 } });
    await again;
    const done = collect(client, (x) => x.kind === 'done');
    client.stop(second);
    await done;
  });

  it('predicts with the interview example\'s inline weights: (2.3, 10.2) → 0.226', async () => {
    const ws = workspace('interview.nn', path.join(root, 'examples/interview.nn'));
    const r = (await client.request({ type: 'predict', text: ws.text, file: ws.file, allowedRoots: [ws.dir], inputs: [2.3, 10.2] })) as { outputs: number[]; source: string };
    assert.equal(r.source, 'inline weights');
    assert.ok(Math.abs(r.outputs[0] - 0.226) < 5e-4, String(r.outputs[0]));
    await assert.rejects(client.request({ type: 'predict', text: ws.text, file: ws.file, allowedRoots: [ws.dir], inputs: [1] }), /takes 2 input value\(s\); got 1/);
  });

  it('checks gradients on the interview example: relative errors below 1e-3', async () => {
    const ws = workspace('interview.nn', path.join(root, 'examples/interview.nn'));
    const r = (await client.request({ type: 'checkGradients', text: ws.text, file: ws.file, allowedRoots: [ws.dir] })) as unknown as GradientCheckResult;
    assert.deepEqual(r.rows.map((x) => x.tensor).sort(), ['hidden.bias', 'hidden.weight', 'y.bias', 'y.weight']);
    for (const row of r.rows) {
      assert.ok(row.analyticNorm > 0, `${row.tensor} has a non-zero gradient`);
      assert.ok(row.relativeError < 1e-3, `${row.tensor}: ${row.relativeError}`);
    }
  });

  it('steps one batch at a time, keeping the session between steps', async () => {
    const ws = workspace('spiral.nn');
    const a = (await client.request({ type: 'step', runId: 7, text: ws.text, file: ws.file, allowedRoots: [ws.dir] })) as { globalStep: number; fresh: boolean; loss: number };
    const b = (await client.request({ type: 'step', runId: 7, text: ws.text, file: ws.file, allowedRoots: [ws.dir] })) as { globalStep: number; fresh: boolean; loss: number };
    assert.deepEqual([a.globalStep, a.fresh, b.globalStep, b.fresh], [1, true, 2, false]);
    assert.ok(Number.isFinite(a.loss) && Number.isFinite(b.loss));
  });

  it('refuses data outside the workspace and a design with errors, saying why', async () => {
    const ws = workspace('spiral.nn');
    const outside = ws.text.replace(/"data": \{[^}]*\}/, '"data": { "csv": "../../etc/data.csv", "labels": ["y"] }');
    assert.notEqual(outside, ws.text, 'the fixture has a data object to replace');
    const runId = client.newRunId();
    const err = collect(client, (u) => u.kind === 'error');
    client.train({ runId, text: outside, file: ws.file, allowedRoots: [ws.dir], overrides: {} });
    const [e] = (await err).slice(-1);
    assert.ok(e.kind === 'error');
    assert.match(e.message, /outside the workspace/);
    const broken = collect(client, (u) => u.kind === 'error');
    client.train({ runId: client.newRunId(), text: ws.text.replace('"units": 16, "activation": "tanh"', '"units": -1'), file: ws.file, allowedRoots: [ws.dir], overrides: {} });
    const [b] = (await broken).slice(-1);
    assert.ok(b.kind === 'error');
    assert.match(b.message, /spiral\.nn:\d+:\d+: error/);
  });
});
