/**
 * WebGPU trains exactly like the CPU, step for step: the same networks, data, seed and settings
 * on both backends, 45 rows in batches of 10 (so every epoch ends with a 5-row batch), shuffled,
 * for 25 steps with each optimizer (SGD, momentum, Nesterov, Adam, RMSprop) and L1/L2. Every
 * step's loss and the weights after every step must agree within 1e-4 relative; the op-level
 * conformance suite cannot see a wrong step counter, a short batch scaled as a full one, or a
 * penalty applied at the wrong time, but a trajectory does.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Backend } from '../../../src/engine/backend';
import type { Dataset } from '../../../src/engine/data';
import { compileNetwork, CpuBackend, train, type OptimizerSettings, type TrainEvent, type TrainSettings } from '../../../src/engine';
import { checkNetwork, type NetworkDoc } from '../../../src/model';
import { checkDesign, loadJobData, settingsFor } from '../../../src/jobs';
import { backendsUnderTest } from './backends';
import { CONV_SETTINGS, smallConvnet, smallImages } from './smallConvnet';
import { maxRel, sessionTrajectory, type Trajectory } from './trajectory';

const ROWS = 45;
const BATCH = 10;
const STEPS = 25; // five epochs of 4 full batches and one 5-row batch
const REL = 1e-4;

/** 45 rows, 3 features, fixed (no generator): targets for regression, binary and 3-class runs. */
function dataset(task: 'regression' | 'binary' | 'multiclass'): Dataset {
  const x = new Float32Array(ROWS * 3);
  const outW = task === 'multiclass' ? 3 : 1;
  const y = new Float32Array(ROWS * outW);
  for (let r = 0; r < ROWS; r++) {
    const a = Math.sin(r * 1.7), b = Math.cos(r * 0.9), c = ((r * 37) % 11) / 5 - 1;
    x.set([a, b, c], r * 3);
    const v = a * 0.8 - b * 0.5 + c * c * 0.7 - 0.2;
    if (task === 'regression') y[r] = v;
    else if (task === 'binary') y[r] = v > 0 ? 1 : 0;
    else y[r * 3 + (v < -0.3 ? 0 : v < 0.3 ? 1 : 2)] = 1;
  }
  return {
    x, y, count: ROWS, inputSize: 3, outputSize: outW, featureNames: ['a', 'b', 'c'],
    labelNames: task === 'multiclass' ? ['p', 'q', 'r'] : ['t'], task,
  };
}

/**
 * The designs: 'mlp' is 3-8-6-k (tanh, relu); 'branches' splits into an elu and a leaky_relu
 * layer joined by add, multiply and concat, with dropout, before the output. The output is what
 * the task needs (linear, sigmoid, softmax); initial weights come from the seed.
 */
function network(task: Case['task'], design: Case['design'] = 'mlp') {
  const out = task === 'regression' ? { units: 1, activation: 'linear' } : task === 'binary' ? { units: 1, activation: 'sigmoid' } : { units: 3, activation: 'softmax' };
  const mlp = {
    nodes: [
      { id: 'x', type: 'input', units: 3 },
      { id: 'h1', type: 'dense', units: 8, activation: 'tanh' },
      { id: 'h2', type: 'dense', units: 6, activation: 'relu' },
      { id: 'y', type: 'dense', ...out },
    ],
    edges: [{ from: 'x', to: 'h1' }, { from: 'h1', to: 'h2' }, { from: 'h2', to: 'y' }],
  };
  const branches = {
    nodes: [
      { id: 'x', type: 'input', units: 3 },
      { id: 'a', type: 'dense', units: 7, activation: 'elu' },
      { id: 'b', type: 'dense', units: 7, activation: 'leaky_relu' },
      { id: 'sum', type: 'add' },
      { id: 'prod', type: 'multiply' },
      { id: 'join', type: 'concat' },
      { id: 'drop', type: 'dropout', rate: 0.25 },
      { id: 'y', type: 'dense', ...out },
    ],
    edges: [
      { from: 'x', to: 'a' }, { from: 'x', to: 'b' }, { from: 'a', to: 'sum' }, { from: 'b', to: 'sum' },
      { from: 'a', to: 'prod' }, { from: 'b', to: 'prod' }, { from: 'sum', to: 'join' }, { from: 'prod', to: 'join' },
      { from: 'join', to: 'drop' }, { from: 'drop', to: 'y' },
    ],
  };
  const doc = { format: 'nn/1', ...(design === 'mlp' ? mlp : branches) };
  const r = checkNetwork(JSON.stringify(doc));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { seed: 7 });
}

