/**
 * Tabular data feeding an image input: a CSV's feature columns (and the shipped digits) fold into
 * the input's [H, W, C] in H, W, C order when their number is exactly H·W·C, and a clear error
 * names both numbers otherwise. A `units` input gets the same rows as before.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataError, imageInputOf, loadData } from '../../../../src/engine/data';
import { checkNetwork } from '../../../../src/model';

describe('data fed to an image input', () => {
  it('the shipped digits feed an input of shape [8, 8, 1] (64 pixels, row-major), and units: 64 as before', async () => {
    const asImages = await loadData({ dataset: 'digits' }, { baseDir: '.', seed: 1, input: { id: 'x', shape: [8, 8, 1] } });
    const asVector = await loadData({ dataset: 'digits' }, { baseDir: '.', seed: 1 });
    assert.deepEqual(asImages.shape, [8, 8, 1]);
    assert.equal(asVector.shape, undefined);
    assert.equal(asImages.inputSize, 64);
    assert.equal(asImages.count, 1797);
    assert.deepEqual(asImages.x, asVector.x, 'the same rows: column pixel_r_c is value r·8 + c of the image');
    assert.equal(asImages.featureNames[8 * 2 + 5], 'pixel_2_5');
    assert.deepEqual(asImages.labelNames, asVector.labelNames);
  });

  it('digits for an input of another shape: the error names both numbers', async () => {
    await assert.rejects(loadData({ dataset: 'digits' }, { baseDir: '.', seed: 1, input: { id: 'img', shape: [28, 28, 1] } }), (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, /^data set 'digits': each row has 64 feature values, but input 'img' of shape \[28, 28, 1\] takes H·W·C = 28·28·1 = 784/);
      return true;
    });
  });

  describe('a CSV', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-csvimg-'));
      // Two 2×2 RGB images: column r_c_ch holds 100·r + 10·c + ch (+ 1000 for the second row).
      const cols: string[] = [];
      for (let r = 0; r < 2; r++) for (let c = 0; c < 2; c++) for (let ch = 0; ch < 3; ch++) cols.push(`p${r}${c}${ch}`);
      const row = (base: number): string => cols.map((n) => String(base + 100 * Number(n[1]) + 10 * Number(n[2]) + Number(n[3]))).join(',');
      fs.writeFileSync(path.join(dir, 'pics.csv'), `${cols.join(',')},label\n${row(0)},a\n${row(1000)},b\n`);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('folds its feature columns in H, W, C order into the input\'s shape', async () => {
      const ds = await loadData({ csv: 'pics.csv', labels: ['label'], standardize: false }, { baseDir: dir, seed: 1, input: { id: 'x', shape: [2, 2, 3] } });
      assert.deepEqual(ds.shape, [2, 2, 3]);
      const at = (n: number, r: number, c: number, ch: number): number => ds.x[n * 12 + (r * 2 + c) * 3 + ch];
      assert.equal(at(0, 1, 0, 2), 102);
      assert.equal(at(1, 0, 1, 1), 1011);
      assert.deepEqual(ds.labelNames, ['a', 'b']);
    });

    it('with too few or too many feature columns: names both numbers and what to do', async () => {
      await assert.rejects(
        loadData({ csv: 'pics.csv', labels: ['label'] }, { baseDir: dir, seed: 1, input: { id: 'x', shape: [2, 2, 1] } }),
        /DataError: pics\.csv: each row has 12 feature values, but input 'x' of shape \[2, 2, 1\] takes H·W·C = 2·2·1 = 4 \(the feature columns fold in height, width, channel order\); choose 4 feature columns with "features", or change the input's "shape"\./,
      );
      await assert.rejects(
        loadData({ csv: 'pics.csv', labels: ['label'] }, { baseDir: dir, seed: 1, input: { id: 'x', shape: [3, 2, 3] } }),
        /each row has 12 feature values, but input 'x' of shape \[3, 2, 3\] takes H·W·C = 3·2·3 = 18/,
      );
    });
  });

  it('imageInputOf: the only input when it has a shape [H, W, C]; nothing for units or several inputs', () => {
    const doc = (inputs: string): NonNullable<ReturnType<typeof checkNetwork>['parsed']['doc']> => {
      const { parsed } = checkNetwork(`{"format":"nn/1","nodes":[${inputs}],"edges":[]}`);
      assert.ok(parsed.doc);
      return parsed.doc;
    };
    assert.deepEqual(imageInputOf(doc('{"id":"x","type":"input","shape":[8,8,1]}')), { id: 'x', shape: [8, 8, 1] });
    assert.equal(imageInputOf(doc('{"id":"x","type":"input","units":64}')), undefined);
    assert.equal(imageInputOf(doc('{"id":"x","type":"input","shape":[8,8,1]},{"id":"y","type":"input","units":2}')), undefined);
  });
});
