/**
 * SGD with momentum in wasm SIMD (simdMomentum.ts, taken by the CPU's sgdUpdate from
 * SIMD_UPDATE_FROM weights when there is momentum and no L1) writes exactly what the JavaScript
 * loop writes, step after step, into the weights and the velocity, plain and Nesterov, and says
 * whether every weight it wrote is finite (the step's weight check trusts that answer).
 */
import * as assert from 'node:assert/strict';
import { prepareKernel, type BufferHandle } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import type { CpuBuffer } from '../../../src/engine/cpu/cpuBuffer';
import { SIMD_UPDATE_FROM } from '../../../src/engine/cpu/cpuOptimizers';
import { MOMENTUM_CHUNK, simdMomentumAvailable } from '../../../src/engine/cpu/simdMomentum';
import { Random } from '../../../src/engine/random';

interface Attrs { lr: number; momentum: number; nesterov: boolean; l1: number; l2: number }

/** SGD with momentum as the JavaScript kernel has always computed it (doubles, float32 on each store). */
function jsMomentum(w: Float32Array, g: Float32Array, v: Float32Array, a: Attrs): void {
  const l2x2 = 2 * a.l2;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i];
    const gi = g[i] + l2x2 * wi + (a.l1 !== 0 ? a.l1 * Math.sign(wi) : 0);
    const vi = a.momentum * v[i] - a.lr * gi;
    v[i] = vi;
    w[i] = wi + (a.nesterov ? a.momentum * vi - a.lr * gi : vi);
  }
}

function setup(n: number, seed: number, attrs: Attrs): { be: CpuBackend; bufs: BufferHandle[]; run: () => void } {
  const be = new CpuBackend();
  const rng = new Random(seed);
  const bufs = ['w', 'g', 'v'].map((l) => be.createBuffer(n, l));
  const w = be.view(bufs[0]);
  for (let i = 0; i < n; i++) w[i] = i % 11 === 0 ? 0 : rng.normal();
  const run = prepareKernel(be, { op: 'sgdUpdate', attrs, inputs: [bufs[1]], outputs: [bufs[0], bufs[2]], dims: { size: n } }, { step: 1 });
  return { be, bufs, run };
}

describe('SGD with momentum in wasm SIMD', function () {
  before(function () {
    if (!simdMomentumAvailable()) this.skip();
  });

  for (const n of [SIMD_UPDATE_FROM, SIMD_UPDATE_FROM + 1, 1001, MOMENTUM_CHUNK + 3, 2 * MOMENTUM_CHUNK + 2]) {
    for (const [nesterov, l2] of [[false, 0], [true, 0], [true, 0.003], [false, 0.003]] as const) {
      it(`${n} weights, ${nesterov ? 'Nesterov' : 'plain'}${l2 ? ', L2' : ''}: 4 steps write the weights and velocity bit for bit as the JavaScript loop`, () => {
        const attrs = { lr: 0.05, momentum: 0.9, nesterov, l1: 0, l2 };
        const { be, bufs, run } = setup(n, n + l2, attrs);
        const [w, g, v] = bufs.map((b) => be.view(b));
        const ref = [w, v].map((a) => a.slice());
        const rng = new Random(9);
        for (let t = 1; t <= 4; t++) {
          for (let i = 0; i < n; i++) g[i] = i % 13 === 0 ? -0 : rng.normal() * (i % 3 === 0 ? 1e2 : 1e-3);
          run();
          jsMomentum(ref[0], g, ref[1], attrs);
          assert.deepEqual(w, ref[0], `weights after step ${t}`);
          assert.deepEqual(v, ref[1], `velocity after step ${t}`);
          assert.equal((bufs[0] as CpuBuffer).finite, true);
        }
      });
    }
  }

  for (const at of [0, MOMENTUM_CHUNK + 1, 2 * MOMENTUM_CHUNK + 1]) {
    it(`reports an infinite gradient at weight ${at} of ${2 * MOMENTUM_CHUNK + 2} as weights not finite`, () => {
      const { be, bufs, run } = setup(2 * MOMENTUM_CHUNK + 2, 1, { lr: 0.05, momentum: 0.9, nesterov: false, l1: 0, l2: 0 });
      be.view(bufs[1]).fill(0.5)[at] = -Infinity;
      run();
      assert.equal((bufs[0] as CpuBuffer).finite, false);
      assert.equal(be.view(bufs[0])[at], Infinity);
    });
  }
});