const optimizer = (o: Partial<OptimizerSettings> & Pick<OptimizerSettings, 'type' | 'learningRate'>): OptimizerSettings =>
  ({ momentum: 0, nesterov: false, beta1: 0.9, beta2: 0.999, rho: 0.9, epsilon: 1e-7, ...o });

interface Case { name: string; task: 'regression' | 'binary' | 'multiclass'; design?: 'mlp' | 'branches'; loss?: TrainSettings['loss']; opt: OptimizerSettings; l1: number; l2: number }

const cases: Case[] = [
  { name: 'SGD, MSE', task: 'regression', opt: optimizer({ type: 'sgd', learningRate: 0.05 }), l1: 0, l2: 0 },
  { name: 'SGD with momentum and L2, binary cross-entropy', task: 'binary', opt: optimizer({ type: 'sgd', learningRate: 0.05, momentum: 0.9 }), l1: 0, l2: 0.01 },
  { name: 'SGD with Nesterov momentum, L1 and L2, softmax', task: 'multiclass', opt: optimizer({ type: 'sgd', learningRate: 0.05, momentum: 0.8, nesterov: true }), l1: 0.003, l2: 0.01 },
  { name: 'Adam, softmax', task: 'multiclass', opt: optimizer({ type: 'adam', learningRate: 0.01 }), l1: 0, l2: 0 },
  { name: 'Adam with L1, MSE', task: 'regression', opt: optimizer({ type: 'adam', learningRate: 0.01, beta1: 0.8, beta2: 0.95 }), l1: 0.003, l2: 0 },
  { name: 'RMSprop with L2, MSE', task: 'regression', opt: optimizer({ type: 'rmsprop', learningRate: 0.003 }), l1: 0, l2: 0.01 },
  { name: 'RMSprop with L1, binary cross-entropy', task: 'binary', opt: optimizer({ type: 'rmsprop', learningRate: 0.003, rho: 0.8 }), l1: 0.003, l2: 0 },
  { name: 'branches with dropout, Adam with L2, softmax', task: 'multiclass', design: 'branches', opt: optimizer({ type: 'adam', learningRate: 0.01 }), l1: 0, l2: 0.01 },
  { name: 'branches with dropout, RMSprop with L2, MSE on a sigmoid', task: 'binary', design: 'branches', loss: 'mse', opt: optimizer({ type: 'rmsprop', learningRate: 0.003 }), l1: 0, l2: 0.01 },
  { name: 'branches with dropout, SGD with momentum and L1, MSE on a softmax', task: 'multiclass', design: 'branches', loss: 'mse', opt: optimizer({ type: 'sgd', learningRate: 0.05, momentum: 0.9 }), l1: 0.003, l2: 0 },
];

/** Runs STEPS steps of case `c`; each step's batch loss and the weights after it. */
function trajectory(backend: Backend, c: Case): Promise<Trajectory> {
  const settings: TrainSettings = { loss: c.loss, optimizer: c.opt, batchSize: BATCH, epochs: 100, validationSplit: 0, shuffle: true, seed: 3, l1: c.l1, l2: c.l2 };
  return sessionTrajectory(backend, network(c.task, c.design), dataset(c.task), settings, STEPS);
}


describe('webgpu trains like the cpu: whole trajectories, an uneven last batch', function () {
  this.timeout(120000);
  const cpuEntry = backendsUnderTest.find((b) => b.name === 'cpu')!;
  const gpuEntry = backendsUnderTest.find((b) => b.name === 'webgpu')!;

  for (const c of cases) {
    it(`${c.name}: ${STEPS} steps of 45 rows in batches of 10 agree within ${REL} relative`, async function () {
      const gpu = await gpuEntry.create();
      if (!gpu) this.skip(); // only with NN_SKIP_WEBGPU=1, announced loudly by backends.ts
      const cpu = (await cpuEntry.create())!;
      const [want, got] = [await trajectory(cpu, c), await trajectory(gpu!, c)];
      for (let s = 0; s < STEPS; s++) {
        const where = `step ${s + 1} (epoch ${Math.floor(s / 5) + 1}, ${s % 5 === 4 ? 'the 5-row batch' : 'a full batch'})`;
        const lossRel = Math.abs(got.losses[s] - want.losses[s]) / Math.abs(want.losses[s]);
        assert.ok(lossRel <= REL, `${where}: loss ${got.losses[s]} on webgpu vs ${want.losses[s]} on cpu (relative ${lossRel.toExponential(2)})`);
        for (const [key, w] of want.weights[s]) {
          // Relative to the tensor's scale: a weight passing through zero has no relative error of its own.
          const scale = Math.sqrt(w.reduce((t, v) => t + v * v, 0) / w.length);
          const rel = maxRel(got.weights[s].get(key)!, w, scale);
          assert.ok(rel <= REL, `${where}: ${key} differs by ${rel.toExponential(2)} relative between webgpu and cpu`);
        }
      }
    });
  }
});

