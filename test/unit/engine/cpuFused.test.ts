/**
 * The CPU's fused kernels (bias + activation, activation gradient + bias gradient, a run of plain
 * SGD updates) write exactly what the separate kernels write, bit for bit, and a program built
 * with them trains exactly like one built kernel by kernel, with fewer kernels per step.
 */
import * as assert from 'node:assert/strict';
import { prepareKernel, type ActivationFn, type Backend, type Invocation, type OpAttrs, type OpName } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { sigmoid } from '../../../src/engine/cpu/cpuActivations';
import { activationBiasGradKernel, biasActivationKernel, plainSgdKernel, prepareFused, SIMD_FROM } from '../../../src/engine/cpu/cpuFused';
import { simdElementwiseFits } from '../../../src/engine/cpu/simdElementwise';
import type { Dataset } from '../../../src/engine/data';
import { compileNetwork, type TrainSettings } from '../../../src/engine';
import { Random } from '../../../src/engine/random';
import { windowGeometry } from '../../../src/model/convGeometry';
import { TrainingSession } from '../../../src/engine/trainingSession';
import { checkNetwork, type NetworkDoc } from '../../../src/model';

const ELEMENTWISE: ActivationFn[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'step'];
const ctx = { step: 1 };

/** A buffer of `n` values: normal, with exact zeros and large values mixed in (the kinks and saturations). */
function filled(be: CpuBackend, n: number, rng: Random, label: string): { buf: ReturnType<CpuBackend['createBuffer']>; data: Float32Array } {
  const buf = be.createBuffer(n, label);
  const data = be.view(buf);
  for (let i = 0; i < n; i++) data[i] = i % 7 === 0 ? 0 : i % 11 === 0 ? 30 * rng.normal() : rng.normal();
  return { buf, data };
}

function inv<O extends OpName>(op: O, attrs: OpAttrs[O], inputs: Invocation['inputs'], outputs: Invocation['outputs'], dims: Invocation['dims']): Invocation<O> {
  return { op, attrs, inputs, outputs, dims };
}

