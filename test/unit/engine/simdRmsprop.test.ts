/**
 * RMSprop in wasm SIMD (simdRmsprop.ts, taken by the CPU's rmspropUpdate from SIMD_UPDATE_FROM
 * weights when there is no L1) writes exactly what the JavaScript loop writes, step after step,
 * into the weights and the mean square, and says whether every weight it wrote is finite (the
 * step's weight check trusts that answer).
 */
import * as assert from 'node:assert/strict';
import { prepareKernel, type BufferHandle } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import type { CpuBuffer } from '../../../src/engine/cpu/cpuBuffer';
import { SIMD_UPDATE_FROM } from '../../../src/engine/cpu/cpuOptimizers';
import { RMSPROP_CHUNK, simdRmspropAvailable } from '../../../src/engine/cpu/simdRmsprop';
import { Random } from '../../../src/engine/random';

interface Attrs { lr: number; rho: number; epsilon: number; l1: number; l2: number }

/** RMSprop as the JavaScript kernel has always computed it (doubles, float32 on each store). */
function jsRmsprop(w: Float32Array, g: Float32Array, ms: Float32Array, a: Attrs): void {
  const l2x2 = 2 * a.l2;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i];
    const gi = g[i] + l2x2 * wi + (a.l1 !== 0 ? a.l1 * Math.sign(wi) : 0);
    const s = a.rho * ms[i] + (1 - a.rho) * gi * gi;
    ms[i] = s;
    w[i] = wi - (a.lr * gi) / (Math.sqrt(s) + a.epsilon);
  }
}

function setup(n: number, seed: number, attrs: Attrs): { be: CpuBackend; bufs: BufferHandle[]; run: () => void } {
  const be = new CpuBackend();
  const rng = new Random(seed);
  const bufs = ['w', 'g', 'ms'].map((l) => be.createBuffer(n, l));
  const w = be.view(bufs[0]);
  for (let i = 0; i < n; i++) w[i] = i % 11 === 0 ? 0 : rng.normal();
  const run = prepareKernel(be, { op: 'rmspropUpdate', attrs, inputs: [bufs[1]], outputs: [bufs[0], bufs[2]], dims: { size: n } }, { step: 1 });
  return { be, bufs, run };
}

describe('RMSprop in wasm SIMD', function () {
  before(function () {
    if (!simdRmspropAvailable()) this.skip();
  });

  for (const n of [SIMD_UPDATE_FROM, SIMD_UPDATE_FROM + 1, 1001, RMSPROP_CHUNK + 3, 2 * RMSPROP_CHUNK + 2]) {
    for (const l2 of [0, 0.003]) {
      it(`${n} weights${l2 ? ', L2' : ''}: 4 steps write the weights and mean square bit for bit as the JavaScript loop`, () => {
        const attrs = { lr: 0.001, rho: 0.9, epsilon: 1e-7, l1: 0, l2 };
        const { be, bufs, run } = setup(n, n + l2, attrs);
        const [w, g, ms] = bufs.map((b) => be.view(b));
        const ref = [w, ms].map((a) => a.slice());
        const rng = new Random(11);
        for (let t = 1; t <= 4; t++) {
          for (let i = 0; i < n; i++) g[i] = i % 13 === 0 ? -0 : rng.normal() * (i % 3 === 0 ? 1e2 : 1e-3);
          run();
          jsRmsprop(ref[0], g, ref[1], attrs);
          assert.deepEqual(w, ref[0], `weights after step ${t}`);
          assert.deepEqual(ms, ref[1], `mean square after step ${t}`);
          assert.equal((bufs[0] as CpuBuffer).finite, true);
        }
      });
    }
  }

  for (const at of [0, RMSPROP_CHUNK + 1, 2 * RMSPROP_CHUNK + 1]) {
    it(`reports a NaN gradient at weight ${at} of ${2 * RMSPROP_CHUNK + 2} as weights not finite`, () => {
      const { be, bufs, run } = setup(2 * RMSPROP_CHUNK + 2, 1, { lr: 0.001, rho: 0.9, epsilon: 1e-7, l1: 0, l2: 0 });
      be.view(bufs[1]).fill(0.5)[at] = NaN;
      run();
      assert.equal((bufs[0] as CpuBuffer).finite, false);
      assert.ok(Number.isNaN(be.view(bufs[0])[at]));
    });
  }
});
