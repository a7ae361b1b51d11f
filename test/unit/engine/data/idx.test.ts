/**
 * MNIST-format (IDX) files as training data: the files are written here in a temp folder (plain
 * and gzip), read through loadData as a design names them, and every way such a file can be wrong
 * gives an error that names the file and says what to do.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DataError, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, loadData, splitData } from '../../../../src/engine/data';
import type { Dataset } from '../../../../src/engine/data';
import { idxBytes, LABELS, PIXELS } from './imageFixtures';

describe('IDX (MNIST-format) files', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-idx-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: Buffer): string => {
    fs.writeFileSync(path.join(dir, name), bytes);
    return name;
  };
  const images = (bytes = idxBytes(IDX_IMAGES_MAGIC, [3, 2, 3], PIXELS)): Buffer => bytes;
  const labels = (bytes = idxBytes(IDX_LABELS_MAGIC, [3], LABELS)): Buffer => bytes;
  const load = (img: string, lab: string, input?: { id: string; shape: number[] }): Promise<Dataset> =>
    loadData({ idx: { images: img, labels: lab } }, { baseDir: dir, seed: 1, input });
  const rejects = async (p: Promise<unknown>, file: string, re: RegExp): Promise<void> => {
    await assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof DataError, `a DataError, got ${String(e)}`);
      assert.ok(e.message.startsWith(`${file}`), `names the file first: ${e.message}`);
      assert.match(e.message, re);
      assert.equal(e.file, file);
      return true;
    });
  };

  function assertDigits(ds: Dataset): void {
    assert.equal(ds.count, 3);
    assert.equal(ds.inputSize, 6);
    assert.deepEqual(ds.shape, [2, 3, 1]);
    assert.equal(ds.task, 'multiclass');
    assert.equal(ds.outputSize, 3, 'classes 0 … the largest label');
    assert.deepEqual(ds.labelNames, ['0', '1', '2']);
    assert.deepEqual(Array.from(ds.x), PIXELS.map((v) => Math.fround(v / 255)), 'bytes / 255, row-major, image after image');
    assert.deepEqual(Array.from(ds.y), [1, 0, 0, 0, 0, 1, 0, 1, 0], 'one-hot labels');
    assert.equal(ds.standardize, undefined, 'pixels stay in [0, 1], not standardised');
    assert.equal(ds.featureNames.length, 6);
  }

  it('reads plain image and label files: pixels in [0, 1], one-hot labels, shape [rows, cols, 1]', async () => {
    assertDigits(await load(write('train-images-idx3-ubyte', images()), write('train-labels-idx1-ubyte', labels())));
  });

  it('reads gzip files (.gz) the same way', async () => {
    const ds = await load(write('train-images-idx3-ubyte.gz', zlib.gzipSync(images())), write('train-labels-idx1-ubyte.gz', zlib.gzipSync(labels())));
    assertDigits(ds);
  });

  it('feeds an input of the same shape, or of rows·cols units; a different shape is an error naming both', async () => {
    const img = write('i', images());
    const lab = write('l', labels());
    assert.deepEqual((await load(img, lab, { id: 'x', shape: [2, 3, 1] })).shape, [2, 3, 1]);
    assert.equal((await load(img, lab)).inputSize, 6, 'a units: 6 input gets the flat rows');
    await rejects(load(img, lab, { id: 'x', shape: [3, 2, 1] }), 'i', /the images are 2×3 with 1 channel \(shape \[2, 3, 1\]\), but input 'x' has shape \[3, 2, 1\]; set the input's "shape" to \[2, 3, 1\]/);
    await rejects(load(img, lab, { id: 'x', shape: [2, 3, 3] }), 'i', /input 'x' has shape \[2, 3, 3\]/);
  });

  it('splits like any data set (rows stay whole images with their labels)', async () => {
    const ds = await load(write('i', images()), write('l', labels()));
    const { train, validation } = splitData(ds, 1 / 3, { seed: 3, shuffle: true });
    assert.equal(train.count + validation!.count, 3);
    assert.deepEqual(train.shape, [2, 3, 1]);
    for (const part of [train, validation!]) {
      for (let r = 0; r < part.count; r++) {
        const i = Math.round(part.x[r * 6] * 255) / 40;
        assert.equal(part.y[r * 3 + LABELS[i]], 1, 'the label travels with its image');
      }
    }
  });

  it('a missing file: names it, where it looked, and that paths are relative to the .nn file', async () => {
    await rejects(load('nope-images-idx3-ubyte.gz', write('l', labels())), 'nope-images-idx3-ubyte.gz',
      /no such file \(looked for .*nope-images-idx3-ubyte\.gz\); training\.data\.idx\.images paths are relative to the \.nn file's folder/);
    await rejects(load(write('i', images()), 'labels.gz'), 'labels.gz', /no such file .*training\.data\.idx\.labels/);
  });

  it('a wrong magic number: says what the file starts with and what an IDX file starts with', async () => {
    await rejects(load(write('i.csv', Buffer.from('a,b,c\n1,2,3\n1,2,3\n')), write('l', labels())), 'i.csv',
      /not an IDX images file \(it starts with 0x612c622c; an IDX images file starts with 0x00000803\); "images" must name an MNIST-format file like train-images-idx3-ubyte/);
    await rejects(load(write('i', images()), write('l2', idxBytes(0x00000802, [3, 1], LABELS))), 'l2', /not an IDX labels file \(it starts with 0x00000802; an IDX labels file starts with 0x00000801\)/);
  });

  it('images and labels swapped: says to swap them', async () => {
    await rejects(load(write('l', labels()), write('i', images())), 'l', /it is an IDX labels file: swap "images" and "labels" \(the other is i\)/);
  });

  it('a truncated file (cut inside the pixels, inside the header, or a cut-short gzip): says it is cut short', async () => {
    const lab = write('l', labels());
    await rejects(load(write('cut', images().subarray(0, 20)), lab), 'cut', /the file is cut short: its header promises 3 images of 2×3 pixels \(18 bytes\) but only 4 follow; download or copy it again/);
    await rejects(load(write('head', images().subarray(0, 10)), lab), 'head', /cut short inside its 16-byte header/);
    await rejects(load(write('tiny', Buffer.from([0, 0])), lab), 'tiny', /is 2 bytes long, too short for an IDX file/);
    const gz = zlib.gzipSync(images());
    await rejects(load(write('cut.gz', gz.subarray(0, gz.length - 12)), lab), 'cut.gz', /the gzip data is damaged or cut short .*download or copy the file again/);
    await rejects(load(write('i', images()), write('lcut', labels().subarray(0, 10))), 'lcut', /header promises 3 labels \(3 bytes\) but only 2 follow/);
  });

  it('extra bytes after the promised images are refused too', async () => {
    await rejects(load(write('long', Buffer.concat([images(), Buffer.from([1, 2])])), write('l', labels())), 'long', /2 bytes follow the 3 images of 2×3 pixels its header promises/);
  });

  it('a count mismatch between images and labels: names both files and both counts', async () => {
    await rejects(load(write('train-images', images()), write('t10k-labels', idxBytes(IDX_LABELS_MAGIC, [2], [0, 1]))), 'train-images',
      /^train-images holds 3 images but t10k-labels holds 2 labels; use the labels file that belongs to these images/);
  });

  it('labels of a single class, and a file of no images, are refused', async () => {
    await rejects(load(write('i', images()), write('l', idxBytes(IDX_LABELS_MAGIC, [3], [0, 0, 0]))), 'l', /every label is 0; a classifier needs at least two classes/);
    await rejects(load(write('e', idxBytes(IDX_IMAGES_MAGIC, [0, 2, 3], [])), write('l0', idxBytes(IDX_LABELS_MAGIC, [0], []))), 'e', /holds no images/);
  });

  it('a folder where a file should be', async () => {
    fs.mkdirSync(path.join(dir, 'sub'));
    await rejects(load('sub', write('l', labels())), 'sub', /is not a file .*training\.data\.idx\.images must name a file/);
  });
});
