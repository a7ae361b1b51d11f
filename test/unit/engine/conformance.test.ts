/**
 * Every op on every backend: forward results against float64 references, gradients against
 * central finite differences, losses and optimizer updates against hand-written formulas.
 */
import * as assert from 'node:assert/strict';
import { MissingKernelError, OP_NAMES, prepareKernel, type Backend, type ActivationFn, type Invocation, type LossKind } from '../../../src/engine/backend';
import { matmulReference } from '../../../src/engine/cpu/matmul';
import { TapeGraph } from '../../../src/engine/tapeGraph';
import { Random } from '../../../src/engine/random';
import { Program } from '../../../src/engine/session';
import type { Tensor } from '../../../src/engine/tensor';
import { backendsUnderTest, cpuSimdPaths } from './backends';
import { checkBatchNormOps, checkConvOps, checkPoolOps } from './imageOpChecks';

const ctx = { step: 1 };

function randArray(rng: Random, n: number, awayFromZero = 0): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = rng.uniform(-1, 1);
    if (Math.abs(v) < awayFromZero) v = v < 0 ? v - awayFromZero : v + awayFromZero;
    a[i] = v;
  }
  return a;
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i], a = actual[i];
    assert.ok(Math.abs(a - e) <= tol * (1 + Math.abs(e)), `${what}[${i}]: got ${a}, expected ${e}`);
  }
}

function run(backend: Backend, invs: Invocation[]): void {
  new Program(backend, invs.map((i) => prepareKernel(backend, i, ctx))).run();
}

/**
 * Builds a graph with `build`, backpropagates a random weighting c of its output (L = Σ c·out)
 * and compares each input's analytic gradient with central differences of L.
 */
async function gradCheck(backend: Backend, shapes: Array<[number, number]>, build: (g: TapeGraph, xs: Tensor[]) => Tensor, opts: { seed?: number; away?: number; h?: number; tol?: number } = {}): Promise<void> {
  const rng = new Random(opts.seed ?? 1);
  const g = new TapeGraph(backend);
  const xs = shapes.map(([r, c], i) => g.tensor(r, c, `x${i}`, true));
  const out = build(g, xs);
  const c = randArray(rng, out.rows * out.cols);
  const seed = g.tensor(out.rows, out.cols, 'seed');
  g.seedGrad(out, seed);
  g.backwardPass();
  const values = xs.map((x) => randArray(rng, x.rows * x.cols, opts.away ?? 0));
  xs.forEach((x, i) => backend.write(x.buf, values[i]));
  backend.write(seed.buf, c);
  const fwd = new Program(backend, g.forward.map((i) => prepareKernel(backend, i, ctx)));
  const bwd = new Program(backend, g.backward.map((i) => prepareKernel(backend, i, ctx)));
  fwd.run();
  bwd.run();
  const h = opts.h ?? 1e-2;
  const tol = opts.tol ?? 5e-3;
  const lossAt = async (): Promise<number> => {
    fwd.run();
    const o = await backend.read(out.buf);
    let s = 0;
    for (let i = 0; i < o.length; i++) s += c[i] * o[i];
    return s;
  };
  for (let t = 0; t < xs.length; t++) {
    const grad = g.gradOf(xs[t]);
    assert.ok(grad, `no gradient reached input ${t}`);
    const analytic = await backend.read(grad.buf);
    const v = values[t];
    for (let j = 0; j < v.length; j++) {
      const orig = v[j];
      v[j] = orig + h; backend.write(xs[t].buf, v);
      const lp = await lossAt();
      v[j] = orig - h; backend.write(xs[t].buf, v);
      const lm = await lossAt();
      v[j] = orig; backend.write(xs[t].buf, v);
      const numeric = (lp - lm) / (2 * h);
      assert.ok(Math.abs(analytic[j] - numeric) <= tol * (1 + Math.abs(numeric)), `input ${t}[${j}]: analytic ${analytic[j]}, numeric ${numeric}`);
    }
  }
}

