import { strict as assert } from 'node:assert';
import * as ort from 'onnxruntime-node';
import { buildExportPlan, type ExportPlan } from '../../../src/export/exportPlan';
import { exportOnnx } from '../../../src/export/onnx/onnxExport';
import { ExportError } from '../../../src/export/exportError';
import { everyNodeDoc, fixtureAnalysis, interviewDoc, randomWeights, seededRandom } from './exportFixtures';
import { referenceForward } from './referenceForward';

/** Runs an exported model in onnxruntime on `batch` random rows; returns ORT's and the reference outputs. */
async function runBoth(plan: ExportPlan, bytes: Uint8Array, batch: number, seed: number) {
  const rnd = seededRandom(seed);
  const rows: Record<string, number[][]> = {};
  const feeds: Record<string, ort.Tensor> = {};
  for (const p of plan.inputs) {
    rows[p.id] = Array.from({ length: batch }, () => Array.from({ length: p.units }, () => rnd() * 3));
    feeds[p.id] = new ort.Tensor('float32', Float32Array.from(rows[p.id].flat()), [batch, p.units]);
  }
  const session = await ort.InferenceSession.create(bytes);
  const got = await session.run(feeds);
  return { got, want: referenceForward(plan, rows, batch) };
}

describe('ONNX export', () => {
  it('reproduces the lectures\' interview output 0.226 in onnxruntime', async () => {
    const plan = buildExportPlan(interviewDoc, fixtureAnalysis(interviewDoc));
    const session = await ort.InferenceSession.create(exportOnnx(plan));
    assert.deepEqual(session.inputNames, ['applicant']);
    assert.deepEqual(session.outputNames, ['called']);
    const out = await session.run({ applicant: new ort.Tensor('float32', Float32Array.of(2.3, 10.2), [1, 2]) });
    assert.equal((out.called.data as Float32Array)[0].toFixed(3), '0.226');
  });

  it('runs every node type and activation and matches a float64 forward pass within 1e-5', async () => {
    const analysis = fixtureAnalysis(everyNodeDoc);
    const plan = buildExportPlan(everyNodeDoc, analysis, randomWeights(everyNodeDoc, analysis, 7));
    const { got, want } = await runBoth(plan, exportOnnx(plan), 64, 11);
    assert.deepEqual(Object.keys(got).sort(), ['forward', 'reg']);
    for (const [id, rows] of Object.entries(want)) {
      const data = got[id].data as Float32Array;
      assert.deepEqual(got[id].dims, [64, rows[0].length]);
      rows.flat().forEach((v, i) => assert.ok(Math.abs(data[i] - v) <= 1e-5 * Math.max(1, Math.abs(v)), `${id}[${i}]: onnx ${data[i]} vs ${v}`));
    }
  });

  it('refuses a dense layer with no weights, naming the node and what to do', () => {
    const analysis = fixtureAnalysis(everyNodeDoc);
    const plan = buildExportPlan(everyNodeDoc, analysis);
    assert.throws(() => exportOnnx(plan), (e: unknown) => e instanceof ExportError && e.nodeId === 'h-1' && /train the network first/.test(e.message));
  });

  it('refuses trained weights whose shape no longer fits the file', () => {
    const analysis = fixtureAnalysis(interviewDoc);
    const weights = new Map([['hidden.weight', { shape: [2, 2], data: new Float32Array(4) }]]);
    assert.throws(() => buildExportPlan(interviewDoc, analysis, weights), /has shape \[2, 2\] but the network needs \[3, 2\].*retrain/);
  });
});
