/**
 * 2×2 max pooling of stride 2 in wasm SIMD (simdMaxPool.ts) writes exactly what the JavaScript
 * kernels of cpuPool.ts write: the maxima, and the gradient on each window's first largest cell,
 * with ties, NaN, signed zeros, odd sizes (a trailing row and column no window covers), several
 * images per chunk and a short last chunk, written and accumulated.
 */
import * as assert from 'node:assert/strict';
import type { BufferHandle, Invocation } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { pool2dGradKernel, pool2dKernel } from '../../../src/engine/cpu/cpuPool';
import { simdMaxPoolFits } from '../../../src/engine/cpu/simdMaxPool';
import { Random } from '../../../src/engine/random';
import { windowGeometry } from '../../../src/model/convGeometry';

/** Object.is per float: −0 and +0 apart, NaN equal to NaN. */
function same(a: Float32Array, e: Float32Array, what: string): void {
  assert.equal(a.length, e.length);
  for (let i = 0; i < e.length; i++) if (!Object.is(a[i], e[i])) assert.fail(`${what}[${i}]: ${a[i]} vs ${e[i]}`);
}

describe('2×2 max pooling in wasm SIMD', () => {
  for (const [rows, h, w, c] of [[3, 26, 26, 32], [6, 11, 11, 64], [2, 7, 9, 4], [1, 2, 2, 12]]) {
    it(`${rows} image(s) of ${h}×${w}×${c}: forward and gradient equal the JavaScript kernels bit for bit`, () => {
      const wg = windowGeometry([h, w, c], 2, 2, 'valid');
      const g = { h, w, c, kh: wg.kh, kw: wg.kw, sh: wg.sh, sw: wg.sw, padTop: wg.padTop, padLeft: wg.padLeft, oh: wg.oh, ow: wg.ow };
      assert.ok(simdMaxPoolFits({ ...g, mode: 'max' }), 'the case runs the SIMD kernels');
      const be = new CpuBackend();
      const rng = new Random(h * c + rows);
      const n = rows * h * w * c, m = rows * g.oh * g.ow * c;
      const buf = (size: number, label: string, fill?: (i: number) => number): BufferHandle => {
        const b = be.createBuffer(size, label);
        if (fill) { const v = be.view(b); for (let i = 0; i < size; i++) v[i] = fill(i); }
        return b;
      };
      // Coarse values (many ties), zeros of both signs and a few NaN.
      const x = buf(n, 'x', (i) => (i % 97 === 0 ? NaN : i % 13 === 0 ? -0 : i % 17 === 0 ? 0 : Math.round(rng.normal() * 2) / 2));
      const dy = buf(m, 'dy', (i) => (i % 23 === 0 ? -0 : i % 29 === 0 ? NaN : rng.normal()));
      for (const accumulate of [false, true]) {
        const seed = (i: number): number => (i % 11 === 0 ? -0 : rng.normal());
        const [y1, y2] = [buf(m, 'y1'), buf(m, 'y2')];
        const dx1 = buf(n, 'dx1', seed);
        const dx2 = buf(n, 'dx2');
        be.write(dx2, be.view(dx1));
        const fwd = (y: BufferHandle): Invocation<'pool2d'> => ({ op: 'pool2d', attrs: { ...g, mode: 'max' }, inputs: [x], outputs: [y], dims: { rows } });
        const bwd = (dx: BufferHandle): Invocation<'pool2dGrad'> => ({ op: 'pool2dGrad', attrs: { ...g, mode: 'max', accumulate }, inputs: [x, dy], outputs: [dx], dims: { rows } });
        pool2dKernel(fwd(y1), undefined, { simd: false })();
        pool2dKernel(fwd(y2))();
        same(be.view(y2), be.view(y1), 'y');
        pool2dGradKernel(bwd(dx1), undefined, { simd: false })();
        const run = pool2dGradKernel(bwd(dx2));
        run();
        same(be.view(dx2), be.view(dx1), accumulate ? 'dx (accumulated)' : 'dx');
      }
    });
  }

  it('other poolings stay on the JavaScript kernels', () => {
    const g = { h: 6, w: 6, c: 4, kh: 2, kw: 2, sh: 2, sw: 2, padTop: 0, padLeft: 0, oh: 3, ow: 3 };
    assert.ok(!simdMaxPoolFits({ ...g, mode: 'avg' }));
    assert.ok(!simdMaxPoolFits({ ...g, c: 3, mode: 'max' }));
    assert.ok(!simdMaxPoolFits({ ...g, sh: 1, sw: 1, oh: 5, ow: 5, mode: 'max' }));
    assert.ok(!simdMaxPoolFits({ ...g, h: 5, w: 5, oh: 3, ow: 3, mode: 'max' })); // `same`: the last window hangs over
  });
});
