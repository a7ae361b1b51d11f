import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { compileNetwork, getWeights, predict, train, trainSettingsFrom, type TrainResult } from '../../../src/engine/index';
import { generateData } from '../../../src/engine/data/index';
import { decodeSafetensors } from '../../../src/engine/weights/safetensors';
import { buildExportPlan } from '../../../src/export/exportPlan';
import { exportNetwork } from '../../../src/export/index';
import type { NetworkDoc } from '../../../src/model/types';
import { everyNodeDoc, fixtureAnalysis, randomWeights, seededRandom } from './exportFixtures';
import { requireTorch, runPython, torchrun } from './pythonEnv';
import { referenceForward } from './referenceForward';
import { sineTrainDoc, spiralTrainDoc, xorTrainDoc } from './trainingFixtures';

/** Writes an export's files into `dir`; returns the script's name. */
function writeExport(dir: string, files: { name: string; content: string | Uint8Array }[]): string {
  for (const f of files) writeFileSync(path.join(dir, f.name), f.content);
  return files[0].name;
}

/** Imports each script in one Python process (torch loads once) and calls its train() with a JSON log. */
function trainInPython(dir: string, scripts: string[]): Record<string, { steps: { epoch: number; step: number; loss: number; rows: number }[]; save: string }> {
  const driver = `
import argparse, contextlib, importlib.util, io, json, sys
torch_threads = __import__("torch").set_num_threads(1)
result = {}
for name in ${JSON.stringify(scripts)}:
    spec = importlib.util.spec_from_file_location(name[:-3], name)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    save = name[:-3] + ".trained.safetensors"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        mod.train(argparse.Namespace(epochs=None, data=None, weights=None, save=save, json_log=True, cpu=True))
    result[name] = {"steps": [json.loads(l) for l in out.getvalue().splitlines() if l.startswith("{")], "save": save}
print(json.dumps(result))
`;
  return JSON.parse(runPython(['-c', driver], { cwd: dir }));
}

/** Engine run on the file's generator data with its initial weights; both sides then start equal. */
async function engineRun(doc: NetworkDoc): Promise<{ initial: Map<string, { shape: number[]; data: Float32Array }>; result: TrainResult; data: ReturnType<typeof generateData> }> {
  const analysis = fixtureAnalysis(doc);
  const net = compileNetwork(doc, analysis, {});
  const initial = new Map([...getWeights(net)].map(([k, v]) => [k, { shape: [...v.shape], data: Float32Array.from(v.data) }]));
  const spec = doc.training!.data!;
  assert.ok('generator' in spec);
  const data = generateData(spec, doc.training!.seed!);
  const result = await train(net, { train: data }, trainSettingsFrom(doc.training), { backend: 'cpu', onEvent: () => undefined });
  return { initial, result, data };
}

function close(a: number, b: number, rel: number, what: string): void {
  assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-3), `${what}: pytorch ${a} vs engine ${b}`);
}

