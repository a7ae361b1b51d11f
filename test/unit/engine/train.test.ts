/** The training loop through the engine API: tasks, metrics, events, stopping, initialisation. */
import * as assert from 'node:assert/strict';
import { generateData, splitData } from '../../../src/engine/data';
import { compileNetwork, predict, train, trainSettingsFrom, type TrainEvent } from '../../../src/engine';
import { checkNetwork, type NetworkDoc } from '../../../src/model';
import { TrainingSession } from '../../../src/engine/trainingSession';

/** Parses and analyses an nn/1 document given as an object; fails the test on errors. */
function load(doc: object): { doc: NetworkDoc; analysis: NonNullable<ReturnType<typeof checkNetwork>['analysis']> } {
  const r = checkNetwork(JSON.stringify(doc));
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), []);
  return { doc: r.parsed.doc as NetworkDoc, analysis: r.analysis! };
}

const chain = (ids: string[]): Array<{ from: string; to: string }> => ids.slice(1).map((to, i) => ({ from: ids[i], to }));

async function run(docObj: Record<string, unknown>, extra: { epochs?: number; signal?: AbortSignal; onEvent?: (e: TrainEvent) => void } = {}) {
  const { doc, analysis } = load(docObj);
  const settings = trainSettingsFrom(doc.training);
  if (extra.epochs) settings.epochs = extra.epochs;
  const ds = generateData(doc.training!.data as never, settings.seed);
  const split = splitData(ds, settings.validationSplit, { seed: settings.seed, shuffle: true });
  const net = compileNetwork(doc, analysis, { seed: settings.seed });
  const events: TrainEvent[] = [];
  const result = await train(net, split, settings, { backend: 'cpu', signal: extra.signal, eventEveryMs: 0, onEvent: (e) => { events.push(e); extra.onEvent?.(e); } });
  return { result, events, net };
}

