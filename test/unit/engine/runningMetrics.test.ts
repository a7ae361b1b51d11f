/**
 * Training metrics without a validation split come from the training steps' own outputs (as
 * Keras reports them during fit), not from a second pass over the data after every epoch: the
 * same figures computeMetrics gives on those outputs, and, with the weights held still, the same
 * figures as an evaluation of the training rows.
 */
import * as assert from 'node:assert/strict';
import { compileNetwork, train, TrainingSession, trainSettingsFrom, type TrainEvent, type TrainSettings } from '../../../src/engine';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { generateData } from '../../../src/engine/data';
import type { Dataset } from '../../../src/engine/data/dataset';
import { computeMetrics, type MetricTask } from '../../../src/engine/metrics';
import { RunningMetrics } from '../../../src/engine/runningMetrics';
import { Random } from '../../../src/engine/random';
import { checkNetwork, type NetworkDoc } from '../../../src/model';
import { backendsUnderTest } from './backends';
import { CONV_SETTINGS } from './smallConvnet';

function randomRows(rows: number, width: number, seed: number, oneHot: boolean): Float32Array {
  const rng = new Random(seed);
  const a = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    if (oneHot) a[r * width + Math.floor(rng.uniform(0, width))] = 1;
    else for (let c = 0; c < width; c++) a[r * width + c] = rng.normal();
  }
  return a;
}

/** Adds `rows` rows in uneven batches. */
function addInBatches(m: RunningMetrics, pred: Float32Array, y: Float32Array, rows: number, width: number): void {
  for (let start = 0, b = 7; start < rows; start += b, b = b === 7 ? 13 : 7) {
    const n = Math.min(b, rows - start);
    m.add(pred.subarray(start * width), y.subarray(start * width), n);
  }
}