function lossReference(kind: LossKind, p: Float32Array, y: Float32Array, rows: number, cols: number): number {
  let s = 0;
  const sig = (z: number): number => 1 / (1 + Math.exp(-z));
  for (let r = 0; r < rows; r++) {
    if (kind === 'softmaxCeLogits') {
      const row = Array.from(p.subarray(r * cols, (r + 1) * cols));
      const lse = Math.log(row.reduce((a, z) => a + Math.exp(z), 0));
      for (let c = 0; c < cols; c++) s += y[r * cols + c] * (lse - row[c]);
      continue;
    }
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (kind === 'sigmoidBceLogits') s -= y[i] * Math.log(sig(p[i])) + (1 - y[i]) * Math.log(1 - sig(p[i]));
      else if (kind === 'bce') s -= y[i] * Math.log(p[i]) + (1 - y[i]) * Math.log(1 - p[i]);
      else if (kind === 'ce') s -= y[i] * Math.log(p[i]);
      else s += (p[i] - y[i]) ** 2;
    }
  }
  return kind === 'ce' || kind === 'softmaxCeLogits' ? s / rows : s / (rows * cols);
}

// The CPU backend also runs on each of its SIMD paths (fused multiply-add and the fallback).
for (const but of [...backendsUnderTest, ...cpuSimdPaths]) {
  describe(`engine conformance: ${but.name} backend`, function () {
    let backend: Backend;
    before(async function () {
      const b = await but.create();
      if (!b) this.skip();
      backend = b as Backend;
    });
    after(() => backend?.dispose());

    it('registers a kernel for every op in OP_NAMES', () => {
      for (const op of OP_NAMES) assert.ok(backend.kernels[op], `missing kernel '${op}'`);
    });

    for (const [tA, tB] of [[false, false], [false, true], [true, false]] as const) {
      it(`matmul transposeA=${tA} transposeB=${tB} matches a float64 reference across block edges`, async () => {
        const rng = new Random(3);
        for (const [m, k, n] of [[1, 1, 1], [3, 2, 5], [33, 129, 70], [64, 300, 260]]) {
          const A = randArray(rng, m * k), B = randArray(rng, k * n);
          const a = backend.createBuffer(m * k, 'A'), b = backend.createBuffer(k * n, 'B'), c = backend.createBuffer(m * n, 'C');
          backend.write(a, A); backend.write(b, B);
          run(backend, [{ op: 'matmul', attrs: { transposeA: tA, transposeB: tB, accumulate: false }, inputs: [a, b], outputs: [c], dims: { m, k, n } }]);
          close(await backend.read(c), matmulReference(A, B, m, k, n, tA, tB), 1e-4, `C ${m}×${k}×${n}`);
          // accumulate adds onto what is there
          run(backend, [{ op: 'matmul', attrs: { transposeA: tA, transposeB: tB, accumulate: true }, inputs: [a, b], outputs: [c], dims: { m, k, n } }]);
          close(await backend.read(c), matmulReference(A, B, m, k, n, tA, tB).map((v) => 2 * v), 1e-4, `2C ${m}×${k}×${n}`);
        }
      });
    }

    it('matmul gradients (A·B, A·Bᵀ, Aᵀ·B) match finite differences', async () => {
      await gradCheck(backend, [[3, 4], [4, 5]], (g, [a, b]) => g.matmul(a, b, 'c'));
      await gradCheck(backend, [[3, 4], [5, 4]], (g, [a, b]) => g.matmul(a, b, 'c', false, true));
      await gradCheck(backend, [[4, 3], [4, 5]], (g, [a, b]) => g.matmul(a, b, 'c', true, false));
    });

    it('biasAdd, add, mul and concat gradients match finite differences', async () => {
      await gradCheck(backend, [[4, 3], [1, 3]], (g, [x, b]) => g.biasAdd(x, b, 'y'));
      await gradCheck(backend, [[2, 3], [2, 3]], (g, [a, b]) => g.add(a, b, 'y'));
      await gradCheck(backend, [[2, 3], [2, 3]], (g, [a, b]) => g.mul(a, b, 'y'));
      await gradCheck(backend, [[2, 1], [2, 3], [2, 2]], (g, xs) => g.concat(xs, 'y'));
      // A tensor used twice gets both contributions summed (x·x and x + x).
      await gradCheck(backend, [[2, 3]], (g, [x]) => g.add(g.mul(x, x, 'sq'), x, 'y'));
    });

    const fns: ActivationFn[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'softmax'];
    for (const fn of fns) {
      it(`activation ${fn}: gradient matches finite differences`, async () => {
        const alpha = fn === 'elu' ? 1 : 0.1;
        // Keep inputs off ReLU-family kinks, where the derivative is not defined.
        await gradCheck(backend, [[3, 4]], (g, [x]) => g.activation(x, fn, alpha, 'y'), { away: 0.05, h: 1e-2 });
      });
    }

    it('activation forwards match their formulas (step, leaky_relu α, elu α, softmax rows sum to 1)', async () => {
      const x = Float32Array.from([-2, -0.5, 0, 0.5, 2, 3]);
      const cases: Array<[ActivationFn, number, (v: number) => number]> = [
        ['step', 0, (v) => (v >= 0 ? 1 : 0)],
        ['leaky_relu', 0.1, (v) => (v >= 0 ? v : 0.1 * v)],
        ['elu', 0.5, (v) => (v >= 0 ? v : 0.5 * Math.expm1(v))],
        ['sigmoid', 0, (v) => 1 / (1 + Math.exp(-v))],
        ['tanh', 0, Math.tanh],
      ];
      for (const [fn, alpha, f] of cases) {
        const a = backend.createBuffer(6, 'x'), y = backend.createBuffer(6, 'y');
        backend.write(a, x);
        run(backend, [{ op: 'activation', attrs: { fn, alpha }, inputs: [a], outputs: [y], dims: { rows: 2, cols: 3 } }]);
        close(await backend.read(y), Array.from(x, f), 1e-5, fn);
      }
      const a = backend.createBuffer(6, 'x'), y = backend.createBuffer(6, 'y');
      backend.write(a, Float32Array.from([1000, 1001, 1002, -5, 0, 5]));
      run(backend, [{ op: 'activation', attrs: { fn: 'softmax', alpha: 0 }, inputs: [a], outputs: [y], dims: { rows: 2, cols: 3 } }]);
      const s = await backend.read(y);
      assert.ok(Math.abs(s[0] + s[1] + s[2] - 1) < 1e-5 && Math.abs(s[3] + s[4] + s[5] - 1) < 1e-5, 'rows sum to 1, no overflow at 1000');
      close(s.subarray(0, 3), [0.09003057, 0.24472847, 0.66524096], 1e-5, 'softmax of large logits');
    });

    it('step activation is straight-through: dx = dy', async () => {
      const g = new TapeGraph(backend);
      const x = g.tensor(1, 4, 'x', true);
      const y = g.activation(x, 'step', 0, 'y');
      const dy = g.tensor(1, 4, 'dy');
      g.seedGrad(y, dy);
      g.backwardPass();
      backend.write(x.buf, Float32Array.from([-1, -0.2, 0.3, 2]));
      backend.write(dy.buf, Float32Array.from([0.5, -1, 2, 3]));
      run(backend, [...g.forward, ...g.backward]);
      close(await backend.read(g.gradOf(x)!.buf), [0.5, -1, 2, 3], 0, 'dx');
    });

    it('dropout: seeded mask, inverted scaling, same mask for the same step, gradient through the mask', async () => {
      const n = 4000, rate = 0.3;
      const x = backend.createBuffer(n, 'x'), y = backend.createBuffer(n, 'y'), mask = backend.createBuffer(n, 'mask');
      backend.write(x, new Float32Array(n).fill(1));
      const inv: Invocation = { op: 'dropout', attrs: { rate, seed: 9 }, inputs: [x], outputs: [y, mask], dims: { size: n } };
      run(backend, [inv]);
      const m1 = await backend.read(mask);
      const dropped = m1.filter((v) => v === 0).length / n;
      assert.ok(Math.abs(dropped - rate) < 0.03, `dropped ${dropped}`);
      assert.ok(m1.every((v) => v === 0 || Math.abs(v - 1 / (1 - rate)) < 1e-6));
      run(backend, [inv]);
      assert.deepEqual(await backend.read(mask), m1, 'same step, same mask');
      ctx.step = 2;
      run(backend, [inv]);
      assert.notDeepEqual(await backend.read(mask), m1, 'next step, new mask');
      ctx.step = 1;
      await gradCheck(backend, [[3, 5]], (g, [t]) => g.dropout(t, 0.5, 4, 'y'));
    });

    const lossCases: Array<[LossKind, number]> = [['sigmoidBceLogits', 1], ['softmaxCeLogits', 4], ['bce', 1], ['ce', 4], ['mse', 2]];
    for (const [kind, cols] of lossCases) {
      it(`loss ${kind}: value matches a float64 reference and dPred matches finite differences`, async () => {
        const rng = new Random(11);
        const rows = 5;
        const probs = kind === 'bce' || kind === 'ce';
        const p = Float32Array.from({ length: rows * cols }, () => (probs ? rng.uniform(0.05, 0.95) : rng.uniform(-3, 3)));
        const y = new Float32Array(rows * cols);
        for (let r = 0; r < rows; r++) {
          if (cols > 1 && kind !== 'mse') y[r * cols + Math.floor(rng.next() * cols)] = 1;
          else for (let c = 0; c < cols; c++) y[r * cols + c] = kind === 'mse' ? rng.uniform(-1, 1) : rng.next() < 0.5 ? 0 : 1;
        }
        const pb = backend.createBuffer(p.length, 'p'), yb = backend.createBuffer(y.length, 'y');
        const lb = backend.createBuffer(1, 'loss'), db = backend.createBuffer(p.length, 'd');
        backend.write(yb, y);
        const inv: Invocation = { op: 'loss', attrs: { kind, accumulate: false }, inputs: [pb, yb], outputs: [lb, db], dims: { rows, cols } };
        const at = async (v: Float32Array): Promise<number> => { backend.write(pb, v); run(backend, [inv]); return (await backend.read(lb))[0]; };
        const value = await at(p);
        assert.ok(Math.abs(value - lossReference(kind, p, y, rows, cols)) < 1e-5, `loss ${value}`);
        const d = await backend.read(db);
        const h = 1e-3;
        for (let i = 0; i < p.length; i++) {
          const q = Float32Array.from(p);
          q[i] = p[i] + h; const lp = await at(q);
          q[i] = p[i] - h; const lm = await at(q);
          const numeric = (lp - lm) / (2 * h);
          assert.ok(Math.abs(d[i] - numeric) < 2e-3 * (1 + Math.abs(numeric)), `d[${i}] ${d[i]} vs ${numeric}`);
        }
        // accumulate: two runs add up
        const inv2: Invocation = { ...inv, attrs: { kind, accumulate: true } };
        backend.write(lb, new Float32Array(1));
        backend.write(pb, p);
        run(backend, [inv2, inv2]);
        assert.ok(Math.abs((await backend.read(lb))[0] - 2 * value) < 1e-5);
      });
    }

    it('sigmoid BCE from logits stays finite where the probability saturates', async () => {
      const pb = backend.createBuffer(2, 'p'), yb = backend.createBuffer(2, 'y'), lb = backend.createBuffer(1, 'l'), db = backend.createBuffer(2, 'd');
      backend.write(pb, Float32Array.from([80, -80]));
      backend.write(yb, Float32Array.from([0, 1]));
      run(backend, [{ op: 'loss', attrs: { kind: 'sigmoidBceLogits', accumulate: false }, inputs: [pb, yb], outputs: [lb, db], dims: { rows: 2, cols: 1 } }]);
      const l = (await backend.read(lb))[0];
      assert.ok(Number.isFinite(l) && Math.abs(l - 80) < 1e-3, `loss ${l}`);
    });

    it('optimizer updates (sgd+momentum, nesterov, adam, rmsprop, with L1/L2) match their formulas over 3 steps', async () => {
      const rng = new Random(5);
      const n = 7;
      const w0 = randArray(rng, n);
      const grads = [randArray(rng, n), randArray(rng, n), randArray(rng, n)];
      type Ref = (w: number[], s: number[][], g: number[], t: number) => void;
      const reg = (w: number, g: number, l1: number, l2: number): number => g + 2 * l2 * w + l1 * Math.sign(w);
      const cases: Array<[Invocation['op'], Record<string, number | boolean>, number, Ref]> = [
        ['sgdUpdate', { lr: 0.1, momentum: 0, nesterov: false, l1: 0, l2: 0 }, 1, (w, _s, g) => { for (let i = 0; i < n; i++) w[i] -= 0.1 * g[i]; }],
        ['sgdUpdate', { lr: 0.1, momentum: 0.9, nesterov: false, l1: 0.01, l2: 0.02 }, 1, (w, [v], g) => {
          for (let i = 0; i < n; i++) { const gi = reg(w[i], g[i], 0.01, 0.02); v[i] = 0.9 * v[i] - 0.1 * gi; w[i] += v[i]; }
        }],
        ['sgdUpdate', { lr: 0.1, momentum: 0.9, nesterov: true, l1: 0, l2: 0 }, 1, (w, [v], g) => {
          for (let i = 0; i < n; i++) { v[i] = 0.9 * v[i] - 0.1 * g[i]; w[i] += 0.9 * v[i] - 0.1 * g[i]; }
        }],
        ['adamUpdate', { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l1: 0, l2: 0.01 }, 2, (w, [m, v], g, t) => {
          for (let i = 0; i < n; i++) {
            const gi = reg(w[i], g[i], 0, 0.01);
            m[i] = 0.9 * m[i] + 0.1 * gi; v[i] = 0.999 * v[i] + 0.001 * gi * gi;
            w[i] -= (0.01 * m[i] / (1 - 0.9 ** t)) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-7);
          }
        }],
        ['rmspropUpdate', { lr: 0.01, rho: 0.9, epsilon: 1e-7, l1: 0.01, l2: 0 }, 1, (w, [s], g) => {
          for (let i = 0; i < n; i++) { const gi = reg(w[i], g[i], 0.01, 0); s[i] = 0.9 * s[i] + 0.1 * gi * gi; w[i] -= 0.01 * gi / (Math.sqrt(s[i]) + 1e-7); }
        }],
      ];
      for (const [op, attrs, nState, ref] of cases) {
        const w = backend.createBuffer(n, 'w'), g = backend.createBuffer(n, 'g');
        const state = Array.from({ length: nState }, (_, i) => backend.createBuffer(n, `s${i}`));
        backend.write(w, w0);
        const inv = { op, attrs, inputs: [g], outputs: [w, ...state], dims: { size: n } } as Invocation;
        const rw = Array.from(w0), rs = state.map(() => new Array<number>(n).fill(0));
        const c = { step: 0 };
        const prog = new Program(backend, [prepareKernel(backend, inv, c)]);
        for (let t = 1; t <= 3; t++) {
          backend.write(g, grads[t - 1]);
          c.step = t;
          prog.run();
          ref(rw, rs, Array.from(grads[t - 1]), t);
        }
        close(await backend.read(w), rw, 1e-5, `${op} ${JSON.stringify(attrs)}`);
      }
    });

    it('fill, scale (and accumulate), biasAdd and biasGrad compute what they say at every width', async () => {
      const a = backend.createBuffer(6, 'a'), c = backend.createBuffer(6, 'c'), db = backend.createBuffer(3, 'db');
      run(backend, [{ op: 'fill', attrs: { value: 2 }, inputs: [], outputs: [a], dims: { size: 6 } }]);
      run(backend, [{ op: 'scale', attrs: { factor: 3, accumulate: false }, inputs: [a], outputs: [c], dims: { size: 6 } }]);
      run(backend, [{ op: 'scale', attrs: { factor: -1, accumulate: true }, inputs: [a], outputs: [c], dims: { size: 6 } }]);
      close(await backend.read(c), [4, 4, 4, 4, 4, 4], 0, 'c');
      backend.write(a, Float32Array.from([1, 2, 3, 4, 5, 6]));
      run(backend, [{ op: 'biasGrad', attrs: { accumulate: false }, inputs: [a], outputs: [db], dims: { rows: 2, cols: 3 } }]);
      close(await backend.read(db), [5, 7, 9], 0, 'db');
      // Every width class a kernel may specialise (1 column, narrow, wide), with accumulate.
      for (const cols of [1, 3, 20]) {
        const rows = 5;
        const src = Float32Array.from({ length: rows * cols }, (_, i) => (i % 7) - 3);
        const bias = Float32Array.from({ length: cols }, (_, i) => i / 2);
        const x = backend.createBuffer(rows * cols, 'x'), b = backend.createBuffer(cols, 'b'), y = backend.createBuffer(rows * cols, 'y'), g = backend.createBuffer(cols, 'g');
        backend.write(x, src); backend.write(b, bias); backend.write(g, new Float32Array(cols).fill(1));
        run(backend, [
          { op: 'biasAdd', attrs: {}, inputs: [x, b], outputs: [y], dims: { rows, cols } },
          { op: 'biasGrad', attrs: { accumulate: true }, inputs: [x], outputs: [g], dims: { rows, cols } },
        ]);
        close(await backend.read(y), Array.from(src, (v, i) => v + bias[i % cols]), 0, `biasAdd cols ${cols}`);
        const sums = new Array<number>(cols).fill(1);
        src.forEach((v, i) => { sums[i % cols] += v; });
        close(await backend.read(g), sums, 0, `biasGrad accumulate cols ${cols}`);
      }
    });

    // The image ops (imageOpChecks.ts): float64 references, finite differences, odd sizes,
    // strides, same padding with odd totals, a batch of one, accumulate. Each prepares a few
    // dozen kernels, which takes seconds on a software WebGPU adapter.
    it('conv2d and its input and weight gradients match the reference and finite differences', function () { this.timeout(120000); return checkConvOps(backend); });
    it('max and average pooling (and global average) and their gradients match the reference and finite differences', function () { this.timeout(120000); return checkPoolOps(backend); });
    it('batch norm (training with moving statistics, inference, gradient) matches the reference and finite differences', function () { this.timeout(120000); return checkBatchNormOps(backend); });
  });
}

describe('engine kernel registry', () => {
  it('a missing kernel is an error naming the op and the backend', () => {
    const empty: Backend = { name: 'nothing', kernels: {}, createBuffer: (size, label) => ({ size, label }), write: () => undefined, read: async () => new Float32Array(0), beginStep: () => undefined, endStep: () => undefined, dispose: () => undefined };
    assert.throws(() => prepareKernel(empty, { op: 'matmul', attrs: { transposeA: false, transposeB: false, accumulate: false }, inputs: [], outputs: [], dims: {} }, ctx),
      (e: Error) => e instanceof MissingKernelError && /nothing backend/.test(e.message) && /'matmul'/.test(e.message));
  });
});