describe('engine training', function () {
  this.timeout(60000);

  it('classifies 3 spiral arms with softmax + categorical cross-entropy (from logits), with a confusion matrix', async () => {
    const { result, events } = await run({
      format: 'nn/1',
      nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'h', type: 'dense', units: 32, activation: 'relu' }, { id: 'h2', type: 'dense', units: 32, activation: 'relu' }, { id: 'y', type: 'dense', units: 3, activation: 'softmax' }],
      edges: chain(['x', 'h', 'h2', 'y']),
      training: { data: { generator: 'spiral', classes: 3, samples: 600, noise: 0 }, loss: 'categorical_crossentropy', optimizer: { type: 'adam', learningRate: 0.02 }, epochs: 150 },
    });
    const start = events[0];
    assert.ok(start.type === 'start' && start.lossKind === 'softmaxCeLogits');
    assert.ok(result.metrics.accuracy! > 0.9, `accuracy ${result.metrics.accuracy}`);
    const conf = result.metrics.confusion!;
    assert.equal(conf.length, 3);
    assert.equal(conf.flat().reduce((a, b) => a + b, 0), 120, 'every validation row counted once');
  });

  it('fits sine regression with MSE and reports MAE and R²', async () => {
    const { result } = await run({
      format: 'nn/1',
      nodes: [{ id: 'x', type: 'input', units: 1 }, { id: 'h', type: 'dense', units: 16, activation: 'tanh' }, { id: 'y', type: 'dense', units: 1 }],
      edges: chain(['x', 'h', 'y']),
      training: { data: { generator: 'sine', samples: 400, noise: 0 }, optimizer: { type: 'adam', learningRate: 0.02 }, epochs: 150 },
    });
    assert.equal(result.metrics.accuracy, undefined);
    assert.ok(result.metrics.r2! > 0.95, `R² ${result.metrics.r2}`);
    assert.ok(result.metrics.mae! < 0.15, `MAE ${result.metrics.mae}`);
  });

  it('trains graphs with concat, add, multiply and dropout nodes (SGD with momentum, RMSprop)', async () => {
    const nodes = [
      { id: 'x', type: 'input', units: 2 },
      { id: 'a', type: 'dense', units: 8, activation: 'tanh' }, { id: 'b', type: 'dense', units: 8, activation: 'relu' },
      { id: 'sum', type: 'add' }, { id: 'prod', type: 'multiply' }, { id: 'cat', type: 'concat' },
      { id: 'drop', type: 'dropout', rate: 0.1 }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' },
    ];
    const edges = [
      { from: 'x', to: 'a' }, { from: 'x', to: 'b' }, { from: 'a', to: 'sum' }, { from: 'b', to: 'sum' },
      { from: 'a', to: 'prod' }, { from: 'b', to: 'prod' }, { from: 'sum', to: 'cat' }, { from: 'prod', to: 'cat' },
      { from: 'cat', to: 'drop' }, { from: 'drop', to: 'y' },
    ];
    for (const optimizer of [{ type: 'sgd', learningRate: 0.1, momentum: 0.9 }, { type: 'rmsprop', learningRate: 0.01 }]) {
      const { result } = await run({ format: 'nn/1', nodes, edges, training: { data: { generator: 'xor', samples: 400 }, optimizer, epochs: 60, seed: 3 } });
      assert.ok(result.metrics.accuracy! >= 0.95, `${optimizer.type}: accuracy ${result.metrics.accuracy}`);
    }
  });

  it('emits progress, epoch and per-layer statistics events at the requested rate', async () => {
    const { events } = await run({
      format: 'nn/1',
      nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'h', type: 'dense', units: 4, activation: 'relu' }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' }],
      edges: chain(['x', 'h', 'y']),
      training: { data: { generator: 'xor', samples: 200 }, epochs: 3 },
    });
    const types = new Set(events.map((e) => e.type));
    for (const t of ['start', 'progress', 'epoch', 'layers', 'done']) assert.ok(types.has(t as TrainEvent['type']), `no ${t} event`);
    const layers = events.find((e) => e.type === 'layers');
    assert.ok(layers?.type === 'layers');
    const h = layers.layers.find((l) => l.id === 'h')!;
    assert.equal(h.weight.histogram.counts.reduce((a, b) => a + b, 0), 8);
    assert.ok(h.grad && h.grad.l2 >= 0 && h.deadFraction !== undefined);
    const epochs = events.filter((e) => e.type === 'epoch');
    assert.deepEqual(epochs.map((e) => e.type === 'epoch' && e.epoch), [1, 2, 3]);
  });

  it('stops within one step when aborted, and says so', async () => {
    const ac = new AbortController();
    let progress = 0;
    const { result, events } = await run({
      format: 'nn/1',
      nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' }],
      edges: chain(['x', 'y']),
      training: { data: { generator: 'xor', samples: 2000 }, batchSize: 10, epochs: 100 },
    }, { signal: ac.signal, onEvent: (e) => { if (e.type === 'progress' && ++progress === 3) ac.abort(); } });
    assert.equal(result.stopped, 'aborted');
    const last = events[events.length - 1];
    assert.ok(last.type === 'done' && last.stopped === 'aborted');
    const lastProgress = events.filter((e) => e.type === 'progress').pop();
    assert.ok(lastProgress?.type === 'progress' && lastProgress.epoch === 1 && lastProgress.step === 3, 'no step ran after the abort');
  });

  it('early-stops on a plateau and restores the best weights', async () => {
    const { result } = await run({
      format: 'nn/1',
      nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' }],
      edges: chain(['x', 'y']),
      // Overlapping classes (noise): the validation loss reaches a floor it cannot beat, whatever the initial weights.
      training: { data: { generator: 'gaussian', samples: 200, noise: 0.5 }, optimizer: { type: 'adam', learningRate: 0.1 }, epochs: 500, earlyStopping: { patience: 3, restoreBestWeights: true } },
    });
    assert.equal(result.stopped, 'early-stopping');
    assert.ok(result.epochs < 500);
    const best = Math.min(...result.history.map((h) => h.valLoss!));
    assert.ok(Math.abs(result.valLoss! - best) < 1e-4, `final val loss ${result.valLoss} vs best ${best}`);
  });

  it('evaluates once per epoch: the final metrics are the last epoch\'s, not a second pass over the data', async () => {
    const original = TrainingSession.prototype.evaluate;
    let calls = 0;
    TrainingSession.prototype.evaluate = function (this: TrainingSession, ...args: Parameters<typeof original>) {
      calls++;
      return original.apply(this, args);
    };
    try {
      const { result } = await run({
        format: 'nn/1',
        nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' }],
        edges: chain(['x', 'y']),
        training: { data: { generator: 'gaussian', samples: 100 }, epochs: 3 },
      });
      assert.equal(calls, 3);
      assert.equal(result.valLoss, result.history[2].valLoss);
      assert.deepEqual(result.metrics, result.history[2].metrics);
    } finally {
      TrainingSession.prototype.evaluate = original;
    }
  });

  it('initialises with the seed (Glorot for tanh, He for ReLU) and uses inline weights as given', () => {
    const mk = (activation: string, seed: number) => {
      const { doc, analysis } = load({ format: 'nn/1', nodes: [{ id: 'x', type: 'input', units: 100 }, { id: 'h', type: 'dense', units: 50, activation }], edges: [{ from: 'x', to: 'h' }] });
      return compileNetwork(doc, analysis, { seed }).weights.get('h.weight')!.data;
    };
    const maxAbs = (a: Float32Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(maxAbs(mk('tanh', 1)) <= Math.sqrt(6 / 150) && maxAbs(mk('tanh', 1)) > 0.9 * Math.sqrt(6 / 150));
    assert.ok(maxAbs(mk('relu', 1)) <= Math.sqrt(6 / 100) && maxAbs(mk('relu', 1)) > 0.9 * Math.sqrt(6 / 100));
    assert.deepEqual(mk('relu', 1), mk('relu', 1));
    assert.notDeepEqual(mk('relu', 1), mk('relu', 2));
    const { doc, analysis } = load({ format: 'nn/1', nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'y', type: 'dense', units: 1, weights: [[3, -2]], bias: [1] }], edges: [{ from: 'x', to: 'y' }] });
    const net = compileNetwork(doc, analysis);
    assert.deepEqual(Array.from(net.weights.get('y.weight')!.data), [3, -2]);
    return predict(net, Float32Array.from([-1, 2, 0, 0]), 2).then((out) => assert.deepEqual(Array.from(out), [-6, 1]));
  });

  it('refuses data that does not fit the network, saying what to change', async () => {
    const { doc, analysis } = load({ format: 'nn/1', nodes: [{ id: 'x', type: 'input', units: 3 }, { id: 'y', type: 'dense', units: 1 }], edges: [{ from: 'x', to: 'y' }] });
    const ds = generateData({ generator: 'xor', samples: 10 }, 1);
    await assert.rejects(train(compileNetwork(doc, analysis), { train: ds }, trainSettingsFrom(undefined), { backend: 'cpu', onEvent: () => undefined }), /2 feature\(s\) per row but the network's inputs take 3/);
  });
});
