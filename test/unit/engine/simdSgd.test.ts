/**
 * The plain SGD update in wasm SIMD (simdSgd.ts) writes exactly what the JavaScript loop writes,
 * and says whether every weight it wrote is finite: the CPU's per-step weight check trusts that
 * answer instead of reading the weights again, so a kernel that missed a NaN/Inf would let a
 * diverged run go on.
 */
import * as assert from 'node:assert/strict';
import { prepareKernel, type Invocation } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import type { CpuBuffer } from '../../../src/engine/cpu/cpuBuffer';
import { plainSgdKernel, SIMD_SGD_FROM } from '../../../src/engine/cpu/cpuFused';
import { SGD_CHUNK, simdSgd, simdSgdAvailable } from '../../../src/engine/cpu/simdSgd';
import { Random } from '../../../src/engine/random';

/** The JavaScript update, as sgdUpdate has always written it. */
function jsSgd(w: Float32Array, g: Float32Array, size: number, lr: number): void {
  for (let i = 0; i < size; i++) w[i] -= lr * g[i];
}

function randomPair(n: number, seed: number): { w: Float32Array; g: Float32Array } {
  const rng = new Random(seed);
  const w = new Float32Array(n), g = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    w[i] = i % 13 === 0 ? 0 : rng.normal() * (i % 5 === 0 ? 1e-6 : 1);
    g[i] = i % 17 === 0 ? -0 : rng.normal() * (i % 3 === 0 ? 1e3 : 1e-3);
  }
  return { w, g };
}

const sgdInv = (g: CpuBuffer, w: CpuBuffer, size: number, lr: number): Invocation<'sgdUpdate'> =>
  ({ op: 'sgdUpdate', attrs: { lr, momentum: 0, nesterov: false, l1: 0, l2: 0 }, inputs: [g], outputs: [w], dims: { size } });

describe('plain SGD in wasm SIMD', function () {
  before(function () {
    if (!simdSgdAvailable()) this.skip();
  });

  for (const n of [1, 2, 3, 63, 64, 1001, SGD_CHUNK, SGD_CHUNK + 1, 2 * SGD_CHUNK + 7]) {
    it(`updates ${n} weights bit for bit as the JavaScript loop (lr 0.1, not a float32), and reports them finite`, () => {
      const { w, g } = randomPair(n, n);
      const expected = w.slice();
      jsSgd(expected, g, n, 0.1);
      assert.equal(simdSgd(w, g, n, 0.1), true);
      assert.deepEqual(w, expected);
    });
  }

  it('leaves the floats past `size` alone', () => {
    const { w, g } = randomPair(40, 1);
    const before = w.slice();
    simdSgd(w, g, 21, 0.3);
    assert.deepEqual(w.subarray(21), before.subarray(21));
  });

  for (const [what, at, make] of [
    ['a NaN gradient', 5, (_w: Float32Array, g: Float32Array, i: number) => { g[i] = NaN; }],
    ['an infinite weight', 0, (w: Float32Array, _g: Float32Array, i: number) => { w[i] = -Infinity; }],
    ['finite operands whose update overflows float32', SGD_CHUNK + 2, (w: Float32Array, g: Float32Array, i: number) => { w[i] = 3e38; g[i] = -1e38; }],
    ['the odd last weight', 2 * SGD_CHUNK + 6, (_w: Float32Array, g: Float32Array, i: number) => { g[i] = Infinity; }],
  ] as const) {
    it(`reports ${what} (weight ${at}) as not finite, and writes what the JavaScript loop writes`, () => {
      const n = 2 * SGD_CHUNK + 7;
      const { w, g } = randomPair(n, 9);
      make(w, g, at);
      const expected = w.slice();
      jsSgd(expected, g, n, 0.5);
      assert.equal(simdSgd(w, g, n, 0.5), false);
      assert.deepEqual(w, expected);
      assert.ok(!Number.isFinite(w[at]));
    });
  }

  it('a run of plain SGD updates marks each weight buffer finite or not, on the SIMD and the JavaScript paths', () => {
    const be = new CpuBackend();
    const sizes = [SIMD_SGD_FROM - 1, SIMD_SGD_FROM, 3 * SIMD_SGD_FROM + 1];
    const bufs = sizes.map((n, i) => {
      const { w, g } = randomPair(n, i + 20);
      const wb = be.createBuffer(n, `w${i}`) as CpuBuffer, gb = be.createBuffer(n, `g${i}`) as CpuBuffer;
      be.write(wb, w);
      be.write(gb, g);
      return { wb, gb, n };
    });
    const kernel = plainSgdKernel(bufs.map((b) => sgdInv(b.gb, b.wb, b.n, 0.1)));
    kernel();
    assert.deepEqual(bufs.map((b) => b.wb.finite), [true, true, true]);
    be.view(bufs[1].gb)[7] = NaN;
    be.view(bufs[0].gb)[3] = Infinity;
    kernel();
    assert.deepEqual(bufs.map((b) => b.wb.finite), [false, false, true]);
    // A write from the host: unknown until the next update looks.
    be.write(bufs[2].wb, new Float32Array(bufs[2].n));
    assert.equal(bufs[2].wb.finite, undefined);
  });

  it('the single sgdUpdate kernel (momentum, Adam, RMSprop alike) marks its weights too', () => {
    const be = new CpuBackend();
    const w = be.createBuffer(10, 'w') as CpuBuffer, g = be.createBuffer(10, 'g') as CpuBuffer, v = be.createBuffer(10, 'v') as CpuBuffer;
    be.write(g, new Float32Array(10).fill(1));
    const run = prepareKernel(be, { op: 'sgdUpdate', attrs: { lr: 0.1, momentum: 0.9, nesterov: true, l1: 0, l2: 0.01 }, inputs: [g], outputs: [w, v], dims: { size: 10 } }, { step: 1 });
    run();
    assert.equal(w.finite, true);
    be.view(g)[9] = NaN;
    run();
    assert.equal(w.finite, false);
  });
});
