import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { loadData, shippedDataFolder, splitData } from '../../../../src/engine/data';

/** Rows per class of a one-hot label matrix. */
function classCounts(y: Float32Array, k: number): number[] {
  const counts = new Array(k).fill(0);
  for (let i = 0; i < y.length; i += k) counts[y.subarray(i, i + k).indexOf(1)]++;
  return counts;
}

describe('shipped data sets', () => {
  const opts = { baseDir: '/nonexistent', seed: 1 }; // shipped sets never read baseDir

  it('finds the data folder from the sources', () => {
    assert.match(shippedDataFolder(), /[/\\]data$/);
  });

  it('finds the data folder from an esbuild bundle too (as dist/cli.js runs)', () => {
    const root = path.resolve(__dirname, '../../../..');
    const dir = path.join(root, 'node_modules', '.cache', `nn-shipped-${process.pid}`);
    const outfile = path.join(dir, 'dist', 'shipped.js'); // a depth unlike src/engine/data, so a hard-coded relative path would fail
    try {
      buildSync({ entryPoints: [path.join(root, 'src/engine/data/shipped.ts')], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent' });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const bundled = require(outfile) as { shippedDataFolder: () => string };
      assert.equal(bundled.shippedDataFolder(), path.join(root, 'data'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('iris: 150 flowers, 4 measurements, 3 species of 50', async () => {
    const ds = await loadData({ dataset: 'iris' }, opts);
    assert.equal(ds.count, 150);
    assert.deepEqual(ds.featureNames, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    assert.deepEqual(ds.labelNames, ['setosa', 'versicolor', 'virginica']);
    assert.equal(ds.task, 'multiclass');
    assert.deepEqual(classCounts(ds.y, 3), [50, 50, 50]);
    assert.deepEqual(Array.from(ds.x.subarray(0, 4)), [5.1, 3.5, 1.4, 0.2].map(Math.fround));
  });

  it('digits: 1,797 images of 64 pixels in 0–16, ten classes', async () => {
    const ds = await loadData({ dataset: 'digits' }, opts);
    assert.equal(ds.count, 1797);
    assert.equal(ds.inputSize, 64);
    assert.equal(ds.featureNames[9], 'pixel_1_1');
    assert.deepEqual(ds.labelNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const counts = classCounts(ds.y, 10);
    assert.equal(counts.reduce((a, b) => a + b), 1797);
    assert.ok(counts.every((c) => c >= 170 && c <= 190), String(counts));
    assert.ok(ds.x.every((v) => v >= 0 && v <= 16 && Number.isInteger(v)));
    // the first image is a 0 (sklearn's digits.images[0])
    assert.equal(ds.y[0], 1);
    // a pixel that is 0 in every image must not become NaN when standardised
    const { train } = splitData(ds, 0.2, { seed: 1, shuffle: true });
    assert.ok(train.x.every(Number.isFinite));
  });

  it('interview: the 21 printed lecture rows, GPA and experience, 5 invited', async () => {
    const ds = await loadData({ dataset: 'interview' }, opts);
    assert.equal(ds.count, 21);
    assert.deepEqual(ds.featureNames, ['GPA', 'Experience']);
    assert.equal(ds.task, 'binary');
    assert.equal(ds.y.reduce((a, b) => a + b), 5);
    assert.deepEqual(Array.from(ds.x.subarray(0, 2)), [3.27, 1.93].map(Math.fround));
  });
});
