/**
 * Work that reads CPU buffers where they lie in the products' wasm memory (simdArena.ts) instead
 * of copying them: the optimizer updates (simdUpdate.ts updatePass) and the layer statistics'
 * two passes (simdStats.ts). Over resident buffers they must give the very floats and counts
 * that the copying path and the JavaScript give over plain arrays.
 */
import * as assert from 'node:assert/strict';
import { releaseResident, residentArray, simdAvailable } from '../../../src/engine/cpu/simdMatmul';
import { simdSgdAvailable, simdSgdKernel } from '../../../src/engine/cpu/simdSgd';
import { simdMomentumKernel } from '../../../src/engine/cpu/simdMomentum';
import { simdAdamKernel } from '../../../src/engine/cpu/simdAdam';
import { simdRmspropKernel } from '../../../src/engine/cpu/simdRmsprop';
import { simdHistogram, simdMoments } from '../../../src/engine/cpu/simdStats';
import { simdActivationBiasGrad, simdBiasActivation } from '../../../src/engine/cpu/simdElementwise';
import { tensorStats } from '../../../src/engine/layerStats';
import { Random } from '../../../src/engine/random';

const live: Float32Array[] = [];
function resident(src: Float32Array): Float32Array {
  const a = residentArray(src.length);
  assert.ok(a, 'a resident array');
  a.set(src);
  live.push(a);
  return a;
}
const rand = (rng: Random, n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => rng.normal() * scale);
const firstDiff = (a: Float32Array, b: Float32Array): number => a.findIndex((v, i) => !Object.is(v, b[i]));

/** Each optimizer's kernel over (w, g, state…) of `size` floats, as a step function. */
const OPTIMIZERS: [string, number, (arrays: Float32Array[], size: number) => () => boolean][] = [
  ['sgd', 0, ([w, g], n) => simdSgdKernel(w, g, n, 0.05)],
  ['momentum', 1, ([w, g, v], n) => simdMomentumKernel(w, g, v, n, 0.05, 0.9, 0.002, false)],
  ['nesterov', 1, ([w, g, v], n) => simdMomentumKernel(w, g, v, n, 0.05, 0.9, 0, true)],
  ['adam', 2, ([w, g, m, v], n) => { const k = simdAdamKernel(w, g, m, v, n); let t = 0; return () => { t++; return k({ lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, c1: 1 / (1 - 0.9 ** t), c2: 1 / (1 - 0.999 ** t), l2x2: 0.001 }); }; }],
  ['rmsprop', 1, ([w, g, ms], n) => simdRmspropKernel(w, g, ms, n, 0.01, 0.9, 1e-7, 0)],
];

