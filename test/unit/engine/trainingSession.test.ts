/**
 * The TrainingSession is the one training step: stepping it by hand (as Step does) lands on the
 * same weights as train() running the same epochs, and its evaluation is the run's.
 */
import * as assert from 'node:assert/strict';
import { compileNetwork, CpuBackend, train, TrainingSession, trainSettingsFrom } from '../../../src/engine';
import { generateData, splitData } from '../../../src/engine/data';
import { checkNetwork } from '../../../src/model';

const design = {
  format: 'nn/1',
  nodes: [
    { id: 'x', type: 'input', units: 2 },
    { id: 'h', type: 'dense', units: 6, activation: 'relu' },
    { id: 'drop', type: 'dropout', rate: 0.2 },
    { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' },
  ],
  edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'drop' }, { from: 'drop', to: 'y' }],
  // 90 training rows in batches of 16: five full batches and a last one of 10, shuffled.
  training: { data: { generator: 'xor', samples: 120 }, optimizer: { type: 'adam', learningRate: 0.02 }, batchSize: 16, epochs: 3, validationSplit: 0.25, seed: 5 },
};

function setup(): { net: ReturnType<typeof compileNetwork>; split: ReturnType<typeof splitData>; settings: ReturnType<typeof trainSettingsFrom> } {
  const { parsed, analysis } = checkNetwork(JSON.stringify(design));
  assert.ok(parsed.doc && analysis);
  const settings = trainSettingsFrom(parsed.doc.training);
  const split = splitData(generateData(parsed.doc.training!.data as never, settings.seed), settings.validationSplit, { seed: settings.seed, shuffle: settings.shuffle });
  return { net: compileNetwork(parsed.doc, analysis, { seed: settings.seed }), split, settings };
}

describe('TrainingSession', () => {
  it('stepped by hand for three epochs gives the weights and validation loss train() gives', async () => {
    const a = setup();
    const run = await train(a.net, a.split, a.settings, { backend: 'cpu', onEvent: () => undefined });
    const b = setup();
    const session = new TrainingSession(new CpuBackend(), b.net, b.split, b.settings);
    assert.equal(session.stepsPerEpoch, 6);
    const places: string[] = [];
    for (let i = 0; i < 3 * session.stepsPerEpoch; i++) {
      const s = await session.step();
      places.push(`${s.epoch}.${s.step}`);
      assert.ok(Number.isFinite(s.loss), 'the CPU knows every step\'s loss at once');
    }
    assert.deepEqual(places.slice(5, 8), ['1.6', '2.1', '2.2'], 'an epoch ends with its partial batch, then the next begins');
    const weights = await session.finalWeights();
    for (const [key, w] of run.weights) assert.deepEqual(Array.from(weights.get(key)!.data), Array.from(w.data), key);
    const evaluation = await session.evaluate();
    assert.equal(evaluation.valLoss, run.valLoss);
    assert.deepEqual(evaluation.metrics, run.metrics);
    const layers = await session.layerStats();
    assert.deepEqual(layers.map((l) => l.id), ['h', 'y']);
    assert.ok(layers[0].grad && layers[0].deadFraction !== undefined);
    session.dispose();
  });

  it('stepSync() runs the CPU\'s steps without a promise: the same weights as step(), and a diverged step\'s error thrown by the next step()', async () => {
    const a = setup(), b = setup();
    const byStep = new TrainingSession(new CpuBackend(), a.net, a.split, a.settings);
    const bySync = new TrainingSession(new CpuBackend(), b.net, b.split, b.settings);
    for (let i = 0; i < 2 * byStep.stepsPerEpoch + 1; i++) {
      await byStep.step();
      assert.equal(bySync.stepSync(), true);
      assert.deepEqual([bySync.epoch, bySync.stepInEpoch, bySync.globalStep], [byStep.epoch, byStep.stepInEpoch, byStep.globalStep]);
    }
    const [wa, wb] = [await byStep.finalWeights(), await bySync.finalWeights()];
    for (const [key, w] of wa) assert.deepEqual(Array.from(wb.get(key)!.data), Array.from(w.data), key);
    // A weight at Inf before step 4: stepSync() runs step 4 and says it diverged, runs nothing
    // more, and step() throws step 4's error.
    const c = setup();
    const diverging = new TrainingSession(new CpuBackend(), c.net, c.split, c.settings);
    for (let i = 0; i < 3; i++) assert.equal(diverging.stepSync(), true);
    const w = await diverging.readWeights();
    w.get('y.weight')!.data[1] = Infinity;
    diverging.writeWeights(w);
    assert.equal(diverging.stepSync(), false);
    assert.equal(diverging.stepSync(), false, 'a spent session runs no more steps');
    assert.equal(diverging.globalStep, 4);
    await assert.rejects(diverging.step(), (e: Error & { step?: number }) => /^training diverged at epoch 1, step 4 \(step 4 of the run\): /.test(e.message) && e.step === 4);
    for (const s of [byStep, bySync, diverging]) s.dispose();
  });
});
