/**
 * Layer statistics (the gradients panel's norms, means, spreads and histograms) from
 * tensorStats, against a plain one-value-at-a-time reference: the four-lane passes must give the
 * same histogram to the count and the same figures to rounding, at every length (the lanes' tail).
 */
import * as assert from 'node:assert/strict';
import { HISTOGRAM_BINS, tensorStats } from '../../../src/engine/layerStats';
import { Random } from '../../../src/engine/random';

/** The statistics one value at a time, as the panel defines them. */
function reference(a: Float32Array, bins = HISTOGRAM_BINS): { l2: number; mean: number; std: number; min: number; max: number; counts: number[] } {
  let sum = 0, sq = 0, min = Infinity, max = -Infinity;
  for (const v of a) {
    sum += v;
    sq += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (a.length === 0) { min = 0; max = 0; }
  const n = Math.max(1, a.length), mean = sum / n;
  const counts = new Array<number>(bins).fill(0);
  for (const v of a) counts[max > min ? Math.min(bins - 1, Math.floor(((v - min) / (max - min)) * bins)) : 0]++;
  return { l2: Math.sqrt(sq), mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)), min, max, counts };
}

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

describe('layer statistics (tensorStats)', () => {
  for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 1001, 65536 + 3]) {
    it(`matches the one-at-a-time reference on ${n} values (histogram to the count)`, () => {
      const rng = new Random(n + 1);
      const a = new Float32Array(n);
      // Mixed scales and signs, zeros and −0, the extremes anywhere (also in the tail after the last group of four).
      for (let i = 0; i < n; i++) a[i] = i % 11 === 0 ? (i % 22 === 0 ? -0 : 0) : rng.normal() * (i % 3 === 0 ? 10 : 0.01);
      if (n > 2) { a[n - 1] = 50; a[n - 2] = -40; }
      const got = tensorStats(a), want = reference(a);
      assert.equal(got.histogram.min, want.min);
      assert.equal(got.histogram.max, want.max);
      assert.deepEqual(got.histogram.counts, want.counts);
      assert.equal(got.histogram.counts.reduce((s, c) => s + c, 0), n);
      close(got.l2, want.l2, 'l2');
      close(got.mean, want.mean, 'mean');
      close(got.std, want.std, 'std');
    });
  }

  it('puts every value of a constant tensor in the first bin, and the maximum of a spread one in the last', () => {
    assert.deepEqual(tensorStats(new Float32Array(9).fill(0.25)).histogram, { min: 0.25, max: 0.25, counts: [9, ...new Array(HISTOGRAM_BINS - 1).fill(0)] });
    const s = tensorStats(Float32Array.from([0, 1, 1, 1, 0.5]), 4);
    assert.deepEqual(s.histogram.counts, [1, 0, 1, 3]);
  });
});