describe('running training metrics', function () {
  this.timeout(120000);

  for (const [task, width] of [['multiclass', 4], ['binary', 1], ['binary', 3], ['regression', 2]] as Array<[MetricTask, number]>) {
    it(`${task} with ${width} output(s), added a batch at a time, equal computeMetrics over all the rows`, () => {
      const rows = 101;
      const pred = randomRows(rows, width, 1, false);
      const y = task === 'regression' ? randomRows(rows, width, 2, false) : task === 'binary' && width === 1 ? randomRows(rows, 1, 2, false).map((v) => (v > 0 ? 1 : 0)) : randomRows(rows, width, 2, true);
      // Probabilities for a single binary output, so the 0.5 threshold means something.
      const probs = task === 'binary' && width === 1 ? pred.map((v) => 1 / (1 + Math.exp(-v))) : pred;
      const m = new RunningMetrics(task, width);
      addInBatches(m, probs, y, rows, width);
      const want = computeMetrics(task, probs, y, rows, width);
      const got = m.result();
      if (task === 'regression') {
        assert.ok(Math.abs(got.mae! - want.mae!) < 1e-9 && Math.abs(got.r2! - want.r2!) < 1e-9, `${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
      } else {
        assert.deepEqual(got, want);
      }
      if (task === 'binary' && width === 1) {
        // On logits the decision point is 0: the same decisions as 0.5 on their sigmoids.
        const onLogits = new RunningMetrics(task, width, 0);
        addInBatches(onLogits, pred, y, rows, width);
        assert.deepEqual(onLogits.result(), want);
      }
      m.reset();
      assert.deepEqual(m.result(), computeMetrics(task, new Float32Array(0), new Float32Array(0), 0, width));
    });
  }

  /** A small net without a validation split: 50 rows in batches of 16 (a last batch of 2), shuffled. */
  function setup(output: { units: number; activation: string }, loss: string, generator: Record<string, unknown>, learningRate: number) {
    const doc = {
      format: 'nn/1',
      nodes: [{ id: 'x', type: 'input', units: generator.generator === 'linear' ? 1 : 2 }, { id: 'h', type: 'dense', units: 8, activation: 'tanh' }, { id: 'y', type: 'dense', ...output }],
      edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }],
      training: { data: { ...generator, samples: 50 }, loss, optimizer: { type: 'sgd', learningRate: 0.1 }, batchSize: 16, epochs: 3, validationSplit: 0, shuffle: true, seed: 3 },
    };
    const { parsed, analysis } = checkNetwork(JSON.stringify(doc));
    assert.ok(parsed.doc && analysis);
    const settings = trainSettingsFrom(parsed.doc.training);
    // Learning rate 0 (which a file cannot say) holds the weights still.
    settings.optimizer = { ...settings.optimizer, learningRate } as typeof settings.optimizer;
    const data: Dataset = generateData(parsed.doc.training!.data as never, settings.seed);
    return { net: compileNetwork(parsed.doc, analysis, { seed: settings.seed }), data, settings };
  }

  const cases = [
    { name: 'softmax classes (scored on logits)', output: { units: 3, activation: 'softmax' }, loss: 'categorical_crossentropy', generator: { generator: 'spiral', classes: 3, noise: 0.1 } },
    { name: 'a sigmoid unit (scored on its logit)', output: { units: 1, activation: 'sigmoid' }, loss: 'binary_crossentropy', generator: { generator: 'xor', noise: 0.1 } },
    { name: 'regression', output: { units: 1, activation: 'linear' }, loss: 'mse', generator: { generator: 'linear', noise: 0.1 } },
  ];

  for (const backend of backendsUnderTest) {
    for (const c of cases) {
      it(`${backend.name}: with the weights held still, an epoch's metrics from its steps equal an evaluation of the training rows (${c.name})`, async function () {
        const b = await backend.create();
        if (!b) this.skip();
        const { net, data, settings } = setup(c.output, c.loss, c.generator, 0);
        const session = new TrainingSession(b!, net, { train: data }, settings);
        session.collectTrainingMetrics();
        try {
          for (let epoch = 1; epoch <= 2; epoch++) {
            for (let i = 0; i < session.stepsPerEpoch; i++) await session.step();
            const got = (await session.epochMetrics())!;
            const want = (await session.evaluate()).metrics;
            if (c.loss === 'mse') {
              assert.ok(Math.abs(got.mae! - want.mae!) < 1e-5 && Math.abs(got.r2! - want.r2!) < 1e-5, `epoch ${epoch}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
            } else {
              assert.deepEqual(got, want, `epoch ${epoch}`);
              assert.equal(got.confusion!.flat().reduce((s, v) => s + v, 0), data.count, 'every row counted once an epoch');
            }
          }
        } finally {
          session.dispose();
        }
      });
    }
  }

  it('an image output is scored per pixel, as an evaluation scores it', async () => {
    const r = checkNetwork(JSON.stringify({
      format: 'nn/1',
      nodes: [{ id: 'x', type: 'input', shape: [3, 3, 2] }, { id: 'seg', type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same', activation: 'softmax' }],
      edges: [{ from: 'x', to: 'seg' }],
    }));
    const net = compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { seed: 4 });
    const rows = 7, pixels = 9;
    const x = new Float32Array(rows * pixels * 2).map((_, i) => Math.sin(i * 0.77));
    const y = new Float32Array(rows * pixels * 3);
    for (let p = 0; p < rows * pixels; p++) y[p * 3 + (x[p * 2] > 0.3 ? 0 : x[p * 2 + 1] > 0 ? 1 : 2)] = 1;
    const data: Dataset = { x, y, count: rows, inputSize: pixels * 2, outputSize: pixels * 3, featureNames: [], labelNames: ['a', 'b', 'c'], task: 'multiclass', shape: [3, 3, 2] };
    const settings: TrainSettings = { ...CONV_SETTINGS, batchSize: 3, optimizer: { ...CONV_SETTINGS.optimizer, learningRate: 0, momentum: 0 } };
    const session = new TrainingSession(new CpuBackend(), net, { train: data }, settings);
    session.collectTrainingMetrics();
    try {
      for (let i = 0; i < session.stepsPerEpoch; i++) await session.step();
      const got = (await session.epochMetrics())!;
      assert.equal(got.confusion!.flat().reduce((a, b) => a + b, 0), rows * pixels, 'every pixel counted once');
      assert.deepEqual(got, (await session.evaluate()).metrics);
    } finally {
      session.dispose();
    }
  });

  it('train() without a validation split runs no pass of its own over the data after each epoch, and every epoch has its metrics', async () => {
    const { net, data, settings } = setup(cases[0].output, cases[0].loss, cases[0].generator, 0.1);
    const passes: number[] = [];
    const predict = TrainingSession.prototype.predict;
    TrainingSession.prototype.predict = function (this: TrainingSession, x: Float32Array, count: number, chunk?: number) {
      passes.push(count);
      return predict.call(this, x, count, chunk);
    };
    const events: TrainEvent[] = [];
    try {
      const result = await train(net, { train: data }, settings, { backend: 'cpu', onEvent: (e) => events.push(e) });
      assert.deepEqual(passes, [], 'no evaluation pass over the training rows');
      const epochs = events.filter((e): e is Extract<TrainEvent, { type: 'epoch' }> => e.type === 'epoch');
      assert.equal(epochs.length, 3);
      for (const e of epochs) assert.equal(e.metrics.confusion!.flat().reduce((s, v) => s + v, 0), data.count);
      assert.deepEqual(result.metrics, epochs[2].metrics, 'the run\'s metrics are its last epoch\'s');
      assert.deepEqual(result.history.map((h) => h.metrics), epochs.map((e) => e.metrics));
    } finally {
      TrainingSession.prototype.predict = predict;
    }
  });
});
