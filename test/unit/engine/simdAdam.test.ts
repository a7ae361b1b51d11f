/**
 * Adam's update in wasm SIMD (simdAdam.ts, taken by the CPU's adamUpdate from SIMD_UPDATE_FROM
 * weights when there is no L1) writes exactly what the JavaScript loop writes, step after step,
 * into the weights and both moments, and says whether every weight it wrote is finite (the
 * step's weight check trusts that answer).
 */
import * as assert from 'node:assert/strict';
import { prepareKernel, type BufferHandle } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import type { CpuBuffer } from '../../../src/engine/cpu/cpuBuffer';
import { SIMD_UPDATE_FROM } from '../../../src/engine/cpu/cpuOptimizers';
import { ADAM_CHUNK, simdAdamAvailable } from '../../../src/engine/cpu/simdAdam';
import { Random } from '../../../src/engine/random';

interface Attrs { lr: number; beta1: number; beta2: number; epsilon: number; l1: number; l2: number }

/** Adam as the JavaScript kernel has always computed it (doubles, float32 on each store). */
function jsAdam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, a: Attrs, t: number): void {
  const c1 = 1 / (1 - Math.pow(a.beta1, t));
  const c2 = 1 / (1 - Math.pow(a.beta2, t));
  const l2x2 = 2 * a.l2;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i];
    const gi = g[i] + l2x2 * wi + (a.l1 !== 0 ? a.l1 * Math.sign(wi) : 0);
    const mi = a.beta1 * m[i] + (1 - a.beta1) * gi;
    const vi = a.beta2 * v[i] + (1 - a.beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] = wi - (a.lr * mi * c1) / (Math.sqrt(vi * c2) + a.epsilon);
  }
}

function setup(n: number, seed: number, attrs: Attrs): { be: CpuBackend; bufs: BufferHandle[]; run: () => void; ctx: { step: number } } {
  const be = new CpuBackend();
  const rng = new Random(seed);
  const bufs = ['w', 'g', 'm', 'v'].map((l) => be.createBuffer(n, l));
  const w = be.view(bufs[0]);
  for (let i = 0; i < n; i++) w[i] = i % 11 === 0 ? 0 : rng.normal();
  const ctx = { step: 0 };
  const run = prepareKernel(be, { op: 'adamUpdate', attrs, inputs: [bufs[1]], outputs: [bufs[0], bufs[2], bufs[3]], dims: { size: n } }, ctx);
  return { be, bufs, run, ctx };
}

describe('Adam in wasm SIMD', function () {
  before(function () {
    if (!simdAdamAvailable()) this.skip();
  });

  for (const n of [SIMD_UPDATE_FROM, SIMD_UPDATE_FROM + 1, 1001, ADAM_CHUNK + 3, 2 * ADAM_CHUNK + 2]) {
    for (const l2 of [0, 0.003]) {
      it(`${n} weights${l2 ? ', L2' : ''}: 4 steps write the weights and both moments bit for bit as the JavaScript loop`, () => {
        const attrs = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l1: 0, l2 };
        const { be, bufs, run, ctx } = setup(n, n + l2, attrs);
        const [w, g, m, v] = bufs.map((b) => be.view(b));
        const ref = [w, m, v].map((a) => a.slice());
        const rng = new Random(7);
        for (let t = 1; t <= 4; t++) {
          for (let i = 0; i < n; i++) g[i] = i % 13 === 0 ? -0 : rng.normal() * (i % 3 === 0 ? 1e2 : 1e-3);
          ctx.step = t;
          run();
          jsAdam(ref[0], g, ref[1], ref[2], attrs, t);
          assert.deepEqual(w, ref[0], `weights after step ${t}`);
          assert.deepEqual(m, ref[1], `first moment after step ${t}`);
          assert.deepEqual(v, ref[2], `second moment after step ${t}`);
          assert.equal((bufs[0] as CpuBuffer).finite, true);
        }
      });
    }
  }

  for (const at of [0, ADAM_CHUNK + 1, 2 * ADAM_CHUNK + 1]) {
    it(`reports a NaN gradient at weight ${at} of ${2 * ADAM_CHUNK + 2} as weights not finite`, () => {
      const { be, bufs, run, ctx } = setup(2 * ADAM_CHUNK + 2, 1, { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l1: 0, l2: 0 });
      be.view(bufs[1]).fill(0.5)[at] = NaN;
      ctx.step = 1;
      run();
      assert.equal((bufs[0] as CpuBuffer).finite, false);
      assert.ok(Number.isNaN(be.view(bufs[0])[at]));
    });
  }

  it('with L1 the JavaScript loop updates, and still reports', () => {
    const attrs = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l1: 0.001, l2: 0 };
    const { be, bufs, run, ctx } = setup(300, 2, attrs);
    const [w, g, m, v] = bufs.map((b) => be.view(b));
    g.fill(0.25);
    const ref = [w, m, v].map((a) => a.slice());
    ctx.step = 1;
    run();
    jsAdam(ref[0], g, ref[1], ref[2], attrs, 1);
    assert.deepEqual(w, ref[0]);
    assert.equal((bufs[0] as CpuBuffer).finite, true);
  });
});
