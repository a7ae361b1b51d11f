/**
 * `nn train` on image data from the user's disk, end to end through the built CLI (dist/cli.js:
 * `npm run build`): MNIST-format files (one gzipped, one plain) and a folder of PNGs feed an input
 * of shape [4, 4, 1] → flatten → dense, train to high accuracy and save weights; a broken file
 * stops the run with the file's name and what to do.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../../../src/engine/data';
import { idxBytes, rgbaImage, writePng } from '../engine/data/imageFixtures';

const cli = path.resolve(__dirname, '../../../dist/cli.js');

/** 4×4 images of three classes: the top, bottom or left half bright, with a little variation. */
function stripes(count: number): { pixels: number[]; labels: number[] } {
  const pixels: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const k = i % 3;
    labels.push(k);
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        const on = (k === 0 && r < 2) || (k === 1 && r >= 2) || (k === 2 && c < 2);
        pixels.push(on ? 200 + (i % 7) : 10 + (i % 5));
      }
    }
  }
  return { pixels, labels };
}

function design(data: unknown): string {
  return JSON.stringify({
    format: 'nn/1',
    nodes: [
      { id: 'x', type: 'input', shape: [4, 4, 1] },
      { id: 'f', type: 'flatten' },
      { id: 'out', type: 'dense', units: 3, activation: 'softmax' },
    ],
    edges: [{ from: 'x', to: 'f' }, { from: 'f', to: 'out' }],
    training: {
      data, loss: 'categorical_crossentropy', optimizer: { type: 'adam', learningRate: 0.05 },
      epochs: 30, batchSize: 10, validationSplit: 0.2, seed: 3,
    },
  }, null, 2);
}

function nn(cwd: string, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('nn train on image files (built CLI)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-train-images-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('trains on MNIST-format files (gzip and plain) and saves the weights', () => {
    const { pixels, labels } = stripes(60);
    fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), zlib.gzipSync(idxBytes(IDX_IMAGES_MAGIC, [60, 4, 4], pixels)));
    fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), idxBytes(IDX_LABELS_MAGIC, [60], labels));
    fs.writeFileSync(path.join(dir, 'stripes.nn'), design({ idx: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte' } }));
    const r = nn(dir, 'train', 'stripes.nn', '--backend', 'cpu');
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /48 training rows, 12 validation/);
    assert.match(r.out, /done: completed 30 epoch\(s\).*accuracy (9\d|100)\.\d% \(validation data\)/);
    assert.ok(fs.existsSync(path.join(dir, 'stripes.weights.safetensors')));
  });

  it('trains on a folder of PNGs, one sub-folder per class', () => {
    const { pixels, labels } = stripes(30);
    labels.forEach((k, i) => {
      const img = rgbaImage(4, 4, (r, c) => { const v = pixels[i * 16 + r * 4 + c]; return [v, v, v]; });
      writePng(path.join(dir, 'pics', ['bottom', 'left', 'top'][(k + 2) % 3], `${i}.png`), img, 0);
    });
    fs.writeFileSync(path.join(dir, 'pics.nn'), design({ imageFolder: 'pics' }));
    const r = nn(dir, 'train', 'pics.nn', '--backend', 'cpu');
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /24 training rows, 6 validation/);
    assert.match(r.out, /accuracy (9\d|100)\.\d% \(validation data\)/);
  });

  it('a truncated IDX file stops the run, naming the file and what to do; nothing is saved', () => {
    const { pixels, labels } = stripes(60);
    fs.writeFileSync(path.join(dir, 'imgs'), idxBytes(IDX_IMAGES_MAGIC, [60, 4, 4], pixels).subarray(0, 500));
    fs.writeFileSync(path.join(dir, 'labs'), idxBytes(IDX_LABELS_MAGIC, [60], labels));
    fs.writeFileSync(path.join(dir, 'cut.nn'), design({ idx: { images: 'imgs', labels: 'labs' } }));
    const r = nn(dir, 'train', 'cut.nn', '--backend', 'cpu');
    assert.equal(r.code, 1);
    assert.match(r.err, /cut\.nn: cannot load the training data: imgs: the file is cut short: its header promises 60 images of 4×4 pixels \(960 bytes\) but only 484 follow; download or copy it again\./);
    assert.ok(!fs.existsSync(path.join(dir, 'cut.weights.safetensors')));
  });
});
