import * as assert from 'node:assert/strict';
import { DataError, generateData, Random } from '../../../../src/engine/data';
import { GENERATOR_NAMES } from '../../../../src/model/types';

describe('data generators', () => {
  it('Random is deterministic per seed and differs between seeds', () => {
    const a = new Random(42), b = new Random(42), c = new Random(43);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    const sb = Array.from({ length: 5 }, () => b.nextUint32());
    const sc = Array.from({ length: 5 }, () => c.nextUint32());
    assert.deepEqual(sa, sb);
    assert.notDeepEqual(sa, sc);
  });

  it('Random.next is uniform in [0, 1) and normal() has mean 0, std 1', () => {
    const r = new Random(7);
    let sum = 0, sq = 0, min = 1, max = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      min = Math.min(min, u);
      max = Math.max(max, u);
      const g = r.normal();
      sum += g;
      sq += g * g;
    }
    assert.ok(min >= 0 && max < 1);
    assert.ok(Math.abs(sum / n) < 0.03, `mean ${sum / n}`);
    assert.ok(Math.abs(Math.sqrt(sq / n) - 1) < 0.03, `std ${Math.sqrt(sq / n)}`);
  });

  it('Random.permutation holds every index once', () => {
    const p = Array.from(new Random(1).permutation(100)).sort((a, b) => a - b);
    assert.deepEqual(p, Array.from({ length: 100 }, (_, i) => i));
  });

  for (const g of GENERATOR_NAMES) {
    it(`${g}: same seed gives the same data, another seed other data`, () => {
      const a = generateData({ generator: g, samples: 50, noise: 0.1 }, 3);
      const b = generateData({ generator: g, samples: 50, noise: 0.1 }, 3);
      const c = generateData({ generator: g, samples: 50, noise: 0.1 }, 4);
      assert.deepEqual(a.x, b.x);
      assert.deepEqual(a.y, b.y);
      assert.notDeepEqual(a.x, c.x);
      assert.equal(a.x.length, a.count * a.inputSize);
      assert.equal(a.y.length, a.count * a.outputSize);
      assert.equal(a.featureNames.length, a.inputSize);
    });
  }

  it('the spec seed wins over the run seed', () => {
    const a = generateData({ generator: 'xor', samples: 20, seed: 9 }, 1);
    const b = generateData({ generator: 'xor', samples: 20, seed: 9 }, 2);
    assert.deepEqual(a.x, b.x);
  });

  it('xor without noise labels 1 exactly when both coordinates share a sign', () => {
    const d = generateData({ generator: 'xor', samples: 400 }, 1);
    assert.equal(d.task, 'binary');
    let ones = 0;
    for (let i = 0; i < d.count; i++) {
      const same = d.x[2 * i] * d.x[2 * i + 1] > 0;
      assert.equal(d.y[i], same ? 1 : 0);
      ones += d.y[i];
      assert.ok(Math.abs(d.x[2 * i]) <= 1 && Math.abs(d.x[2 * i + 1]) <= 1);
    }
    assert.ok(ones > 150 && ones < 250, `${ones} positives of 400`);
  });

  it('circle without noise: class 1 inside radius 0.5, class 0 in the ring 0.7–1, balanced', () => {
    const d = generateData({ generator: 'circle', samples: 300 }, 5);
    let inside = 0;
    for (let i = 0; i < d.count; i++) {
      const r = Math.hypot(d.x[2 * i], d.x[2 * i + 1]);
      if (d.y[i] === 1) {
        assert.ok(r <= 0.5 + 1e-6);
        inside++;
      } else assert.ok(r >= 0.7 - 1e-6 && r <= 1 + 1e-6);
    }
    assert.equal(inside, 150);
  });

  it('spiral and gaussian: two classes are binary, more are one-hot multiclass', () => {
    for (const g of ['spiral', 'gaussian'] as const) {
      const two = generateData({ generator: g, samples: 100 }, 1);
      assert.equal(two.task, 'binary');
      assert.equal(two.outputSize, 1);
      const three = generateData({ generator: g, samples: 99, classes: 3 }, 1);
      assert.equal(three.task, 'multiclass');
      assert.equal(three.outputSize, 3);
      assert.equal(three.labelNames.length, 3);
      const perClass = [0, 0, 0];
      for (let i = 0; i < three.count; i++) {
        const row = Array.from(three.y.subarray(i * 3, i * 3 + 3));
        assert.equal(row.reduce((a, b) => a + b), 1);
        perClass[row.indexOf(1)]++;
      }
      assert.deepEqual(perClass, [33, 33, 33]);
    }
  });

  it('spiral arms: a point at radius r of arm c lies at angle 3.5πr + 2πc/k', () => {
    const d = generateData({ generator: 'spiral', samples: 60 }, 2);
    for (let i = 0; i < d.count; i++) {
      const [x, y] = [d.x[2 * i], d.x[2 * i + 1]];
      const r = Math.hypot(x, y);
      const t = 3.5 * Math.PI * r + Math.PI * d.y[i];
      assert.ok(Math.abs(x - r * Math.sin(t)) < 1e-5 && Math.abs(y - r * Math.cos(t)) < 1e-5);
    }
  });

  it('linear and sine regression follow their functions exactly without noise, and scatter with it', () => {
    const lin = generateData({ generator: 'linear', samples: 50 }, 1);
    const sin = generateData({ generator: 'sine', samples: 50 }, 1);
    assert.equal(lin.task, 'regression');
    for (let i = 0; i < 50; i++) {
      assert.ok(Math.abs(lin.y[i] - (1.5 * lin.x[i] + 0.5)) < 1e-6);
      assert.ok(Math.abs(sin.y[i] - Math.sin(Math.PI * sin.x[i])) < 1e-6);
    }
    const noisy = generateData({ generator: 'linear', samples: 2000, noise: 0.3 }, 1);
    let sq = 0;
    for (let i = 0; i < noisy.count; i++) sq += (noisy.y[i] - (1.5 * noisy.x[i] + 0.5)) ** 2;
    assert.ok(Math.abs(Math.sqrt(sq / noisy.count) - 0.3) < 0.03);
  });

  it('rejects impossible settings with a message that says what to use', () => {
    assert.throws(() => generateData({ generator: 'xor', samples: 0 }, 1), (e: unknown) => e instanceof DataError && /samples is 0; use a whole number from 1/.test(e.message));
    assert.throws(() => generateData({ generator: 'xor', noise: -1 }, 1), /noise is -1; use a number ≥ 0/);
    assert.throws(() => generateData({ generator: 'spiral', classes: 1 }, 1), /classes is 1; use a whole number from 2 to 100/);
  });
});