describe('the running loss a user watches is the same on both backends', function () {
  this.timeout(60000);
  for (const entry of backendsUnderTest) {
    it(`${entry.name}: each progress event's loss is the mean over the epoch's rows so far, so the last one equals the epoch's loss`, async function () {
      const backend = await entry.create();
      if (!backend) this.skip();
      backend!.dispose();
      const c = cases[5]; // RMSprop with L2: a 5-row last batch whose loss differs from the full batches'
      const settings: TrainSettings = { optimizer: c.opt, batchSize: BATCH, epochs: 2, validationSplit: 0, shuffle: true, seed: 3, l1: c.l1, l2: c.l2 };
      const events: TrainEvent[] = [];
      const result = await train(network(c.task), { train: dataset(c.task) }, settings, { backend: entry.name as 'cpu' | 'webgpu', eventEveryMs: 0, onEvent: (e) => events.push(e) });
      assert.equal(result.backend, entry.name);
      for (const h of result.history) {
        const progress = events.filter((e) => e.type === 'progress' && e.epoch === h.epoch);
        assert.equal(progress.length, 5, 'a progress event after every step');
        const last = progress[progress.length - 1];
        assert.ok(last.type === 'progress' && Math.abs(last.loss - h.loss) <= 1e-6 * h.loss, `epoch ${h.epoch}: the last progress loss ${last.type === 'progress' && last.loss} vs the epoch loss ${h.loss}`);
      }
    });
  }
});


describe('webgpu trains image networks like the cpu: whole trajectories', function () {
  this.timeout(180000);
  const digitsFile = path.join(__dirname, '../../../examples/digits-convnet.nn');
  const image = [
    {
      name: 'the small conv net with batch norm (SGD with momentum, a 4-image last batch)',
      steps: 20,
      load: async () => ({ net: () => smallConvnet(), data: smallImages(), settings: CONV_SETTINGS }),
    },
    {
      // Fewer steps: a software WebGPU adapter takes about 2 s per step of this one.
      name: 'examples/digits-convnet.nn (Adam, dropout, the shipped digits as 8×8×1 images, shuffled)',
      steps: 10,
      load: async () => {
        const design = checkDesign({ file: digitsFile, text: readFileSync(digitsFile, 'utf8') });
        const settings = settingsFor(design.doc);
        const split = await loadJobData(design, settings);
        return { net: () => compileNetwork(design.doc, design.analysis, { seed: settings.seed }), data: split.train, settings };
      },
    },
  ];
  for (const c of image) {
    const STEPS_IMAGE = c.steps;
    it(`${c.name}: ${STEPS_IMAGE} steps agree within ${REL} relative`, async function () {
      const gpu = await backendsUnderTest.find((b) => b.name === 'webgpu')!.create();
      if (!gpu) this.skip(); // only with NN_SKIP_WEBGPU=1, announced loudly by backends.ts
      const { net, data, settings } = await c.load();
      const want = await sessionTrajectory(new CpuBackend(), net(), data, settings, STEPS_IMAGE);
      const got = await sessionTrajectory(gpu!, net(), data, settings, STEPS_IMAGE);
      for (let s = 0; s < STEPS_IMAGE; s++) {
        const lossRel = Math.abs(got.losses[s] - want.losses[s]) / Math.abs(want.losses[s]);
        assert.ok(lossRel <= REL, `step ${s + 1}: loss ${got.losses[s]} on webgpu vs ${want.losses[s]} on cpu (relative ${lossRel.toExponential(2)})`);
        for (const [key, w] of want.weights[s]) {
          // The floor: a conv bias just before batch norm gets no true gradient (batch norm takes
          // away any per-channel constant), so it holds only float rounding noise, which momentum
          // carries along: ~1e-9 on Mesa, ~1e-7 on an NVIDIA H200 after 20 steps. Biases are held
          // to 1e-2 × REL = 1e-6 absolute at least; weights to 1e-3 × REL.
          const floor = key.endsWith('.bias') ? 1e-2 : 1e-3;
          const scale = Math.max(floor, Math.sqrt(w.reduce((t, v) => t + v * v, 0) / w.length));
          const rel = maxRel(got.weights[s].get(key)!, w, scale);
          assert.ok(rel <= REL, `step ${s + 1}: ${key} differs by ${rel.toExponential(2)} relative between webgpu and cpu`);
        }
      }
      assert.ok(want.losses[STEPS_IMAGE - 1] < want.losses[0], 'the run learned (the comparison is not between two stuck runs)');
    });
  }
});