describe('PyTorch export', function () {
  this.timeout(180_000);
  let dir: string;
  before(function () {
    requireTorch(this);
    dir = mkdtempSync(path.join(tmpdir(), 'nn-torch-'));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('computes the same outputs as the engine\'s predict (and a float64 reference) within 1e-5', async () => {
    const analysis = fixtureAnalysis(everyNodeDoc);
    const weights = randomWeights(everyNodeDoc, analysis, 21);
    const script = writeExport(dir, exportNetwork(everyNodeDoc, analysis, weights, 'pytorch').files);
    const rnd = seededRandom(5);
    const batch = 16;
    const x = Float32Array.from({ length: batch * 5 }, () => rnd() * 2);
    const driver = `
import importlib.util, json, sys, torch
spec = importlib.util.spec_from_file_location("m", ${JSON.stringify(script)}); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
net = m.Network(); m.load_weights(net, m.read_safetensors(m.WEIGHTS_FILE), m.WEIGHTS_FILE); net.eval()
x = torch.tensor(json.loads(sys.stdin.read()), dtype=torch.float32).reshape(${batch}, 5)
with torch.no_grad():
    outs = net(*m.split_inputs(x))
print(json.dumps(torch.cat(outs, dim=1).reshape(-1).tolist()))
`;
    writeFileSync(path.join(dir, 'x.json'), JSON.stringify(Array.from(x)));
    const got: number[] = JSON.parse(runPython(['-c', `import sys; sys.stdin = open("x.json"); exec(${JSON.stringify(driver)})`], { cwd: dir }));
    const ours = await predict(compileNetwork(everyNodeDoc, analysis, { weights }), x, batch);
    assert.equal(got.length, ours.length);
    got.forEach((v, i) => assert.ok(Math.abs(v - ours[i]) <= 1e-5, `output ${i}: pytorch ${v} vs engine ${ours[i]}`));
    const plan = buildExportPlan(everyNodeDoc, analysis, weights);
    const rows = (id: string, off: number, w: number): number[][] => Array.from({ length: batch }, (_, b) => Array.from(x.subarray(b * 5 + off, b * 5 + off + w)));
    const ref = referenceForward(plan, { a: rows('a', 0, 3), b: rows('b', 3, 2) }, batch);
    const refFlat = Array.from({ length: batch }, (_, b) => [...ref.forward[b], ...ref.reg[b]]).flat();
    got.forEach((v, i) => assert.ok(Math.abs(v - refFlat[i]) <= 1e-5, `output ${i}: pytorch ${v} vs reference ${refFlat[i]}`));
  });

  it('trains like the engine step by step from the same initial weights (Adam/BCE/early stop, SGD-Nesterov/CE/L1+L2/dropout/shuffle, RMSprop/MSE)', async () => {
    const docs = [xorTrainDoc, spiralTrainDoc, sineTrainDoc];
    const engine: Awaited<ReturnType<typeof engineRun>>[] = [];
    const scripts: string[] = [];
    for (const doc of docs) {
      const run = await engineRun(doc);
      engine.push(run);
      const analysis = fixtureAnalysis(doc);
      scripts.push(writeExport(dir, exportNetwork(doc, analysis, run.initial, 'pytorch', { data: { train: run.data } }).files));
    }
    const torchRuns = trainInPython(dir, scripts);
    docs.forEach((doc, d) => {
      const { result } = engine[d];
      const steps = torchRuns[scripts[d]].steps;
      const t = doc.training!;
      const perEpoch = Math.ceil(engine[d].data.count / t.batchSize!);
      assert.equal(steps.length, perEpoch * result.epochs, `${doc.name}: number of steps`);
      if (t.earlyStopping) assert.ok(result.epochs < t.epochs!, `${doc.name}: the fixture should stop early (ran ${result.epochs})`);
      // Our engine reports the mean loss of each epoch (row-weighted); with one step per epoch that is each step's loss.
      result.history.forEach((h, e) => {
        const epochSteps = steps.filter((s) => s.epoch === e + 1);
        const mean = epochSteps.reduce((s, x) => s + x.loss * x.rows, 0) / epochSteps.reduce((s, x) => s + x.rows, 0);
        close(mean, h.loss, 1e-4, `${doc.name} epoch ${e + 1} loss`);
      });
      const trained = decodeSafetensors(readFileSync(path.join(dir, torchRuns[scripts[d]].save))).tensors;
      for (const [key, w] of result.weights) {
        const theirs = trained.get(key);
        assert.ok(theirs, `${doc.name}: pytorch saved no ${key}`);
        assert.deepEqual(theirs.shape, w.shape);
        w.data.forEach((v, i) => assert.ok(Math.abs(v - theirs.data[i]) <= 1e-4 * Math.max(1, Math.abs(v)), `${doc.name} ${key}[${i}]: pytorch ${theirs.data[i]} vs engine ${v}`));
      }
    });
  });

  it('completes under torchrun --nproc_per_node=2 on the CPU (DDP over gloo)', () => {
    const doc = xorTrainDoc;
    const analysis = fixtureAnalysis(doc);
    const data = generateData(doc.training!.data as { generator: 'xor' }, 1);
    const script = writeExport(dir, exportNetwork(doc, analysis, undefined, 'pytorch', { baseName: 'ddp', data: { train: data } }).files);
    const { exe, prefix } = torchrun();
    rmSync(path.join(dir, 'ddp.pytorch.safetensors'), { force: true });
    // --redirects 1 --tee 1: Debian's torch 1.13 under Python 3.11 cannot parse the default "0"
    // (IntFlag iteration skips zero), so ask for stdout teed from log files, which it can parse.
    const out = runPython([...prefix, '--standalone', '--nproc_per_node=2', '--redirects', '1', '--tee', '1', script, '--epochs', '3', '--cpu'], { cwd: dir, exe, timeoutMs: 150_000 });
    const lines = out.split('\n').filter((l) => /(^|:)epoch \d+ /.test(l));
    assert.equal(lines.length, 3, `rank 0 reports 3 epochs:\n${out}`);
    assert.ok(existsSync(path.join(dir, 'ddp.pytorch.safetensors')), 'rank 0 saved the weights');
    const saved = decodeSafetensors(readFileSync(path.join(dir, 'ddp.pytorch.safetensors'))).tensors;
    assert.deepEqual(saved.get('hidden.weight')?.shape, [6, 2]);
    assert.ok(Array.from(saved.get('out.weight')!.data).every(Number.isFinite));
  });
});
