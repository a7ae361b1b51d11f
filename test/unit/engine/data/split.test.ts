import * as assert from 'node:assert/strict';
import { DataError, type Dataset, splitData, Standardizer } from '../../../../src/engine/data';

/** Row i has features (i, 10·i) and label i, so rows can be traced through a split. */
function traceable(n: number, standardize?: boolean[]): Dataset {
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = 10 * i;
    y[i] = i;
  }
  return { x, y, count: n, inputSize: 2, outputSize: 1, featureNames: ['a', 'b'], labelNames: ['t'], task: 'regression', standardize };
}

describe('splitData', () => {
  it('without shuffling holds out the last rows', () => {
    const { train, validation, standardizer } = splitData(traceable(10), 0.2, { seed: 1, shuffle: false });
    assert.deepEqual(Array.from(train.y), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(Array.from(validation!.y), [8, 9]);
    assert.deepEqual(Array.from(validation!.x), [8, 80, 9, 90]);
    assert.equal(standardizer, undefined);
  });

  it('with shuffling keeps rows intact, uses every row once, and is seeded', () => {
    const a = splitData(traceable(50), 0.3, { seed: 5, shuffle: true });
    const b = splitData(traceable(50), 0.3, { seed: 5, shuffle: true });
    const c = splitData(traceable(50), 0.3, { seed: 6, shuffle: true });
    assert.equal(a.train.count, 35);
    assert.equal(a.validation!.count, 15);
    const all = [...a.train.y, ...a.validation!.y].sort((p, q) => p - q);
    assert.deepEqual(all, Array.from({ length: 50 }, (_, i) => i));
    for (let r = 0; r < a.train.count; r++) assert.equal(a.train.x[2 * r + 1], 10 * a.train.y[r]);
    assert.deepEqual(a.train.y, b.train.y);
    assert.notDeepEqual(a.train.y, c.train.y);
  });

  it('a zero split gives no validation set; a tiny split still holds out one row', () => {
    assert.equal(splitData(traceable(10), 0, { seed: 1, shuffle: true }).validation, undefined);
    assert.equal(splitData(traceable(10), 0.01, { seed: 1, shuffle: false }).validation!.count, 1);
  });

  it('refuses splits outside [0, 1) and a split of a single row', () => {
    assert.throws(() => splitData(traceable(10), 1, { seed: 1, shuffle: false }), (e: unknown) => e instanceof DataError && /validationSplit is 1; use a fraction in \[0, 1\)/.test(e.message));
    assert.throws(() => splitData(traceable(1), 0.5, { seed: 1, shuffle: false }), { message: 'the data has 1 row; it cannot be split into training and validation rows. Set validationSplit to 0 or add data.' });
    // a large split of little data keeps one training row
    const { train, validation } = splitData(traceable(2), 0.9, { seed: 1, shuffle: false });
    assert.equal(train.count, 1);
    assert.equal(validation!.count, 1);
  });

  it('standardises with statistics of the training rows only, and only the flagged columns', () => {
    const { train, validation, standardizer } = splitData(traceable(10, [true, false]), 0.2, { seed: 1, shuffle: false });
    // train rows 0..7: mean 3.5, population std sqrt(5.25)
    const std = Math.sqrt(5.25);
    assert.ok(standardizer);
    assert.ok(Math.abs(standardizer.mean[0] - 3.5) < 1e-12 && Math.abs(standardizer.std[0] - std) < 1e-12);
    assert.equal(standardizer.mean[1], 0);
    assert.equal(standardizer.std[1], 1);
    assert.ok(Math.abs(train.x[0] - (0 - 3.5) / std) < 1e-6);
    assert.equal(train.x[1], 0); // column b left as is
    assert.ok(Math.abs(validation!.x[0] - (8 - 3.5) / std) < 1e-6);
    assert.equal(validation!.x[1], 80);
  });
});

describe('Standardizer', () => {
  it('round-trips through JSON and scales the same', () => {
    const x = Float32Array.from([1, 5, 3, 5, 8, 5]);
    const s = Standardizer.fit(x, 3, ['p', 'q']);
    assert.equal(s.std[1], 1); // a constant column maps to 0, not NaN
    const back = Standardizer.fromJSON(s.toJSON());
    assert.deepEqual(back.featureNames, ['p', 'q']);
    assert.deepEqual(back.transform(x), s.transform(x));
    assert.deepEqual(Array.from(s.transform(x)).filter((_, i) => i % 2 === 1), [0, 0, 0]);
  });

  it('says how many features it expects when a row does not fit', () => {
    const s = Standardizer.fit(Float32Array.from([1, 2, 3, 4]), 2, ['GPA', 'Experience']);
    assert.throws(() => s.transform(Float32Array.from([2.3])), {
      message: 'the network was trained on 2 features (GPA, Experience) but got 1 value; give one value per feature, or retrain if the data changed.',
    });
  });

  it('refuses damaged JSON with advice', () => {
    assert.throws(() => Standardizer.fromJSON('{'), (e: unknown) => e instanceof DataError && /not valid JSON; retrain/.test(e.message));
    assert.throws(() => Standardizer.fromJSON('{"featureNames":["a"],"mean":[0],"std":[0]}'), /damaged/);
    assert.throws(() => Standardizer.fromJSON('{"featureNames":["a","b"],"mean":[0],"std":[1]}'), /damaged/);
  });
});
