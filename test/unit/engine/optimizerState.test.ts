/**
 * Optimizer state costs memory only when the optimizer has state: plain SGD (momentum 0) keeps
 * no velocity buffer (on a wide network that buffer is as large as the weights: 8 MB for
 * 1024-1024-1024-10), SGD with momentum and RMSprop one per parameter, Adam two. Checked on every
 * backend by counting the buffers a training session allocates, and the run still trains.
 */
import * as assert from 'node:assert/strict';
import type { Backend } from '../../../src/engine/backend';
import type { Dataset } from '../../../src/engine/data';
import { compileNetwork, type OptimizerSettings, type TrainSettings } from '../../../src/engine';
import { TrainingSession } from '../../../src/engine/trainingSession';
import { checkNetwork, type NetworkDoc } from '../../../src/model';
import { backendsUnderTest } from './backends';

function network() {
  const doc = {
    format: 'nn/1',
    nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'h', type: 'dense', units: 5, activation: 'tanh' }, { id: 'y', type: 'dense', units: 1 }],
    edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }],
  };
  const r = checkNetwork(JSON.stringify(doc));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { seed: 2 });
}

function dataset(): Dataset {
  const n = 12;
  const x = new Float32Array(n * 2), y = new Float32Array(n);
  for (let r = 0; r < n; r++) { x[2 * r] = Math.sin(r); x[2 * r + 1] = Math.cos(2 * r); y[r] = x[2 * r] - 0.5 * x[2 * r + 1]; }
  return { x, y, count: n, inputSize: 2, outputSize: 1, featureNames: ['a', 'b'], labelNames: ['t'], task: 'regression' };
}

const optimizer = (o: Partial<OptimizerSettings> & Pick<OptimizerSettings, 'type'>): OptimizerSettings =>
  ({ learningRate: 0.05, momentum: 0, nesterov: false, beta1: 0.9, beta2: 0.999, rho: 0.9, epsilon: 1e-7, ...o });

/** Opens a session (batch 5: a full and a short program) and counts the optimizer-state floats it allocated. */
async function stateFloats(backend: Backend, opt: OptimizerSettings): Promise<{ floats: number; buffers: number; moved: boolean }> {
  const made: { label: string; size: number }[] = [];
  const create = backend.createBuffer.bind(backend);
  backend.createBuffer = (size, label) => { made.push({ label, size }); return create(size, label); };
  const settings: TrainSettings = { loss: 'mse', optimizer: opt, batchSize: 5, epochs: 1, validationSplit: 0, shuffle: false, seed: 1, l1: 0, l2: 0.01 };
  const net = network();
  const before = net.weights.get('h.weight')!.data.slice();
  const session = new TrainingSession(backend, net, { train: dataset() }, settings);
  try {
    for (let i = 0; i < 3; i++) await session.step();
    const after = (await session.finalWeights()).get('h.weight')!.data;
    const state = made.filter((b) => /\.opt\d+$/.test(b.label));
    return { floats: state.reduce((s, b) => s + b.size, 0), buffers: state.length, moved: after.some((v, i) => v !== before[i]) };
  } finally {
    session.dispose();
  }
}

// h.weight 10 + h.bias 5 + y.weight 5 + y.bias 1
const PARAMS = 21;

for (const entry of backendsUnderTest) {
  describe(`optimizer state on the ${entry.name} backend`, function () {
    this.timeout(60000);
    const cases: [string, OptimizerSettings, number][] = [
      ['plain SGD (momentum 0) keeps no velocity buffer', optimizer({ type: 'sgd' }), 0],
      ['SGD with momentum keeps one velocity per parameter', optimizer({ type: 'sgd', momentum: 0.9 }), 1],
      ['Nesterov keeps one velocity per parameter', optimizer({ type: 'sgd', momentum: 0.9, nesterov: true }), 1],
      ['RMSprop keeps one mean square per parameter', optimizer({ type: 'rmsprop' }), 1],
      ['Adam keeps two moments per parameter', optimizer({ type: 'adam' }), 2],
    ];
    for (const [name, opt, perParam] of cases) {
      it(name, async function () {
        const backend = await entry.create();
        if (!backend) this.skip(); // only with NN_SKIP_<NAME>=1, announced loudly by backends.ts
        const got = await stateFloats(backend!, opt);
        assert.equal(got.floats, perParam * PARAMS, `${got.buffers} state buffer(s) holding ${got.floats} floats`);
        assert.equal(got.buffers, perParam * 4);
        assert.ok(got.moved, 'the weights changed: the run trained');
      });
    }
  });
}
