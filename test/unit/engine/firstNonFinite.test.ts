/**
 * firstNonFinite decides, after every CPU step, whether the weights diverged and where: it must
 * find a NaN or ±Inf at any position (its fast pass sums four at a time, then the tail) and
 * report none for any finite values, however large, and signed zeros.
 */
import * as assert from 'node:assert/strict';
import { firstNonFinite } from '../../../src/engine/layerStats';

describe('firstNonFinite', () => {
  it('reports none for finite values: zeros of both signs, the largest and smallest float32s', () => {
    for (const n of [0, 1, 3, 4, 5, 17]) {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = [-0, 3.4028234663852886e38, -3.4028234663852886e38, 1e-45, -2.5][i % 5];
      assert.equal(firstNonFinite(a), -1, `length ${n}`);
    }
  });

  it('finds the first NaN, +Inf or −Inf wherever it is, in the fast pass\'s blocks of four and in the tail', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const n of [1, 4, 7, 9]) {
        for (let at = 0; at < n; at++) {
          const a = new Float32Array(n).fill(-1.5);
          a[at] = bad;
          if (at + 2 < n) a[at + 2] = NaN;
          assert.equal(firstNonFinite(a), at, `${bad} at ${at} of ${n}`);
        }
      }
    }
  });
});