describe('fused CPU kernels', () => {
  for (const fn of ELEMENTWISE) {
    for (const cols of [1, 3, 20]) {
      it(`bias + ${fn} over ${cols} column(s) equals biasAdd then activation`, () => {
        const be = new CpuBackend();
        const rng = new Random(cols);
        const rows = 9;
        const x = filled(be, rows * cols, rng, 'x');
        const b = filled(be, cols, rng, 'b');
        // Some pre-activations land exactly on 0 (x = −b), where relu, leaky_relu, elu and step have their kink.
        for (let c = 0; c < cols; c++) x.data[cols + c] = -b.data[c];
        const [z1, y1, z2, y2] = ['z1', 'y1', 'z2', 'y2'].map((l) => be.createBuffer(rows * cols, l));
        const dims = { rows, cols };
        const alpha = fn === 'elu' ? 1 : 0.1;
        prepareKernel(be, inv('biasAdd', {}, [x.buf, b.buf], [z1], dims), ctx)();
        prepareKernel(be, inv('activation', { fn, alpha }, [z1], [y1], dims), ctx)();
        biasActivationKernel(inv('biasAdd', {}, [x.buf, b.buf], [z2], dims), inv('activation', { fn, alpha }, [z2], [y2], dims))();
        assert.deepEqual(be.view(z2), be.view(z1));
        assert.deepEqual(be.view(y2), be.view(y1));
      });
    }
    for (const cols of [3, 20]) {
      for (const accumulate of [false, true]) {
        it(`${fn} gradient + bias gradient over ${cols} columns${accumulate ? ', accumulating' : ''} equals activationGrad then biasGrad`, () => {
          const be = new CpuBackend();
          const rng = new Random(cols + 100);
          const rows = 9;
          const x = filled(be, rows * cols, rng, 'x');
          const y = be.createBuffer(rows * cols, 'y');
          prepareKernel(be, inv('activation', { fn, alpha: 0.3 }, [x.buf], [y], { rows, cols }), ctx)();
          const dy = filled(be, rows * cols, rng, 'dy');
          const [dz1, dz2] = ['dz1', 'dz2'].map((l) => be.createBuffer(rows * cols, l));
          const db1 = filled(be, cols, rng, 'db1');
          const db2 = be.createBuffer(cols, 'db2');
          be.write(db2, db1.data);
          const dims = { rows, cols };
          prepareKernel(be, inv('activationGrad', { fn, alpha: 0.3 }, [x.buf, y, dy.buf], [dz1], dims), ctx)();
          prepareKernel(be, inv('biasGrad', { accumulate }, [dz1], [db1.buf], dims), ctx)();
          activationBiasGradKernel(inv('activationGrad', { fn, alpha: 0.3 }, [x.buf, y, dy.buf], [dz2], dims), inv('biasGrad', { accumulate }, [dz2], [db2], dims))();
          assert.deepEqual(be.view(dz2), be.view(dz1));
          assert.deepEqual(be.view(db2), be.view(db1.buf));
        });
      }
    }
  }

  // Layers of a convolution's size run the SIMD kernels (simdElementwise.ts): several chunks, the last one short.
  for (const fn of ['relu', 'linear'] as const) {
    for (const [rows, cols] of [[1100, 4], [300, 36], [700, 32]]) {
      it(`bias + ${fn} and its gradient over ${rows}×${cols} (the SIMD kernels) equal the separate kernels bit for bit`, () => {
        assert.ok(rows * cols >= SIMD_FROM && simdElementwiseFits(fn, cols), 'the case runs the SIMD path');
        const be = new CpuBackend();
        const rng = new Random(rows + cols);
        const dims = { rows, cols };
        const x = filled(be, rows * cols, rng, 'x');
        const b = filled(be, cols, rng, 'b');
        for (let c = 0; c < cols; c++) { x.data[cols + c] = -b.data[c]; x.data[2 * cols + c] = c % 2 ? -0 : NaN; }
        x.data[3 * cols] = 3e38; b.data[0] = 3e38; // z overflows to +Infinity
        const [z1, y1, z2, y2] = ['z1', 'y1', 'z2', 'y2'].map((l) => be.createBuffer(rows * cols, l));
        prepareKernel(be, inv('biasAdd', {}, [x.buf, b.buf], [z1], dims), ctx)();
        prepareKernel(be, inv('activation', { fn, alpha: 0 }, [z1], [y1], dims), ctx)();
        biasActivationKernel(inv('biasAdd', {}, [x.buf, b.buf], [z2], dims), inv('activation', { fn, alpha: 0 }, [z2], [y2], dims))();
        assert.deepEqual(be.view(z2), be.view(z1));
        assert.deepEqual(be.view(y2), be.view(y1));
        for (const accumulate of [false, true]) {
          const dy = filled(be, rows * cols, rng, 'dy');
          dy.data[5] = -1.5; dy.data[7] = NaN; dy.data[9] = -Infinity;
          const [dz1, dz2] = ['dz1', 'dz2'].map((l) => be.createBuffer(rows * cols, l));
          const db1 = filled(be, cols, rng, 'db1');
          const db2 = be.createBuffer(cols, 'db2');
          be.write(db2, db1.data);
          prepareKernel(be, inv('activationGrad', { fn, alpha: 0 }, [z1, y1, dy.buf], [dz1], dims), ctx)();
          prepareKernel(be, inv('biasGrad', { accumulate }, [dz1], [db1.buf], dims), ctx)();
          activationBiasGradKernel(inv('activationGrad', { fn, alpha: 0 }, [z1, y1, dy.buf], [dz2], dims), inv('biasGrad', { accumulate }, [dz2], [db2], dims))();
          // Object.is per float: −0 and +0 apart, as the bit-for-bit claim means.
          const same = (a: Float32Array, e: Float32Array, what: string): void => { for (let i = 0; i < e.length; i++) if (!Object.is(a[i], e[i])) assert.fail(`${what}[${i}]: ${a[i]} vs ${e[i]}`); };
          same(be.view(dz2), be.view(dz1), 'dz');
          same(be.view(db2), be.view(db1.buf), 'db');
        }
      });
    }
  }

  // A convolution followed by its bias and relu/linear runs as one kernel (cpuConv.ts) when its filters are divisible by 8.
  for (const fn of ['relu', 'linear'] as const) {
    for (const [filters, fused] of [[16, true], [12, false]] as const) {
      it(`conv2d (${filters} filters, stride 2, same padding) + bias + ${fn}: ${fused ? 'one kernel' : 'not fused with the convolution'}, the three outputs bit for bit the separate kernels'`, () => {
        const be = new CpuBackend();
        const rng = new Random(filters);
        const rows = 25; // 1800 output pixels: three chunks, the last one short
        const wg = windowGeometry([17, 15, 3], 3, 2, 'same');
        const g = { h: wg.h, w: wg.w, c: wg.c, kh: wg.kh, kw: wg.kw, sh: wg.sh, sw: wg.sw, padTop: wg.padTop, padLeft: wg.padLeft, oh: wg.oh, ow: wg.ow };
        const pixels = rows * g.oh * g.ow;
        const x = filled(be, rows * g.h * g.w * g.c, rng, 'x');
        const w = filled(be, filters * 27, rng, 'w');
        const b = filled(be, filters, rng, 'b');
        const out = (l: string): ReturnType<CpuBackend['createBuffer']>[] => [be.createBuffer(pixels * filters, `${l}conv`), be.createBuffer(pixels * filters, `${l}z`), be.createBuffer(pixels * filters, `${l}y`)];
        const program = ([conv, z, y]: ReturnType<CpuBackend['createBuffer']>[]): Invocation[] => [
          inv('conv2d', { ...g, filters }, [x.buf, w.buf], [conv], { rows }),
          inv('biasAdd', {}, [conv, b.buf], [z], { rows: pixels, cols: filters }),
          inv('activation', { fn, alpha: 0 }, [z], [y], { rows: pixels, cols: filters }),
        ];
        const one = out('a'), two = out('b');
        program(one).forEach((i) => prepareKernel(be, i, ctx)());
        const kernels = prepareFused(be, program(two), ctx);
        assert.equal(kernels.length, fused ? 1 : 2);
        kernels.forEach((k) => k());
        for (let t = 0; t < 3; t++) assert.deepEqual(be.view(two[t]), be.view(one[t]), ['conv', 'z', 'y'][t]);
      });
    }
  }

  it('a run of plain SGD updates equals each sgdUpdate in turn', () => {
    const be = new CpuBackend();
    const rng = new Random(5);
    const params = [7, 1, 33].map((n, i) => ({ n, lr: 0.1 * (i + 1), w1: filled(be, n, rng, `w${i}`), g: filled(be, n, rng, `g${i}`) }));
    const w2 = params.map((p, i) => { const b = be.createBuffer(p.n, `v${i}`); be.write(b, p.w1.data); return b; });
    for (const p of params) prepareKernel(be, inv('sgdUpdate', { lr: p.lr, momentum: 0, nesterov: false, l1: 0, l2: 0 }, [p.g.buf], [p.w1.buf], { size: p.n }), ctx)();
    plainSgdKernel(params.map((p, i) => inv('sgdUpdate', { lr: p.lr, momentum: 0, nesterov: false, l1: 0, l2: 0 }, [p.g.buf], [w2[i]], { size: p.n })))();
    params.forEach((p, i) => assert.deepEqual(be.view(w2[i]), be.view(p.w1.buf)));
  });

  it('sigmoid + cross-entropy from logits takes one exp per element and still gives (sigmoid(z) − y)/n exactly, and the same loss', () => {
    const be = new CpuBackend();
    const zs = [0, -0, 1e-8, -1e-8, 0.5, -0.5, 3, -3, 20, -20, 88, -88, 100, -104, 0.25, -7.5];
    const n = zs.length;
    const [p, t, loss, d] = [n, n, 1, n].map((size, i) => be.createBuffer(size, `b${i}`));
    be.write(p, Float32Array.from(zs));
    be.write(t, Float32Array.from(zs, (_, i) => i % 3 === 0 ? 1 : 0));
    prepareKernel(be, inv('loss', { kind: 'sigmoidBceLogits', accumulate: false }, [p, t], [loss, d], { rows: n, cols: 1 }), ctx)();
    const z = be.view(p), y = be.view(t);
    const want = Float32Array.from(z, (v, i) => (sigmoid(v) - y[i]) * (1 / n));
    assert.deepEqual(be.view(d), want);
    let s = 0;
    for (let i = 0; i < n; i++) s += (z[i] > 0 ? z[i] : 0) - z[i] * y[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
    assert.equal(be.view(loss)[0], Math.fround(s * (1 / n)));
  });

  it('softmax, a single bias column, momentum and regularisation stay unfused', () => {
    const be = new CpuBackend();
    const [x, b, z, y, dz, db, w, g, v] = ['x', 'b', 'z', 'y', 'dz', 'db', 'w', 'g', 'v'].map((l) => be.createBuffer(12, l));
    const dims = { rows: 4, cols: 3 };
    const softmax = [inv('biasAdd', {}, [x, b], [z], dims), inv('activation', { fn: 'softmax', alpha: 0 }, [z], [y], dims)];
    assert.equal(prepareFused(be, softmax, ctx).length, 2);
    const oneColumn = { rows: 12, cols: 1 };
    assert.equal(prepareFused(be, [inv('activationGrad', { fn: 'relu', alpha: 0 }, [x, y, z], [dz], oneColumn), inv('biasGrad', { accumulate: false }, [dz], [db], oneColumn)], ctx).length, 2);
    const sgd = (momentum: number, l2: number): Invocation => inv('sgdUpdate', { lr: 0.1, momentum, nesterov: false, l1: 0, l2 }, [g], momentum ? [w, v] : [w], { size: 12 });
    assert.equal(prepareFused(be, [sgd(0.9, 0), sgd(0, 0.01), sgd(0, 0), sgd(0, 0)], ctx).length, 3);
  });
});

function network(activation: string, units: number) {
  const doc = {
    format: 'nn/1',
    nodes: [
      { id: 'x', type: 'input', units: 2 },
      { id: 'h1', type: 'dense', units, activation },
      { id: 'h2', type: 'dense', units: 4, activation: 'tanh' },
      { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    edges: [{ from: 'x', to: 'h1' }, { from: 'h1', to: 'h2' }, { from: 'h2', to: 'y' }],
  };
  const r = checkNetwork(JSON.stringify(doc));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!, { seed: 3 });
}

function spiral(n: number): Dataset {
  const x = new Float32Array(n * 2), y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const t = r / n * 6, cls = r % 2;
    x[2 * r] = t * Math.cos(t + cls * Math.PI) / 6;
    x[2 * r + 1] = t * Math.sin(t + cls * Math.PI) / 6;
    y[r] = cls;
  }
  return { x, y, count: n, inputSize: 2, outputSize: 1, featureNames: ['a', 'b'], labelNames: ['c'], task: 'binary' };
}

/** Trains 12 steps (batches of 8 and a short one of 6) and returns the weights and the kernels per full step. */
async function trainWith(backend: Backend, activation: string, units: number): Promise<{ weights: Map<string, Float32Array>; kernels: number; loss: number }> {
  const settings: TrainSettings = { loss: 'binary_crossentropy', optimizer: { type: 'sgd', learningRate: 0.3, momentum: 0, nesterov: false, beta1: 0.9, beta2: 0.999, rho: 0.9, epsilon: 1e-7 }, batchSize: 8, epochs: 1, validationSplit: 0, shuffle: true, seed: 4, l1: 0, l2: 0 };
  const session = new TrainingSession(backend, network(activation, units), { train: spiral(30) }, settings);
  const lengths: number[] = [];
  let loss = NaN;
  for (let i = 0; i < 12; i++) loss = (await session.step()).loss ?? NaN;
  const weights = new Map([...(await session.finalWeights())].map(([k, w]) => [k, w.data]));
  lengths.push(((session as unknown as { full: { tp: { program: { length: number } } } }).full.tp.program.length));
  session.dispose();
  return { weights, kernels: lengths[0], loss };
}

describe('a program with fused CPU kernels', () => {
  for (const [activation, units] of [['relu', 3], ['leaky_relu', 20], ['elu', 5], ['sigmoid', 16]] as const) {
    it(`trains a 2-${units}(${activation})-4(tanh)-1 net exactly as the kernel-by-kernel program`, async () => {
      const unfused = new CpuBackend();
      (unfused as { prepareAll?: unknown }).prepareAll = undefined;
      const a = await trainWith(unfused, activation, units);
      const b = await trainWith(new CpuBackend(), activation, units);
      assert.ok(Number.isFinite(b.loss));
      assert.equal(b.loss, a.loss);
      for (const [key, w] of a.weights) assert.deepEqual(b.weights.get(key), w, key);
      // Two bias + activation pairs forward (the output's sigmoid is folded into the loss), two
      // gradient pairs backward, six SGD updates in one kernel.
      assert.equal(a.kernels - b.kernels, 2 + 2 + 5);
    });
  }
});