describe('cpu SIMD work in place over resident buffers', function () {
  before(function () {
    if (!simdAvailable() || !simdSgdAvailable() || typeof SharedArrayBuffer !== 'function') this.skip();
  });
  after(() => {
    for (const a of live.splice(0)) releaseResident(a);
  });

  for (const [name, states, make] of OPTIMIZERS) {
    it(`${name}: updating resident weights in place gives the same floats as through the copies, and still reports a weight gone NaN`, () => {
      const rng = new Random(31);
      // A size over several copy chunks with a tail past the last whole vector.
      const size = 70001;
      const plain = [rand(rng, size, 0.1), rand(rng, size, 0.01), ...Array.from({ length: states }, () => new Float32Array(size))];
      const inPlace = plain.map((a) => resident(a));
      const a = make(plain, size), b = make(inPlace, size);
      for (let step = 0; step < 3; step++) {
        assert.equal(a(), true);
        assert.equal(b(), true);
        plain.forEach((x, k) => {
          const i = firstDiff(x, inPlace[k]);
          assert.equal(i, -1, `step ${step + 1}, array ${k}: [${i}] ${inPlace[k][i]} in place, ${x[i]} copied`);
        });
      }
      // A NaN gradient makes its weight NaN: the flag rides on the in-place pass too.
      inPlace[1][12345] = NaN;
      assert.equal(b(), false, 'the update reports the weight that is no longer finite');
      assert.ok(Number.isNaN(inPlace[0][12345]));
    });
  }

  for (const fn of ['relu', 'linear'] as const) {
    it(`${fn}: bias + activation and its gradient over resident buffers, in one call, give the floats of the chunked copies`, () => {
      const rng = new Random(33);
      // 1,024 columns (the bias itself resident) and rows over several copy chunks.
      const rows = 19, cols = 1024, n = rows * cols;
      const x = rand(rng, n), b = rand(rng, cols), dy = rand(rng, n), db0 = rand(rng, cols);
      const plain = { z: new Float32Array(n), y: new Float32Array(n), dz: new Float32Array(n) };
      const res = { x: resident(x), b: resident(b), dy: resident(dy), z: resident(new Float32Array(n)), y: resident(new Float32Array(n)), dz: resident(new Float32Array(n)) };
      simdBiasActivation(fn, x, b, plain.z, plain.y, rows, cols)();
      simdBiasActivation(fn, res.x, res.b, res.z, res.y, rows, cols)();
      assert.equal(firstDiff(plain.z, res.z), -1, 'z');
      assert.equal(firstDiff(plain.y, res.y), -1, 'y');
      for (const accumulate of [false, true]) {
        const dbPlain = Float32Array.from(db0), dbRes = resident(db0);
        simdActivationBiasGrad(fn, x, dy, plain.dz, dbPlain, rows, cols, accumulate)();
        simdActivationBiasGrad(fn, res.x, res.dy, res.dz, dbRes, rows, cols, accumulate)();
        assert.equal(firstDiff(plain.dz, res.dz), -1, 'dz');
        assert.equal(firstDiff(dbPlain, dbRes), -1, `db${accumulate ? ', accumulated' : ''}`);
      }
    });
  }

  it('layer statistics of a resident buffer equal the JavaScript passes\' over a plain copy, at every tail length and bin count', () => {
    const rng = new Random(32);
    for (const n of [1024, 1025, 1026, 1027, 4099, 65536 + 3]) {
      for (const bins of [20, 7, 1, 100]) {
        const plain = rand(rng, n);
        if (n > 2000) { plain[7] = plain[9] = 0; plain[100] = 5; }
        const want = tensorStats(plain, bins), got = tensorStats(resident(plain), bins);
        assert.deepEqual(got, want, `${n} floats, ${bins} bins`);
        assert.equal(got.histogram.counts.reduce((s, c) => s + c, 0), n);
      }
    }
    // Every value the same (no span): one bin holds them all.
    const flat = resident(new Float32Array(2048).fill(0.25));
    assert.deepEqual(tensorStats(flat).histogram, tensorStats(Float32Array.from(flat)).histogram);
  });

  it('the SIMD passes run on resident buffers only, and a value at the top or NaN lands in the last bin', () => {
    const plain = Float32Array.from({ length: 1024 }, (_, i) => i / 1023);
    assert.equal(simdMoments(plain), undefined, 'a plain array is left to the JavaScript');
    const a = resident(plain);
    const m = simdMoments(a);
    assert.ok(m);
    assert.equal(m.done, 1024);
    assert.deepEqual([Math.min(...m.min), Math.max(...m.max)], [0, 1]);
    a[5] = NaN;
    const counts = new Int32Array(4 * 10);
    assert.equal(simdHistogram(a, 0, 10, 9, counts), 1024);
    const total = (b: number): number => counts[4 * b] + counts[4 * b + 1] + counts[4 * b + 2] + counts[4 * b + 3];
    // One value at a time: bin ⌊10·x⌋, the top value (1) and the NaN in bin 9.
    const want = new Array<number>(10).fill(0);
    for (const x of a) want[Number.isNaN(x) ? 9 : Math.min(9, Math.floor(x * 10))]++;
    assert.deepEqual(Array.from({ length: 10 }, (_, b) => total(b)), want);
    assert.ok(want[9] > want[8], 'the last bin holds the top value and the NaN');
  });
});
